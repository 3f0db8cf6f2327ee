//! Command-line behaviour of `sourcecheck check`: exit codes, inputs, formats, colour,
//! width, output files and rule folders.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// Two sentences, each an attributed direct quote from a named mayor.
const CLEAN: &str = "\"We will not raise fares this year,\" Mayor Ines Calder said. \
\"The budget is balanced,\" she said.\n";

/// One attributed sentence and one with no source at all.
const MIXED: &str = "Mayor Ines Calder said the bridge would reopen in May. \
The bridge was closed for repairs.\n";

/// The binary, with an environment that does not leak settings from the caller.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("sourcecheck").expect("the sourcecheck binary is built");
    cmd.env_remove("SOURCECHECK_RULES")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn example(name: &str) -> PathBuf {
    Path::new(MANIFEST).join("examples").join(name)
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write test input");
    p
}

/// Runs `check --format json` on stdin text and returns the parsed document.
fn json_for_stdin(text: &str, extra: &[&str]) -> Value {
    let out = bin()
        .args(["check", "--format", "json"])
        .args(extra)
        .arg("-")
        .write_stdin(text)
        .output()
        .expect("run sourcecheck");
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "expected exit 0 or 1 for a readable article, got {:?}; stderr: {}",
        out.status.code(),
        stderr_of(&out)
    );
    serde_json::from_slice(&out.stdout).expect("expected stdout to be one valid JSON document")
}

/// A copy of the repository's rule folder in a fresh temporary folder.
fn copy_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(MANIFEST).join("rules");
    for entry in std::fs::read_dir(&src).expect("read rules/") {
        let entry = entry.expect("rules/ entry");
        let path = entry.path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(entry.file_name())).expect("copy rule file");
        }
    }
    dir
}

fn read_rule(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("read copied rule file")
}

/// Replaces the first occurrence of `from` with `to` in a copied rule file; panics if absent.
fn edit_rule(dir: &Path, name: &str, from: &str, to: &str) -> String {
    let text = read_rule(dir, name);
    assert!(
        text.contains(from),
        "expected the rule file {name} to contain {from:?} (test setup)"
    );
    let edited = text.replacen(from, to, 1);
    std::fs::write(dir.join(name), &edited).expect("write edited rule file");
    edited
}

/// 1-based line number of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("expected {needle:?} in the edited file (test setup)"))
}

/// Runs `check` with a rule folder on a trivial article and returns (exit code, stderr).
fn run_with_rules(dir: &Path) -> (Option<i32>, String) {
    let out = bin()
        .args(["check", "--rules"])
        .arg(dir)
        .arg("-")
        .write_stdin("Mayor Ines Calder said the bridge would reopen.\n")
        .output()
        .expect("run sourcecheck");
    (out.status.code(), stderr_of(&out))
}

fn claims(doc: &Value) -> Vec<&Value> {
    doc["articles"]
        .as_array()
        .expect("expected an `articles` array")
        .iter()
        .flat_map(|a| a["claims"].as_array().expect("expected a `claims` array"))
        .collect()
}

// ------------------------------------------------------------------ exit codes

#[test]
fn clean_article_exits_0_with_fail_on_weak() {
    // first make sure the article really is clean: every claim attributed, none weak or below
    let doc = json_for_stdin(CLEAN, &[]);
    let cs = claims(&doc);
    assert_eq!(cs.len(), 2, "expected two claims in the clean article");
    for c in &cs {
        assert!(
            c["attribution"].is_object(),
            "expected every claim of the clean article to be attributed: {c}"
        );
        let level = c["strength"]["level"].as_str().unwrap();
        assert!(
            level != "weak" && level != "unattributed",
            "expected no weak or unattributed claim in the clean article, got {level}: {c}"
        );
    }
    bin()
        .args(["check", "--fail-on", "weak", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(0);
}

#[test]
fn fail_on_unattributed_exits_1_when_hit() {
    bin()
        .args(["check", "--fail-on", "unattributed", "-"])
        .write_stdin(MIXED)
        .assert()
        .code(1);
}

#[test]
fn missing_file_exits_2_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-article.txt");
    let out = bin().arg("check").arg(&missing).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2 for a missing file"
    );
    let err = stderr_of(&out);
    assert!(
        err.contains("no-such-article.txt"),
        "expected stderr to name the missing path, got: {err}"
    );
}

#[test]
fn malformed_jsonl_line_exits_2_but_other_lines_are_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write(
        dir.path(),
        "corpus.jsonl",
        b"{\"id\":\"first\",\"text\":\"Mayor Ines Calder said the bridge would reopen.\"}\n\
          {\"id\":\"broken\",\"text\": oops}\n\
          {\"id\":\"third\",\"text\":\"Harlan Voss said fares would fall.\"}\n",
    );
    let out = bin()
        .args(["check", "--format", "jsonl"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "expected exit 2 for a bad line");
    let err = stderr_of(&out);
    let re = regex::Regex::new(r"corpus\.jsonl:2:\d+").unwrap();
    assert!(
        re.is_match(&err),
        "expected stderr to point at corpus.jsonl:2:COL, got: {err}"
    );
    let ids: Vec<String> = stdout_of(&out)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("expected each stdout line to be JSON");
            v["id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        ids,
        ["first", "third"],
        "expected the good lines to be analysed and printed in order"
    );
}

#[test]
fn invalid_utf8_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.txt", b"The mayor said \xff the bridge.\n");
    let out = bin().arg("check").arg(&bad).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2 for invalid UTF-8"
    );
    let err = stderr_of(&out);
    assert!(
        err.contains("bad.txt:1:"),
        "expected stderr to name bad.txt with a line, got: {err}"
    );
}

// ------------------------------------------------------------------ stdin

#[test]
fn stdin_plain_text() {
    let doc = json_for_stdin(MIXED, &[]);
    let arts = doc["articles"].as_array().unwrap();
    assert_eq!(arts.len(), 1, "expected one article from plain stdin");
    assert_eq!(arts[0]["id"], "-", "expected stdin's article id to be `-`");
    assert_eq!(
        arts[0]["claims"].as_array().unwrap().len(),
        2,
        "expected two claims from the two sentences on stdin"
    );
}

#[test]
fn stdin_starting_with_brace_is_jsonl() {
    let input = "{\"id\":\"x1\",\"text\":\"Mayor Ines Calder said the bridge would reopen.\"}\n\
                 {\"id\":\"x2\",\"text\":\"Harlan Voss said fares would fall.\"}\n";
    let doc = json_for_stdin(input, &[]);
    let ids: Vec<&str> = doc["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["x1", "x2"],
        "expected stdin starting with `{{` to be read as JSONL with ids from the lines"
    );
}

// ------------------------------------------------------------------ formats

#[test]
fn json_format_is_one_document_with_one_article_per_input() {
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(example("harbour-deal.txt"))
        .arg(example("council-vote.md"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "expected exit 0 without --fail-on"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("expected one valid JSON document");
    assert_eq!(doc["schema"], "sourcecheck/1", "expected the schema tag");
    let arts = doc["articles"].as_array().expect("expected articles");
    assert_eq!(arts.len(), 2, "expected one article entry per input file");
    for a in arts {
        assert_eq!(
            a["schema"], "sourcecheck/1",
            "expected each article's schema"
        );
        assert!(
            !a["claims"].as_array().unwrap().is_empty(),
            "expected claims in each example article"
        );
    }
}

#[test]
fn jsonl_format_is_one_object_per_line() {
    let out = bin()
        .args(["check", "--format", "jsonl"])
        .arg(example("harbour-deal.txt"))
        .arg(example("council-vote.md"))
        .output()
        .unwrap();
    let text = stdout_of(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "expected one line per article");
    for l in lines {
        let v: Value = serde_json::from_str(l).expect("expected each line to be a JSON object");
        assert!(v.is_object(), "expected a JSON object per line");
        assert_eq!(
            v["schema"], "sourcecheck/1",
            "expected the schema tag per line"
        );
        assert!(v["claims"].is_array(), "expected claims per line");
    }
}

#[test]
fn table_has_header_words_and_summary() {
    let out = bin()
        .args(["check", "-"])
        .write_stdin(MIXED)
        .output()
        .unwrap();
    let text = stdout_of(&out);
    for word in ["Claim", "Source", "Level"] {
        assert!(
            text.contains(word),
            "expected the table header to contain {word:?}, got:\n{text}"
        );
    }
    assert!(
        text.contains("2 claims"),
        "expected a summary line counting 2 claims, got:\n{text}"
    );
    assert!(
        text.contains("unattributed 1"),
        "expected the summary to count 1 unattributed claim, got:\n{text}"
    );
}

#[test]
fn color_always_puts_escapes_in_the_table() {
    let out = bin()
        .args(["check", "--color", "always", "-"])
        .write_stdin(MIXED)
        .output()
        .unwrap();
    assert!(
        stdout_of(&out).contains("\x1b["),
        "expected ANSI escapes with --color always"
    );
}

#[test]
fn no_color_and_auto_when_piped_has_no_escapes() {
    let out = bin()
        .env("NO_COLOR", "1")
        .args(["check", "--color", "auto", "-"])
        .write_stdin(MIXED)
        .output()
        .unwrap();
    assert!(
        !stdout_of(&out).contains('\x1b'),
        "expected no escapes with NO_COLOR=1 and --color auto into a pipe"
    );
    let out = bin()
        .args(["check", "--color", "auto", "-"])
        .write_stdin(MIXED)
        .output()
        .unwrap();
    assert!(
        !stdout_of(&out).contains('\x1b'),
        "expected no escapes with --color auto into a pipe"
    );
}

#[test]
fn json_never_has_escapes() {
    for format in ["json", "jsonl"] {
        let out = bin()
            .args(["check", "--color", "always", "--format", format, "-"])
            .write_stdin(MIXED)
            .output()
            .unwrap();
        assert!(
            !stdout_of(&out).contains('\x1b'),
            "expected no ANSI escapes in --format {format} even with --color always"
        );
    }
}

// ------------------------------------------------------------------ width

#[test]
fn columns_80_limits_every_line() {
    let out = bin()
        .env("COLUMNS", "80")
        .current_dir(example(""))
        .args(["check", "harbour-deal.txt"])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    for line in text.lines() {
        let width = line.chars().count();
        assert!(
            width <= 80,
            "expected every table line to be at most 80 characters with COLUMNS=80, \
             got {width}: {line:?}"
        );
    }
}

#[test]
fn columns_200_makes_wider_lines() {
    let out = bin()
        .env("COLUMNS", "200")
        .current_dir(example(""))
        .args(["check", "harbour-deal.txt"])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        widest > 80,
        "expected lines wider than 80 characters with COLUMNS=200, widest is {widest}"
    );
    assert!(
        widest <= 200,
        "expected no line wider than COLUMNS=200, widest is {widest}"
    );
}

// ------------------------------------------------------------------ output file

#[test]
fn output_file_gets_everything_and_stdout_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    let out = bin()
        .args(["check", "--format", "json", "-o"])
        .arg(&target)
        .arg("-")
        .write_stdin(MIXED)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "expected exit 0");
    assert!(out.stdout.is_empty(), "expected nothing on stdout with -o");
    let written = std::fs::read_to_string(&target).expect("expected the output file to exist");
    let doc: Value = serde_json::from_str(&written).expect("expected valid JSON in the file");
    assert_eq!(
        doc["schema"], "sourcecheck/1",
        "expected the JSON report in the file"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["report.json"],
        "expected only the output file in the folder, no temporary file left behind"
    );
}

// ------------------------------------------------------------------ rule folders

#[test]
fn misspelt_scoring_key_is_located() {
    let rules = copy_rules();
    let edited = edit_rule(
        rules.path(),
        "scoring.yaml",
        "direct_quote:",
        "direct_quot:",
    );
    let line = line_of(&edited, "direct_quot:");
    let line_text = edited.lines().nth(line - 1).unwrap();
    let (code, err) = run_with_rules(rules.path());
    assert_eq!(
        code,
        Some(2),
        "expected exit 2 for a misspelt key; stderr: {err}"
    );
    let re = regex::Regex::new(&format!(r"scoring\.yaml:{line}:\d+")).unwrap();
    assert!(
        re.is_match(&err),
        "expected stderr to point at scoring.yaml:{line}:COL, got: {err}"
    );
    assert!(
        err.contains(line_text.trim()),
        "expected stderr to show the offending line {line_text:?}, got: {err}"
    );
    assert!(
        err.lines().any(|l| l.trim_end().ends_with('^')),
        "expected a caret line under the offending line, got: {err}"
    );
}

#[test]
fn duplicate_outlet_id_is_an_error() {
    let rules = copy_rules();
    // give the second outlet (Associated Press) the id of the first (Reuters)
    edit_rule(
        rules.path(),
        "sources.yaml",
        "  - id: ap\n",
        "  - id: reuters\n",
    );
    let (code, err) = run_with_rules(rules.path());
    assert_eq!(
        code,
        Some(2),
        "expected exit 2 for a duplicate id; stderr: {err}"
    );
    assert!(
        err.contains("sources.yaml:"),
        "expected stderr to name sources.yaml, got: {err}"
    );
    assert!(
        err.contains("duplicate id"),
        "expected stderr to say `duplicate id`, got: {err}"
    );
}

#[test]
fn bad_boilerplate_regex_is_located() {
    let rules = copy_rules();
    let edited = edit_rule(
        rules.path(),
        "language.yaml",
        "boilerplate:\n",
        "boilerplate:\n  - '^(unclosed'\n",
    );
    let line = line_of(&edited, "'^(unclosed'");
    let (code, err) = run_with_rules(rules.path());
    assert_eq!(
        code,
        Some(2),
        "expected exit 2 for a bad regex; stderr: {err}"
    );
    let re = regex::Regex::new(&format!(r"language\.yaml:{line}:\d+")).unwrap();
    assert!(
        re.is_match(&err),
        "expected stderr to point at language.yaml:{line}:COL, got: {err}"
    );
}

#[test]
fn yaml_syntax_error_is_located() {
    let rules = copy_rules();
    // `moderate` dedented by one space: neither a key of `levels` nor a top-level key
    let edited = edit_rule(
        rules.path(),
        "scoring.yaml",
        "  moderate: 60\n",
        " moderate: 60\n",
    );
    let line = line_of(&edited, " moderate: 60");
    let (code, err) = run_with_rules(rules.path());
    assert_eq!(
        code,
        Some(2),
        "expected exit 2 for bad indentation; stderr: {err}"
    );
    let any_loc = regex::Regex::new(r"scoring\.yaml:\d+:\d+").unwrap();
    assert!(
        any_loc.is_match(&err),
        "expected stderr to give scoring.yaml:LINE:COL, got: {err}"
    );
    let at_line = regex::Regex::new(&format!(r"scoring\.yaml:{line}:\d+")).unwrap();
    assert!(
        at_line.is_match(&err),
        "expected the error at the badly indented line {line} (scoring.yaml:{line}:COL), got: {err}"
    );
}

#[test]
fn sourcecheck_rules_env_works_like_flag() {
    let rules = copy_rules();
    edit_rule(
        rules.path(),
        "sources.yaml",
        "  - id: ap\n",
        "  - id: reuters\n",
    );
    let out = bin()
        .env("SOURCECHECK_RULES", rules.path())
        .args(["check", "-"])
        .write_stdin(MIXED)
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected SOURCECHECK_RULES to load the broken folder and exit 2; stderr: {err}"
    );
    assert!(
        err.contains("duplicate id"),
        "expected the broken rule folder's error via SOURCECHECK_RULES, got: {err}"
    );
}

/// A copy of the rules with an invented, deprecated outlet.
fn rules_with_meridian() -> tempfile::TempDir {
    let rules = copy_rules();
    edit_rule(
        rules.path(),
        "sources.yaml",
        "\noutlets:\n",
        "\noutlets:\n\n  - id: daily-meridian\n    name: The Daily Meridian\n    \
         aliases: [Daily Meridian]\n    kind: newspaper\n    country: \"GB\"\n    \
         status: deprecated\n    state: independent\n    retrieved: \"2026-04\"\n",
    );
    rules
}

const MERIDIAN: &str = "The Daily Meridian reported that the mayor resigned.\n";

fn meridian_source(doc: &Value) -> Value {
    let cs = claims(doc);
    assert_eq!(cs.len(), 1, "expected one claim in the Meridian sentence");
    cs[0]["attribution"]["source"].clone()
}

#[test]
fn edited_rules_change_results() {
    let rules = rules_with_meridian();
    let with = json_for_stdin(MERIDIAN, &["--rules", rules.path().to_str().unwrap()]);
    let src = meridian_source(&with);
    assert_eq!(
        src["id"], "daily-meridian",
        "expected the new outlet id with --rules: {src}"
    );
    assert_eq!(
        src["status"], "deprecated",
        "expected the new outlet's status with --rules: {src}"
    );
    let without = json_for_stdin(MERIDIAN, &[]);
    let src = meridian_source(&without);
    assert_ne!(
        src["id"], "daily-meridian",
        "expected the default rules not to know the invented outlet: {src}"
    );
}

#[test]
fn edited_rules_via_env() {
    let rules = rules_with_meridian();
    let out = bin()
        .env("SOURCECHECK_RULES", rules.path())
        .args(["check", "--format", "json", "-"])
        .write_stdin(MERIDIAN)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).expect("expected JSON");
    assert_eq!(
        meridian_source(&doc)["id"],
        "daily-meridian",
        "expected SOURCECHECK_RULES to load the edited catalogue"
    );
}

// ------------------------------------------------------------------ folders

#[test]
fn directory_argument_is_walked() {
    // the example articles, copied, plus one in a subfolder and one file that is not an article
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    for e in std::fs::read_dir(example("")).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("sub/extra.txt"),
        "The mayor said the bridge would reopen.\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.csv"), "a,b\n").unwrap();
    let mut expected = vec![dir.join("sub/extra.txt").display().to_string()];
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for p in &files {
        match p.extension().and_then(|e| e.to_str()) {
            Some("txt" | "md") => expected.push(p.display().to_string()),
            Some("jsonl") => {
                for line in std::fs::read_to_string(p).unwrap().lines() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let v: Value = serde_json::from_str(line).unwrap();
                    expected.push(v["id"].as_str().unwrap().to_string());
                }
            }
            _ => {}
        }
    }
    assert!(
        expected.len() >= 3,
        "test setup: expected example files in {}",
        dir.display()
    );
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "expected exit 0 for the examples"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    // files are named by path, JSONL lines by their id: compare the last path component
    let name = |s: &str| {
        Path::new(s)
            .file_name()
            .map_or(s.to_string(), |n| n.to_string_lossy().into_owned())
    };
    let mut ids: Vec<String> = doc["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| name(a["id"].as_str().unwrap()))
        .collect();
    let mut want: Vec<String> = expected.iter().map(|s| name(s)).collect();
    ids.sort();
    want.sort();
    assert_eq!(
        ids, want,
        "expected one article per .txt/.md file and per JSONL line in examples/"
    );
}
