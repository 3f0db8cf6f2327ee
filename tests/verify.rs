//! Verification against cited sources (`check --sources DIR`): verified, altered and missing
//! quotations, matched paraphrases, their effect on strength, and a lookup over 1,000
//! documents (its time is printed, never asserted: speed is for benchmarks).

use sourcecheck::model::{ArticleReport, Meta};
use sourcecheck::rules::RuleSet;
use sourcecheck::verify::{Document, Library};
use std::time::Instant;

const DOC: &str = "---\noutlet: Reuters\nurl: https://example.org/a\ndate: 2026-02-10\n---\n\
Harbour master Ruth Okafor said the dredging would finish in April. \"We will not close the channel to fishing boats at any point,\" she told Reuters. \
The port expects forty new cranes by the summer.\n";

fn report(text: &str, lib: Option<&Library>) -> ArticleReport {
    let rules = RuleSet::default_rules().unwrap();
    sourcecheck::analyze_full("t", text, Meta::default(), &rules, lib)
}

fn library(docs: &[(&str, &str)]) -> Library {
    Library::from_texts(docs.iter().copied()).unwrap()
}

#[test]
fn verified_altered_and_missing_quotes_change_strength() {
    let lib = library(&[("reuters-harbour.txt", DOC)]);
    let article = "\"We will not close the channel to fishing boats at any point,\" Ruth Okafor told Reuters.\n\n\
                   \"We will not close the channel to cargo boats at any point,\" Okafor told Reuters.\n\n\
                   \"The cranes are already paid for,\" Okafor told Reuters.\n";
    let with = report(article, Some(&lib));
    let without = report(article, None);
    let v = |i: usize| {
        with.claims[i]
            .verification
            .clone()
            .expect("checked against Reuters")
    };
    assert_eq!(v(0).status, "verified");
    assert_eq!(v(1).status, "altered");
    assert_eq!(
        v(1).diff.as_deref(),
        Some("We will not close the channel to [-cargo-] {+fishing+} boats at any point")
    );
    assert_eq!(v(2).status, "not_found");
    let delta = |i: usize| with.claims[i].strength.score - without.claims[i].strength.score;
    assert_eq!(
        delta(0),
        10,
        "verified raises the score (scoring.yaml verification.verified)"
    );
    assert_eq!(delta(1), -10, "altered lowers it");
    assert_eq!(delta(2), -15, "missing lowers it more");
    let flags = |i: usize| {
        with.claims[i]
            .flags
            .iter()
            .map(|f| f.id.clone())
            .collect::<Vec<_>>()
    };
    assert!(
        flags(1).contains(&"quote-altered".to_string()),
        "{:?}",
        flags(1)
    );
    assert!(
        flags(2).contains(&"quote-not-found".to_string()),
        "{:?}",
        flags(2)
    );
    assert!(!flags(0).iter().any(|f| f.starts_with("quote-")));
    assert!(with.claims[0]
        .strength
        .factors
        .iter()
        .any(|f| f.rule == "verification.verified"));
}

#[test]
fn paraphrases_get_their_best_passage_and_other_outlets_are_not_searched() {
    let lib = library(&[("reuters-harbour.txt", DOC)]);
    let r = report("According to Reuters, the port expects forty new cranes by the summer.\n\nThe AP reported that the port expects forty new cranes.\n", Some(&lib));
    let v = r.claims[0]
        .verification
        .as_ref()
        .expect("a Reuters claim is checked");
    assert_eq!(v.status, "matched");
    assert!(v
        .passage
        .as_ref()
        .unwrap()
        .text
        .contains("forty new cranes"));
    assert!(
        r.claims[1].verification.is_none(),
        "no AP document, no verification"
    );
}

#[test]
fn the_cli_reads_a_sources_folder_with_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.txt"), DOC).unwrap();
    let out = assert_cmd::Command::cargo_bin("sourcecheck")
        .unwrap()
        .args(["check", "--format", "json", "--sources"])
        .arg(dir.path())
        .arg("-")
        .write_stdin("\"We will not close the channel to fishing boats at any point,\" Ruth Okafor told Reuters.\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["articles"][0]["claims"][0]["verification"]["status"],
        "verified"
    );
    // a broken front matter is an input error naming the file
    std::fs::write(
        dir.path().join("bad.txt"),
        "---\noutlet Reuters\n---\ntext\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("sourcecheck")
        .unwrap()
        .args(["check", "--sources"])
        .arg(dir.path())
        .arg("-")
        .write_stdin("x\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.txt:2:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn lookup_over_a_thousand_documents() {
    // 1,000 documents of a dozen outlets, each about 300 words; the quotes live in a few
    let outlets = [
        "Reuters",
        "Associated Press",
        "BBC",
        "TASS",
        "Xinhua",
        "RT",
        "The New York Times",
        "Al Jazeera",
        "IRNA",
        "Deutsche Welle",
        "Agence France-Presse",
        "Meduza",
    ];
    let filler = "officials said the council would review the budget for the harbour and the rail link after the summer recess while unions asked for more time ";
    let mut docs = Vec::new();
    for i in 0..1000 {
        let outlet = outlets[i % outlets.len()];
        let mut body = filler.repeat(12);
        if i == 732 {
            body.push_str("\"We will not close the channel to fishing boats at any point,\" the harbour master said. ");
        }
        docs.push(
            Document::new(
                format!("doc-{i:04}.txt"),
                &format!("---\noutlet: {outlet}\n---\n{body} Document number {i}."),
            )
            .unwrap(),
        );
    }
    let lib = Library { docs };
    let article = "\"We will not close the channel to fishing boats at any point,\" Ruth Okafor told Reuters.\n\n\
                   \"We will not close the channel to cargo boats at any point,\" Okafor told Reuters.\n\n\
                   \"The cranes are already paid for,\" Okafor told Reuters.\n";
    let started = Instant::now();
    let r = report(article, Some(&lib));
    let elapsed = started.elapsed();
    eprintln!(
        "note: 3 claims checked against 1,000 documents ({} of Reuters) in {elapsed:?}",
        1000 / outlets.len() + 1
    );
    let status: Vec<&str> = r
        .claims
        .iter()
        .map(|c| c.verification.as_ref().unwrap().status)
        .collect();
    assert_eq!(status, ["verified", "altered", "not_found"]);
    assert!(
        r.claims[0]
            .verification
            .as_ref()
            .unwrap()
            .document
            .as_deref()
            == Some("doc-0732.txt")
    );
}
