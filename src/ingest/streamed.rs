//! Sources read on a thread of their own (Parquet files, SQL cursors): the
//! thread owns the file or connection, which need not be `Send` or may borrow
//! itself, and hands batches over a bounded channel, so memory stays bounded
//! by a few batches whatever the source's size.

use super::parsed::{ParsedChunk, ParsedRow, ParsedRows};
use super::RejectedRow;
use crate::error::InputError;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// What a source knows once its query ran or its file opened.
pub(crate) struct StreamHeader {
    pub columns: Vec<String>,
    /// The single-column primary key of a table, when there is one.
    pub primary_key: Option<String>,
}

enum Message {
    Header(StreamHeader),
    Chunk(ParsedChunk),
    Failed(InputError),
}

/// The producing side: the header once, then rows.
pub(crate) struct Emitter {
    tx: SyncSender<Message>,
    batch: ParsedChunk,
    batch_rows: usize,
    header_sent: bool,
}

/// The consumer stopped reading (an error elsewhere): the producer should stop.
pub(crate) struct Stopped;

impl Emitter {
    pub fn header(&mut self, header: StreamHeader) -> Result<(), Stopped> {
        self.header_sent = true;
        self.tx.send(Message::Header(header)).map_err(|_| Stopped)
    }

    pub fn row(&mut self, row: Result<ParsedRow, RejectedRow>) -> Result<(), Stopped> {
        self.batch.push(row);
        if self.batch.len() >= self.batch_rows {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(self.batch_rows));
            self.tx.send(Message::Chunk(full)).map_err(|_| Stopped)?;
        }
        Ok(())
    }

    fn finish(mut self, result: Result<(), InputError>) {
        if !self.batch.is_empty() {
            let rest = std::mem::take(&mut self.batch);
            if self.tx.send(Message::Chunk(rest)).is_err() {
                return;
            }
        }
        if let Err(e) = result {
            let _ = self.tx.send(Message::Failed(e));
        } else if !self.header_sent {
            let _ = self.tx.send(Message::Failed(InputError::new(
                std::path::Path::new("<source>"),
                "the source ended before its columns were known",
            )));
        }
    }
}

/// The consuming side, a `ParsedRows` source.
pub(crate) struct Streamed {
    rx: Receiver<Message>,
}

/// An error the producer reports with `Err`; `Stopped` ends it quietly.
pub(crate) enum ProduceError {
    Failed(InputError),
    Stopped,
}

impl From<Stopped> for ProduceError {
    fn from(_: Stopped) -> Self {
        ProduceError::Stopped
    }
}

impl From<InputError> for ProduceError {
    fn from(e: InputError) -> Self {
        ProduceError::Failed(e)
    }
}

/// Runs `produce` on a new thread and waits for its header.
pub(crate) fn spawn_stream<F>(
    batch_rows: usize,
    produce: F,
) -> Result<(StreamHeader, Streamed), InputError>
where
    F: FnOnce(&mut Emitter) -> Result<(), ProduceError> + Send + 'static,
{
    // Two batches in flight: the reader runs ahead of the audit, not away from it.
    let (tx, rx) = sync_channel(2);
    std::thread::spawn(move || {
        let mut emitter = Emitter {
            tx,
            batch: Vec::with_capacity(batch_rows.max(1)),
            batch_rows: batch_rows.max(1),
            header_sent: false,
        };
        match produce(&mut emitter) {
            Ok(()) => emitter.finish(Ok(())),
            Err(ProduceError::Failed(e)) => emitter.finish(Err(e)),
            Err(ProduceError::Stopped) => {}
        }
    });
    match rx.recv() {
        Ok(Message::Header(header)) => Ok((header, Streamed { rx })),
        Ok(Message::Failed(e)) => Err(e),
        Ok(Message::Chunk(_)) | Err(_) => Err(InputError::new(
            std::path::Path::new("<source>"),
            "the source stopped before its columns were known",
        )),
    }
}

impl ParsedRows for Streamed {
    fn next_chunk(&mut self, _rows: usize) -> Result<Option<ParsedChunk>, InputError> {
        match self.rx.recv() {
            Ok(Message::Chunk(chunk)) => Ok(Some(chunk)),
            Ok(Message::Failed(e)) => Err(e),
            Ok(Message::Header(_)) | Err(_) => Ok(None),
        }
    }
}
