//! Review reports: files per article and an index, self-contained and well-formed HTML with
//! one highlight per claim sentence, JSON equal to `check --format json`, template override,
//! atomic writes, and (where Chromium can be had) a headless render with no console errors.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("sourcecheck").unwrap();
    c.env_remove("SOURCECHECK_RULES");
    c
}

fn report(out: &Path, args: &[&str]) {
    let o = bin()
        .arg("report")
        .args(args)
        .arg("--out")
        .arg(out)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Tags opened and closed in order (void elements and comments aside): the markup nests.
fn assert_well_formed(html: &str) {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "!doctype",
    ];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix("!--") {
            rest = &r[r.find("-->").expect("comment closed") + 3..];
            continue;
        }
        let end = rest.find('>').expect("tag closed");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "</{name}> closes the wrong element"
            );
        } else {
            stack.push(name.clone());
            if name == "script" || name == "style" {
                let close = format!("</{name}>");
                let at = rest.find(&close).expect("script/style closed");
                rest = &rest[at..];
            }
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
}

#[test]
fn one_article_gets_md_html_and_json() {
    let dir = tempfile::tempdir().unwrap();
    report(dir.path(), &["examples/harbour-deal.txt"]);
    for ext in ["md", "html", "json"] {
        assert!(
            dir.path().join(format!("harbour-deal.{ext}")).exists(),
            "{ext} written"
        );
    }
    assert!(
        !dir.path().join("index.html").exists(),
        "no index for one article"
    );
    // the JSON is the data of check --format json
    let check = bin()
        .args(["check", "--format", "json", "examples/harbour-deal.txt"])
        .current_dir(root())
        .output()
        .unwrap();
    let mut want: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let got: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("harbour-deal.json")).unwrap(),
    )
    .unwrap();
    want["articles"][0]["id"] = got["articles"][0]["id"].clone();
    assert_eq!(got, want);
    // no temporary files are left behind
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "leftover {name}");
    }
}

#[test]
fn the_html_is_self_contained_well_formed_and_highlights_every_claim() {
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        &["examples/harbour-deal.txt", "examples/wire-roundup.jsonl"],
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("harbour-deal.json")).unwrap(),
    )
    .unwrap();
    let claims = json["articles"][0]["claims"].as_array().unwrap();
    let mut spans: Vec<(u64, u64)> = claims
        .iter()
        .map(|c| {
            (
                c["span"]["start"].as_u64().unwrap(),
                c["span"]["end"].as_u64().unwrap(),
            )
        })
        .collect();
    spans.dedup();
    for page in ["harbour-deal.html", "roundup-1.html", "index.html"] {
        let html = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert_well_formed(&html);
        for (i, _) in html.match_indices("http") {
            let s = &html[i..];
            assert!(
                !(s.starts_with("http://") || s.starts_with("https://"))
                    || s.starts_with("https://example.com"),
                "{page}: an external reference at {i}: {}",
                &s[..40.min(s.len())]
            );
        }
        for banned in ["<link ", "<script src", "@import", "url(http"] {
            assert!(!html.contains(banned), "{page} loads something: {banned}");
        }
    }
    let html = std::fs::read_to_string(dir.path().join("harbour-deal.html")).unwrap();
    assert_eq!(
        html.matches("class=\"claim").count(),
        spans.len(),
        "one highlight per claim sentence"
    );
    assert!(html.contains("<svg"), "inline SVG charts");
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    for name in ["harbour-deal.html", "roundup-1.html", "roundup-5.html"] {
        assert!(index.contains(name), "the index links {name}");
    }
    assert!(std::fs::read_to_string(dir.path().join("index.md"))
        .unwrap()
        .contains("harbour-deal.md"));
}

#[test]
fn a_template_folder_overrides_a_template() {
    let dir = tempfile::tempdir().unwrap();
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("article.md.j2"),
        "# {{ name }}: {{ article.summary.claims }} claims\n",
    )
    .unwrap();
    let o = bin()
        .args(["report", "examples/harbour-deal.txt", "--template-dir"])
        .arg(templates.path())
        .arg("--out")
        .arg(dir.path())
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success());
    let md = std::fs::read_to_string(dir.path().join("harbour-deal.md")).unwrap();
    assert!(
        md.starts_with("# harbour-deal: ") && md.trim_end().ends_with("claims"),
        "{md}"
    );
    // the other templates stay the default ones
    assert!(
        std::fs::read_to_string(dir.path().join("harbour-deal.html"))
            .unwrap()
            .contains("<html")
    );
    // a broken template is an error naming the file and line
    std::fs::write(
        templates.path().join("article.md.j2"),
        "line one\n{% if %}\n",
    )
    .unwrap();
    let o = bin()
        .args(["report", "examples/harbour-deal.txt", "--template-dir"])
        .arg(templates.path())
        .arg("--out")
        .arg(dir.path())
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("template error: ")
            && err.contains("article.md.j2:2:7: syntax error")
            && err.contains("2 | {% if %}"),
        "{err}"
    );
    // the report written before is still whole
    assert_eq!(
        std::fs::read_to_string(dir.path().join("harbour-deal.md")).unwrap(),
        md
    );
    // an error found while rendering names the line and column too
    std::fs::write(
        templates.path().join("article.md.j2"),
        "# {{ name }}\n{{ article.id | no_such_filter }}\n",
    )
    .unwrap();
    let o = bin()
        .args(["report", "examples/harbour-deal.txt", "--template-dir"])
        .arg(templates.path())
        .arg("--out")
        .arg(dir.path())
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("article.md.j2:2:17: unknown filter"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("harbour-deal.md")).unwrap(),
        md
    );
}

#[test]
fn the_committed_reports_are_current() {
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        &[
            "examples/harbour-deal.txt",
            "examples/council-vote.md",
            "examples/wire-roundup.jsonl",
        ],
    );
    let committed = root().join("reports");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let want = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        let have = std::fs::read_to_string(committed.join(&name)).unwrap_or_default();
        assert!(have == want, "reports/{name} is stale: run `cargo run -- report examples/harbour-deal.txt examples/council-vote.md examples/wire-roundup.jsonl --out reports`");
    }
}

#[test]
fn the_html_renders_in_headless_chromium_without_console_errors() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|c| which(c));
    let Some(chromium) = chromium else {
        eprintln!(
            "note: no Chromium on this machine; skipping the headless render (.ci/run installs it)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    report(dir.path(), &["examples/harbour-deal.txt"]);
    let page = dir.path().join("harbour-deal.html");
    let png = dir.path().join("shot.png");
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    let png_bytes = std::fs::read(&png).unwrap_or_default();
    assert!(
        png_bytes.len() > 10_000 && png_bytes.starts_with(b"\x89PNG"),
        "a screenshot was taken:\n{log}"
    );
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error")))
        .collect();
    assert!(
        console_errors.is_empty(),
        "console errors: {console_errors:#?}"
    );
}

fn which(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(cmd))
            .find(|p| p.is_file())
    })
}
