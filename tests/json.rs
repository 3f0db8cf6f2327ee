//! The hand-written JSON of corpus runs (`output::json`) is byte for byte what serde_json
//! writes from the model's `Serialize` derives, on every kind of report: metadata, headlines,
//! discontinuous content, verifications against cited sources, escapes.

use sourcecheck::input::{read, Input, InputFormat};
use sourcecheck::model::{ArticleReport, Meta};
use sourcecheck::rules::RuleSet;
use sourcecheck::verify::Library;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn same_as_serde(r: &ArticleReport) {
    let mut ours = Vec::new();
    sourcecheck::output::json::report(&mut ours, r);
    let theirs = serde_json::to_vec(r).unwrap();
    assert!(
        ours == theirs,
        "report {} differs:\nours:   {}\nserde:  {}",
        r.id,
        String::from_utf8_lossy(&ours),
        String::from_utf8_lossy(&theirs)
    );
}

fn articles(path: &Path) -> Vec<sourcecheck::input::Article> {
    let mut out = Vec::new();
    read(
        &Input::File(path.to_path_buf()),
        InputFormat::Auto,
        &mut |a| {
            out.push(a.unwrap());
            true
        },
    )
    .unwrap();
    out
}

#[test]
fn examples_with_and_without_cited_sources() {
    let rules = RuleSet::default_rules().unwrap();
    let lib = Library::load(&root().join("examples/sources")).unwrap();
    let mut checked = 0;
    for name in ["harbour-deal.txt", "council-vote.md", "wire-roundup.jsonl"] {
        for a in articles(&root().join("examples").join(name)) {
            for sources in [None, Some(&lib)] {
                let r = sourcecheck::analyze_full(&a.id, &a.text, a.meta.clone(), &rules, sources);
                same_as_serde(&r);
                checked += r.claims.len();
            }
        }
    }
    assert!(checked > 50, "only {checked} claims checked");
}

#[test]
fn escapes_metadata_and_a_headline() {
    let rules = RuleSet::default_rules().unwrap();
    let text = "# Port \"deal\" signed\n\n\
                The minister said the port would reopen.\tShe told Reuters: \"It is done,\" \
                and added, \"we are\\were ready.\"\u{1}\n\n\
                Critics called it a “giveaway” — without evidence.\r\n";
    let meta = Meta {
        title: Some("Port \"deal\"".into()),
        url: Some("https://example.org/a?b=1&c=\\2".into()),
        date: Some("2026-11-30".into()),
        outlet: Some("Example Times".into()),
    };
    let r = sourcecheck::analyze_full("id\n1", text, meta, &rules, None);
    assert!(r.headline.is_some());
    assert!(r.claims.iter().any(|c| c.attribution.is_some()));
    same_as_serde(&r);
}

#[test]
fn polnear_dev() {
    let dev = root().join("../shared/eval/polnear/dev.jsonl");
    if !dev.exists() {
        eprintln!("note: {} is absent; PolNeAR part skipped", dev.display());
        return;
    }
    let rules = RuleSet::default_rules().unwrap();
    let all = articles(&dev);
    assert!(all.len() > 50);
    for a in &all {
        same_as_serde(&sourcecheck::analyze(&a.id, &a.text, &rules));
    }
}
