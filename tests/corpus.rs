//! Corpus runs: the same bytes whatever the thread count, a malformed line reported with its
//! line number while the rest is processed, stdin streamed article by article.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_sourcecheck"))
}

/// A corpus of many articles: PolNeAR dev when it is beside the checkout, else the examples.
fn corpus() -> String {
    let dev = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/polnear/dev.jsonl");
    if let Ok(text) = std::fs::read_to_string(&dev) {
        return text;
    }
    let ex = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/wire-roundup.jsonl"),
    )
    .unwrap();
    (0..20)
        .map(|i| ex.replace("\"id\": \"roundup-", &format!("\"id\": \"r{i}-")))
        .collect()
}

/// The `id` of each JSON Lines report, in order.
fn ids_of(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn output_is_identical_for_one_and_two_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.jsonl");
    std::fs::write(&path, corpus()).unwrap();
    let run = |jobs: &str, format: &str| {
        let out = Command::new(bin())
            .args(["check", "--format", format, "-j", jobs])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    for format in ["jsonl", "json", "table"] {
        let one = run("1", format);
        assert!(one.len() > 1000);
        assert_eq!(
            one,
            run("2", format),
            "--jobs 1 and --jobs 2 differ in {format}"
        );
    }
}

#[test]
fn a_malformed_line_mid_corpus_is_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.jsonl");
    let good = |id: &str| {
        format!(
            "{{\"id\": \"{id}\", \"text\": \"The mayor said the bridge would reopen in May.\"}}\n"
        )
    };
    let text = [
        good("a"),
        good("b"),
        "{\"id\": \"c\", \"text\": \"unterminated\n".to_string(),
        good("d"),
        good("e"),
    ]
    .concat();
    std::fs::write(&path, text).unwrap();
    let out = Command::new(bin())
        .args(["check", "--format", "jsonl", "-j", "2"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an input error makes the exit code 2"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", path.display())),
        "line 3 is named: {stderr}"
    );
    let ids = ids_of(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        ids,
        ["a", "b", "d", "e"],
        "the other lines are analysed, in order"
    );
}

#[test]
fn stdin_is_streamed_article_by_article() {
    let mut child = Command::new(bin())
        .args(["check", "--format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for id in ["first", "second"] {
        writeln!(
            stdin,
            "{{\"id\": \"{id}\", \"text\": \"Officials said the port would reopen.\"}}"
        )
        .unwrap();
        stdin.flush().unwrap();
        // the result arrives while stdin is still open
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["id"], id);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn check_explain_prints_the_explanation_of_a_claim() {
    let out = Command::new(bin())
        .args(["check", "--explain", "1", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(b"According to Reuters, the bridge will reopen soon.\n")?;
            c.wait_with_output()
        });
    let out = out.unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("claim 1") && s.contains("speaker.outlet") && s.contains("scoring.yaml:"),
        "{s}"
    );
}

#[test]
fn a_misspelt_extends_and_an_unknown_risk_flag_are_rule_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flags.yaml"),
        "extends: ../no-such-folder\n",
    )
    .unwrap();
    let out = Command::new(bin())
        .args(["rules", "validate"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("names no folder"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(dir.path().join("flags.yaml")).unwrap();
    std::fs::write(
        dir.path().join("scoring.yaml"),
        "extends: default\nrisk:\n  high: [no-such-flag]\n",
    )
    .unwrap();
    let out = Command::new(bin())
        .args(["rules", "validate"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("scoring.yaml:3:") && err.contains("no-such-flag"),
        "{err}"
    );
}

#[test]
fn many_files_are_batched_across_files_in_order_with_an_unreadable_one_reported() {
    // separate article files (a researcher's folder) share batches across file boundaries;
    // the output keeps the order of the arguments and an unreadable file does not stop the run
    let dir = tempfile::tempdir().unwrap();
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let harbour = std::fs::read_to_string(examples.join("harbour-deal.txt")).unwrap();
    let council = std::fs::read_to_string(examples.join("council-vote.md")).unwrap();
    let mut args: Vec<PathBuf> = Vec::new();
    for i in 0..150 {
        let (name, text) = if i % 3 == 0 {
            (format!("a{i:03}.md"), &council)
        } else {
            (format!("a{i:03}.txt"), &harbour)
        };
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        args.push(p);
        if i == 70 {
            let bad = dir.path().join("a070-latin1.txt");
            std::fs::write(&bad, b"Officials said the caf\xe9 would close.\n").unwrap();
            args.push(bad);
        }
    }
    let run = |jobs: &str| {
        let out = Command::new(bin())
            .args(["check", "--format", "jsonl", "-j", jobs])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "an unreadable file makes the exit code 2"
        );
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            err.contains("a070-latin1.txt:1:23") && err.contains("not valid UTF-8"),
            "the file, line and column are named: {err}"
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one, two);
    let ids = ids_of(&one);
    assert_eq!(ids.len(), 150);
    assert!(
        ids[0].ends_with("a000.md") && ids[149].ends_with("a149.txt"),
        "{:?}",
        &ids[..2]
    );
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "articles come out in argument order");
}
