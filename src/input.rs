//! Input: text and Markdown files, JSON Lines corpora, folders walked for those, and stdin.
//! Articles are handed to a callback one at a time, so a corpus streams in bounded memory.
//! A malformed item is reported with its file, line and column and the run goes on.

use crate::error::{Error, Located, Result};
use crate::model::Meta;
use serde::Deserialize;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One article to analyse.
#[derive(Debug, Clone)]
pub struct Article {
    /// The file path, or the JSONL `id`.
    pub id: String,
    pub text: String,
    pub meta: Meta,
}

/// An article as read: ready, or a corpus line whose JSON is still to be parsed (so that
/// corpus runs parse on the worker threads, not on the thread that reads).
#[derive(Debug)]
pub enum Item {
    Ready(Result<Article>),
    Line {
        name: std::sync::Arc<str>,
        line_no: usize,
        text: String,
    },
}

impl Item {
    /// The article, parsing a corpus line now.
    pub fn parse(self) -> Result<Article> {
        match self {
            Item::Ready(r) => r,
            Item::Line {
                name,
                line_no,
                text,
            } => parse_line(&name, line_no, text.trim_end_matches(['\n', '\r'])),
        }
    }

    /// Bytes of input this item stands for (progress).
    pub fn input_len(&self) -> usize {
        match self {
            Item::Ready(r) => r.as_ref().map_or(0, |a| a.text.len()),
            Item::Line { text, .. } => text.len(),
        }
    }
}

/// Forces how an input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// By file extension (.jsonl is a corpus, anything else one article); stdin starting
    /// with `{` is a corpus.
    Auto,
    /// One article of plain text or Markdown.
    Text,
    /// A JSON Lines corpus.
    Jsonl,
}

/// An input named on the command line, after folders are expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

const ARTICLE_EXTENSIONS: [&str; 5] = ["txt", "md", "markdown", "jsonl", "ndjson"];

/// Expands folders (recursively, sorted, hidden entries skipped) into files with article
/// extensions; files named explicitly are kept whatever their extension.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.exists() {
            out.push(Input::File(p.clone()));
        } else {
            return Err(Error::io(
                p,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
            ));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e))
        {
            out.push(Input::File(p));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct JsonArticle {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    outlet: Option<String>,
}

fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e == "jsonl" || e == "ndjson")
}

/// Decodes UTF-8, or names the position of the first bad byte.
fn decode(name: &str, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let at = Located::at_offset(name, &prefix, valid);
        Error::Input {
            at,
            message: "the text is not valid UTF-8".into(),
        }
    })
}

/// Parses one corpus line (1-based `line_no`).
pub fn parse_line(name: &str, line_no: usize, line: &str) -> Result<Article> {
    let parsed: JsonArticle = serde_json::from_str(line).map_err(|e| Error::Input {
        at: Located {
            file: name.to_string(),
            line: line_no,
            column: line[..crate::error::floor_char_boundary(line, e.column().saturating_sub(1))]
                .chars()
                .count()
                + 1,
            snippet: Some(line.chars().take(200).collect()),
        },
        message: format!("malformed corpus line: {}", strip_position(&e.to_string())),
    })?;
    let id = match parsed.id {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        other => {
            return Err(Error::Input {
                at: Located {
                    file: name.to_string(),
                    line: line_no,
                    column: 1,
                    snippet: None,
                },
                message: format!("`id` must be a string or a number, not {other}"),
            })
        }
    };
    Ok(Article {
        id,
        text: parsed.text,
        meta: Meta {
            title: parsed.title,
            url: parsed.url,
            date: parsed.date,
            outlet: parsed.outlet,
        },
    })
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Streams a JSONL reader line by line into `each`, each line unparsed. Bad lines go to
/// `each` as errors.
fn stream_jsonl<R: BufRead>(
    name: &str,
    mut reader: R,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<()> {
    let shared: std::sync::Arc<str> = name.into();
    let mut line_no = 0;
    loop {
        let mut buf = Vec::new();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::io(name, e))?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        let item = match String::from_utf8(buf) {
            Ok(s) if s.trim().is_empty() => continue,
            Ok(text) => Item::Line {
                name: shared.clone(),
                line_no,
                text,
            },
            Err(e) => Item::Ready(Err(Error::Input {
                at: Located {
                    file: name.to_string(),
                    line: line_no,
                    column: e.utf8_error().valid_up_to() + 1,
                    snippet: None,
                },
                message: "the line is not valid UTF-8".into(),
            })),
        };
        if !each(item) {
            return Ok(());
        }
    }
}

/// Reads one input, calling `each` for every article (or per-article error) in order.
/// `each` returns false to stop early. An error returned here ends this input.
pub fn read(
    input: &Input,
    format: InputFormat,
    each: &mut dyn FnMut(Result<Article>) -> bool,
) -> Result<()> {
    read_items(input, format, &mut |item| each(item.parse()))
}

/// [`read`], leaving corpus lines unparsed: [`Item::parse`] is for the caller to run,
/// on whichever thread it likes.
pub fn read_items(
    input: &Input,
    format: InputFormat,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<()> {
    match input {
        Input::Stdin => {
            let stdin = std::io::stdin();
            let mut reader = BufReader::new(stdin.lock());
            let jsonl = match format {
                InputFormat::Jsonl => true,
                InputFormat::Text => false,
                InputFormat::Auto => {
                    let head = reader.fill_buf().map_err(|e| Error::io("<stdin>", e))?;
                    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
                }
            };
            if jsonl {
                stream_jsonl("<stdin>", reader, each)
            } else {
                let mut bytes = Vec::new();
                reader
                    .read_to_end(&mut bytes)
                    .map_err(|e| Error::io("<stdin>", e))?;
                each(Item::Ready(decode("<stdin>", bytes).map(|text| Article {
                    id: "-".into(),
                    text,
                    meta: Meta::default(),
                })));
                Ok(())
            }
        }
        Input::File(path) => {
            let name = path.display().to_string();
            let jsonl =
                format == InputFormat::Jsonl || (format == InputFormat::Auto && is_jsonl(path));
            if jsonl {
                let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
                stream_jsonl(&name, BufReader::with_capacity(1 << 16, f), each)
            } else {
                let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
                each(Item::Ready(decode(&name, bytes).map(|text| Article {
                    id: name.clone(),
                    text,
                    meta: Meta::default(),
                })));
                Ok(())
            }
        }
    }
}
