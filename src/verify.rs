//! Verification against cited sources: `check ARTICLE --sources DIR`.
//!
//! DIR holds the texts of cited documents, one file each, with optional front matter:
//!
//! ```text
//! ---
//! outlet: Reuters
//! url: https://example.org/story
//! date: 2026-02-14
//! ---
//! The text of the document ...
//! ```
//!
//! Each document is indexed once (words, their positions, sentences). A direct quotation is
//! looked up exactly, then with quote marks, spacing and case normalised, then fuzzily by
//! word alignment around rare-word anchors; a paraphrase is matched to the passage that
//! shares most of its words.

use crate::error::{Error, Located, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug)]
pub struct Document {
    pub name: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub text: String,
    /// Byte spans of the words of `text`.
    words: Vec<(usize, usize)>,
    /// Normalised words (lower case, apostrophes dropped).
    norm: Vec<String>,
    /// Sentence number of each word.
    sentence_of: Vec<u32>,
    /// Word -> positions.
    index: HashMap<String, Vec<u32>>,
}

fn normalise_word(w: &str) -> String {
    w.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words of a text with byte spans (letters and digits, inner apostrophes and hyphens).
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev_end = 0;
    for (i, c) in text.char_indices() {
        let inner = matches!(c, '\'' | '’' | '-')
            && start.is_some()
            && text[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if c.is_alphanumeric() || inner {
            if start.is_none() {
                start = Some(i);
            }
            prev_end = i + c.len_utf8();
        } else if let Some(s) = start.take() {
            out.push((s, prev_end));
        }
    }
    if let Some(s) = start {
        out.push((s, prev_end));
    }
    out
}

impl Document {
    pub fn new(name: String, raw: &str) -> std::result::Result<Document, Problem> {
        let (meta, text) = front_matter(raw)?;
        let get = |k: &str| {
            meta.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let words = word_spans(&text);
        let norm: Vec<String> = words
            .iter()
            .map(|&(s, e)| normalise_word(&text[s..e]))
            .collect();
        let mut sentence_of = Vec::with_capacity(words.len());
        let mut sentence = 0u32;
        let mut last = 0;
        for &(s, _) in &words {
            if text[last..s].contains(['.', '!', '?', '\n']) {
                sentence += 1;
            }
            sentence_of.push(sentence);
            last = s;
        }
        let mut index: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, w) in norm.iter().enumerate() {
            index.entry(w.clone()).or_default().push(i as u32);
        }
        Ok(Document {
            name,
            outlet: get("outlet"),
            url: get("url"),
            date: get("date"),
            text,
            words,
            norm,
            sentence_of,
            index,
        })
    }
}

/// Front matter pairs and the text after them.
type Split = (Vec<(String, String)>, String);
/// A front-matter problem: line and message.
type Problem = (usize, String);

/// Splits `---` front matter (key: value lines) from the text.
fn front_matter(raw: &str) -> std::result::Result<Split, Problem> {
    let Some(rest) = raw
        .strip_prefix("---\n")
        .or_else(|| raw.strip_prefix("---\r\n"))
    else {
        return Ok((Vec::new(), raw.to_string()));
    };
    let Some(end) = rest.find("\n---") else {
        return Err((1, "front matter opened with --- is never closed".into()));
    };
    let mut meta = Vec::new();
    for (i, line) in rest[..end].lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err((
                i + 2,
                format!("front matter line is not `key: value`: {line:?}"),
            ));
        };
        meta.push((
            k.trim().to_lowercase(),
            v.trim().trim_matches('"').to_string(),
        ));
    }
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']).to_string();
    Ok((meta, body))
}

/// All cited documents of a folder, indexed.
#[derive(Debug, Default)]
pub struct Library {
    pub docs: Vec<Document>,
}

impl Library {
    pub fn load(dir: &Path) -> Result<Library> {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && !p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        paths.sort();
        let mut texts = Vec::with_capacity(paths.len());
        for p in paths {
            let raw = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
            texts.push((p.display().to_string(), raw));
        }
        Library::from_texts(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    }

    /// A library of documents held in memory, each a (name, text) pair: a cited text with
    /// optional front matter, as in a `--sources` folder.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Library> {
        let docs = texts
            .into_iter()
            .map(|(name, raw)| {
                Document::new(name.to_string(), raw).map_err(|(line, message)| Error::Input {
                    at: Located::at_line_col(name, raw, line, 1),
                    message,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Library { docs })
    }

    /// Documents whose outlet matches one of the names (case-insensitive).
    fn of_outlet<'a>(&'a self, names: &'a [String]) -> impl Iterator<Item = &'a Document> + 'a {
        self.docs.iter().filter(move |d| {
            d.outlet
                .as_deref()
                .is_some_and(|o| names.iter().any(|n| n.eq_ignore_ascii_case(o)))
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The outcome of looking a claim up in its cited documents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verification {
    /// verified, altered, not_found (quotations); matched, unmatched (paraphrases).
    pub status: &'static str,
    /// exact, normalised or fuzzy, for quotations found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passage: Option<Passage>,
    /// Word alignment (quotations) or word overlap (paraphrases), 0..1.
    pub similarity: f64,
    /// Word-by-word difference for an altered quotation: `[-as written-] {+in the source+}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// Word-level edit script: LCS-based diff of `a` (the article) against `b` (the source).
fn word_diff(a: &[String], b: &[&str]) -> (usize, String) {
    let (n, m) = (a.len(), b.len());
    let mut dp = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            dp[i][j] = if normalise_word(&a[i]) == normalise_word(b[j]) {
                dp[i + 1][j + 1] + 1
            } else {
                dp[i + 1][j].max(dp[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out: Vec<String> = Vec::new();
    let mut changes = 0;
    while i < n || j < m {
        if i < n && j < m && normalise_word(&a[i]) == normalise_word(b[j]) {
            out.push(b[j].to_string());
            i += 1;
            j += 1;
        } else if i < n && (j == m || dp[i + 1][j] >= dp[i][j + 1]) {
            out.push(format!("[-{}-]", a[i]));
            changes += 1;
            i += 1;
        } else {
            out.push(format!("{{+{}+}}", b[j]));
            changes += 1;
            j += 1;
        }
    }
    (changes, out.join(" "))
}

/// Word edit distance with a band, for scoring candidate windows.
fn edit_distance(a: &[String], b: &[String]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, y) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(x != y))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

fn passage(doc: &Document, from: usize, to: usize) -> Passage {
    let (s, e) = (doc.words[from].0, doc.words[to - 1].1);
    Passage {
        start: s,
        end: e,
        text: doc.text[s..e].to_string(),
    }
}

/// Looks a direct quotation up in the documents of the claim's outlets.
pub fn verify_quote(
    lib: &Library,
    outlets: &[String],
    quote: &str,
    min_similarity: f64,
) -> Option<Verification> {
    let q_spans = word_spans(quote);
    let q_words: Vec<String> = q_spans
        .iter()
        .map(|&(s, e)| quote[s..e].to_string())
        .collect();
    let q_norm: Vec<String> = q_words.iter().map(|w| normalise_word(w)).collect();
    let n = q_norm.len();
    if n == 0 {
        return None;
    }
    let mut any_doc = false;
    let mut best: Option<(f64, &Document, usize, usize)> = None;
    for doc in lib.of_outlet(outlets) {
        any_doc = true;
        // exact, as written
        let trimmed = quote.trim_matches(|c: char| !c.is_alphanumeric());
        if let Some(at) = doc.text.find(trimmed) {
            return Some(Verification {
                status: "verified",
                method: Some("exact"),
                document: Some(doc.name.clone()),
                passage: Some(Passage {
                    start: at,
                    end: at + trimmed.len(),
                    text: trimmed.to_string(),
                }),
                similarity: 1.0,
                diff: None,
            });
        }
        // anchors: each quote word votes for where the quotation would start
        let mut votes: HashMap<i64, u32> = HashMap::new();
        for (k, w) in q_norm.iter().enumerate() {
            if let Some(pos) = doc.index.get(w) {
                if pos.len() > 200 {
                    continue; // too common to anchor on
                }
                for &p in pos {
                    *votes.entry(p as i64 - k as i64).or_default() += 1;
                }
            }
        }
        let mut starts: Vec<(u32, i64)> = votes.into_iter().map(|(s, v)| (v, s)).collect();
        starts.sort_unstable_by(|a, b| b.cmp(a));
        for &(_, start) in starts.iter().take(8) {
            for len in [n, n.saturating_sub(1), n + 1, n.saturating_sub(2), n + 2] {
                let from = start.max(0) as usize;
                let to = (from + len).min(doc.norm.len());
                if to <= from {
                    continue;
                }
                let window = &doc.norm[from..to];
                if window == q_norm.as_slice() {
                    return Some(Verification {
                        status: "verified",
                        method: Some("normalised"),
                        document: Some(doc.name.clone()),
                        passage: Some(passage(doc, from, to)),
                        similarity: 1.0,
                        diff: None,
                    });
                }
                let d = edit_distance(&q_norm, window);
                let sim = 1.0 - d as f64 / n.max(window.len()) as f64;
                if best.as_ref().is_none_or(|b| sim > b.0) {
                    best = Some((sim, doc, from, to));
                }
            }
        }
    }
    if !any_doc {
        return None;
    }
    match best {
        Some((sim, doc, from, to)) if sim >= min_similarity => {
            let source_words: Vec<&str> = (from..to)
                .map(|i| &doc.text[doc.words[i].0..doc.words[i].1])
                .collect();
            let (_, diff) = word_diff(&q_words, &source_words);
            Some(Verification {
                status: "altered",
                method: Some("fuzzy"),
                document: Some(doc.name.clone()),
                passage: Some(passage(doc, from, to)),
                similarity: (sim * 100.0).round() / 100.0,
                diff: Some(diff),
            })
        }
        other => Some(Verification {
            status: "not_found",
            method: None,
            document: other.map(|(_, d, _, _)| d.name.clone()),
            passage: None,
            similarity: other.map_or(0.0, |(s, ..)| (s * 100.0).round() / 100.0),
            diff: None,
        }),
    }
}

/// Finds the passage of the claim's outlets that shares most words with a paraphrase.
pub fn match_paraphrase(
    lib: &Library,
    outlets: &[String],
    content: &str,
    min_overlap: f64,
) -> Option<Verification> {
    let words: Vec<String> = word_spans(content)
        .iter()
        .map(|&(s, e)| normalise_word(&content[s..e]))
        .filter(|w| w.chars().count() > 3)
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut any_doc = false;
    let mut best: Option<(f64, &Document, u32)> = None;
    for doc in lib.of_outlet(outlets) {
        any_doc = true;
        let mut per_sentence: HashMap<u32, std::collections::HashSet<&str>> = HashMap::new();
        for w in &words {
            for &p in doc.index.get(w).map(Vec::as_slice).unwrap_or(&[]) {
                per_sentence
                    .entry(doc.sentence_of[p as usize])
                    .or_default()
                    .insert(w.as_str());
            }
        }
        for (s, hit) in per_sentence {
            let overlap = hit.len() as f64 / words.len() as f64;
            if best.as_ref().is_none_or(|b| overlap > b.0) {
                best = Some((overlap, doc, s));
            }
        }
    }
    if !any_doc {
        return None;
    }
    Some(match best {
        Some((overlap, doc, s)) if overlap >= min_overlap => {
            let from = doc.sentence_of.partition_point(|&x| x < s);
            let to = doc.sentence_of.partition_point(|&x| x <= s);
            Verification {
                status: "matched",
                method: None,
                document: Some(doc.name.clone()),
                passage: Some(passage(doc, from, to)),
                similarity: (overlap * 100.0).round() / 100.0,
                diff: None,
            }
        }
        other => Verification {
            status: "unmatched",
            method: None,
            document: other.map(|(_, d, _)| d.name.clone()),
            passage: None,
            similarity: other.map_or(0.0, |(o, ..)| (o * 100.0).round() / 100.0),
            diff: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib(docs: &[(&str, &str)]) -> Library {
        Library::from_texts(docs.iter().copied()).unwrap()
    }

    #[test]
    fn exact_normalised_altered_and_missing_quotes() {
        let l = lib(&[("a.txt", "---\noutlet: Reuters\n---\nThe minister said: \u{201c}We will not sell the port to anyone.\u{201d} Talks resume in May.")]);
        let o = vec!["Reuters".to_string()];
        let v = verify_quote(&l, &o, "We will not sell the port to anyone.", 0.6).unwrap();
        assert_eq!((v.status, v.method), ("verified", Some("exact")));
        let v = verify_quote(&l, &o, "we will NOT sell  the port to anyone", 0.6).unwrap();
        assert_eq!((v.status, v.method), ("verified", Some("normalised")));
        let v = verify_quote(&l, &o, "We will never sell the port to anyone.", 0.6).unwrap();
        assert_eq!(v.status, "altered");
        assert_eq!(
            v.diff.as_deref(),
            Some("We will [-never-] {+not+} sell the port to anyone")
        );
        let v = verify_quote(
            &l,
            &o,
            "Our neighbours buy gas from whoever sells it cheapest.",
            0.6,
        )
        .unwrap();
        assert_eq!(v.status, "not_found");
        assert!(
            verify_quote(&l, &["AP".to_string()], "We will not sell", 0.6).is_none(),
            "no document of that outlet"
        );
    }

    #[test]
    fn paraphrase_finds_its_passage() {
        let l = lib(&[("a.txt", "---\noutlet: AP\n---\nFuel prices rose sharply. The council approved the harbour budget on Tuesday after a long debate.")]);
        let v = match_paraphrase(
            &l,
            &["AP".to_string()],
            "the council approved the harbour budget",
            0.5,
        )
        .unwrap();
        assert_eq!(v.status, "matched");
        assert!(v.passage.unwrap().text.starts_with("The council approved"));
    }
}
