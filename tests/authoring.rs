//! Rule authoring: validate (every problem, located), layered folders, init, rules test,
//! list/explain, explain FILE N, rule selection and inline suppression.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    let mut c = Command::cargo_bin("sourcecheck").unwrap();
    c.env_remove("SOURCECHECK_RULES").env("NO_COLOR", "1");
    c
}

fn repo_rules() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules")
}

/// A copy of the default rule files in a temp folder.
fn copy_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "sources.yaml",
        "cues.yaml",
        "language.yaml",
        "flags.yaml",
        "scoring.yaml",
    ] {
        std::fs::copy(repo_rules().join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// 1-based line of the first line containing `needle`.
fn line_of(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle in file")
        + 1
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn stderr_of(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn validate_reports_every_problem_with_its_position() {
    let d = copy_rules();
    let p = d.path();
    // a misspelt key, with a suggestion
    replace(&p.join("scoring.yaml"), "  paraphrase: 5", "  paraphrse: 5");
    let misspelt = line_of(&p.join("scoring.yaml"), "paraphrse:");
    // a second misspelt key in another file
    replace(&p.join("cues.yaml"), "listener_verbs:", "listner_verbs:");
    let listener = line_of(&p.join("cues.yaml"), "listner_verbs:");
    let (code, _, err) = stderr_of(bin().args(["rules", "validate"]).arg(p));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "scoring.yaml:{misspelt}:3: unknown key `paraphrse`"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `paraphrase`"), "{err}");
    assert!(
        err.contains(&format!(
            "cues.yaml:{listener}:1: unknown key `listner_verbs`"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `listener_verbs`"), "{err}");
    assert!(err.contains("2 problems"), "{err}");
    assert!(err.contains("^"), "a caret under the column: {err}");
}

#[test]
fn validate_finds_semantic_problems_all_at_once() {
    let d = copy_rules();
    let p = d.path();
    // duplicate id, bad regex, weight out of range, wrong type, undefined reference
    replace(&p.join("sources.yaml"), "  - id: ap\n", "  - id: reuters\n");
    let dup = std::fs::read_to_string(p.join("sources.yaml"))
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("- id: reuters"))
        .nth(1)
        .unwrap()
        .0
        + 1;
    replace(
        &p.join("language.yaml"),
        "  - '^(No|\\d+) comments?:?$'",
        "  - '^(unclosed'",
    );
    let regex = line_of(&p.join("language.yaml"), "^(unclosed");
    replace(
        &p.join("scoring.yaml"),
        "  deprecated: -20",
        "  deprecated: -200",
    );
    let range = line_of(&p.join("scoring.yaml"), "deprecated: -200");
    replace(
        &p.join("flags.yaml"),
        "    severity: info\n",
        "    severity: loud\n",
    );
    let severity = line_of(&p.join("flags.yaml"), "severity: loud");
    replace(
        &p.join("sources.yaml"),
        "    role: Kremlin spokesman\n",
        "    role: Kremlin spokesman\n    affiliation: no-such-body\n",
    );
    let aff = line_of(&p.join("sources.yaml"), "affiliation: no-such-body");
    let (code, _, err) = stderr_of(bin().args(["rules", "validate"]).arg(p));
    assert_eq!(code, 2, "{err}");
    // the type error stops flags.yaml from being read further; the others are all reported
    assert!(
        err.contains(&format!("flags.yaml:{severity}:")),
        "wrong type: {err}"
    );
    assert!(err.contains("loud"), "{err}");
    for (file, line, what) in [
        ("sources.yaml", dup, "duplicate id \"reuters\""),
        ("language.yaml", regex, "does not compile"),
        ("scoring.yaml", range, "out of the range"),
        ("sources.yaml", aff, "affiliation \"no-such-body\""),
    ] {
        let at = format!("{file}:{line}:");
        assert!(
            err.lines().any(|l| l.contains(&at) && l.contains(what)),
            "expected {at} {what} in:\n{err}"
        );
    }
}

#[test]
fn a_layered_folder_adds_an_outlet_overrides_a_weight_and_disables_a_flag() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(
        p.join("sources.yaml"),
        "extends: default\noutlets:\n  - id: daily-meridian\n    name: The Daily Meridian\n    aliases: [Daily Meridian]\n    kind: newspaper\n    country: GB\n    status: deprecated\n    state: independent\n    retrieved: \"2026-11\"\n",
    )
    .unwrap();
    std::fs::write(
        p.join("scoring.yaml"),
        "extends: default\ndirectness:\n  direct_quote: 25\n",
    )
    .unwrap();
    std::fs::write(
        p.join("flags.yaml"),
        "extends: default\ndisable: [loaded-label]\n",
    )
    .unwrap();
    let article = "The Daily Meridian reported that the regime had fallen.\n\n\"We are free,\" Mayor Ilse Korver said.\n";
    let run = |rules: Option<&Path>| -> serde_json::Value {
        let mut c = bin();
        c.args(["check", "--format", "json", "-"])
            .write_stdin(article);
        if let Some(r) = rules {
            c.arg("--rules").arg(r);
        }
        serde_json::from_slice(&c.output().unwrap().stdout).unwrap()
    };
    let default = run(None);
    let layered = run(Some(p));
    let claim = |v: &serde_json::Value, i: usize| v["articles"][0]["claims"][i].clone();
    // the added outlet
    assert!(claim(&default, 0)["attribution"]["source"]["id"].is_null());
    assert_eq!(
        claim(&layered, 0)["attribution"]["source"]["id"],
        "daily-meridian"
    );
    // the disabled flag
    let flags = |c: serde_json::Value| {
        c["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(flags(claim(&default, 0)).contains(&"loaded-label".to_string()));
    assert!(!flags(claim(&layered, 0)).contains(&"loaded-label".to_string()));
    // the overridden weight
    let direct = |c: serde_json::Value| {
        c["strength"]["factors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "directness")
            .unwrap()["value"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(direct(claim(&default, 1)), 15);
    assert_eq!(direct(claim(&layered, 1)), 25);
    // errors in a layered file point into that file
    std::fs::write(
        p.join("scoring.yaml"),
        "extends: default\ndirectness:\n  direct_quote: lots\n",
    )
    .unwrap();
    let (code, _, err) = stderr_of(bin().args(["rules", "validate"]).arg(p));
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{}:3:", p.join("scoring.yaml").display())),
        "{err}"
    );
}

#[test]
fn init_writes_a_working_rule_folder_and_refuses_to_overwrite() {
    let d = tempfile::tempdir().unwrap();
    let target = d.path().join("my-rules");
    let (code, out, err) = stderr_of(bin().args(["rules", "init"]).arg(&target));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wrote"));
    for f in [
        "sources.yaml",
        "cues.yaml",
        "language.yaml",
        "flags.yaml",
        "scoring.yaml",
        "README.md",
    ] {
        assert!(target.join(f).exists(), "{f} written");
    }
    assert!(
        std::fs::read_dir(target.join("tests")).unwrap().count() > 0,
        "fixtures written"
    );
    assert_eq!(
        std::fs::read_to_string(target.join("flags.yaml")).unwrap(),
        std::fs::read_to_string(repo_rules().join("flags.yaml")).unwrap()
    );
    let (code, _, err) = stderr_of(bin().args(["rules", "init"]).arg(&target));
    assert_eq!(code, 2);
    assert!(
        err.contains("already exist") && err.contains("--force"),
        "{err}"
    );
    let (code, _, _) = stderr_of(bin().args(["rules", "init", "--force"]).arg(&target));
    assert_eq!(code, 0);
    let (code, out, _) = stderr_of(bin().args(["rules", "validate"]).arg(&target));
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = stderr_of(bin().args(["rules", "test"]).arg(&target));
    assert_eq!(code, 0, "the written folder passes its own tests:\n{out}");
}

#[test]
fn rules_test_reports_failures_with_an_explanation_and_exits_1() {
    let d = copy_rules();
    std::fs::create_dir(d.path().join("tests")).unwrap();
    std::fs::write(
        d.path().join("tests/mine.md"),
        "# expect: source=reuters level=moderate\nAccording to Reuters, the bridge will reopen.\n\n\
         # expect: source=reuters\nThe mayor said the bridge would reopen.\n\n\
         # todo: expect-flag: loaded-label\nThe council met on Monday.\n\n\
         # ok: loaded-label\n\"The regime will fall,\" the opposition leader said.\n",
    )
    .unwrap();
    let (code, out, _) = stderr_of(bin().args(["rules", "test"]).arg(d.path()));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("PASS") && l.contains("mine.md:1")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("FAIL") && l.contains("mine.md:4")),
        "{out}"
    );
    assert!(
        out.contains("- expected a claim with source=reuters") && out.contains("+ claim"),
        "diff-like explanation: {out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("TODO") && l.contains("mine.md:7")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("PASS") && l.contains("mine.md:10")),
        "{out}"
    );
    assert!(out.contains(" passed, 1 failed, 1 skipped"), "{out}");
}

#[test]
fn the_default_rules_pass_their_own_tests() {
    let (code, out, err) = stderr_of(bin().args(["rules", "test"]).arg(repo_rules()));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(" 0 failed"));
}

#[test]
fn list_and_explain_say_where_rules_are_defined() {
    let flags_line = line_of(&repo_rules().join("flags.yaml"), "- id: loaded-label");
    let (code, out, _) = stderr_of(bin().args(["rules", "list"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("loaded-label") && out.contains(&format!("flags.yaml:{flags_line}:")),
        "{out}"
    );
    assert!(
        out.contains("reuters") && out.contains("sources.yaml:"),
        "{out}"
    );
    let (code, out, _) = stderr_of(bin().args(["rules", "explain", "loaded-label"]));
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("flags.yaml:{flags_line}:")) && out.contains("regime"),
        "{out}"
    );
    let (code, _, err) = stderr_of(bin().args(["rules", "explain", "no-such-rule"]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn explain_traces_each_factor_to_its_weight() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("a.txt");
    std::fs::write(&f, "According to Reuters, the bridge will reopen soon.\n").unwrap();
    let line = line_of(&repo_rules().join("scoring.yaml"), "  generally_reliable:");
    let (code, out, err) = stderr_of(bin().arg("explain").arg(&f).arg("1"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("conduit.generally_reliable")
            && out.contains(&format!("scoring.yaml:{line}:")),
        "{out}"
    );
    assert!(
        out.contains("speaker.outlet") && out.contains("60 (moderate)"),
        "{out}"
    );
    let (code, _, err) = stderr_of(bin().arg("explain").arg(&f).arg("9"));
    assert_eq!(code, 2);
    assert!(err.contains("claim 9 does not exist"), "{err}");
}

#[test]
fn only_disable_and_severity_select_rules_for_a_run() {
    let text = "The regime, clearly, is preparing to strike.\n";
    let ids = |args: &[&str]| -> Vec<String> {
        let out = bin()
            .args(["check", "--format", "json", "-"])
            .args(args)
            .write_stdin(text)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["articles"][0]["claims"][0]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{}:{}",
                    f["id"].as_str().unwrap(),
                    f["severity"].as_str().unwrap()
                )
            })
            .collect()
    };
    let all = ids(&[]);
    assert!(
        all.iter().any(|f| f.starts_with("loaded-label"))
            && all.iter().any(|f| f.starts_with("editorializing")),
        "{all:?}"
    );
    assert_eq!(ids(&["--only", "loaded-label"]), ["loaded-label:warning"]);
    assert!(!ids(&["--disable", "loaded-label,editorializing"])
        .iter()
        .any(|f| f.starts_with("loaded-label") || f.starts_with("editorializing")));
    assert!(ids(&["--severity", "loaded-label=error"]).contains(&"loaded-label:error".to_string()));
    let (code, _, err) = stderr_of(
        bin()
            .args(["check", "-", "--only", "loaded-labl"])
            .write_stdin(text),
    );
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `loaded-label`"), "{err}");
}

#[test]
fn an_inline_marker_silences_a_flag_in_the_next_paragraph() {
    let text = "<!-- sourcecheck: ignore loaded-label -->\nThe regime announced new tariffs on Monday.\n\nThe regime announced new tariffs on Tuesday.\n";
    let out = bin()
        .args(["check", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = &v["articles"][0];
    let has = |i: usize| {
        a["claims"][i]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "loaded-label")
    };
    assert_eq!(
        a["claims"].as_array().unwrap().len(),
        2,
        "the marker is not a claim"
    );
    assert!(!has(0), "silenced after the marker");
    assert!(has(1), "still raised in the next paragraph");
    assert_eq!(a["summary"]["suppressed"], 1);
}
