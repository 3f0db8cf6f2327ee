//! The text model: paragraphs (headline, body, boilerplate), quotations, sentences and
//! tokens, all as UTF-8 byte offsets into the text as read.

mod quotes;
mod sentences;

use crate::rules::compile::Language;
pub use quotes::Quote;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaKind {
    /// Headline, dateline or Markdown heading: not reported as claims.
    Heading,
    Body,
    /// Trailing boilerplate ("No comments:", "Share this article"): not reported.
    Boilerplate,
    /// An instruction to sourcecheck in a comment: `<!-- sourcecheck: ignore loaded-label -->`.
    Directive,
}

#[derive(Debug, Clone)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub kind: ParaKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Punct,
    QuoteOpen,
    QuoteClose,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: TokKind,
    /// The quotation this token lies in (marks included), if any.
    pub quote: Option<u32>,
    /// Inside single quotation marks (scare quotes or a quote within a headline).
    pub single: bool,
    /// A word whose first letter is upper case (`char::is_uppercase`).
    pub cap: bool,
    /// The lower-case form is the token's own text (no upper-case letter in it), and
    /// `lo_start..lo_end` is its range in the text; else that range is in `lower`.
    lo_in_text: bool,
    /// The word filters' bit for the lower-case form ([`crate::scan::filter_bit`]): a
    /// lookup of the word in a lower-case list can be turned away without reading it.
    pub lo_bit: u16,
    lo_start: u32,
    lo_end: u32,
}

impl Token {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }
    /// Inside any quotation marks: not the author's own voice. (Both tests are made, with no
    /// branch between them, so that a loop over tokens can use it without one.)
    pub fn quoted(&self) -> bool {
        self.quote.is_some() | self.single
    }
}

#[derive(Debug, Clone)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub paragraph: usize,
    /// Token index range.
    pub tokens: std::ops::Range<usize>,
}

/// An analysed text. Borrowed from the article; built once per article.
#[derive(Debug)]
pub struct TextModel<'a> {
    pub text: &'a str,
    pub paragraphs: Vec<Paragraph>,
    pub quotes: Vec<Quote>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    lower: String,
    /// The lower-case forms while the tokenizer writes them, as bytes (whole characters
    /// only): made `lower` once the text is tokenized.
    lower_bytes: Vec<u8>,
    /// Runs of letters and digits in the sentences' words, in text order, with their filter
    /// bits (see `word_runs`).
    word_runs: Vec<(u32, u32, u16)>,
    /// Indices of the capitalised word tokens, in text order (see `capitalised`).
    caps: Vec<u32>,
    line_starts: Vec<usize>,
    /// Tokenising moves forward through the text: the first quotation not yet passed.
    quote_cursor: usize,
    /// The offsets [lo, hi) known to lie in the same quotation, or in none, and that answer.
    quote_known: (usize, usize, Option<usize>),
}

pub(crate) const LOWER_OR_DIGIT: u8 = 1;
const UPPER: u8 = 2;

/// Class of each byte for the tokenizer's inner loop: an ASCII lower-case letter or digit,
/// an upper-case letter, or 0 (anything else, non-ASCII bytes included).
pub(crate) static ASCII_WORD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            LOWER_OR_DIGIT
        } else if c.is_ascii_uppercase() {
            UPPER
        } else {
            0
        };
        b += 1;
    }
    t
};

/// A letter or digit (`char::is_alphanumeric`), with the punctuation news text is full of
/// (curly quotes and apostrophes, dashes, ellipses: U+2000 to U+206F) decided without the
/// Unicode tables.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{2000}'..='\u{206f}').contains(&c) {
        false
    } else {
        c.is_alphanumeric()
    }
}

/// The character starting at byte `i` (which must be a character boundary) before `end`.
/// ASCII, by far the commonest case, is read without decoding.
#[inline]
pub(crate) fn char_at(text: &str, i: usize, end: usize) -> Option<char> {
    if i >= end {
        return None;
    }
    match *text.as_bytes().get(i)? {
        b if b < 0x80 => Some(b as char),
        _ => text[i..end].chars().next(),
    }
}

impl<'a> TextModel<'a> {
    pub fn new(text: &'a str, lang: &Language) -> TextModel<'a> {
        let mut line_starts =
            Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut paragraphs = split_paragraphs(text);
        classify_paragraphs(text, &mut paragraphs, lang);
        let quotes = quotes::find_quotes(text, &paragraphs);
        let mut model = TextModel {
            text,
            paragraphs,
            quotes,
            // Room for all but unusual articles, so that the vectors are not regrown (and
            // copied) while they fill. PolNeAR articles average a token in 5.4 bytes (4.5 at
            // the least) and a word run in 6.1; with these sizes about 1% of its articles
            // regrow one of them, where the former sizes regrew a tenth of the word runs and
            // half of the capitalised-word lists.
            sentences: Vec::with_capacity(text.len() / 80 + 4),
            tokens: Vec::with_capacity(text.len() / 4 + 8),
            lower: String::new(),
            lower_bytes: Vec::with_capacity(text.len() / 3 + 8),
            word_runs: Vec::with_capacity(text.len() / 4 + 8),
            caps: Vec::with_capacity(text.len() / 16 + 8),
            line_starts,
            quote_cursor: 0,
            quote_known: (0, 0, None),
        };
        // one vector for the sentences of every paragraph in turn
        let mut spans = Vec::new();
        for p in 0..model.paragraphs.len() {
            if model.paragraphs[p].kind != ParaKind::Body {
                continue;
            }
            let para = model.paragraphs[p].clone();
            spans.clear();
            sentences::split(text, para.start, para.end, &model.quotes, lang, &mut spans);
            for &(s, e) in &spans {
                let first = model.tokens.len();
                model.tokenize(s, e);
                model.sentences.push(Sentence {
                    start: s,
                    end: e,
                    paragraph: p,
                    tokens: first..model.tokens.len(),
                });
            }
        }
        // only whole characters were written, so this never falls back
        let lower = std::mem::take(&mut model.lower_bytes);
        model.lower = String::from_utf8(lower)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        model
    }

    /// Flag suppressions: `<!-- sourcecheck: ignore ID, ID -->` silences those flags (all
    /// flags when no id is named) in the next paragraph. Returns (paragraph, ids).
    pub fn suppressions(&self) -> Vec<(usize, Vec<String>)> {
        let mut out = Vec::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if p.kind != ParaKind::Directive {
                continue;
            }
            let inner = self.text[p.start..p.end]
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim();
            let Some(rest) = inner.strip_prefix("sourcecheck:") else {
                continue;
            };
            let Some(ids) = rest.trim().strip_prefix("ignore") else {
                continue;
            };
            let ids: Vec<String> = ids
                .split([',', ' '])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect();
            if let Some(next) =
                (i + 1..self.paragraphs.len()).find(|&j| self.paragraphs[j].kind == ParaKind::Body)
            {
                out.push((next, ids));
            }
        }
        out
    }

    /// The runs of letters and digits (`is_word_char`) that make up the sentences' word
    /// tokens, in text order: one per word, more for words joined by marks ("U.S", "don't",
    /// "pro-Kremlin"). Byte ranges; a run that ends a sentence ends with it. With each, the
    /// word filters' bit of its bytes ASCII lower-cased ([`crate::scan::run_bit`]).
    pub fn word_runs(&self) -> &[(u32, u32, u16)] {
        &self.word_runs
    }

    /// The word tokens whose first letter is upper case (`Token::cap`), by index, in text
    /// order: names, titles and sentence openers, a small part of the words.
    pub fn capitalised(&self) -> &[u32] {
        &self.caps
    }

    /// Lower-case form of a word token.
    #[inline]
    pub fn lower(&self, t: &Token) -> &str {
        // a choice of buffer, not of code path: the range is the token's own for a word that
        // is its own lower case (the branch becomes a conditional move)
        let base = if t.lo_in_text {
            self.text
        } else {
            self.lower.as_str()
        };
        &base[t.lo_start as usize..t.lo_end as usize]
    }

    /// The text of a token.
    pub fn tok_text(&self, t: &Token) -> &'a str {
        &self.text[t.range()]
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self.text[start..offset.min(self.text.len())]
            .chars()
            .count()
            + 1;
        (line, col)
    }

    /// Index of the quotation containing the byte offset, if any.
    pub fn quote_at(&self, offset: usize) -> Option<usize> {
        let i = self.quotes.partition_point(|q| q.end <= offset);
        (i < self.quotes.len() && self.quotes[i].start <= offset).then_some(i)
    }

    /// The quotations overlapping the bytes [start, end), in text order.
    pub fn quotes_overlapping(&self, start: usize, end: usize) -> &[Quote] {
        let from = self.quotes.partition_point(|q| q.end <= start);
        let to = from + self.quotes[from..].partition_point(|q| q.start < end);
        &self.quotes[from..to]
    }

    /// [`quote_at`](Self::quote_at) for offsets that never decrease (tokenising).
    #[inline]
    fn quote_at_forward(&mut self, offset: usize) -> Option<usize> {
        let (lo, hi, answer) = self.quote_known;
        if lo <= offset && offset < hi {
            return answer;
        }
        self.quote_at_forward_slow(offset)
    }

    /// Finds the quotation for `offset`, and the offsets after it with the same answer: up
    /// to the end of the quotation it lies in, or to the start of the next one.
    fn quote_at_forward_slow(&mut self, offset: usize) -> Option<usize> {
        let qs = &self.quotes;
        let mut i = self.quote_cursor;
        if i > 0 && qs[i - 1].end > offset {
            // not forward after all: search from scratch
            i = qs.partition_point(|q| q.end <= offset);
        }
        while i < qs.len() && qs[i].end <= offset {
            i += 1;
        }
        self.quote_cursor = i;
        // quotation i is the first to end after `offset`, and stays so up to its end
        self.quote_known = match qs.get(i) {
            Some(q) if q.start <= offset => (offset, q.end, Some(i)),
            Some(q) => (offset, q.start, None),
            None => (offset, usize::MAX, None),
        };
        self.quote_known.2
    }

    fn tokenize(&mut self, start: usize, end: usize) {
        let text = self.text;
        // the sentence's bytes and those before it: an index below `bytes.len()` is in the
        // sentence or before it, so that reads need no test against `end` of their own
        let bytes = text.as_bytes().get(..end).unwrap_or_default();
        let mut i = start;
        let mut single_open: Option<usize> = None;
        while i < end {
            let c = match char_at(text, i, end) {
                Some(c) => c,
                None => break,
            };
            let w = c.len_utf8();
            if c.is_whitespace() {
                i += w;
                continue;
            }
            if is_word_char(c) {
                // a word: alphanumerics joined by internal apostrophes, hyphens and periods;
                // `plain` while it is ASCII with no upper-case letter (its own lower case),
                // `ascii` while it is ASCII
                let mut j = i + w;
                let mut plain = c.is_ascii_lowercase() || c.is_ascii_digit();
                let mut ascii = c.is_ascii();
                // the runs of letters and digits between joining marks, for the scan
                let mut run_start = i;
                loop {
                    // the ASCII letters and digits of the word, eight bytes at a time while
                    // eight are left (most words end inside the first eight), then a byte
                    // at a time
                    let mut seen = 0;
                    while let Some(chunk) = bytes.get(j..j + 8) {
                        let mut eight = [0u8; 8];
                        eight.copy_from_slice(chunk);
                        let (alnum, upper) = crate::swar::ascii_alnum(u64::from_le_bytes(eight));
                        let stop = !alnum & 0x8080_8080_8080_8080;
                        if stop == 0 {
                            seen |= upper;
                            j += 8;
                            continue;
                        }
                        // the capitals before the first byte that is not a letter or digit
                        let n = stop.trailing_zeros() as usize / 8;
                        seen |= upper & ((1u64 << (8 * n)) - 1);
                        j += n;
                        break;
                    }
                    let mut class_seen = 0;
                    if bytes.get(j).is_some_and(|&b| ASCII_WORD[b as usize] != 0) {
                        let tail = bytes.get(j..).unwrap_or_default();
                        j += tail
                            .iter()
                            .position(|&b| {
                                let class = ASCII_WORD[b as usize];
                                class_seen |= class;
                                class == 0
                            })
                            .unwrap_or(tail.len());
                    }
                    plain &= seen == 0 && class_seen & UPPER == 0;
                    let Some(&b) = bytes.get(j) else {
                        break;
                    };
                    let d = if b < 0x80 {
                        // not a letter or digit (the loop above stopped at it): a joining
                        // mark or the end of the word
                        if !matches!(b, b'\'' | b'-' | b'.' | b'&') {
                            break;
                        }
                        b as char
                    } else {
                        let Some(d) = char_at(text, j, end) else {
                            break;
                        };
                        if is_word_char(d) {
                            plain = false;
                            ascii = false;
                            j += d.len_utf8();
                            continue;
                        }
                        if d != '’' {
                            break;
                        }
                        d
                    };
                    let after = j + d.len_utf8();
                    if char_at(text, after, end).is_some_and(is_word_char) {
                        // keep "U.S" and "don't" together, but not "word.Next" sentence joins
                        if d == '.' && !bytes.get(after).is_some_and(u8::is_ascii_alphabetic) {
                            break;
                        }
                        plain &= d.is_ascii();
                        ascii &= d.is_ascii();
                        let bit = crate::scan::run_bit(bytes, run_start, j);
                        self.word_runs.push((run_start as u32, j as u32, bit));
                        run_start = after;
                        j = after;
                        continue;
                    }
                    break;
                }
                let bit = if plain {
                    let bit = self.push_plain(i, j);
                    // a plain word in one run is its own lower case: its bit is the run's
                    if run_start == i {
                        bit
                    } else {
                        crate::scan::run_bit(bytes, run_start, j)
                    }
                } else {
                    self.push_word(i, j, ascii);
                    crate::scan::run_bit(bytes, run_start, j)
                };
                self.word_runs.push((run_start as u32, j as u32, bit));
                i = j;
                continue;
            }
            let quote = self.quote_at_forward(i);
            let kind = if let Some(q) = quote {
                let q = &self.quotes[q];
                if q.open_mark == Some(i) {
                    TokKind::QuoteOpen
                } else if q.close_mark == Some(i) {
                    TokKind::QuoteClose
                } else {
                    TokKind::Punct
                }
            } else {
                TokKind::Punct
            };
            // a two-character mark ('' or ``) of a quotation is one token
            if kind != TokKind::Punct
                && text[i..].len() >= 2
                && (text[i..].starts_with("''") || text[i..].starts_with("``"))
            {
                self.push_mark(i, i + 2, kind, quote);
                i += 2;
                continue;
            }
            // single quotation marks outside words: ‘...’ or '...'
            if matches!(c, '‘' | '’' | '\'') {
                let prev_ws = i == 0
                    || text[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|p| p.is_whitespace() || "\"“(—–-".contains(p));
                if single_open.is_none() && (c == '‘' || (c == '\'' && prev_ws)) {
                    single_open = Some(self.tokens.len());
                } else if let Some(open) = single_open {
                    if c != '‘' {
                        for t in &mut self.tokens[open..] {
                            t.single = true;
                        }
                        single_open = None;
                    }
                }
            }
            self.push_mark(i, i + w, kind, quote);
            i += w;
        }
    }

    /// A word the tokenizer saw only ASCII without upper case in, so that it is its own
    /// lower-case form: nothing but the token to write. Returns its filter bit.
    #[inline(always)]
    fn push_plain(&mut self, start: usize, end: usize) -> u16 {
        debug_assert!(self.text[start..end]
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase()));
        let quote = self.quote_at_forward(start).map(|q| q as u32);
        let lo_bit = crate::scan::filter_bit(&self.text.as_bytes()[start..end]);
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            kind: TokKind::Word,
            quote,
            single: false,
            cap: false,
            lo_in_text: true,
            lo_bit,
            lo_start: start as u32,
            lo_end: end as u32,
        });
        lo_bit
    }

    /// A word with a capital or a non-ASCII letter: its lower-case form is copied (a byte
    /// at a time when the tokenizer saw it is `ascii`). Plain words are written by
    /// `push_plain`.
    fn push_word(&mut self, start: usize, end: usize, ascii: bool) {
        debug_assert_eq!(ascii, self.text[start..end].is_ascii());
        let lo_start = self.lower_bytes.len() as u32;
        let w = &self.text[start..end];
        let cap = match w.as_bytes().first() {
            Some(&b) if b < 0x80 => ASCII_WORD[b as usize] == UPPER,
            _ => w.chars().next().is_some_and(char::is_uppercase),
        };
        if cap {
            self.caps.push(self.tokens.len() as u32);
        }
        let chunk = self
            .text
            .as_bytes()
            .get(start..)
            .and_then(<[u8]>::first_chunk::<8>);
        let lo_bit = if let (true, Some(&eight)) = (ascii && w.len() <= 8, chunk) {
            // most such words: the eight bytes from its start lower-cased at once, and the
            // bytes after the word dropped again
            let lower = crate::swar::ascii_lower(u64::from_le_bytes(eight)).to_le_bytes();
            self.lower_bytes.extend_from_slice(&lower);
            self.lower_bytes.truncate(lo_start as usize + w.len());
            crate::scan::filter_bit(lower.get(..w.len()).unwrap_or_default())
        } else {
            if ascii {
                self.lower_bytes
                    .extend(w.bytes().map(|b| b.to_ascii_lowercase()));
            } else {
                let mut buf = [0; 4];
                for c in w.chars().flat_map(char::to_lowercase) {
                    self.lower_bytes
                        .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
            crate::scan::filter_bit(&self.lower_bytes[lo_start as usize..])
        };
        let quote = self.quote_at_forward(start).map(|q| q as u32);
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            kind: TokKind::Word,
            quote,
            single: false,
            cap,
            lo_in_text: false,
            lo_bit,
            lo_start,
            lo_end: self.lower_bytes.len() as u32,
        });
    }

    /// A punctuation or quotation-mark token, with the quotation it lies in (the
    /// tokenizer has just asked `quote_at_forward` for its start): no lower-case form.
    #[inline(always)]
    fn push_mark(&mut self, start: usize, end: usize, kind: TokKind, quote: Option<usize>) {
        debug_assert_eq!(quote, self.quote_at(start));
        let lo = self.lower_bytes.len() as u32;
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            kind,
            quote: quote.map(|q| q as u32),
            single: false,
            cap: false,
            lo_in_text: false,
            lo_bit: crate::scan::filter_bit(&[]),
            lo_start: lo,
            lo_end: lo,
        });
    }
}

/// Paragraphs: runs of non-blank lines. A Markdown block marker (#, -, *, +, >, "1.") starts
/// a new paragraph and is left out of it. A text without blank lines has one per line.
fn split_paragraphs(text: &str) -> Vec<Paragraph> {
    let has_blank = lines_inclusive(text).any(|l| l.trim().is_empty())
        && lines_inclusive(text).nth(1).is_some();
    // a paragraph of news runs to a few hundred bytes
    let mut out: Vec<Paragraph> = Vec::with_capacity(text.len() / 200 + 2);
    let mut cur: Option<(usize, usize, bool)> = None; // start, end, heading
    let mut offset = 0;
    for raw in lines_inclusive(text) {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.trim().is_empty() {
            if let Some((s, e, h)) = cur.take() {
                out.push(para(s, e, h));
            }
            continue;
        }
        // a comment line (`<!-- sourcecheck: ignore ... -->`) stands alone
        if trimmed.starts_with("<!--") && trimmed.trim_end().ends_with("-->") {
            if let Some((s, e, h)) = cur.take() {
                out.push(para(s, e, h));
            }
            out.push(para(
                line_start + indent,
                line_start + line.trim_end().len(),
                false,
            ));
            continue;
        }
        let (marker, heading) = block_marker(trimmed);
        let content_start = line_start + indent + marker;
        let content_end = line_start + line.trim_end().len();
        // a single line break inside blank-line paragraphs is a soft wrap, unless the line
        // before ends a sentence and this one opens like a paragraph (a capital or a mark)
        let prev_ends = cur.is_some_and(|(_, e, _)| {
            text[..e]
                .trim_end()
                .ends_with(['.', '!', '?', '"', '\u{201d}', '\u{2019}', ':'])
        });
        let opens = trimmed.starts_with(|c: char| {
            c.is_uppercase() || quotes::is_double_mark(c) || "\u{2015}\u{2014}\u{2013}".contains(c)
        });
        let opens_quote = trimmed.starts_with(quotes::is_double_mark);
        let new_block = marker > 0 || !has_blank || (prev_ends && opens) || opens_quote;
        match cur {
            Some((s, _, h)) if !new_block && !h => cur = Some((s, content_end, false)),
            _ => {
                if let Some((s, e, h)) = cur.take() {
                    out.push(para(s, e, h));
                }
                cur = Some((content_start, content_end, heading));
            }
        }
        if heading {
            if let Some((s, e, h)) = cur.take() {
                out.push(para(s, e, h));
            }
        }
    }
    if let Some((s, e, h)) = cur {
        out.push(para(s, e, h));
    }
    out.retain(|p| p.end > p.start);
    out
}

/// The lines of `text` with their line feeds, as `split_inclusive('\n')` gives them, found
/// with the memchr crate's vectorised search (news paragraphs are often one long line).
fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(n);
        rest = tail;
        Some(line)
    })
}

fn para(start: usize, end: usize, heading: bool) -> Paragraph {
    Paragraph {
        start,
        end,
        kind: if heading {
            ParaKind::Heading
        } else {
            ParaKind::Body
        },
    }
}

/// Length of a Markdown block marker at the start of a line, and whether it is a heading.
fn block_marker(line: &str) -> (usize, bool) {
    let b = line.as_bytes();
    if b.first() == Some(&b'#') {
        let hashes = b.iter().take_while(|&&c| c == b'#').count();
        if hashes <= 6 && b.get(hashes).is_some_and(|c| *c == b' ') {
            let spaces = b[hashes..].iter().take_while(|&&c| c == b' ').count();
            return (hashes + spaces, true);
        }
    }
    if b.len() > 2 && matches!(b[0], b'-' | b'*' | b'+' | b'>') && b[1] == b' ' {
        return (2, false);
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits < 4 && b.get(digits) == Some(&b'.') && b.get(digits + 1) == Some(&b' ')
    {
        return (digits + 2, false);
    }
    (0, false)
}

/// Marks the headline block (leading short lines that do not end like sentences) and
/// boilerplate paragraphs.
fn classify_paragraphs(text: &str, paras: &mut [Paragraph], lang: &Language) {
    let mut leading = true;
    for p in paras.iter_mut() {
        let t = text[p.start..p.end].trim();
        if t.starts_with("<!--") && t.ends_with("-->") {
            p.kind = ParaKind::Directive;
            continue;
        }
        if lang.boilerplate.iter().any(|re| re.is_match(t)) {
            p.kind = ParaKind::Boilerplate;
            continue;
        }
        if p.kind == ParaKind::Heading {
            continue;
        }
        if leading {
            let words = t.split_whitespace().count();
            let ends_like_sentence = t.ends_with(['.', '!', '?', '"', '”', '’', ':']);
            if words <= lang.headline_max_words && !ends_like_sentence {
                p.kind = ParaKind::Heading;
                continue;
            }
            leading = false;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_are_split_as_split_inclusive_splits_them() {
        for text in [
            "",
            "\n",
            "one line",
            "one\ntwo\n",
            "one\r\n\r\ntwo",
            "\n\nHeadline\n\nA paragraph that runs on.\nAnd on.",
            "ends with two\n\n",
        ] {
            let ours: Vec<&str> = super::lines_inclusive(text).collect();
            let std: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(ours, std, "for {text:?}");
        }
    }

    #[test]
    fn word_chars_are_exactly_the_letters_and_digits() {
        // every character of the Basic Multilingual Plane, and some beyond it
        for c in (0..0x1_0000u32)
            .chain(0x1_0000..0x1_2000)
            .filter_map(char::from_u32)
        {
            assert_eq!(super::is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn each_word_keeps_the_filter_bit_of_its_lower_case_form() {
        let rules = crate::rules::compile::RuleSet::default_rules().unwrap();
        let text = "The U.S. Ambassador, Élodie Müller, said “don’t” to ΟΔΟΣ in 2024: a, b.";
        let m = super::TextModel::new(text, &rules.lang);
        let words: Vec<_> = m.tokens.iter().filter(|t| t.is_word()).collect();
        assert!(words.len() >= 12);
        for t in words {
            let lower = m.lower(t);
            assert_eq!(
                t.lo_bit,
                crate::scan::filter_bit(lower.as_bytes()),
                "{lower:?}"
            );
        }
    }

    #[test]
    fn each_word_run_keeps_the_filter_bit_of_its_bytes_lower_cased() {
        let rules = crate::rules::compile::RuleSet::default_rules().unwrap();
        let text = "The U.S. Ambassador, Élodie Müller, said “don’t” to ΟΔΟΣ in 2024: a, b. \
                    Pro-Kremlin MPs' U.N.-backed plan; don't, X.";
        let m = super::TextModel::new(text, &rules.lang);
        let runs = m.word_runs();
        // words in one run and words in several (U.S, don't, Pro-Kremlin)
        assert!(runs.len() > m.tokens.iter().filter(|t| t.is_word()).count());
        for &(a, b, bit) in runs {
            let lower = text[a as usize..b as usize].to_ascii_lowercase();
            assert_eq!(bit, crate::scan::filter_bit(lower.as_bytes()), "{lower:?}");
        }
    }

    /// The tokenizer's words as a character-at-a-time reading finds them (the tokenizer's
    /// first form): (start, end) of each word, in text order, for one sentence.
    fn reference_words(text: &str) -> Vec<(usize, usize)> {
        use super::is_word_char;
        let at = |i: usize| text.get(i..).and_then(|t| t.chars().next());
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(c) = at(i) {
            if !is_word_char(c) {
                i += c.len_utf8();
                continue;
            }
            let mut j = i + c.len_utf8();
            while let Some(d) = at(j) {
                if is_word_char(d) {
                    j += d.len_utf8();
                    continue;
                }
                let after = j + d.len_utf8();
                if matches!(d, '\'' | '’' | '-' | '.' | '&')
                    && at(after).is_some_and(is_word_char)
                    && (d != '.' || text.as_bytes()[after].is_ascii_alphabetic())
                {
                    j = after;
                    continue;
                }
                break;
            }
            out.push((i, j));
            i = j;
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 400, ..proptest::prelude::ProptestConfig::default()
        })]
        /// Words, their lower-case forms, capitals and filter bits are those a plain
        /// character-at-a-time reading gives, whatever mix of ASCII, capitals, joining
        /// marks and other scripts the text has.
        #[test]
        fn words_and_their_lower_case_forms_match_a_reference_reading(
            text in "[a-zA-Z0-9 .,'’&\"“”‘\\-:;!?éÉßİΣσЖж\u{2014}\u{00a0}]{0,80}"
        ) {
            let rules = crate::rules::compile::RuleSet::default_rules().unwrap();
            let m = super::TextModel::new(&text, &rules.lang);
            let mut words = Vec::new();
            let mut caps = Vec::new();
            for (k, t) in m.tokens.iter().enumerate() {
                let s = m.tok_text(t);
                if !t.is_word() {
                    // one character, or a two-character quotation mark
                    proptest::prop_assert!(s.chars().count() == 1 || s == "''" || s == "``");
                    proptest::prop_assert_eq!(m.lower(t), "");
                    continue;
                }
                words.push(t.range());
                let lower: String = s.chars().flat_map(char::to_lowercase).collect();
                proptest::prop_assert_eq!(m.lower(t), lower.as_str());
                proptest::prop_assert_eq!(t.lo_bit, crate::scan::filter_bit(lower.as_bytes()));
                let cap = s.chars().next().is_some_and(char::is_uppercase);
                proptest::prop_assert_eq!(t.cap, cap);
                if cap {
                    caps.push(k as u32);
                }
                proptest::prop_assert_eq!(t.quote, m.quote_at(t.start as usize).map(|q| q as u32));
            }
            proptest::prop_assert_eq!(m.capitalised(), caps.as_slice());
            let mut want = Vec::new();
            for s in &m.sentences {
                want.extend(
                    reference_words(&text[s.start..s.end])
                        .into_iter()
                        .map(|(a, b)| s.start + a..s.start + b),
                );
            }
            proptest::prop_assert_eq!(words, want);
            for &(a, b, bit) in m.word_runs() {
                let lower = text[a as usize..b as usize].to_ascii_lowercase();
                proptest::prop_assert_eq!(bit, crate::scan::filter_bit(lower.as_bytes()));
            }
        }
    }

    #[test]
    fn each_token_knows_the_quotation_it_lies_in() {
        let rules = crate::rules::compile::RuleSet::default_rules().unwrap();
        let text = "\"We will build it,\" the mayor said. \"Not now.\"\"Soon,\" she added, \
                    and \"later\" too.\n\n\"The first part runs on.\n\n\"And ends here,\" \
                    said Ana Ruiz. No quotation \"closes";
        let m = super::TextModel::new(text, &rules.lang);
        assert!(m.quotes.len() >= 4);
        let mut inside = 0;
        for t in &m.tokens {
            let want = m.quote_at(t.start as usize).map(|q| q as u32);
            assert_eq!(t.quote, want, "token {:?}", m.tok_text(t));
            inside += usize::from(t.quote.is_some());
        }
        assert!(inside > 10 && inside < m.tokens.len());
        // the quotations overlapping a range are those a filter over all of them finds
        for s in (0..text.len()).step_by(7) {
            for e in (s..=text.len()).step_by(11) {
                let want: Vec<usize> = m
                    .quotes
                    .iter()
                    .filter(|q| q.start < e && q.end > s)
                    .map(|q| q.start)
                    .collect();
                let got: Vec<usize> = m.quotes_overlapping(s, e).iter().map(|q| q.start).collect();
                assert_eq!(got, want, "[{s}, {e})");
            }
        }
    }
}
