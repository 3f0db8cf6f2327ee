//! Every offset the tool reports slices the article text to exactly what it reports:
//! claim spans, contents, sources, cues, chain hops and flags, with correct line/column.
//! Checked over the sample article, every PolNeAR article (train and dev) and random text.

use proptest::prelude::*;
use sourcecheck::model::ArticleReport;
use sourcecheck::rules::RuleSet;
use std::path::PathBuf;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::default_rules().expect("default rules compile"))
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..offset].chars().count() + 1)
}

fn slice<'t>(text: &'t str, start: usize, end: usize, what: &str) -> &'t str {
    assert!(
        start <= end && end <= text.len(),
        "{what}: {start}..{end} out of bounds ({})",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: {start}..{end} splits a character"
    );
    &text[start..end]
}

/// Checks every reported offset of a report against its text.
fn check(text: &str, r: &ArticleReport) {
    for c in &r.claims {
        assert_eq!(
            slice(text, c.span.start, c.span.end, "claim span"),
            c.text,
            "claim text"
        );
        assert_eq!(
            (c.line, c.column),
            line_col(text, c.span.start),
            "line/column of claim {}",
            c.index
        );
        let content = slice(text, c.content.start, c.content.end, "content");
        assert!(
            !content.trim().is_empty(),
            "empty content in claim {:?}",
            c.text
        );
        for p in &c.content.parts {
            slice(text, p.start, p.end, "content part");
            assert!(
                c.content.start <= p.start && p.end <= c.content.end,
                "part outside content"
            );
        }
        if let Some(a) = &c.attribution {
            assert_eq!(
                slice(text, a.source.start, a.source.end, "source"),
                a.source.text,
                "source text"
            );
            assert_eq!(
                slice(text, a.cue.start, a.cue.end, "cue"),
                a.cue.text,
                "cue text"
            );
            assert!(!a.chain.is_empty(), "an attribution has a chain");
            for h in &a.chain {
                assert_eq!(
                    slice(text, h.start, h.end, "chain hop"),
                    h.text,
                    "chain hop text"
                );
            }
            let last = a.chain.last().unwrap();
            assert_eq!(
                (last.start, last.end),
                (a.source.start, a.source.end),
                "the source is the last hop"
            );
        }
        for f in &c.flags {
            slice(text, f.span.start, f.span.end, "flag");
        }
    }
    for (a, b) in r.claims.iter().zip(r.claims.iter().skip(1)) {
        assert!(a.span.start <= b.span.start, "claims are in text order");
    }
}

fn shared(path: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing in CI",
        p.display()
    );
    eprintln!("note: {} not found; skipping", p.display());
    None
}

#[test]
fn sample_article_offsets_slice_exactly() {
    let Some(p) = shared("samples/seed-article.txt") else {
        return;
    };
    let text = std::fs::read_to_string(p).unwrap();
    let r = sourcecheck::analyze("seed", &text, rules());
    assert!(r.claims.len() > 10);
    check(&text, &r);
}

#[test]
fn polnear_offsets_slice_exactly() {
    for split in ["eval/polnear/train.jsonl", "eval/polnear/dev.jsonl"] {
        let Some(p) = shared(split) else { return };
        let corpus = std::fs::read_to_string(p).unwrap();
        let mut articles = 0;
        let mut attributed = 0;
        for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
            let a = sourcecheck::input::parse_line(split, 1, line).expect("PolNeAR lines parse");
            let r = sourcecheck::analyze(&a.id, &a.text, rules());
            check(&a.text, &r);
            articles += 1;
            attributed += r.summary.attributed;
        }
        assert!(
            articles > 50 && attributed > articles * 5,
            "{split}: {articles} articles, {attributed} attributed claims"
        );
    }
}

#[test]
fn example_articles_offsets_slice_exactly() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    for name in ["harbour-deal.txt", "council-vote.md"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        check(&text, &sourcecheck::analyze(name, &text, rules()));
    }
}

/// Fragments of news text, including the awkward ones: unbalanced and mixed quotation
/// marks, abbreviations, non-ASCII letters, blank lines.
fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Reuters reported that ",
        "according to Iranian media, ",
        "\u{201c}We are ready,\u{201d} ",
        "he said. ",
        "state media quoted Baker as saying ",
        "The Times cited analysts who said ",
        "\"",
        "\u{201c}",
        "\u{201d}",
        "''",
        "\u{2018}",
        "\u{2019}",
        "Mr. ",
        "Brig. Gen. ",
        "U.S. ",
        "a.m. ",
        "Peskov stated.",
        "\n\n",
        "\n",
        "Iran is preparing to attack. ",
        "Ö",
        "日本",
        "—",
        ", ",
        ": ",
        "the regime ",
        "Massed Pezeshkian ",
        "told reporters ",
        "said: ",
        "(R-Ohio) ",
        "No comments:",
        "# Heading\n",
        "- item\n",
        "47 percent said ",
        "citing two people familiar with the talks.",
        "é",
        "\t",
        "?",
        "!",
        " ",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics_and_offsets_hold(parts in prop::collection::vec(fragment(), 0..40)) {
        let text: String = parts.concat();
        let r = sourcecheck::analyze("random", &text, rules());
        check(&text, &r);
    }
}
