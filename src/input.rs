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
    match fast::article(line) {
        Some(a) => Ok(a),
        None => parse_line_serde(name, line_no, line),
    }
}

/// [`parse_line`] by serde alone: the reference the fast path is held to, and the path
/// that reports every error.
fn parse_line_serde(name: &str, line_no: usize, line: &str) -> Result<Article> {
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

/// The fast path for a corpus line: one walk over the top-level object that decodes the
/// known fields and skips the rest, validating as strictly as serde does. It returns an
/// article only where serde would return exactly that article; anything else (malformed
/// JSON, a wrong type, a duplicate field, a numeric `id`, an escaped key, a lone surrogate,
/// a raw control byte anywhere in the line) gives `None`, and serde, whose errors name the
/// place, runs instead.
mod fast {
    use super::Article;
    use crate::model::Meta;

    /// The deepest nesting of a skipped value (the open containers are bits of a `u64`);
    /// deeper values go to serde.
    const MAX_DEPTH: u32 = 64;

    pub(super) fn article(line: &str) -> Option<Article> {
        // with no control byte in the line, a string runs to the next `"` or `\`
        if has_control(line.as_bytes()) {
            return None;
        }
        let mut c = Cursor { line, at: 0 };
        let mut id = None;
        let mut text = None;
        let [mut title, mut url, mut date, mut outlet] = [None, None, None, None];
        c.space();
        c.eat(b'{')?;
        c.space();
        if c.peek() == Some(b'}') {
            c.at += 1;
        } else {
            loop {
                c.eat(b'"')?;
                let key = c.key()?;
                c.space();
                c.eat(b':')?;
                c.space();
                match key {
                    b"id" => fill(&mut id, c.string()?)?,
                    b"text" => fill(&mut text, c.string()?)?,
                    b"title" => fill(&mut title, c.string_or_null()?)?,
                    b"url" => fill(&mut url, c.string_or_null()?)?,
                    b"date" => fill(&mut date, c.string_or_null()?)?,
                    b"outlet" => fill(&mut outlet, c.string_or_null()?)?,
                    _ => c.skip()?,
                }
                c.space();
                match c.next()? {
                    b',' => c.space(),
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        c.space();
        if c.at != line.len() {
            return None;
        }
        Some(Article {
            id: id?,
            text: text?,
            meta: Meta {
                title: title.flatten(),
                url: url.flatten(),
                date: date.flatten(),
                outlet: outlet.flatten(),
            },
        })
    }

    /// Sets a field seen for the first time; `None` on a duplicate (a serde error).
    fn fill<T>(slot: &mut Option<T>, value: T) -> Option<()> {
        match slot {
            Some(_) => None,
            None => {
                *slot = Some(value);
                Some(())
            }
        }
    }

    /// Whether any byte is below 0x20, in blocks without an early exit (which vectorize).
    fn has_control(bytes: &[u8]) -> bool {
        bytes
            .chunks(64)
            .any(|block| block.iter().fold(false, |any, &b| any | (b < 0x20)))
    }

    struct Cursor<'a> {
        line: &'a str,
        at: usize,
    }

    impl<'a> Cursor<'a> {
        fn peek(&self) -> Option<u8> {
            self.line.as_bytes().get(self.at).copied()
        }

        fn next(&mut self) -> Option<u8> {
            let b = self.peek()?;
            self.at += 1;
            Some(b)
        }

        fn eat(&mut self, want: u8) -> Option<()> {
            (self.next()? == want).then_some(())
        }

        fn literal(&mut self, word: &[u8]) -> Option<()> {
            let rest = self.line.as_bytes().get(self.at..)?;
            rest.starts_with(word).then(|| self.at += word.len())
        }

        fn space(&mut self) {
            self.at = space(self.line.as_bytes(), self.at);
        }

        /// The next `"` or `\\` at or after the cursor, and which it is.
        fn stop(&self) -> Option<(usize, u8)> {
            let bytes = self.line.as_bytes();
            let k = self.at + memchr::memchr2(b'"', b'\\', bytes.get(self.at..)?)?;
            Some((k, bytes[k]))
        }

        /// An object key after its `"`, raw: a key with an escape goes to serde.
        fn key(&mut self) -> Option<&'a [u8]> {
            let (end, b) = self.stop()?;
            if b != b'"' {
                return None;
            }
            let key = self.line.as_bytes().get(self.at..end)?;
            self.at = end + 1;
            Some(key)
        }

        /// A string value, unescaped.
        fn string(&mut self) -> Option<String> {
            self.eat(b'"')?;
            let (mut end, mut b) = self.stop()?;
            if b == b'"' {
                let s = self.line.get(self.at..end)?.to_string();
                self.at = end + 1;
                return Some(s);
            }
            // the unescaped string is no longer than the rest of the line
            let mut out = String::with_capacity(self.line.len() - self.at);
            loop {
                out.push_str(self.line.get(self.at..end)?);
                self.at = end + 1;
                if b == b'"' {
                    return Some(out);
                }
                out.push(match self.next()? {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => self.unicode()?,
                    _ => return None,
                });
                (end, b) = self.stop()?;
            }
        }

        fn string_or_null(&mut self) -> Option<Option<String>> {
            if self.peek() == Some(b'n') {
                self.literal(b"null")?;
                return Some(None);
            }
            self.string().map(Some)
        }

        fn hex4(&mut self) -> Option<u32> {
            let digits = self.line.as_bytes().get(self.at..self.at + 4)?;
            let mut n = 0;
            for &d in digits {
                n = n * 16 + char::from(d).to_digit(16)?;
            }
            self.at += 4;
            Some(n)
        }

        /// The character of a `\u` escape after its `u`: a leading surrogate must be
        /// followed by an escaped trailing one, and a lone surrogate is a serde error.
        fn unicode(&mut self) -> Option<char> {
            let n = self.hex4()?;
            if !(0xD800..0xDC00).contains(&n) {
                return char::from_u32(n);
            }
            self.literal(b"\\u")?;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return None;
            }
            char::from_u32(0x1_0000 + ((n - 0xD800) << 10) + (low - 0xDC00))
        }

        /// Skips a value of any kind, validating it.
        fn skip(&mut self) -> Option<()> {
            self.at = skip(self.line.as_bytes(), self.at)?;
            Some(())
        }
    }

    /// Past the value at `i`, validating it as serde's `ignore_value` does. The open arrays
    /// and objects are a stack of bits, 1 for an object.
    fn skip(b: &[u8], mut i: usize) -> Option<usize> {
        let mut open: u64 = 0;
        let mut depth = 0;
        loop {
            // at a value
            let c = *b.get(i)?;
            i += 1;
            match c {
                b'"' => i = skip_string(b, i)?,
                b'0'..=b'9' | b'-' => i = number(b, i - 1)?,
                b't' => i = literal(b, i, b"rue")?,
                b'f' => i = literal(b, i, b"alse")?,
                b'n' => i = literal(b, i, b"ull")?,
                b'[' | b'{' => {
                    if depth == MAX_DEPTH {
                        return None;
                    }
                    let object = c == b'{';
                    i = space(b, i);
                    if b.get(i) != Some(if object { &b'}' } else { &b']' }) {
                        open = open << 1 | u64::from(object);
                        depth += 1;
                        if object {
                            i = member(b, i)?;
                        }
                        continue;
                    }
                    i += 1;
                }
                _ => return None,
            }
            // after a value: a comma and the next, or the ends of containers
            loop {
                if depth == 0 {
                    return Some(i);
                }
                let object = open & 1 == 1;
                i = space(b, i);
                let c = *b.get(i)?;
                i += 1;
                match c {
                    b',' => {
                        i = space(b, i);
                        if object {
                            i = member(b, i)?;
                        }
                        break;
                    }
                    b']' if !object => {}
                    b'}' if object => {}
                    _ => return None,
                }
                open >>= 1;
                depth -= 1;
            }
        }
    }

    /// Past the spaces at `i`: JSON's other whitespace bytes are control bytes, which no
    /// line on the fast path holds (and were one there, the byte after the spaces would
    /// not be what the caller expects, and serde would read the line).
    #[inline]
    fn space(b: &[u8], mut i: usize) -> usize {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        i
    }

    /// Past `word` at `i`.
    #[inline]
    fn literal(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
        b.get(i..)?.starts_with(word).then_some(i + word.len())
    }

    /// Past an object member's key and colon at `i`, at its value.
    #[inline]
    fn member(b: &[u8], i: usize) -> Option<usize> {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let i = space(b, skip_string(b, i + 1)?);
        if b.get(i) != Some(&b':') {
            return None;
        }
        Some(space(b, i + 1))
    }

    /// Past a string whose `"` is just before `i`, checking its escapes as serde's
    /// `ignore_str` does. Skipped strings are mostly short keys, so the first eight bytes
    /// are looked at in a word before memchr2.
    fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
        loop {
            let rest = b.get(i..)?;
            let first = rest.get(..8).map_or(0, |w| {
                let x = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
                crate::swar::equal(x, b'"') | crate::swar::equal(x, b'\\')
            });
            let k = match first {
                0 => memchr::memchr2(b'"', b'\\', rest)?,
                h => (h.trailing_zeros() / 8) as usize,
            };
            i += k + 1;
            if rest[k] == b'"' {
                return Some(i);
            }
            match *b.get(i)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 1,
                b'u' => {
                    let hex = b.get(i + 1..i + 5)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    i += 5;
                }
                _ => return None,
            }
        }
    }

    /// Past the digits at `i`.
    #[inline]
    fn digits(b: &[u8], mut i: usize) -> usize {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    }

    /// Past a number at `i` by the JSON grammar (no leading zeros, digits after `.` and
    /// `e`).
    fn number(b: &[u8], mut i: usize) -> Option<usize> {
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match *b.get(i)? {
            b'0' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => return None,
            b'0' => i += 1,
            b'1'..=b'9' => i = digits(b, i + 1),
            _ => return None,
        }
        // mostly an integer ends here
        if !matches!(b.get(i), Some(b'.' | b'e' | b'E')) {
            return Some(i);
        }
        if b.get(i) == Some(&b'.') {
            let j = digits(b, i + 1);
            if j == i + 1 {
                return None;
            }
            i = j;
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            let j = digits(b, i);
            if j == i {
                return None;
            }
            i = j;
        }
        Some(i)
    }
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The next line with its `\n` (empty at the end), as `read_until` reads it but found with
/// the memchr crate's search and copied once into a vector of its size when the reader's
/// buffer holds all of it.
fn next_line<R: BufRead>(reader: &mut R) -> std::io::Result<Vec<u8>> {
    let mut line = Vec::new();
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(line);
        }
        let (n, done) = match memchr::memchr(b'\n', buf) {
            Some(k) => (k + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..n]);
        reader.consume(n);
        if done {
            return Ok(line);
        }
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
        let buf = next_line(&mut reader).map_err(|e| Error::io(name, e))?;
        if buf.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fast path's contract: where it gives an article, serde gives the same one.
    /// Returns whether the fast path gave one.
    fn holds(line: &str) -> bool {
        let Some(fast) = fast::article(line) else {
            return false;
        };
        let slow = match parse_line_serde("t", 1, line) {
            Ok(a) => a,
            Err(e) => panic!("the fast path read a line serde rejects ({e}): {line:?}"),
        };
        let fields = |a: Article| {
            let Meta {
                title,
                url,
                date,
                outlet,
            } = a.meta;
            (a.id, a.text, title, url, date, outlet)
        };
        assert_eq!(fields(fast), fields(slow), "{line:?}");
        true
    }

    #[test]
    fn fast_path_reads_well_formed_lines_as_serde_does() {
        for line in [
            r#"{"id": "a", "text": "Plain."}"#,
            r#"  {"text":"He said \"no\".\n\nThen\tleft \\ \/ \b\f\r","id":"b"}  "#,
            r#"{"id": "c", "text": "caf\u00e9 \u00E9 \ud83d\ude00 \u0000 “curly” é", "title": null}"#,
            r#"{"id": "d", "text": "", "title": "T", "url": "u", "date": "2020", "outlet": "O"}"#,
            r#"{"attributions": [{"source": [[1, 2]], "cue": [], "content": {}}], "id": "e", "text": "x"}"#,
            r#"{"id": "f", "text": "x", "n": [-0, 0.5, 1e9, -2.25E-3, 10e+2, true, false, null, "\u12ab\"", {"k": {"l": []}}]}"#,
            r#"{"id": "g", "text": "x", "": "", "other": {"id": 1, "text": 2}}"#,
            "{ \"id\" : \"h\" , \"text\" : \"x\" }",
        ] {
            assert!(holds(line), "the fast path gave up on {line:?}");
        }
    }

    #[test]
    fn fast_path_gives_up_on_what_it_does_not_read() {
        for line in [
            // serde errors
            r#"{"id": "a", "text": "x", "id": "b"}"#,
            r#"{"id": "a", "text": "x", "title": "t", "title": null}"#,
            r#"{"id": "a"}"#,
            r#"{"text": "x"}"#,
            r#"{"id": "a", "text": null}"#,
            r#"{"id": "a", "text": 5}"#,
            r#"{"id": "a", "text": "x", "title": 5}"#,
            r#"{"id": "a", "text": "x"} x"#,
            r#"{"id": "a", "text": "x",}"#,
            r#"{"id": "a", "text": "x"#,
            r#"{"id": "a", "text": "\x"}"#,
            r#"{"id": "a", "text": "\ud800"}"#,
            r#"{"id": "a", "text": "\udc00"}"#,
            r#"{"id": "a", "text": "\ud800\u0041"}"#,
            r#"{"id": "a", "text": "\ud800\ue000"}"#,
            r#"{"id": "a", "text": "\ud800\n"}"#,
            r#"{"id": "a", "text": "\u12g4"}"#,
            "{\"id\": \"a\", \"text\": \"tab\there\"}",
            r#"{"id": "a", "text": "x", "n": 01}"#,
            r#"{"id": "a", "text": "x", "n": 1.}"#,
            r#"{"id": "a", "text": "x", "n": 1e}"#,
            r#"{"id": "a", "text": "x", "n": -}"#,
            r#"{"id": "a", "text": "x", "n": [1,]}"#,
            r#"{"id": "a", "text": "x", "n": [1 2]}"#,
            r#"{"id": "a", "text": "x", "n": {"k" 1}}"#,
            r#"{"id": "a", "text": "x", "n": {"k": 1,}}"#,
            r#"{"id": "a", "text": "x", "n": [}"#,
            r#"{"id": "a", "text": "x", "n": tru}"#,
            r#"{"id": "a", "text": "x", "n": "\q"}"#,
            r#"["a", "x"]"#,
            // valid, left to serde
            r#"{"id": 7, "text": "x"}"#,
            r#"{"i\u0064": "a", "text": "x"}"#,
            "{\"id\": \"a\",\t\"text\": \"x\"}",
        ] {
            assert!(fast::article(line).is_none(), "{line:?}");
        }
        let deep = format!(
            r#"{{"id": "a", "text": "x", "n": {}{}}}"#,
            "[".repeat(65),
            "]".repeat(65)
        );
        assert!(fast::article(&deep).is_none());
        assert!(holds(&format!(
            r#"{{"id": "a", "text": "x", "n": {}{}}}"#,
            "[".repeat(64),
            "]".repeat(64)
        )));
    }

    /// Every PolNeAR line takes the fast path and reads as serde reads it; runs wherever
    /// ../shared is present, and must run in CI.
    #[test]
    fn fast_path_reads_every_polnear_line_as_serde_does() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
        if !dir.exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "{} is missing in CI",
                dir.display()
            );
            eprintln!("note: {} not found; skipping", dir.display());
            return;
        }
        for split in ["train", "dev"] {
            let path = dir.join(format!("eval/polnear/{split}.jsonl"));
            let corpus = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut lines = 0;
            for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
                assert!(holds(line), "the fast path gave up on a {split} line");
                lines += 1;
            }
            assert!(lines > 50, "{split}: {lines} lines");
        }
    }

    fn space() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => Just(String::new()),
            6 => Just(" ".to_string()),
            1 => "[ \t\r\n]{1,3}",
        ]
    }

    /// A JSON string literal, now and then a malformed one.
    fn string() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            24 => "[a-zA-Z0-9 ,.]{0,12}",
            4 => "[“”’é€中😀]{1,3}",
            4 => prop::sample::select(vec![
                r"\n", r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\r", r"\t", r"\u00e9", r"\u0000",
                r"\uD83D\uDE00", r"\ud83d\ude00",
            ])
            .prop_map(str::to_string),
            2 => (0u32..0xD800).prop_map(|n| format!("\\u{n:04x}")),
            1 => (0xD800u32..0xE000).prop_map(|n| format!("\\u{n:04X}")),
            2 => any::<char>().prop_map(|c| {
                let mut units = [0u16; 2];
                c.encode_utf16(&mut units).iter().map(|u| format!("\\u{u:04x}")).collect()
            }),
            2 => any::<char>().prop_map(|c| match c {
                '"' | '\\' | '\0'..='\u{1f}' => format!("\\u{:04x}", u32::from(c)),
                c => c.to_string(),
            }),
            // malformed now and then
            1 => prop::sample::select(vec![
                r"\x", r"\u12", r"\u12G4", r"\ud800\ue000", r"\udc00", "\\", "\t", "\u{1}",
                "\"", "",
            ])
            .prop_map(str::to_string),
        ];
        prop::collection::vec(piece, 0..6).prop_map(|v| format!("\"{}\"", v.concat()))
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => prop::sample::select(vec!["attributions", "other", "", "ID", "texts"])
                .prop_map(|k| format!("\"{k}\"")),
            2 => prop::sample::select(vec![
                "id", "text", "title", "url", "date", "outlet", r"t\u0065xt",
            ])
            .prop_map(|k| format!("\"{k}\"")),
            1 => string(),
        ]
    }

    /// Any JSON value, now and then a malformed one.
    fn value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            4 => string(),
            3 => "-?(0|[1-9][0-9]{0,4})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
            1 => prop::sample::select(vec!["01", "-", "1.", "1e", "1e+", ".5", "+1", "--1", "-0"])
                .prop_map(str::to_string),
            2 => prop::sample::select(vec!["null", "true", "false"]).prop_map(str::to_string),
            1 => prop::sample::select(vec!["nul", "tru", "fals", "x", "nulll"]).prop_map(str::to_string),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                (
                    prop::collection::vec((inner.clone(), space()), 0..5),
                    space()
                )
                    .prop_map(|(items, end)| {
                        let items: Vec<String> = items
                            .into_iter()
                            .map(|(v, s)| format!("{s}{v}{s}"))
                            .collect();
                        format!("[{}{end}]", items.join(","))
                    }),
                (
                    prop::collection::vec((key(), inner, space()), 0..4),
                    space()
                )
                    .prop_map(|(members, end)| {
                        let members: Vec<String> = members
                            .into_iter()
                            .map(|(k, v, s)| format!("{s}{k}{s}:{s}{v}{s}"))
                            .collect();
                        format!("{{{}{end}}}", members.join(","))
                    }),
            ]
        })
    }

    /// A corpus line: `id` and `text` among other members in any order, mostly valid.
    fn line() -> impl Strategy<Value = String> {
        let member = (key(), prop_oneof![3 => string(), 2 => value()]);
        let known = prop_oneof![
            12 => string(),
            1 => value(),
        ];
        (
            known.clone(),
            known,
            prop::collection::vec(member, 0..5),
            space(),
        )
            .prop_flat_map(|(id, text, extra, s)| {
                let mut members = vec![format!("\"id\":{s}{id}"), format!("\"text\": {text}")];
                members.extend(extra.into_iter().map(|(k, v)| format!("{k}:{s}{v}")));
                (Just(members).prop_shuffle(), space(), space())
            })
            .prop_map(|(members, a, b)| format!("{a}{{{}}}{b}", members.join(&format!(",{a}"))))
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Keep,
        Truncate(prop::sample::Index),
        Replace(prop::sample::Index, char),
        Insert(prop::sample::Index, char),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        let c = prop_oneof![
            prop::sample::select(vec![
                '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\t', '0', 'u', 'é'
            ]),
            any::<char>(),
        ];
        prop_oneof![
            6 => Just(Mutation::Keep),
            1 => any::<prop::sample::Index>().prop_map(Mutation::Truncate),
            1 => (any::<prop::sample::Index>(), c.clone()).prop_map(|(i, c)| Mutation::Replace(i, c)),
            1 => (any::<prop::sample::Index>(), c).prop_map(|(i, c)| Mutation::Insert(i, c)),
        ]
    }

    fn mutate(line: &str, m: &Mutation) -> String {
        let at = |i: &prop::sample::Index| {
            let cuts: Vec<usize> = line
                .char_indices()
                .map(|(k, _)| k)
                .chain([line.len()])
                .collect();
            cuts[i.index(cuts.len())]
        };
        match m {
            Mutation::Keep => line.to_string(),
            Mutation::Truncate(i) => line[..at(i)].to_string(),
            Mutation::Replace(i, c) => {
                let k = at(i);
                let next = line[k..].chars().next().map_or(0, char::len_utf8);
                format!("{}{c}{}", &line[..k], &line[k + next..])
            }
            Mutation::Insert(i, c) => {
                let k = at(i);
                format!("{}{c}{}", &line[..k], &line[k..])
            }
        }
    }

    proptest! {
        #[test]
        fn next_line_reads_as_read_until(
            text in "([a-z\r\n]|é|\n\n){0,60}",
            capacity in 1usize..24,
        ) {
            let mut ours = BufReader::with_capacity(capacity, text.as_bytes());
            let mut theirs = BufReader::with_capacity(capacity, text.as_bytes());
            loop {
                let line = next_line(&mut ours).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let mut want = Vec::new();
                theirs
                    .read_until(b'\n', &mut want)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(&line, &want);
                if line.is_empty() {
                    break;
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5000, ..ProptestConfig::default() })]

        #[test]
        fn fast_path_agrees_with_serde(line in line(), m in mutation()) {
            holds(&mutate(&line, &m));
        }

        #[test]
        fn fast_path_takes_plain_lines(id in "[a-z0-9_-]{1,20}", text in string(), junk in value()) {
            let line = format!(r#"{{"id": "{id}", "text": {text}, "attributions": {junk}}}"#);
            // where serde reads the line, the fast path does too (no raw control byte here
            // but in a malformed string, and no key with an escape)
            if parse_line_serde("t", 1, &line).is_ok() && !line.bytes().any(|b| b < 0x20) {
                prop_assert!(holds(&line), "{:?}", line);
            }
        }
    }
}
