//! The JSON report: one object with `findings`, `summary` and `inputs`. Field
//! names are a public interface: extend, never rename.

use super::{Render, RenderOptions, Report};
use std::io::Write;

pub struct JsonRender;

impl Render for JsonRender {
    fn render(
        &self,
        report: &Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let mut value = serde_json::to_value(report).map_err(std::io::Error::other)?;
        if !options.show_mapping {
            if let Some(inputs) = value.get_mut("inputs").and_then(|v| v.as_array_mut()) {
                for input in inputs {
                    if let Some(obj) = input.as_object_mut() {
                        obj.remove("columns");
                    }
                }
            }
        }
        serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::other)?;
        writeln!(out)
    }
}
