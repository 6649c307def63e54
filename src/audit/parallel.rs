//! Chunks of an input audited on every core, their results taken in input
//! order, so row numbers and findings never depend on the thread count.

use crate::error::InputError;
use crate::ingest::Chunk;
use rayon::prelude::*;

/// Chunks per worker thread handed to the pool at once: enough to keep every
/// core busy while the slowest chunk finishes, few enough to bound memory.
pub(super) const CHUNKS_PER_THREAD: usize = 4;

/// How many chunks are in flight at once: the read-ahead depth to use.
pub(super) fn group_size() -> usize {
    rayon::current_num_threads() * CHUNKS_PER_THREAD
}

/// Runs `work` on the chunks `next` yields, a group at a time in parallel,
/// and hands each result to `merge` in input order. Merging one group
/// overlaps the work on the next, so no core waits for the merge.
pub(super) fn in_input_order<T: Send>(
    mut next: impl FnMut() -> Result<Option<Chunk>, InputError>,
    work: impl Fn(&Chunk) -> Result<T, InputError> + Sync,
    mut merge: impl FnMut(T) + Send,
) -> Result<(), InputError> {
    let group = group_size();
    let mut done: Vec<Result<T, InputError>> = Vec::new();
    loop {
        let mut batch = Vec::with_capacity(group);
        while batch.len() < group {
            match next()? {
                Some(chunk) => batch.push(chunk),
                None => break,
            }
        }
        if batch.is_empty() {
            return merge_all(done, &mut merge);
        }
        let (merged, results) = rayon::join(
            || merge_all(std::mem::take(&mut done), &mut merge),
            || batch.par_iter().map(&work).collect(),
        );
        merged?;
        done = results;
    }
}

fn merge_all<T>(
    done: Vec<Result<T, InputError>>,
    merge: &mut impl FnMut(T),
) -> Result<(), InputError> {
    done.into_iter()
        .try_for_each(|result| result.map(&mut *merge))
}
