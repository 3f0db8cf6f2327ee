//! Error types. Library code returns [`Error`]; the binary maps every error to exit code 2.

use std::fmt;
use std::path::PathBuf;

/// A position in a named file, with the offending line for a caret display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The text of the offending line, when known.
    pub snippet: Option<String>,
}

impl Located {
    /// Builds a location from a byte offset into `source`.
    pub fn at_offset(file: impl Into<String>, source: &str, offset: usize) -> Located {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[offset..]
            .find('\n')
            .map_or(source.len(), |i| offset + i);
        Located {
            file: file.into(),
            line: source[..offset].matches('\n').count() + 1,
            column: source[line_start..offset].chars().count() + 1,
            snippet: Some(
                source[line_start..line_end]
                    .trim_end_matches('\r')
                    .to_string(),
            ),
        }
    }

    /// Builds a location from a 1-based line and column, fetching the line from `source`.
    pub fn at_line_col(
        file: impl Into<String>,
        source: &str,
        line: usize,
        column: usize,
    ) -> Located {
        Located {
            file: file.into(),
            line,
            column,
            snippet: source
                .lines()
                .nth(line.saturating_sub(1))
                .map(|l| l.trim_end_matches('\r').to_string()),
        }
    }
}

/// Largest char boundary not above `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Everything that can go wrong. Each variant names the file (and line/column where it applies).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule file is broken: bad YAML, unknown key, wrong type, bad regex, duplicate id...
    #[error("{}", render_located("rule error", .at, .message))]
    Rule { at: Located, message: String },
    /// A rule folder problem without a position (missing file, unreadable folder).
    #[error("rule error: {path}: {message}")]
    RuleFolder { path: String, message: String },
    /// A report template (default or from `--template-dir`) does not parse or render.
    #[error("{}", render_located("template error", .at, .message))]
    Template { at: Located, message: String },
    /// An input article or corpus line is malformed.
    #[error("{}", render_located("input error", .at, .message))]
    Input { at: Located, message: String },
    /// Reading or writing a file failed.
    #[error("I/O error: {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The command line asked for something impossible.
    #[error("usage error: {0}")]
    Usage(String),
    /// Several problems at once (a rule folder with many mistakes), each complete.
    #[error("{}", render_many(.0))]
    Many(Vec<Error>),
}

fn render_many(errors: &[Error]) -> String {
    let mut out: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    out.push(format!("{} problems found", errors.len()));
    out.join("\n\n")
}

impl Error {
    /// One error as itself, several as `Many`.
    pub fn many(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(errors)
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `kind: file:line:col: message` followed by the line and a caret under the column.
fn render_located(kind: &str, at: &Located, message: &str) -> String {
    let mut out = format!("{kind}: {at}: {message}");
    if let Some(line) = &at.snippet {
        let number = at.line.to_string();
        let pad = " ".repeat(number.len());
        let caret_pad: String = line
            .chars()
            .take(at.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&format!(
            "\n{pad} |\n{number} | {line}\n{pad} | {caret_pad}^"
        ));
    }
    out
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
