//! One test per attribution pattern, each on short invented news text, through the library
//! API with the default rule set. People, places and events here are fiction; the outlets
//! (Reuters, the Associated Press, The New York Times) appear only as sources.

use sourcecheck::model::{ArticleReport, Attribution, Claim};
use sourcecheck::rules::RuleSet;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::default_rules().expect("the default rules compile"))
}

fn analyze(text: &str) -> ArticleReport {
    sourcecheck::analyze("test", text, rules())
}

/// A readable dump of the claims, for assertion messages.
fn dump(r: &ArticleReport) -> String {
    let mut out = String::new();
    for c in &r.claims {
        out.push_str(&format!("  #{} {:?}\n", c.index, c.text));
        match &c.attribution {
            Some(a) => out.push_str(&format!(
                "     source={:?} resolved={:?} kind={} cue={:?} chain={:?} directness={} inherited={}\n",
                a.source.text,
                a.source.resolved,
                a.source.kind,
                a.cue.text,
                chain_names(a),
                a.directness,
                a.inherited
            )),
            None => out.push_str("     (unattributed)\n"),
        }
        out.push_str(&format!(
            "     score={} level={:?} flags={:?}\n",
            c.strength.score,
            c.strength.level,
            c.flags.iter().map(|f| f.id.as_str()).collect::<Vec<_>>()
        ));
    }
    out
}

/// The claims whose sentence contains `needle`.
fn claims_with<'r>(r: &'r ArticleReport, needle: &str) -> Vec<&'r Claim> {
    r.claims
        .iter()
        .filter(|c| c.text.contains(needle))
        .collect()
}

/// The single claim of the sentence containing `needle`.
fn claim<'r>(r: &'r ArticleReport, needle: &str) -> &'r Claim {
    let found = claims_with(r, needle);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one claim for the sentence containing {needle:?}; claims:\n{}",
        dump(r)
    );
    found[0]
}

/// The claim whose cue is `cue` as written (exactly one).
fn by_cue<'r>(r: &'r ArticleReport, cue: &str) -> &'r Claim {
    let found: Vec<&Claim> = r
        .claims
        .iter()
        .filter(|c| c.attribution.as_ref().is_some_and(|a| a.cue.text == cue))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one claim with the cue {cue:?}; claims:\n{}",
        dump(r)
    );
    found[0]
}

/// The claim of the sentence containing `needle` whose cue is `cue` (exactly one).
fn claim_cue<'r>(r: &'r ArticleReport, needle: &str, cue: &str) -> &'r Claim {
    let found: Vec<&Claim> = claims_with(r, needle)
        .into_iter()
        .filter(|c| c.attribution.as_ref().is_some_and(|a| a.cue.text == cue))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one claim with the cue {cue:?} in the sentence containing {needle:?}; claims:\n{}",
        dump(r)
    );
    found[0]
}

/// Checked last, so that a missing or wrong attribution is reported first.
fn assert_claim_count(r: &ArticleReport, n: usize) {
    assert_eq!(
        r.claims.len(),
        n,
        "expected {n} claim(s), one per sentence and attribution, and no spurious ones; claims:\n{}",
        dump(r)
    );
}

fn attribution<'c>(r: &ArticleReport, c: &'c Claim) -> &'c Attribution {
    c.attribution.as_ref().unwrap_or_else(|| {
        panic!(
            "expected an attribution for {:?}; claims:\n{}",
            c.text,
            dump(r)
        )
    })
}

/// Each hop of the chain by its resolved name, or its text when unresolved.
fn chain_names(a: &Attribution) -> Vec<String> {
    a.chain
        .iter()
        .map(|h| h.resolved.clone().unwrap_or_else(|| h.text.clone()))
        .collect()
}

/// Ignores a leading article and case ("The Defence Ministry" ~ "Defence Ministry").
fn norm_name(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix("The ")
        .or_else(|| s.strip_prefix("the "))
        .unwrap_or(s);
    s.to_lowercase()
}

/// The words of a content slice, without surrounding quotation marks, spaces and the
/// punctuation that closes a quotation or a clause.
fn words(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\u{201c}' | '\u{201d}' | ',' | '.' | ';' | ':')
    })
}

fn content_words<'t>(text: &'t str, c: &Claim) -> &'t str {
    words(&text[c.content.start..c.content.end])
}

/// The content pieces of a claim (one piece when the content is continuous).
fn content_pieces<'t>(text: &'t str, c: &Claim) -> Vec<&'t str> {
    if c.content.parts.is_empty() {
        vec![content_words(text, c)]
    } else {
        c.content
            .parts
            .iter()
            .map(|p| words(&text[p.start..p.end]))
            .collect()
    }
}

/// What an attributed claim must look like.
struct Want<'a> {
    source: &'a str,
    resolved: Option<&'a str>,
    kind: Option<&'a str>,
    cue: &'a str,
    chain: &'a [&'a str],
    directness: &'a str,
    content: &'a str,
}

fn check(text: &str, r: &ArticleReport, c: &Claim, w: &Want) {
    let a = attribution(r, c);
    let ctx = || format!("in sentence {:?}; claims:\n{}", c.text, dump(r));
    assert_eq!(
        a.source.text,
        w.source,
        "expected source as written {:?} {}",
        w.source,
        ctx()
    );
    assert_eq!(
        &text[a.source.start..a.source.end],
        w.source,
        "expected the source span to slice {:?} {}",
        w.source,
        ctx()
    );
    if let Some(res) = w.resolved {
        assert_eq!(
            a.source.resolved.as_deref(),
            Some(res),
            "expected source resolved to {res:?} {}",
            ctx()
        );
    }
    if let Some(kind) = w.kind {
        assert_eq!(
            a.source.kind,
            kind,
            "expected source kind {kind:?} {}",
            ctx()
        );
    }
    assert_eq!(a.cue.text, w.cue, "expected cue {:?} {}", w.cue, ctx());
    assert_eq!(
        &text[a.cue.start..a.cue.end],
        w.cue,
        "expected the cue span to slice {:?} {}",
        w.cue,
        ctx()
    );
    let got: Vec<String> = chain_names(a).iter().map(|s| norm_name(s)).collect();
    let want: Vec<String> = w.chain.iter().map(|s| norm_name(s)).collect();
    assert_eq!(got, want, "expected chain {:?} {}", w.chain, ctx());
    assert_eq!(
        a.directness,
        w.directness,
        "expected directness {:?} {}",
        w.directness,
        ctx()
    );
    assert_eq!(
        content_words(text, c),
        w.content,
        "expected content {:?} {}",
        w.content,
        ctx()
    );
    assert!(
        c.span.start <= c.content.start && c.content.end <= c.span.end,
        "expected the content inside its sentence {}",
        ctx()
    );
}

// ------------------------------------------------------------------ speech verbs

#[test]
fn quote_then_speaker_said() {
    let text = "\"We will not raise fares this year,\" Mayor Ines Calder said.";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "said"),
        &Want {
            source: "Mayor Ines Calder",
            resolved: Some("Ines Calder"),
            kind: Some("official"),
            cue: "said",
            chain: &["Ines Calder"],
            directness: "direct_quote",
            content: "We will not raise fares this year",
        },
    );
    assert_claim_count(&r, 1);
}

#[test]
fn quote_then_said_speaker() {
    let text = "\"The budget is balanced,\" said Harlan Voss.";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "said"),
        &Want {
            source: "Harlan Voss",
            resolved: Some("Harlan Voss"),
            kind: Some("person"),
            cue: "said",
            chain: &["Harlan Voss"],
            directness: "direct_quote",
            content: "The budget is balanced",
        },
    );
    assert_claim_count(&r, 1);
}

#[test]
fn speaker_said_colon_quote() {
    let text = "Mayor Ines Calder said: \"The bridge will reopen in May.\"";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "said"),
        &Want {
            source: "Mayor Ines Calder",
            resolved: Some("Ines Calder"),
            kind: Some("official"),
            cue: "said",
            chain: &["Ines Calder"],
            directness: "direct_quote",
            content: "The bridge will reopen in May",
        },
    );
    assert_claim_count(&r, 1);
}

#[test]
fn speaker_said_that() {
    let text = "Police chief Ruth Amari said that two suspects had been arrested.";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "said"),
        &Want {
            source: "Police chief Ruth Amari",
            resolved: Some("Ruth Amari"),
            kind: Some("official"),
            cue: "said",
            chain: &["Ruth Amari"],
            directness: "paraphrase",
            content: "two suspects had been arrested",
        },
    );
    assert_claim_count(&r, 1);
}

#[test]
fn speaker_said_without_that() {
    let text = "Harlan Voss said the city would hire forty inspectors.";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "said"),
        &Want {
            source: "Harlan Voss",
            resolved: Some("Harlan Voss"),
            kind: Some("person"),
            cue: "said",
            chain: &["Harlan Voss"],
            directness: "paraphrase",
            content: "the city would hire forty inspectors",
        },
    );
    assert_claim_count(&r, 1);
}

#[test]
fn speaker_told_reporters() {
    let text = "Police chief Ruth Amari told reporters that two suspects had been arrested. \
                Amari told reporters the men were in custody.";
    let r = analyze(text);
    check(
        text,
        &r,
        claim_cue(&r, "two suspects", "told"),
        &Want {
            source: "Police chief Ruth Amari",
            resolved: Some("Ruth Amari"),
            kind: Some("official"),
            cue: "told",
            chain: &["Ruth Amari"],
            directness: "paraphrase",
            content: "two suspects had been arrested",
        },
    );
    check(
        text,
        &r,
        claim_cue(&r, "in custody", "told"),
        &Want {
            source: "Amari",
            resolved: Some("Ruth Amari"),
            kind: None,
            cue: "told",
            chain: &["Ruth Amari"],
            directness: "paraphrase",
            content: "the men were in custody",
        },
    );
    assert_claim_count(&r, 2);
}

#[test]
fn speaker_told_listener_quote() {
    let text = "Ruth Amari told Mayor Ines Calder, \"We need more patrol cars.\"";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "told"),
        &Want {
            source: "Ruth Amari",
            resolved: Some("Ruth Amari"),
            kind: Some("person"),
            cue: "told",
            chain: &["Ruth Amari"],
            directness: "direct_quote",
            content: "We need more patrol cars",
        },
    );
    assert_claim_count(&r, 1);
}

#[test]
fn speaker_described_y_as_z() {
    let text = "Harlan Voss described the budget as a sensible compromise.";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "described"),
        &Want {
            source: "Harlan Voss",
            resolved: Some("Harlan Voss"),
            kind: Some("person"),
            cue: "described",
            chain: &["Harlan Voss"],
            directness: "paraphrase",
            content: "the budget as a sensible compromise",
        },
    );
    assert_claim_count(&r, 1);
}

// ------------------------------------------------------------------ outlets

#[test]
fn according_to_outlet_leading() {
    let text = "According to Reuters, the refinery will close in March.";
    let r = analyze(text);
    let c = by_cue(&r, "According to");
    check(
        text,
        &r,
        c,
        &Want {
            source: "Reuters",
            resolved: Some("Reuters"),
            kind: Some("wire"),
            cue: "According to",
            chain: &["Reuters"],
            directness: "paraphrase",
            content: "the refinery will close in March",
        },
    );
    assert_eq!(
        attribution(&r, c).source.id.as_deref(),
        Some("reuters"),
        "expected the catalogue id `reuters`"
    );
    assert_claim_count(&r, 1);
}

#[test]
fn according_to_outlet_trailing() {
    let text = "The two governments signed the agreement at a trade forum in Geneva last week, \
                according to the Associated Press. \
                Fares rose sharply last year, according to the Associated Press.";
    let r = analyze(text);
    for (needle, content) in [
        (
            "trade forum",
            "The two governments signed the agreement at a trade forum in Geneva last week",
        ),
        ("Fares rose", "Fares rose sharply last year"),
    ] {
        let c = claim_cue(&r, needle, "according to");
        check(
            text,
            &r,
            c,
            &Want {
                source: "the Associated Press",
                resolved: Some("Associated Press"),
                kind: Some("wire"),
                cue: "according to",
                chain: &["Associated Press"],
                directness: "paraphrase",
                content,
            },
        );
        assert_eq!(
            attribution(&r, c).source.id.as_deref(),
            Some("ap"),
            "expected the catalogue id `ap` for {needle:?}"
        );
    }
    assert_claim_count(&r, 2);
}

#[test]
fn according_to_around_a_speech_verb() {
    // "announced" inside the content of "according to" must not swallow the attribution
    let text = "The two governments first announced the project on Jan. 14 at a U.N. trade \
                forum in Geneva, according to the Associated Press.";
    let r = analyze(text);
    assert!(
        r.claims.iter().any(|c| c
            .attribution
            .as_ref()
            .is_some_and(|a| a.chain.iter().any(|h| h.id.as_deref() == Some("ap")))),
        "expected a claim whose chain holds the Associated Press:\n{}",
        dump(&r)
    );
    for c in &r.claims {
        let Some(a) = &c.attribution else { continue };
        assert!(
            !a.source.text.ends_with("first"),
            "expected the adverb `first` not to be part of a source ({:?}):\n{}",
            a.source.text,
            dump(&r)
        );
        assert!(
            !text[c.content.start..c.content.end].contains("according to"),
            "expected no content to run over the `according to` attribution ({:?}):\n{}",
            &text[c.content.start..c.content.end],
            dump(&r)
        );
    }
}

#[test]
fn outlet_reported_that() {
    let text = "Reuters reported that the owners had rejected two offers.";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "reported"),
        &Want {
            source: "Reuters",
            resolved: Some("Reuters"),
            kind: Some("wire"),
            cue: "reported",
            chain: &["Reuters"],
            directness: "paraphrase",
            content: "the owners had rejected two offers",
        },
    );
    assert_claim_count(&r, 1);
}

// ------------------------------------------------------------------ chains

#[test]
fn state_television_quoted_y_as_saying() {
    let text = "State television quoted President Ilir Vasko as saying the border would stay open.";
    let r = analyze(text);
    let c = by_cue(&r, "quoted");
    check(
        text,
        &r,
        c,
        &Want {
            source: "President Ilir Vasko",
            resolved: Some("Ilir Vasko"),
            kind: Some("official"),
            cue: "quoted",
            chain: &["State television", "Ilir Vasko"],
            directness: "paraphrase",
            content: "the border would stay open",
        },
    );
    let first = &attribution(&r, c).chain[0];
    assert_eq!(
        first.kind,
        "state_media",
        "expected the first hop to be the state media class:\n{}",
        dump(&r)
    );
    assert_claim_count(&r, 1);
}

#[test]
fn short_alias_cites_analysts_after_full_name() {
    let text = "The New York Times said the talks had stalled. \
                The Times cited analysts who said the currency could fall further.";
    let r = analyze(text);
    let c = claim_cue(&r, "The Times cited", "cited");
    check(
        text,
        &r,
        c,
        &Want {
            source: "analysts",
            resolved: None,
            kind: Some("anonymous"),
            cue: "cited",
            chain: &["The New York Times", "analysts"],
            directness: "paraphrase",
            content: "the currency could fall further",
        },
    );
    let a = attribution(&r, c);
    assert_eq!(
        a.chain[0].text, "The Times",
        "expected the first hop as written"
    );
    assert_eq!(
        a.chain[0].id.as_deref(),
        Some("nyt"),
        "expected `The Times` to resolve to the catalogue id `nyt`"
    );
    assert_claim_count(&r, 2);
}

#[test]
fn short_alias_alone_is_not_resolved() {
    // without the full name in the article, "The Times" may be any Times
    let text = "The Times cited analysts who said the currency could fall further.";
    let r = analyze(text);
    let c = claim(&r, "The Times cited");
    let a = attribution(&r, c);
    assert_eq!(
        chain_names(a).len(),
        2,
        "expected a two-hop chain:\n{}",
        dump(&r)
    );
    assert_ne!(
        a.chain[0].id.as_deref(),
        Some("nyt"),
        "expected `The Times` not to resolve to The New York Times when it is not named:\n{}",
        dump(&r)
    );
}

#[test]
fn named_body_cited_y_as_saying() {
    let text = "The Defence Ministry cited Colonel Oskar Lehn as saying exports had doubled.";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "cited"),
        &Want {
            source: "Colonel Oskar Lehn",
            resolved: Some("Oskar Lehn"),
            kind: Some("official"),
            cue: "cited",
            chain: &["Defence Ministry", "Oskar Lehn"],
            directness: "paraphrase",
            content: "exports had doubled",
        },
    );
    assert_claim_count(&r, 1);
}

#[test]
fn common_noun_body_cited_or_quoted_y_as_saying() {
    // "the ministry" (no name) is still the first hop of the chain
    for verb in ["cited", "quoted"] {
        let text = format!(
            "The Defence Ministry denied the report. \
             The ministry {verb} Colonel Oskar Lehn as saying exports had doubled."
        );
        let r = analyze(&text);
        let c = claim(&r, verb);
        let a = attribution(&r, c);
        assert_eq!(a.cue.text, verb, "expected cue {verb:?}:\n{}", dump(&r));
        assert_eq!(
            a.source.resolved.as_deref(),
            Some("Oskar Lehn"),
            "expected the speaker Oskar Lehn:\n{}",
            dump(&r)
        );
        assert_eq!(
            a.chain.len(),
            2,
            "expected the chain [the ministry, Oskar Lehn]:\n{}",
            dump(&r)
        );
        assert_eq!(
            norm_name(&a.chain[0].text),
            "ministry",
            "expected the first hop to be `The ministry`:\n{}",
            dump(&r)
        );
        assert_eq!(
            content_words(&text, c),
            "exports had doubled",
            "expected content `exports had doubled`:\n{}",
            dump(&r)
        );
    }
}

#[test]
fn outlet_reported_citing_anonymous() {
    let text = "The merger will be announced on Monday, Reuters reported, \
                citing two people familiar with the talks.";
    let r = analyze(text);
    check(
        text,
        &r,
        by_cue(&r, "reported"),
        &Want {
            source: "two people familiar with the talks",
            resolved: None,
            kind: Some("anonymous"),
            cue: "reported",
            chain: &["Reuters", "two people familiar with the talks"],
            directness: "paraphrase",
            content: "The merger will be announced on Monday",
        },
    );
    assert_claim_count(&r, 1);
}

// ------------------------------------------------------------------ speaker resolution

#[test]
fn pronoun_resolves_to_person_in_previous_sentence() {
    let text = "Harbour master Tomas Brekke inspected the pier on Friday. \
                He said the repairs would take two months.";
    let r = analyze(text);
    check(
        text,
        &r,
        claim_cue(&r, "He said", "said"),
        &Want {
            source: "He",
            resolved: Some("Tomas Brekke"),
            kind: None,
            cue: "said",
            chain: &["Tomas Brekke"],
            directness: "paraphrase",
            content: "the repairs would take two months",
        },
    );
    assert_claim_count(&r, 2);
}

#[test]
fn pronoun_prefers_the_person_just_named_over_an_earlier_speaker() {
    let text = "Mayor Ines Calder said the budget was balanced. \
                Opposition leader Jonas Wirth was unconvinced. \
                \"The numbers do not add up,\" he said.";
    let r = analyze(text);
    check(
        text,
        &r,
        claim_cue(&r, "he said", "said"),
        &Want {
            source: "he",
            resolved: Some("Jonas Wirth"),
            kind: None,
            cue: "said",
            chain: &["Jonas Wirth"],
            directness: "direct_quote",
            content: "The numbers do not add up",
        },
    );
    assert_claim_count(&r, 3);
}

#[test]
fn title_and_surname_resolve_to_full_name() {
    let text = "Economist Tomas Brekke joined the central bank in 2015. \
                Mr. Brekke said interest rates would stay high.";
    let r = analyze(text);
    check(
        text,
        &r,
        claim_cue(&r, "Mr. Brekke", "said"),
        &Want {
            source: "Mr. Brekke",
            resolved: Some("Tomas Brekke"),
            kind: None,
            cue: "said",
            chain: &["Tomas Brekke"],
            directness: "paraphrase",
            content: "interest rates would stay high",
        },
    );
    assert_claim_count(&r, 2);
}

#[test]
fn descriptors_before_a_name_are_not_part_of_it() {
    for (text, source, name) in [
        (
            "Interior Minister Bela Dorn said the border would stay open.",
            "Interior Minister Bela Dorn",
            "Bela Dorn",
        ),
        (
            "\"The harvest is lost,\" farmer Jan Holub said.",
            "farmer Jan Holub",
            "Jan Holub",
        ),
    ] {
        let r = analyze(text);
        let c = by_cue(&r, "said");
        let a = attribution(&r, c);
        assert_eq!(
            a.source.text,
            source,
            "expected the source as written:\n{}",
            dump(&r)
        );
        assert_eq!(
            a.source.resolved.as_deref(),
            Some(name),
            "expected {source:?} to resolve to the name {name:?}:\n{}",
            dump(&r)
        );
    }
}

// ------------------------------------------------------------------ quotations

/// A quotation broken by its speaker tag ('"...," X said. "..."') is one claim with two
/// content pieces: the second sentence goes on with the same quotation.
#[test]
fn quote_continued_after_speaker_tag_is_one_claim() {
    let text = "\"We are not going anywhere,\" Tomas Brekke said. \"This town is our home.\"";
    let r = analyze(text);
    assert_claim_count(&r, 1);
    let c = claim(&r, "not going anywhere");
    let a = attribution(&r, c);
    assert!(
        !a.inherited,
        "expected the attributed quote not to be inherited"
    );
    assert_eq!(
        a.source.resolved.as_deref(),
        Some("Tomas Brekke"),
        "expected Tomas Brekke:\n{}",
        dump(&r)
    );
    assert_eq!(a.directness, "direct_quote", "expected a direct quote");
    assert_eq!(
        content_pieces(text, c),
        ["We are not going anywhere", "This town is our home"],
        "expected both quoted sentences as the content"
    );
    assert!(
        c.text.ends_with("our home.\""),
        "expected the claim to span both sentences: {:?}",
        c.text
    );
}

/// A quote-only paragraph after an attributed quotation inherits its speaker.
#[test]
fn quote_only_paragraph_inherits_speaker() {
    let text = "\"We are not going anywhere,\" Tomas Brekke said.\n\n\"This town is our home.\"\n";
    let r = analyze(text);
    assert_claim_count(&r, 2);
    let c = claim(&r, "our home");
    let a = attribution(&r, c);
    assert!(
        a.inherited,
        "expected the quote-only paragraph to inherit its speaker:\n{}",
        dump(&r)
    );
    assert_eq!(
        a.source.resolved.as_deref(),
        Some("Tomas Brekke"),
        "expected Tomas Brekke:\n{}",
        dump(&r)
    );
    assert_eq!(
        content_words(text, c),
        "This town is our home",
        "expected the quoted words as content"
    );
}

#[test]
fn split_quote_has_two_parts() {
    let text = "Mayor Maja Lind spoke after the vote. \
                \"The plan is fair,\" she said, \"and the council should approve it.\"";
    let r = analyze(text);
    let c = claim(&r, "she said");
    let a = attribution(&r, c);
    assert_eq!(a.source.text, "she", "expected the pronoun as written");
    assert_eq!(
        a.source.resolved.as_deref(),
        Some("Maja Lind"),
        "expected `she` to resolve to Maja Lind:\n{}",
        dump(&r)
    );
    assert_eq!(a.cue.text, "said", "expected cue `said`");
    assert_eq!(a.directness, "direct_quote", "expected a direct quote");
    let parts: Vec<&str> = c
        .content
        .parts
        .iter()
        .map(|p| words(&text[p.start..p.end]))
        .collect();
    assert_eq!(
        parts,
        ["The plan is fair", "and the council should approve it"],
        "expected the content in two parts around the attribution:\n{}",
        dump(&r)
    );
    for p in &c.content.parts {
        assert!(
            c.content.start <= p.start && p.end <= c.content.end,
            "expected each part inside the content's overall span"
        );
    }
    assert_claim_count(&r, 2);
}

#[test]
fn quotation_over_two_paragraphs_attributed_in_the_first() {
    let text = "Union leader Sofia Reyes spoke to the workers at noon. \
                \"We have won a fair contract,\" Reyes said. \"Nobody believed we could do it.\n\
                \n\
                \"Now we go back to work with our heads high.\"\n\
                \n\
                The vote passed by 312 to 40.\n";
    let r = analyze(text);
    // the quotation broken by "Reyes said." is one claim; the next paragraph continues it
    let c = claim(&r, "Nobody believed");
    let a = attribution(&r, c);
    assert_eq!(
        a.source.resolved.as_deref(),
        Some("Sofia Reyes"),
        "expected Sofia Reyes:\n{}",
        dump(&r)
    );
    assert_eq!(
        content_pieces(text, c),
        [
            "We have won a fair contract",
            "Nobody believed we could do it"
        ],
        "expected both quoted pieces"
    );
    let c = claim(&r, "Now we go back");
    let a = attribution(&r, c);
    assert_eq!(
        a.source.resolved.as_deref(),
        Some("Sofia Reyes"),
        "expected the continued quotation to be Sofia Reyes's:\n{}",
        dump(&r)
    );
    assert!(
        a.inherited,
        "expected the continuation paragraph to inherit"
    );
    assert_eq!(a.directness, "direct_quote", "expected a direct quote");
    assert_eq!(
        content_words(text, c),
        "Now we go back to work with our heads high",
        "expected the quoted words"
    );
    let after = claim(&r, "The vote passed");
    assert!(
        after.attribution.is_none(),
        "expected the sentence after the closed quotation to be unattributed:\n{}",
        dump(&r)
    );
    assert_claim_count(&r, 4);
}

#[test]
fn quotation_over_two_paragraphs_attributed_at_its_end() {
    let text = "\"We have won a fair contract. Nobody believed we could do it.\n\
                \n\
                \"Now we go back to work with our heads high,\" union leader Sofia Reyes said.\n\
                \n\
                The vote passed by 312 to 40.\n";
    let r = analyze(text);
    // a quotation is never split into sentences: the first paragraph is one claim
    let c = claim(&r, "fair contract");
    let a = attribution(&r, c);
    assert_eq!(
        a.source.resolved.as_deref(),
        Some("Sofia Reyes"),
        "expected the quotation that closes with `union leader Sofia Reyes said` to be hers:\n{}",
        dump(&r)
    );
    assert!(
        a.inherited,
        "expected the opening paragraph to inherit the speaker named at the end"
    );
    assert_eq!(a.directness, "direct_quote", "expected a direct quote");
    assert_eq!(
        content_words(text, c),
        "We have won a fair contract. Nobody believed we could do it",
        "expected the whole quoted paragraph"
    );
    let c = claim(&r, "Now we go back");
    assert_eq!(
        attribution(&r, c).source.resolved.as_deref(),
        Some("Sofia Reyes"),
        "expected the closing paragraph to be attributed to Sofia Reyes"
    );
    assert_eq!(
        content_words(text, c),
        "Now we go back to work with our heads high",
        "expected the quoted words"
    );
    assert!(
        claim(&r, "The vote passed").attribution.is_none(),
        "expected the sentence after the quotation to be unattributed:\n{}",
        dump(&r)
    );
    assert_claim_count(&r, 3);
}

#[test]
fn unbalanced_quote_does_not_stop_the_article() {
    let text = "Shop owner Karl Weiss was furious. \"They have ruined the high street, he said.\n\
                \n\
                Mayor Lotte Berg said the works would end in April.\n\
                \n\
                \"We listened to every trader,\" Berg said.\n";
    let r = analyze(text);
    check(
        text,
        &r,
        claim_cue(&r, "the works would end", "said"),
        &Want {
            source: "Mayor Lotte Berg",
            resolved: Some("Lotte Berg"),
            kind: Some("official"),
            cue: "said",
            chain: &["Lotte Berg"],
            directness: "paraphrase",
            content: "the works would end in April",
        },
    );
    check(
        text,
        &r,
        claim_cue(&r, "every trader", "said"),
        &Want {
            source: "Berg",
            resolved: Some("Lotte Berg"),
            kind: Some("official"),
            cue: "said",
            chain: &["Lotte Berg"],
            directness: "direct_quote",
            content: "We listened to every trader",
        },
    );
    assert_claim_count(&r, 4);
}

// ------------------------------------------------------------------ sentences

#[test]
fn abbreviations_do_not_split_sentences() {
    let first = "Brig. Gen. Omar Haddad met Sen. Ruth Olsen, Gov. Paul Mercer and Dr. Vera Stahl \
                 at 9 a.m. on Jan. 12 to discuss U.S. and U.N. plans for Gate No. 4 with \
                 Mr. Ivo Kral.";
    let second = "The talks ended at 3 p.m. on a rainy Tuesday.";
    let third = "Gen. Ali Saad said the plan was sound.";
    let text = format!("{first} {second} {third}");
    let r = analyze(&text);
    let texts: Vec<&str> = r.claims.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [first, second, third],
        "expected exactly three sentences, abbreviations kept inside them"
    );
    let a = attribution(&r, &r.claims[2]);
    assert_eq!(a.source.text, "Gen. Ali Saad", "expected the titled source");
    assert_eq!(
        a.source.resolved.as_deref(),
        Some("Ali Saad"),
        "expected `Gen. Ali Saad` to resolve to Ali Saad"
    );
}

#[test]
fn abbreviation_can_end_a_sentence() {
    let text = "The delegation flew to the U.S. The talks begin on Monday. \
                The polls closed at 8 p.m. But the count went on all night.";
    let r = analyze(text);
    let texts: Vec<&str> = r.claims.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "The delegation flew to the U.S.",
            "The talks begin on Monday.",
            "The polls closed at 8 p.m.",
            "But the count went on all night.",
        ],
        "expected `U.S.` and `p.m.` to end a sentence before a usual sentence opener"
    );
}

#[test]
fn headline_and_boilerplate_are_not_claims() {
    let text = "Port workers vote to end strike\n\
                \n\
                Union leader Sofia Reyes said the strike was over. The vote passed by 312 to 40.\n\
                \n\
                Share this article:\n\
                \n\
                No comments:\n";
    let r = analyze(text);
    assert_eq!(
        r.headline.as_deref(),
        Some("Port workers vote to end strike"),
        "expected the short first line as the headline"
    );
    let texts: Vec<&str> = r.claims.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Union leader Sofia Reyes said the strike was over.",
            "The vote passed by 312 to 40."
        ],
        "expected only the body sentences as claims, no headline or boilerplate"
    );
    assert_eq!(
        (r.claims[0].line, r.claims[0].column),
        (3, 1),
        "expected the first claim at line 3, column 1"
    );
}

// ------------------------------------------------------------------ flags

#[test]
fn loaded_label_only_in_authors_voice() {
    let text = "The Kovar regime closed the border on Sunday. \
                \"The regime has lied to us for years,\" farmer Jan Holub said.";
    let r = analyze(text);
    let own = claim(&r, "Kovar regime");
    let loaded: Vec<_> = own
        .flags
        .iter()
        .filter(|f| f.id == "loaded-label")
        .collect();
    assert_eq!(
        loaded.len(),
        1,
        "expected one loaded-label flag in the author's sentence:\n{}",
        dump(&r)
    );
    assert_eq!(
        &text[loaded[0].span.start..loaded[0].span.end],
        "regime",
        "expected the flag's span on the word `regime`"
    );
    let quoted = claim(&r, "lied to us");
    assert!(
        quoted.flags.iter().all(|f| f.id != "loaded-label"),
        "expected no loaded-label flag for `regime` inside quotation marks:\n{}",
        dump(&r)
    );
    assert_claim_count(&r, 2);
}

#[test]
fn anonymous_sole_source_is_flagged() {
    let text = "A senior official who spoke on condition of anonymity said the border \
                would stay shut for a month. Mayor Lotte Berg said the market would reopen.";
    let r = analyze(text);
    let anon = claim(&r, "anonymity");
    let a = attribution(&r, anon);
    assert_eq!(
        a.source.text, "A senior official who spoke on condition of anonymity",
        "expected the whole anonymous description as the source"
    );
    assert_eq!(a.source.kind, "anonymous", "expected an anonymous source");
    assert!(
        anon.flags.iter().any(|f| f.id == "anonymous-sole-source"),
        "expected anonymous-sole-source on the anonymous claim:\n{}",
        dump(&r)
    );
    let named = claim(&r, "Lotte Berg");
    assert!(
        named.flags.iter().all(|f| f.id != "anonymous-sole-source"),
        "expected no anonymous-sole-source on a named source:\n{}",
        dump(&r)
    );
    assert_claim_count(&r, 2);
}

// ------------------------------------------------------------------ strength

#[test]
fn strength_decreases_from_outlet_to_unattributed() {
    let text = "According to Reuters, the copper mine will close in March. \
                State media quoted Minister Dana Voss as saying the mine was unsafe. \
                Analysts said the closure would cost hundreds of jobs. \
                The town has depended on the mine for decades.";
    let r = analyze(text);
    let order = [
        "According to Reuters",
        "State media",
        "Analysts",
        "The town",
    ];
    let scores: Vec<i32> = order.iter().map(|n| claim(&r, n).strength.score).collect();
    assert!(
        scores.windows(2).all(|w| w[0] > w[1]),
        "expected strictly decreasing scores for {order:?}, got {scores:?}:\n{}",
        dump(&r)
    );
    assert!(
        claim(&r, "State media").attribution.is_some()
            && claim(&r, "Analysts").attribution.is_some(),
        "expected the chain and the anonymous claim to be attributed:\n{}",
        dump(&r)
    );
    assert!(
        claim(&r, "The town").attribution.is_none(),
        "expected the last claim to be unattributed"
    );
    for c in &r.claims {
        let sum: i32 = c.strength.factors.iter().map(|f| f.value).sum();
        assert_eq!(
            c.strength.score,
            sum.clamp(0, 100),
            "expected the score to be the clamped sum of its factors for {:?}",
            c.text
        );
    }
    assert_claim_count(&r, 4);
}
