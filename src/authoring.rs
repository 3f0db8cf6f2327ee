//! Rule authoring for editors: `rules init`, `validate`, `test`, `list`, `explain`, and
//! `explain FILE N` for one claim, each rule and factor traced to its file and line.

use crate::cli::{ExplainArgs, RulesCommand};
use crate::error::{Error, Result};
use crate::model::ArticleReport;
use crate::rules::fixtures::{self, Status};
use crate::rules::{
    keys, RuleSet, RuleSource, RuleTexts, DEFAULT_FIXTURES, DEFAULT_RULES, EDITOR_README,
};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Writes to stdout; a closed pipe (`| head`) becomes an I/O error the binary ends quietly on.
fn say(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Error::io("<stdout>", e))
}

fn texts(dir: Option<&Path>) -> Result<RuleTexts> {
    match dir {
        Some(d) => RuleTexts::from_dir(d),
        None => Ok(RuleTexts::embedded()),
    }
}

/// Runs a `rules` subcommand; returns the exit code.
pub fn run(cmd: RulesCommand) -> Result<i32> {
    match cmd {
        RulesCommand::Init { dir, force } => init(&dir, force),
        RulesCommand::Validate { dir } => validate(dir.as_deref()),
        RulesCommand::Test { dir } => test(dir.as_deref()),
        RulesCommand::List { dir } => {
            let rules = RuleSet::compile(&texts(dir.as_deref())?)?;
            say(&list(&rules))?;
            Ok(0)
        }
        RulesCommand::Explain { id, rules } => {
            let rules = RuleSet::compile(&texts(rules.as_deref())?)?;
            match explain_rule(&rules, &id) {
                Some(text) => {
                    say(&text)?;
                    Ok(0)
                }
                None => Err(Error::Usage(format!("no rule, outlet, person, body, descriptor, cue class or scoring key is called `{id}`"))),
            }
        }
    }
}

/// Writes the default rule set, its README and its fixtures into `dir`.
fn init(dir: &Path, force: bool) -> Result<i32> {
    let mut files: Vec<(PathBuf, &str)> = DEFAULT_RULES
        .iter()
        .map(|(n, t)| (dir.join(n), *t))
        .collect();
    files.push((dir.join("README.md"), EDITOR_README));
    files.extend(
        DEFAULT_FIXTURES
            .iter()
            .map(|(n, t)| (dir.join("tests").join(n), *t)),
    );
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        return Err(Error::Usage(format!(
            "{} already exist{} (use --force to overwrite): {}",
            existing.len(),
            if existing.len() == 1 { "s" } else { "" },
            existing.join(", ")
        )));
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        write_atomic(path, text)?;
    }
    say(&format!(
        "wrote {} files to {}\n",
        files.len(),
        dir.display()
    ))?;
    say(&format!(
        "next: edit them, then `sourcecheck rules validate {0}` and `sourcecheck rules test {0}`\n",
        dir.display()
    ))?;
    Ok(0)
}

/// Writes a file through a temporary file and a rename, so it is never half-written.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

fn validate(dir: Option<&Path>) -> Result<i32> {
    let texts = texts(dir)?;
    let problems = RuleSet::validate(&texts);
    let name = dir.map_or_else(
        || "the default rules".to_string(),
        |d| d.display().to_string(),
    );
    if problems.is_empty() {
        say(&format!("{name}: no problems\n"))?;
        return Ok(0);
    }
    for p in &problems {
        eprintln!("{p}\n");
    }
    eprintln!(
        "{name}: {} problem{}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    Ok(2)
}

fn test(dir: Option<&Path>) -> Result<i32> {
    let rules = RuleSet::compile(&texts(dir)?)?;
    let mut outcomes = fixtures::run_examples(&rules);
    match dir {
        Some(d) => {
            for path in fixtures::fixture_files(d).map_err(|e| Error::io(d.join("tests"), e))? {
                let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                outcomes.extend(fixtures::run_fixture(
                    &rules,
                    &path.display().to_string(),
                    &text,
                ));
            }
        }
        None => {
            for (name, text) in DEFAULT_FIXTURES {
                outcomes.extend(fixtures::run_fixture(
                    &rules,
                    &format!("<default>/tests/{name}"),
                    text,
                ));
            }
        }
    }
    let (mut passed, mut failed, mut todo) = (0, 0, 0);
    for o in &outcomes {
        match &o.status {
            Status::Pass => {
                passed += 1;
                say(&format!("PASS {} {}\n", o.place, o.expectation))?;
            }
            Status::Fail(why) => {
                failed += 1;
                say(&format!("FAIL {} {}{why}\n", o.place, o.expectation))?;
            }
            Status::Todo => {
                todo += 1;
                say(&format!("TODO {} {}\n", o.place, o.expectation))?;
            }
            Status::TodoPasses => {
                todo += 1;
                say(&format!(
                    "TODO {} {} (now passes: remove the todo marker)\n",
                    o.place, o.expectation
                ))?;
            }
        }
    }
    say(&format!(
        "\nrules: {passed} passed, {failed} failed, {todo} skipped\n"
    ))?;
    Ok(if failed > 0 { 1 } else { 0 })
}

/// `file:line` where `path` is written in a rule file (following `extends` layers).
fn place_of_key(src: &RuleSource, path: &[&str]) -> String {
    keys::find(&src.text, path).map_or_else(
        || src.display.clone(),
        |k| src.locate(k.line, k.column).to_string(),
    )
}

fn place_of_id(src: &RuleSource, id: &str) -> String {
    keys::find_id(&src.text, id).map_or_else(
        || src.display.clone(),
        |k| src.locate(k.line, k.column).to_string(),
    )
}

fn place_of_word(src: &RuleSource, word: &str) -> String {
    keys::find_word(&src.text, word).map_or_else(
        || src.display.clone(),
        |(l, c)| src.locate(l, c).to_string(),
    )
}

/// The lines of the item with `id` (for showing a rule as written).
fn item_lines(src: &RuleSource, id: &str) -> String {
    // show the item as its author wrote it: in the folder's own file before the base
    for layer in &src.layers {
        if keys::find_id(&layer.text, id).is_some() {
            return item_lines(layer, id);
        }
    }
    let Some(k) = keys::find_id(&src.text, id) else {
        return String::new();
    };
    let lines: Vec<&str> = src.text.lines().collect();
    let start = k.line - 1;
    // the item runs until the next line indented no deeper than its "- " marker
    let marker = lines[start].len() - lines[start].trim_start().len();
    let mut end = start + 1;
    while end < lines.len() {
        let l = lines[end];
        let i = l.len() - l.trim_start().len();
        if !l.trim().is_empty() && !l.trim_start().starts_with('#') && i <= marker {
            break;
        }
        end += 1;
    }
    while end > start + 1
        && (lines[end - 1].trim().is_empty() || lines[end - 1].trim_start().starts_with('#'))
    {
        end -= 1;
    }
    lines[start..end]
        .iter()
        .map(|l| format!("    {}\n", l.trim_end()))
        .collect::<String>()
        .trim_end()
        .to_string()
        + "\n"
}

/// Every rule with where it is defined.
pub fn list(rules: &RuleSet) -> String {
    let t = &rules.texts;
    let mut out = String::new();
    let _ = writeln!(out, "Flag rules ({}):", t.flags.display);
    for f in &rules.flags {
        let how = match f.check {
            Some(c) => format!("check {c:?}"),
            None => format!("{} terms", f.terms.len()),
        };
        let _ = writeln!(
            out,
            "  {:<24} {:<8} {:<22} {}",
            f.id,
            f.severity.as_str(),
            how,
            place_of_id(&t.flags, &f.id)
        );
    }
    let _ = writeln!(out, "\nCue classes ({}):", t.cues.display);
    for class in crate::rules::schema::CueClass::NAMES {
        let n = rules
            .cues
            .by_first
            .values()
            .flatten()
            .filter(|p| p.class.as_str() == class && p.form == crate::rules::compile::Form::Base)
            .count();
        let _ = writeln!(
            out,
            "  {:<24} {:>4} verbs and phrases   {}",
            class,
            n,
            place_of_key(&t.cues, &["classes", class])
        );
    }
    let cat = &rules.catalogue;
    let sections = [
        ("Outlets", "outlet"),
        ("People", "person"),
        ("Official bodies", "body"),
        ("Descriptors", "descriptor"),
    ];
    for (title, which) in sections {
        let items: Vec<&crate::rules::compile::Entity> = cat
            .entities
            .iter()
            .filter(|e| {
                e.id.is_some()
                    && match e.kind {
                        crate::rules::compile::EntityKind::Outlet(_) => which == "outlet",
                        crate::rules::compile::EntityKind::Person => which == "person",
                        crate::rules::compile::EntityKind::Body => which == "body",
                        crate::rules::compile::EntityKind::Descriptor(_) => which == "descriptor",
                        _ => false,
                    }
            })
            .collect();
        let _ = writeln!(out, "\n{title} ({}, {}):", items.len(), t.sources.display);
        for e in items {
            let id = e.id.as_deref().unwrap_or_default();
            let status = e.status.map(|s| s.as_str()).unwrap_or("");
            let _ = writeln!(
                out,
                "  {:<24} {:<36} {:<22} {}",
                id,
                e.name,
                status,
                place_of_id(&t.sources, id)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nScoring ({}): levels, speaker, conduit, directness, cue, hops, specificity, integrity",
        t.scoring.display
    );
    out
}

/// What an id is, where it is defined, and its examples.
pub fn explain_rule(rules: &RuleSet, id: &str) -> Option<String> {
    let t = &rules.texts;
    let mut out = String::new();
    if let Some(f) = rules.flags.iter().find(|f| f.id == id) {
        let _ = writeln!(
            out,
            "flag rule `{id}` ({}), defined at {}",
            f.severity.as_str(),
            place_of_id(&t.flags, id)
        );
        let _ = writeln!(out, "  message: {}", f.message);
        match f.check {
            Some(c) => {
                let _ = writeln!(out, "  built-in check: {c:?}");
            }
            None => {
                let _ = writeln!(out, "  fires on these words in the author's voice (never inside quotation marks): {}", f.terms.join(", "));
            }
        }
        if f.unattributed_only {
            let _ = writeln!(out, "  only in claims with no source");
        }
        if f.affects_score {
            let _ = writeln!(out, "  lowers the strength of a paraphrase that carries it (scoring.yaml integrity.speculation_in_content)");
        }
        for e in &f.examples.flags {
            let _ = writeln!(out, "  flags:  {e}");
        }
        for e in &f.examples.passes {
            let _ = writeln!(out, "  passes: {e}");
        }
        let _ = writeln!(out, "\n{}", item_lines(&t.flags, id));
        return Some(out);
    }
    if let Some(e) = rules
        .catalogue
        .entities
        .iter()
        .find(|e| e.id.as_deref() == Some(id))
    {
        let what = match e.kind {
            crate::rules::compile::EntityKind::Outlet(k) => format!("outlet ({})", k.as_str()),
            crate::rules::compile::EntityKind::Person => "person".into(),
            crate::rules::compile::EntityKind::Body => "official body".into(),
            crate::rules::compile::EntityKind::Descriptor(_) => {
                "descriptor (a class of media)".into()
            }
            _ => "list phrase".into(),
        };
        let _ = writeln!(
            out,
            "{what} `{id}`: {}, defined at {}",
            e.name,
            place_of_id(&t.sources, id)
        );
        if let Some(s) = e.status {
            let _ = writeln!(out, "  catalogue status: {}", s.as_str());
        }
        let _ = writeln!(out, "\n{}", item_lines(&t.sources, id));
        return Some(out);
    }
    if crate::rules::schema::CueClass::NAMES.contains(&id) {
        let mut verbs: Vec<&str> = rules
            .cues
            .by_first
            .values()
            .flatten()
            .filter(|p| {
                p.class.as_str() == id
                    && p.form == crate::rules::compile::Form::Base
                    && p.kind == crate::rules::compile::CueKind::Verb
            })
            .map(|p| p.lemma.as_str())
            .collect();
        verbs.sort_unstable();
        verbs.dedup();
        let _ = writeln!(
            out,
            "cue class `{id}`, defined at {}",
            place_of_key(&t.cues, &["classes", id])
        );
        let _ = writeln!(
            out,
            "  worth {} points (scoring.yaml cue.{id}, {})",
            rules
                .scoring
                .cue
                .iter()
                .find(|(c, _)| c.as_str() == id)
                .map_or(0, |(_, v)| *v),
            place_of_key(&t.scoring, &["cue", id])
        );
        let _ = writeln!(out, "  verbs: {}", verbs.join(", "));
        return Some(out);
    }
    let path: Vec<&str> = id.split('.').collect();
    if path.len() == 2 {
        if let Some(k) = keys::find(&t.scoring.text, &path) {
            let _ = writeln!(
                out,
                "scoring key `{id}` = {}, defined at {}",
                k.value.unwrap_or_default(),
                t.scoring.locate(k.line, k.column)
            );
            return Some(out);
        }
    }
    None
}

/// The explanation of claim `n` of a report.
pub fn explanation(
    rules: &RuleSet,
    text: &str,
    report: &ArticleReport,
    n: usize,
) -> Result<String> {
    let c = report.claims.iter().find(|c| c.index == n).ok_or_else(|| {
        Error::Usage(format!(
            "claim {n} does not exist; {} has {} claims",
            report.id,
            report.claims.len()
        ))
    })?;
    let t = &rules.texts;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} claim {} (line {}, column {})",
        report.id, c.index, c.line, c.column
    );
    let _ = writeln!(out, "  {}", c.text);
    let _ = writeln!(
        out,
        "  content: {:?}",
        &text[c.content.start..c.content.end]
    );
    match &c.attribution {
        None => {
            let _ = writeln!(
                out,
                "  no attribution was found: no cue from {} links this sentence to a source",
                t.cues.display
            );
        }
        Some(a) => {
            let id_place = a
                .source
                .id
                .as_deref()
                .map(|id| format!(", catalogue entry at {}", place_of_id(&t.sources, id)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  source: {:?} -> {} ({}){id_place}",
                a.source.text,
                a.source.resolved.as_deref().unwrap_or("-"),
                a.source.kind
            );
            let lemma = rules
                .cues
                .by_first
                .values()
                .flatten()
                .find(|p| p.words.join(" ") == a.cue.text.to_lowercase())
                .map(|p| p.lemma.clone());
            let cue_place = lemma
                .as_deref()
                .map(|l| place_of_word(&t.cues, l))
                .unwrap_or_else(|| t.cues.display.clone());
            let _ = writeln!(
                out,
                "  cue: {:?}, class {}, frame \"{}\" (listed at {cue_place})",
                a.cue.text, a.cue.class, a.cue.pattern
            );
            let chain: Vec<String> = a
                .chain
                .iter()
                .map(|h| {
                    let mut s = h.resolved.clone().unwrap_or_else(|| h.text.clone());
                    if let Some(id) = &h.id {
                        let _ = write!(s, " [{id}, {}]", place_of_id(&t.sources, id));
                    }
                    s
                })
                .collect();
            let _ = writeln!(out, "  chain: {}", chain.join(" -> "));
            let _ = writeln!(
                out,
                "  directness: {}{}",
                a.directness,
                if a.inherited {
                    ", inherited from a nearby sentence"
                } else {
                    ""
                }
            );
        }
    }
    let _ = writeln!(
        out,
        "  strength: {} ({})",
        c.strength.score,
        c.strength.level.as_str()
    );
    for f in &c.strength.factors {
        let path: Vec<&str> = f.rule.split('.').collect();
        let _ = writeln!(
            out,
            "    {:+4} {:<34} {}  [{}]",
            f.value,
            f.rule,
            f.why,
            place_of_key(&t.scoring, &path)
        );
    }
    if c.flags.is_empty() {
        let _ = writeln!(out, "  flags: none");
    }
    for f in &c.flags {
        let _ = writeln!(
            out,
            "  flag {} ({}): {}  [{}]",
            f.id,
            f.severity,
            f.message,
            place_of_id(&t.flags, &f.id)
        );
    }
    Ok(out)
}

/// `sourcecheck explain FILE N`.
pub fn explain_claim(args: &ExplainArgs) -> Result<i32> {
    let rules = crate::rules::load(args.rules.as_deref())?;
    let inputs = crate::input::expand(std::slice::from_ref(&args.file))?;
    let mut code = 0;
    for inp in &inputs {
        let mut err = None;
        crate::input::read(inp, crate::input::InputFormat::Text, &mut |item| {
            match item {
                Ok(a) => {
                    let report = crate::analyze_with_meta(&a.id, &a.text, a.meta, &rules);
                    match explanation(&rules, &a.text, &report, args.claim) {
                        Ok(text) => {
                            if let Err(e) = say(&text) {
                                err = Some(e);
                            }
                        }
                        Err(e) => err = Some(e),
                    }
                }
                Err(e) => err = Some(e),
            }
            false
        })?;
        if let Some(e) = err {
            eprintln!("sourcecheck: {e}");
            code = 2;
        }
    }
    Ok(code)
}
