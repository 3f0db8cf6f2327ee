//! `sourcecheck rules test`: every rule's own examples, and fixture articles with inline
//! expectations, in the spirit of Semgrep's `--test`.
//!
//! A fixture is a text or Markdown file in `RULES/tests/`. Comment lines state what the next
//! paragraph must produce:
//!
//! ```text
//! # expect: source=reuters level=moderate
//! According to Reuters, the port will reopen in May.
//!
//! # expect-flag: loaded-label
//! The regime announced new tariffs.
//!
//! # ok: loaded-label
//! "The regime will fall," the opposition leader said.
//!
//! # todo: expect-flag: garbled-name
//! Gritsenko said the work would start in spring.
//! ```
//!
//! `expect:` passes when one claim of the paragraph matches every `key=value`: `source`
//! (catalogue id, resolved name or text as written), `kind`, `level`, `cue`, `chain`
//! (hops joined by `>`), `directness`, `inherited`, `attributed` (yes/no), `min-score`,
//! `max-score`. `expect-flag:` passes when a claim of the paragraph has each named flag;
//! `ok:` when none has it. `todo:` wraps any of them as a known gap: it never fails the run.

use super::RuleSet;
use crate::model::{ArticleReport, Claim, Source};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail(String),
    Todo,
    /// A `todo:` that now passes: the gap is closed and the marker can go.
    TodoPasses,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    /// `file:line` of the expectation (or of the rule whose example it is).
    pub place: String,
    pub expectation: String,
    pub status: Status,
}

#[derive(Debug, Clone)]
enum Expect {
    Claim(Vec<(String, String)>),
    Flag(Vec<String>),
    NoFlag(Vec<String>),
}

/// Splits `a=b c="d e"` into pairs.
fn pairs(spec: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = spec.trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| format!("`{rest}` is not key=value"))?;
        let key = rest[..eq].trim().to_string();
        let after = &rest[eq + 1..];
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').ok_or("unclosed quotation mark")?;
            (q[..end].to_string(), &q[end + 1..])
        } else {
            let end = after.find(' ').unwrap_or(after.len());
            (after[..end].to_string(), &after[end..])
        };
        out.push((key, value));
        rest = next.trim_start();
    }
    Ok(out)
}

fn parse_expect(spec: &str) -> Result<Expect, String> {
    let spec = spec.trim();
    let list = |s: &str| {
        s.split([',', ' '])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    if let Some(r) = spec.strip_prefix("expect-flag:") {
        Ok(Expect::Flag(list(r)))
    } else if let Some(r) = spec.strip_prefix("ok:") {
        Ok(Expect::NoFlag(list(r)))
    } else if let Some(r) = spec.strip_prefix("expect:") {
        Ok(Expect::Claim(pairs(r)?))
    } else {
        // a bare todo body is a claim expectation
        Ok(Expect::Claim(pairs(spec)?))
    }
}

fn hop_matches(h: &Source, want: &str) -> bool {
    let w = want.to_lowercase();
    h.id.as_deref().is_some_and(|i| i.eq_ignore_ascii_case(&w))
        || h.resolved.as_deref().is_some_and(|r| r.to_lowercase() == w)
        || h.text.to_lowercase() == w
}

/// Why a claim does not meet the pairs, or None if it does.
fn mismatch(c: &Claim, want: &[(String, String)]) -> Option<String> {
    let a = c.attribution.as_ref();
    let mut wrong = Vec::new();
    for (k, v) in want {
        let ok = match k.as_str() {
            "attributed" => (v == "yes") == a.is_some(),
            "level" => c.strength.level.as_str() == v,
            "min-score" => v.parse::<i32>().is_ok_and(|n| c.strength.score >= n),
            "max-score" => v.parse::<i32>().is_ok_and(|n| c.strength.score <= n),
            "source" => a.is_some_and(|a| hop_matches(&a.source, v)),
            "kind" => a.is_some_and(|a| a.source.kind == v),
            "cue" => a.is_some_and(|a| a.cue.text.eq_ignore_ascii_case(v)),
            "directness" => a.is_some_and(|a| a.directness == v),
            "inherited" => a.is_some_and(|a| a.inherited.to_string() == *v),
            "chain" => a.is_some_and(|a| {
                let want: Vec<&str> = v.split('>').map(str::trim).collect();
                want.len() == a.chain.len()
                    && a.chain.iter().zip(&want).all(|(h, w)| hop_matches(h, w))
            }),
            _ => false,
        };
        if !ok {
            wrong.push(k.clone());
        }
    }
    (!wrong.is_empty()).then(|| wrong.join(", "))
}

/// One line describing a claim, for failure explanations.
fn describe(c: &Claim) -> String {
    match &c.attribution {
        Some(a) => {
            let chain: Vec<String> = a
                .chain
                .iter()
                .map(|h| {
                    h.id.clone()
                        .unwrap_or_else(|| h.resolved.clone().unwrap_or_else(|| h.text.clone()))
                })
                .collect();
            format!(
                "claim {}: source={:?} ({}) cue={:?} chain={} directness={} level={} score={} flags=[{}]",
                c.index,
                a.source.text,
                a.source.kind,
                a.cue.text,
                chain.join(">"),
                a.directness,
                c.strength.level.as_str(),
                c.strength.score,
                c.flags.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join(", ")
            )
        }
        None => format!(
            "claim {}: unattributed level={} flags=[{}]",
            c.index,
            c.strength.level.as_str(),
            c.flags
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn check(expect: &Expect, claims: &[&Claim]) -> Status {
    let context = || {
        if claims.is_empty() {
            "\n      + no claim in that paragraph".to_string()
        } else {
            claims
                .iter()
                .map(|c| format!("\n      + {}", describe(c)))
                .collect()
        }
    };
    match expect {
        Expect::Claim(want) => {
            if claims.iter().any(|c| mismatch(c, want).is_none()) {
                return Status::Pass;
            }
            let spec: Vec<String> = want.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let why: Vec<String> = claims
                .iter()
                .filter_map(|c| {
                    mismatch(c, want).map(|w| format!("claim {} differs in {w}", c.index))
                })
                .collect();
            Status::Fail(format!(
                "\n      - expected a claim with {}{}\n      ({})",
                spec.join(" "),
                context(),
                why.join("; ")
            ))
        }
        Expect::Flag(ids) => {
            let missing: Vec<&String> = ids
                .iter()
                .filter(|id| !claims.iter().any(|c| c.flags.iter().any(|f| &f.id == *id)))
                .collect();
            if missing.is_empty() {
                Status::Pass
            } else {
                Status::Fail(format!(
                    "\n      - expected flag {}{}",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    context()
                ))
            }
        }
        Expect::NoFlag(ids) => {
            let fired: Vec<&String> = ids
                .iter()
                .filter(|id| claims.iter().any(|c| c.flags.iter().any(|f| &f.id == *id)))
                .collect();
            if fired.is_empty() {
                Status::Pass
            } else {
                Status::Fail(format!(
                    "\n      - expected no flag {}{}",
                    fired
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    context()
                ))
            }
        }
    }
}

/// Runs one fixture text; `name` is used in places.
pub fn run_fixture(rules: &RuleSet, name: &str, text: &str) -> Vec<Outcome> {
    let report: ArticleReport = crate::analyze(name, text, rules);
    let lines: Vec<(usize, &str)> = {
        let mut off = 0;
        text.split_inclusive('\n')
            .map(|l| {
                let at = off;
                off += l.len();
                (at, l)
            })
            .collect()
    };
    let mut out = Vec::new();
    let mut pending: Vec<(usize, String, bool)> = Vec::new(); // line, spec, todo
    let mut i = 0;
    while i < lines.len() {
        let (_, raw) = lines[i];
        let line = raw.trim();
        if let Some(spec) = line.strip_prefix('#').map(str::trim) {
            if let Some(t) = spec.strip_prefix("todo:") {
                pending.push((i + 1, t.trim().to_string(), true));
            } else if spec.starts_with("expect") || spec.starts_with("ok:") {
                pending.push((i + 1, spec.to_string(), false));
            }
            i += 1;
            continue;
        }
        if line.is_empty() || pending.is_empty() {
            i += 1;
            continue;
        }
        // the paragraph these expectations speak of: up to the next blank line
        let start = lines[i].0;
        let mut j = i;
        while j < lines.len()
            && !lines[j].1.trim().is_empty()
            && !lines[j].1.trim_start().starts_with("# ")
        {
            j += 1;
        }
        let end = lines.get(j).map_or(text.len(), |l| l.0);
        let claims: Vec<&Claim> = report
            .claims
            .iter()
            .filter(|c| c.span.start >= start && c.span.start < end)
            .collect();
        for (line_no, spec, todo) in pending.drain(..) {
            let place = format!("{name}:{line_no}");
            let status = match parse_expect(&spec) {
                Err(e) => Status::Fail(format!("\n      - cannot read this expectation: {e}")),
                Ok(exp) => match (check(&exp, &claims), todo) {
                    (Status::Pass, true) => Status::TodoPasses,
                    (Status::Fail(_), true) => Status::Todo,
                    (s, false) => s,
                    (s, true) => s,
                },
            };
            out.push(Outcome {
                place,
                expectation: if todo { format!("todo: {spec}") } else { spec },
                status,
            });
        }
        i = j;
    }
    for (line_no, spec, _) in pending {
        out.push(Outcome {
            place: format!("{name}:{line_no}"),
            expectation: spec,
            status: Status::Fail("\n      - no paragraph follows this expectation".into()),
        });
    }
    out
}

/// The rules' own examples: each flag rule's `examples.flags` must raise it and
/// `examples.passes` must not.
pub fn run_examples(rules: &RuleSet) -> Vec<Outcome> {
    let mut out = Vec::new();
    for f in &rules.flags {
        let place = format!("{}:{}", f.origin.0, f.origin.1);
        for (texts, must) in [(&f.examples.flags, true), (&f.examples.passes, false)] {
            for t in texts {
                let r = crate::analyze("example", t, rules);
                let fired = r
                    .claims
                    .iter()
                    .any(|c| c.flags.iter().any(|x| x.id == f.id));
                let status = if fired == must {
                    Status::Pass
                } else if must {
                    Status::Fail(format!(
                        "\n      - expected {} to flag this text{}",
                        f.id,
                        r.claims
                            .iter()
                            .map(|c| format!("\n      + {}", describe(c)))
                            .collect::<String>()
                    ))
                } else {
                    Status::Fail(format!("\n      - expected {} not to flag this text", f.id))
                };
                let short: String = t.chars().take(60).collect();
                out.push(Outcome {
                    place: place.clone(),
                    expectation: format!(
                        "{} {} {short:?}",
                        f.id,
                        if must { "flags" } else { "passes" }
                    ),
                    status,
                });
            }
        }
    }
    out
}

/// Fixture files of a folder's `tests/`, sorted.
pub fn fixture_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let tests = dir.join("tests");
    if !tests.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&tests)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "txt" | "md"))
        })
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_pass_fail_and_todo() {
        let rules = RuleSet::default_rules().unwrap();
        let text = "# expect: source=reuters level=moderate\nAccording to Reuters, the port will reopen in May.\n\n\
                    # expect: source=reuters\nThe mayor said the port would reopen.\n\n\
                    # todo: expect-flag: loaded-label\nThe council met on Monday.\n";
        let out = run_fixture(&rules, "t.md", text);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].status, Status::Pass, "{:?}", out[0]);
        assert!(
            matches!(&out[1].status, Status::Fail(why) if why.contains("source")),
            "{:?}",
            out[1]
        );
        assert_eq!(out[2].status, Status::Todo);
        assert_eq!(out[0].place, "t.md:1");
    }
}
