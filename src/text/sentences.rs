//! Sentence splitting inside one paragraph. A sentence ends at . ! or ? (with any closing
//! marks after it) followed by a space and a capital, a digit or an opening mark; never
//! inside a quotation, never after an abbreviation from language.yaml unless the next word
//! usually opens a sentence, never after a single initial ("John F. Kennedy").

use super::quotes::{is_double_mark, Quote};
use crate::rules::compile::Language;

fn quote_containing(quotes: &[Quote], at: usize) -> Option<&Quote> {
    let i = quotes.partition_point(|q| q.end <= at);
    quotes.get(i).filter(|q| q.start <= at)
}

/// The word ending just before byte `dot` (letters, digits and inner periods).
fn word_before(text: &str, dot: usize) -> &str {
    let head = &text[..dot];
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &head[start..]
}

fn next_word(text: &str) -> &str {
    let t = text.trim_start_matches(|c: char| is_double_mark(c) || "‘'(".contains(c));
    let end = t.find(|c: char| !c.is_alphanumeric()).unwrap_or(t.len());
    &t[..end]
}

/// Does the text start with a speaker tag such as "Susan said", "said the governor" or
/// "US Senator Jeff Sessions said"?
fn speaker_tag_follows(rest: &str, lang: &Language) -> bool {
    for (n, raw) in rest.split_whitespace().take(7).enumerate() {
        let word: String = raw.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        let lower = word.to_lowercase();
        if lang.speech_forms.contains(&lower) && raw.chars().next().is_some_and(char::is_lowercase)
        {
            return true;
        }
        let starts_upper = word.chars().next().is_some_and(char::is_uppercase);
        let ok = starts_upper
            || lang.title_words.contains(&lower)
            || (n == 0 && matches!(lower.as_str(), "the" | "a"));
        if !ok || raw.ends_with([',', '.', ';', ':', '!', '?']) {
            return false;
        }
    }
    false
}

/// Appends the sentences of `text[start..end]` to `out`, trimmed of white space (the text
/// model reuses one vector for all paragraphs).
#[inline(never)]
pub fn split(
    text: &str,
    start: usize,
    end: usize,
    quotes: &[Quote],
    lang: &Language,
    out: &mut Vec<(usize, usize)>,
) {
    // a sentence is pushed without the white space around it, and only when not empty
    let mut push = |s: usize, e: usize| {
        let t = &text[s..e];
        let ts = s + (t.len() - t.trim_start().len());
        let te = s + t.trim_end().len();
        if te > ts {
            out.push((ts, te));
        }
    };
    let mut sent_start = start;
    let seg = &text[start..end];
    // sentence marks are ASCII, so a byte search finds them (UTF-8 never repeats an ASCII
    // byte inside another character)
    let mut from = 0;
    while let Some(off) = memchr::memchr3(b'.', b'!', b'?', &seg.as_bytes()[from..]) {
        let i = from + off;
        from = i + 1;
        let c = seg.as_bytes()[i] as char;
        let at = start + i;
        // the run of closing punctuation after the mark
        let mut j = at + 1;
        while let Some(d) = text[j..end].chars().next() {
            // a double mark belongs to this sentence only when it closes a quotation
            let closes = is_double_mark(d) || text[j..].starts_with("''");
            let closing_mark = closes && quotes.iter().any(|q| q.close_mark == Some(j));
            if matches!(d, '.' | '!' | '?' | ')' | '’' | ']') || closing_mark {
                j += if text[j..].starts_with("''") && closing_mark {
                    2
                } else {
                    d.len_utf8()
                };
            } else if d == '\'' && !text[j..].starts_with("''") {
                j += 1;
            } else {
                break;
            }
        }
        let rest = &text[j..end];
        let trimmed = rest.trim_start();
        if trimmed.is_empty() || trimmed.len() == rest.len() {
            continue; // end of paragraph, or no space after
        }
        let first = trimmed.chars().next().unwrap_or(' ');
        if !(first.is_uppercase()
            || first.is_ascii_digit()
            || is_double_mark(first)
            || "‘('`".contains(first))
        {
            continue;
        }
        // '"...!" Susan said.': a speaker tag after a closing quotation keeps the sentence
        let closes_quote = text[at..j].chars().any(is_double_mark) || text[at..j].contains("''");
        if closes_quote && speaker_tag_follows(trimmed, lang) {
            continue;
        }
        // never inside a quotation that goes on after this point
        if let Some(q) = quote_containing(quotes, at) {
            if q.end > j {
                continue;
            }
        }
        if c == '.' {
            let word = word_before(text, at);
            let bare = word.trim_end_matches('.');
            let is_initial = bare.chars().count() == 1 && bare.chars().all(char::is_uppercase);
            if is_initial {
                continue;
            }
            if lang.abbreviations.contains(bare) {
                let opener = next_word(trimmed);
                if !(lang.can_end_sentence.contains(bare) && lang.sentence_openers.contains(opener))
                {
                    continue;
                }
            }
        }
        push(sent_start, j);
        sent_start = j + (rest.len() - trimmed.len());
        // go on after the closing punctuation
        from = from.max(j - start);
    }
    if sent_start < end {
        push(sent_start, end);
    }
}
