//! Output formats: a table for people, JSON and JSON Lines for programs.

pub mod json;
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

/// One report in `format`, without the separators that join reports (see
/// [`Writer::write_encoded`]). JSON Lines ends with its newline.
pub fn encode(
    format: Format,
    table: &table::TableStyle,
    report: &ArticleReport,
) -> std::io::Result<Vec<u8>> {
    Ok(match format {
        Format::Table => table::render(report, table).into_bytes(),
        Format::Json => serde_json::to_vec_pretty(report)?,
        Format::Jsonl => {
            // the JSON is about four times the article text: one allocation, no regrowth
            let mut out = Vec::with_capacity(64 + report.claims.len() * 1024);
            json::report(&mut out, report);
            out.push(b'\n');
            out
        }
    })
}

/// Writes reports one at a time, so corpus runs stream.
pub struct Writer<W: Write> {
    out: W,
    pub format: Format,
    pub table: table::TableStyle,
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
        let body = encode(self.format, &self.table, report)?;
        self.write_encoded(&body)
    }

    /// Writes one report already encoded by [`encode`], with the separators its place in
    /// the output needs. Corpus runs encode on the worker threads and only copy bytes here.
    pub fn write_encoded(&mut self, body: &[u8]) -> std::io::Result<()> {
        match self.format {
            Format::Table => {
                if self.count > 0 {
                    writeln!(self.out)?;
                }
            }
            Format::Json => {
                self.out.write_all(if self.count == 0 {
                    b"{\"schema\":\"sourcecheck/1\",\"articles\":[\n"
                } else {
                    b",\n"
                })?;
            }
            Format::Jsonl => {}
        }
        self.out.write_all(body)?;
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
