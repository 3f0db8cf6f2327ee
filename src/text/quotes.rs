//! Quotation finding. Straight and curly double marks; quotations that run over several
//! paragraphs (an opening mark at each paragraph, a closing one only at the end); a missing
//! space before a mark; and unbalanced marks, which degrade locally: an unclosed quotation
//! ends with its sentence, a stray closing mark is ignored.

use super::{ParaKind, Paragraph};

#[derive(Debug, Clone)]
pub struct Quote {
    /// Byte range including the marks (or up to where an unclosed quotation was cut).
    pub start: usize,
    pub end: usize,
    pub open_mark: Option<usize>,
    pub close_mark: Option<usize>,
    /// False when no closing mark was found and the end was guessed.
    pub closed: bool,
    /// Runs on into the next paragraph (that paragraph re-opens it).
    pub continues: bool,
    /// Continues a quotation from the previous paragraph.
    pub continued: bool,
    pub paragraph: usize,
}

impl Quote {
    /// The quoted words without the marks.
    pub fn inner(&self, text: &str) -> (usize, usize) {
        let s = self.open_mark.map_or(self.start, |m| m + mark_len(text, m));
        let e = self.close_mark.unwrap_or(self.end).max(s);
        (s, e)
    }
}

/// Length in bytes of the quotation mark at `at` ('' and `` count as one mark).
pub fn mark_len(text: &str, at: usize) -> usize {
    if text[at..].starts_with("''") || text[at..].starts_with("``") {
        return 2;
    }
    text[at..].chars().next().map_or(1, char::len_utf8)
}

pub fn is_double_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '‟')
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

fn role(c: char, prev: Option<char>, next: Option<char>) -> Role {
    let prev_space = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
    let next_space = next.is_none_or(|n| n.is_whitespace() || ".,;:!?)]}—–".contains(n));
    match c {
        '“' | '„' | '«' | '‟' => {
            if !prev_space && next_space {
                Role::Close
            } else {
                Role::Open
            }
        }
        '”' | '»' => {
            if prev_space && !next_space {
                Role::Open
            } else {
                Role::Close
            }
        }
        _ => {
            if prev_space && !next_space {
                Role::Open
            } else if !prev_space && next_space {
                Role::Close
            } else if prev.is_some_and(|p| ",:;".contains(p))
                && next.is_some_and(char::is_alphanumeric)
            {
                Role::Open
            } else {
                Role::Either
            }
        }
    }
}

/// First sentence end ([.!?] then space and a capital) at or after `from`, else `end`.
fn sentence_end_after(text: &str, from: usize, end: usize) -> usize {
    for (i, c) in text[from..end].char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let rest = &text[from + i + 1..end];
            let trimmed = rest.trim_start();
            if trimmed.len() < rest.len() && trimmed.chars().next().is_some_and(char::is_uppercase)
            {
                return from + i + 1;
            }
        }
    }
    end
}

/// The bytes of a paragraph that may start a quotation mark: '"', '\'' and '`', and the
/// first bytes of the non-ASCII double marks (0xC2 for « and », 0xE2 for “ ” „ ‟). Marks
/// are a byte in a hundred of news text, so the two kinds are found with the memchr
/// crate's vectorised searches, each remembered until it is passed.
struct MarkBytes<'b> {
    bytes: &'b [u8],
    /// The first ASCII mark byte at or after the last position asked for.
    ascii: usize,
    /// The first lead byte of a non-ASCII mark at or after it.
    lead: usize,
}

impl<'b> MarkBytes<'b> {
    fn new(bytes: &'b [u8]) -> Self {
        let mut m = MarkBytes {
            bytes,
            ascii: 0,
            lead: 0,
        };
        m.ascii = m.find_ascii(0);
        m.lead = m.find_lead(0);
        m
    }

    fn find_ascii(&self, k: usize) -> usize {
        let rest = self.bytes.get(k..).unwrap_or_default();
        memchr::memchr3(b'"', b'\'', b'`', rest).map_or(self.bytes.len(), |o| k + o)
    }

    fn find_lead(&self, k: usize) -> usize {
        let rest = self.bytes.get(k..).unwrap_or_default();
        memchr::memchr2(0xC2, 0xE2, rest).map_or(self.bytes.len(), |o| k + o)
    }

    /// The first byte at or after `k` that may start a quotation mark; `bytes.len()` if
    /// none. `k` never decreases from one call to the next.
    fn next(&mut self, k: usize) -> usize {
        if self.ascii < k {
            self.ascii = self.find_ascii(k);
        }
        if self.lead < k {
            self.lead = self.find_lead(k);
        }
        self.ascii.min(self.lead)
    }
}

pub fn find_quotes(text: &str, paras: &[Paragraph]) -> Vec<Quote> {
    // PolNeAR articles hold about 1.5 quotations per KB; room for 4 per KB leaves all but
    // about 4% of them without a regrowth (and its copy)
    let mut quotes = Vec::with_capacity(text.len() / 250 + 4);
    let mut carried = false; // the previous paragraph's quotation runs on
    for (pi, p) in paras.iter().enumerate() {
        if p.kind == ParaKind::Boilerplate {
            carried = false;
            continue;
        }
        let seg = &text[p.start..p.end];
        let mut open: Option<usize> = None;
        let mut open_continued = false;
        // the character after byte n of the paragraph
        let after = |n: usize| seg.get(n..).and_then(|t| t.chars().next());
        let bytes = seg.as_bytes();
        let mut marks = MarkBytes::new(bytes);
        let mut k = 0;
        while k < bytes.len() {
            // a mark is '"', '\'', '`' or a non-ASCII character starting 0xC2 or 0xE2 (“ ” „ ‟
            // « »...): other characters are passed over without decoding (is_double_mark
            // decides below)
            k = marks.next(k);
            if k >= bytes.len() {
                break;
            }
            let i = k;
            let Some(c) = after(i) else {
                break;
            };
            k += c.len_utf8();
            // two apostrophes or backticks stand for a double mark ('' and ``)
            let pair = matches!(c, '\'' | '`') && after(i + 1) == Some(c);
            if !is_double_mark(c) && !pair {
                continue;
            }
            let before = seg[..i].chars().next_back();
            let at = p.start + i;
            let next = after(i + if pair { 2 } else { c.len_utf8() });
            if pair {
                k = i + 2;
            }
            // a mark that opens a paragraph opens a quotation, whatever its shape
            let r = if c == '`' || (i == 0 && open.is_none()) {
                Role::Open
            } else {
                role(if pair { '"' } else { c }, before, next)
            };
            match open {
                None => {
                    if r != Role::Close {
                        open = Some(at);
                        open_continued = carried && i == 0;
                    }
                    // a stray closing mark is ignored
                }
                Some(o) => {
                    if r == Role::Open {
                        // two openings: the first was never closed; cut it at its sentence end
                        let end = sentence_end_after(text, o, at);
                        quotes.push(Quote {
                            start: o,
                            end,
                            open_mark: Some(o),
                            close_mark: None,
                            closed: false,
                            continues: false,
                            continued: open_continued,
                            paragraph: pi,
                        });
                        open = Some(at);
                        open_continued = false;
                    } else {
                        quotes.push(Quote {
                            start: o,
                            end: at + mark_len(text, at),
                            open_mark: Some(o),
                            close_mark: Some(at),
                            closed: true,
                            continues: false,
                            continued: open_continued,
                            paragraph: pi,
                        });
                        open = None;
                        open_continued = false;
                    }
                }
            }
        }
        carried = false;
        if let Some(o) = open {
            // does the next paragraph re-open the quotation?
            let next_opens = paras.get(pi + 1).is_some_and(|n| {
                let t = &text[n.start..n.end];
                n.kind == ParaKind::Body
                    && (t.chars().next().is_some_and(is_double_mark)
                        || t.starts_with("''")
                        || t.starts_with("``"))
            });
            if next_opens {
                quotes.push(Quote {
                    start: o,
                    end: p.end,
                    open_mark: Some(o),
                    close_mark: None,
                    closed: true,
                    continues: true,
                    continued: open_continued,
                    paragraph: pi,
                });
                carried = true;
            } else {
                let end = sentence_end_after(text, o, p.end);
                quotes.push(Quote {
                    start: o,
                    end,
                    open_mark: Some(o),
                    close_mark: None,
                    closed: false,
                    continues: false,
                    continued: open_continued,
                    paragraph: pi,
                });
            }
        }
    }
    quotes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_marks_start_with_the_bytes_the_search_stops_at() {
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            if is_double_mark(c) {
                let mut buf = [0; 4];
                let first = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(matches!(first, b'"' | 0xC2 | 0xE2), "{c:?}");
            }
        }
    }

    #[test]
    fn the_mark_search_stops_where_a_byte_at_a_time_scan_would() {
        let text = "The port, said Ana Ruiz, “will reopen” on 3 May; it's `late'' — très tard. \
                    A long run of plain words without any mark at all until \"here\" at last \
                    «un» „zwei‟ ©2024\u{a0}x";
        let bytes = text.as_bytes();
        let slow = |mut k: usize| {
            while k < bytes.len() && !matches!(bytes[k], b'"' | b'\'' | b'`' | 0xC2 | 0xE2) {
                k += 1;
            }
            k
        };
        // asked at every byte, and only at the places the search stops at
        let mut all = MarkBytes::new(bytes);
        for k in 0..=bytes.len() {
            assert_eq!(all.next(k), slow(k), "from byte {k}");
        }
        let mut hops = MarkBytes::new(bytes);
        let mut k = 0;
        while k < bytes.len() {
            k = hops.next(k);
            assert_eq!(k, slow(k));
            k += 1;
        }
        assert_eq!(MarkBytes::new(b"").next(0), 0);
    }
}
