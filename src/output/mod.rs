//! Output formats: a table for people, JSON and JSON Lines for programs.

pub mod table;

use crate::model::ArticleReport;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table of claims against attribution strength, with a summary line per article.
    Table,
    /// One JSON document holding every article.
    Json,
    /// One JSON object per article per line.
    Jsonl,
}

/// Writes reports one at a time, so corpus runs stream.
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    table: table::TableStyle,
    count: usize,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: Format, table: table::TableStyle) -> Self {
        Writer {
            out,
            format,
            table,
            count: 0,
        }
    }

    pub fn write(&mut self, report: &ArticleReport) -> std::io::Result<()> {
        match self.format {
            Format::Table => {
                if self.count > 0 {
                    writeln!(self.out)?;
                }
                self.out
                    .write_all(table::render(report, &self.table).as_bytes())?;
            }
            Format::Json => {
                self.out.write_all(if self.count == 0 {
                    b"{\"schema\":\"sourcecheck/1\",\"articles\":[\n"
                } else {
                    b",\n"
                })?;
                serde_json::to_writer_pretty(&mut self.out, report)?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, report)?;
                self.out.write_all(b"\n")?;
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Pushes what is written so far to the sink (streaming runs).
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    /// Closes the document (JSON) and flushes.
    pub fn finish(mut self) -> std::io::Result<W> {
        if self.format == Format::Json {
            self.out.write_all(if self.count == 0 {
                b"{\"schema\":\"sourcecheck/1\",\"articles\":[\n]}\n"
            } else {
                b"\n]}\n"
            })?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}
