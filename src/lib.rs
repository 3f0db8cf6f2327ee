//! sourcecheck: audits the sourcing of news articles.
//!
//! The pipeline, one module per stage:
//! [`input`] (files, folders, JSONL corpora, stdin) -> [`text`] (paragraphs, quotations,
//! sentences, tokens) -> [`rules`] (the YAML rule set, compiled once) -> [`detect`] (cues,
//! sources and contents) -> [`link`] (who each source is; chains; pronouns) -> [`score`]
//! (attribution strength) and [`flags`] -> [`model`] -> [`output`] (table, JSON).
//!
//! ```
//! let rules = sourcecheck::rules::RuleSet::default_rules().unwrap();
//! let report = sourcecheck::analyze(
//!     "demo",
//!     "Prices rose 4 percent in May, the statistics office said in a statement.",
//!     &rules,
//! );
//! let claim = &report.claims[0];
//! assert_eq!(claim.attribution.as_ref().unwrap().source.text, "the statistics office");
//! ```

pub mod authoring;
pub mod checks;
pub mod cli;
pub mod detect;
pub mod error;
pub mod flags;
pub mod inline;
pub mod input;
pub mod link;
pub mod model;
pub mod output;
pub mod report;
pub mod rules;
pub mod scan;
pub mod score;
mod swar;
pub mod text;
pub mod verify;

use detect::Detector;
use link::{Linked, Resolved};
use model::*;
use rules::RuleSet;
use text::{ParaKind, TextModel};

pub use error::{Error, Result};

/// Analyses one article text with a compiled rule set.
pub fn analyze(id: &str, text: &str, rules: &RuleSet) -> ArticleReport {
    analyze_with_meta(id, text, Meta::default(), rules)
}

fn source_out(h: &Resolved, m: &TextModel) -> Source {
    Source {
        start: h.span.0,
        end: h.span.1,
        text: m.text[h.span.0..h.span.1].to_string(),
        resolved: h.resolved.map(str::to_string),
        kind: h.kind.as_str(),
        id: h.id.map(str::to_string),
        status: h.status.map(|s| s.as_str()),
        variant_of: h.variant_of.map(str::to_string),
    }
}

/// Is the attribution dated ("In February, Reuters reported")? A time word or a year in
/// the sentence but outside what is reported.
fn dated(m: &TextModel, r: &RuleSet, s: &text::Sentence, content: &[(usize, usize)]) -> bool {
    m.tokens[s.tokens.clone()]
        .iter()
        .filter(|t| {
            !content
                .iter()
                .any(|&(a, b)| a <= t.start as usize && (t.end as usize) <= b)
        })
        .any(|t| {
            let w = m.tok_text(t);
            t.is_word()
                && (r.lang.time_words.contains(w)
                    || (w.len() == 4
                        && w.starts_with(['1', '2'])
                        && w.chars().all(|c| c.is_ascii_digit())))
        })
}

/// A speculation term in the paraphrased (unquoted) part of a content.
fn speculation<'t>(
    m: &'t TextModel,
    r: &RuleSet,
    scan: &scan::DocScan,
    content: &[(usize, usize)],
) -> Option<&'t str> {
    for (idx, _) in r.flags.iter().enumerate().filter(|(_, f)| f.affects_score) {
        for &(s, e) in content {
            if let Some((a, b)) = flags::term_matches(scan, idx, m, s, e).next() {
                return Some(&m.text[a..b]);
            }
        }
    }
    None
}

/// Analyses one article, with its metadata.
pub fn analyze_with_meta(id: &str, text: &str, meta: Meta, rules: &RuleSet) -> ArticleReport {
    analyze_full(id, text, meta, rules, None)
}

/// Checks a claim against the documents of its cited outlets: quotations word for word,
/// paraphrases by their best passage. Adds the factor and flags it calls for.
fn verify_claim(m: &TextModel, rules: &RuleSet, lib: &verify::Library, c: &mut Claim) {
    let Some(a) = &c.attribution else { return };
    let outlets: Vec<String> = a
        .chain
        .iter()
        .filter(|h| {
            h.id.is_some()
                && !matches!(
                    h.kind,
                    "person" | "official" | "official_body" | "anonymous" | "weasel"
                )
        })
        .flat_map(|h| [h.resolved.clone(), h.id.clone(), Some(h.text.clone())])
        .flatten()
        .collect();
    if outlets.is_empty() {
        return;
    }
    let w = &rules.scoring.verification;
    let content = &m.text[c.content.start..c.content.end];
    let quoted = a.directness == "direct_quote" || a.directness == "partial_quote";
    let v = if quoted {
        // the quoted words only
        let q = m
            .quote_at(c.content.start)
            .or_else(|| m.quote_at(c.content.end.saturating_sub(1)));
        let quote = q.map_or(content, |q| {
            let (s, e) = m.quotes[q].inner(m.text);
            &m.text[s..e]
        });
        verify::verify_quote(lib, &outlets, quote, w.min_similarity as f64 / 100.0)
    } else {
        verify::match_paraphrase(lib, &outlets, content, w.min_overlap as f64 / 100.0)
    };
    let Some(v) = v else { return };
    let source = a.chain[0]
        .resolved
        .clone()
        .unwrap_or_else(|| a.chain[0].text.clone());
    let (key, points, why) = match v.status {
        "verified" => (
            "verification.verified",
            w.verified,
            format!("the quotation is in {}'s text", source),
        ),
        "altered" => (
            "verification.altered",
            w.altered,
            format!("the quotation differs from {}'s text", source),
        ),
        "not_found" => (
            "verification.not_found",
            w.not_found,
            format!("the quotation is not in {}'s documents", source),
        ),
        "matched" => (
            "verification.matched",
            w.matched,
            format!("the paraphrase matches a passage of {}", source),
        ),
        _ => ("verification.unmatched", 0, String::new()),
    };
    if points != 0 {
        score::adjust(&mut c.strength, key, points, why, rules);
    }
    for rule in &rules.flags {
        let fire = match rule.check {
            Some(rules::schema::Check::QuoteAltered) => v.status == "altered",
            Some(rules::schema::Check::QuoteNotFound) => v.status == "not_found",
            _ => false,
        };
        if fire {
            let message = rule
                .message
                .replace("{source}", &source)
                .replace("{term}", v.diff.as_deref().unwrap_or(""));
            c.flags.push(Flag {
                id: rule.id.clone(),
                severity: rule.severity.as_str(),
                message,
                span: Span {
                    start: c.content.start,
                    end: c.content.end,
                },
            });
        }
    }
    c.verification = Some(v);
}

/// Analyses one article with its metadata and, when given, the cited documents to check
/// its claims against.
pub fn analyze_full(
    id: &str,
    text: &str,
    meta: Meta,
    rules: &RuleSet,
    sources: Option<&verify::Library>,
) -> ArticleReport {
    let m = TextModel::new(text, &rules.lang);
    let scan = scan::DocScan::with_model(&m, rules);
    let dets = Detector::new(&m, rules, &scan).run();
    let (linked, people) = link::link(&m, rules, &scan, dets);
    let headline = m
        .paragraphs
        .iter()
        .find(|p| p.kind == ParaKind::Heading)
        .map(|p| text[p.start..p.end].trim().to_string());

    // a claim per sentence without a detection, one per detection otherwise
    let mut claims = Vec::with_capacity(m.sentences.len() + linked.len());
    let mut li = 0;
    let mut covered = None;
    for (si, s) in m.sentences.iter().enumerate() {
        let first = li;
        while li < linked.len() && linked[li].det.sentence == si {
            li += 1;
        }
        if covered.is_some_and(|c| si <= c) {
            continue;
        }
        let mine: &[Linked] = &linked[first..li];
        let through = mine.iter().map(|l| l.det.through).max().unwrap_or(si);
        if through > si {
            covered = Some(through);
        }
        let (line, column) = m.line_col(s.start);
        let end = m.sentences[through].end;
        let sentence_text = text[s.start..end].to_string();
        let span = Span {
            start: s.start,
            end,
        };
        if mine.is_empty() {
            let mut fl = flags::term_flags(rules, &scan, &m, (s.start, s.end), false);
            fl.extend(flags::unattributed_flags(
                rules,
                &scan,
                &m,
                (s.start, s.end),
            ));
            fl.sort_by(|a, b| (a.span.start, &a.id).cmp(&(b.span.start, &b.id)));
            claims.push(Claim {
                index: 0,
                text: sentence_text,
                span,
                line,
                column,
                content: Content {
                    start: s.start,
                    end: s.end,
                    parts: Vec::new(),
                },
                attribution: None,
                strength: score::unattributed(rules),
                flags: fl,
                risk: None,
                verification: None,
            });
            continue;
        }
        let sentence_flags = flags::term_flags(rules, &scan, &m, (s.start, end), true);
        // the last claim of the sentence takes its text, the others a copy
        let last = mine.iter().rposition(|l| !l.chain.is_empty());
        let mut sentence_text = Some(sentence_text);
        for (k, l) in mine.iter().enumerate() {
            let Some(source) = l.chain.last() else {
                continue;
            };
            let content_parts = &l.det.content;
            let cstart = content_parts.iter().map(|c| c.0).min().unwrap_or(s.start);
            let cend = content_parts.iter().map(|c| c.1).max().unwrap_or(s.end);
            let spec = if l.det.directness == detect::Directness::DirectQuote {
                None
            } else {
                speculation(&m, rules, &scan, content_parts)
            };
            let strength =
                score::attributed(l, &m, rules, dated(&m, rules, s, content_parts), spec);
            let mut fl = flags::attribution_flags(rules, &m, l);
            // sentence-level word flags go to the claim whose content holds them, else the first
            for f in &sentence_flags {
                let holder = mine
                    .iter()
                    .position(|x| {
                        x.det
                            .content
                            .iter()
                            .any(|c| c.0 <= f.span.start && f.span.end <= c.1)
                    })
                    .unwrap_or(0);
                if holder == k {
                    fl.push(f.clone());
                }
            }
            fl.sort_by(|a, b| (a.span.start, &a.id).cmp(&(b.span.start, &b.id)));
            let (cs, ce) = (
                m.tokens[l.det.cue.start].start as usize,
                m.tokens[l.det.cue.end - 1].end as usize,
            );
            claims.push(Claim {
                index: 0,
                text: if Some(k) == last {
                    sentence_text.take().unwrap_or_default()
                } else {
                    sentence_text.clone().unwrap_or_default()
                },
                span,
                line,
                column,
                content: Content {
                    start: cstart,
                    end: cend,
                    parts: if content_parts.len() > 1 {
                        content_parts
                            .iter()
                            .map(|&(a, b)| Span { start: a, end: b })
                            .collect()
                    } else {
                        Vec::new()
                    },
                },
                attribution: Some(Attribution {
                    source: source_out(source, &m),
                    cue: Cue {
                        start: cs,
                        end: ce,
                        text: text[cs..ce].to_string(),
                        class: l.det.class.as_str(),
                        pattern: l.det.pattern,
                    },
                    chain: l.chain.iter().map(|h| source_out(h, &m)).collect(),
                    directness: l.det.directness.as_str(),
                    inherited: l.det.inherited,
                }),
                strength,
                flags: fl,
                risk: None,
                verification: None,
            });
        }
    }
    if let Some(lib) = sources {
        for c in claims.iter_mut() {
            verify_claim(&m, rules, lib, c);
        }
    }
    let reliance = checks::run(&m, rules, &people, &mut claims);
    // inline suppressions: drop the named flags in the paragraph after the marker
    let mut suppressed = 0;
    for (para, ids) in m.suppressions() {
        let (ps, pe) = (m.paragraphs[para].start, m.paragraphs[para].end);
        for c in claims
            .iter_mut()
            .filter(|c| c.span.start >= ps && c.span.start < pe)
        {
            let before = c.flags.len();
            c.flags.retain(|f| !(ids.is_empty() || ids.contains(&f.id)));
            suppressed += before - c.flags.len();
        }
    }
    for c in claims.iter_mut() {
        c.risk = checks::risk(rules, c);
    }
    let mut summary = Summary {
        suppressed,
        reliance,
        claims: claims.len(),
        attributed: 0,
        levels: LevelCounts::default(),
        flags: 0,
        flags_by_id: Default::default(),
    };
    for (i, c) in claims.iter_mut().enumerate() {
        c.index = i + 1;
        summary.levels.add(c.strength.level);
        summary.attributed += usize::from(c.attribution.is_some());
        summary.flags += c.flags.len();
        for f in &c.flags {
            // the id is copied only the first time it is counted
            match summary.flags_by_id.get_mut(&f.id) {
                Some(n) => *n += 1,
                None => {
                    summary.flags_by_id.insert(f.id.clone(), 1);
                }
            }
        }
    }
    ArticleReport {
        schema: SCHEMA,
        id: id.to_string(),
        meta,
        headline,
        claims,
        summary,
    }
}
