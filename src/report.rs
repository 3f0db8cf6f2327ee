//! Review reports: `sourcecheck report PATH... [--out DIR]` writes, per article, NAME.md,
//! NAME.html (one self-contained file) and NAME.json, and for several articles an index.md
//! and index.html. Reports come from minijinja templates (`templates/` is the default set,
//! embedded; `--template-dir` overrides any of them), fed by the same data model as
//! `check --format json`. Every file is written to a temporary name and renamed when
//! complete, so an interrupted run never leaves a half-written report.

use crate::authoring::write_atomic;
use crate::error::{Error, Located, Result};
use crate::model::{ArticleReport, Level};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The default templates, embedded at build time.
pub const DEFAULT_TEMPLATES: [(&str, &str); 4] = [
    ("article.md.j2", include_str!("../templates/article.md.j2")),
    (
        "article.html.j2",
        include_str!("../templates/article.html.j2"),
    ),
    ("index.md.j2", include_str!("../templates/index.md.j2")),
    ("index.html.j2", include_str!("../templates/index.html.j2")),
];

pub const GENERATOR: &str = concat!("sourcecheck ", env!("CARGO_PKG_VERSION"));

/// The template set: defaults, each replaceable by a file of the same name in a folder.
pub struct Templates {
    env: minijinja::Environment<'static>,
    /// Where each template came from, for error messages: "<default>/templates/NAME" or a path.
    shown: BTreeMap<&'static str, String>,
}

impl Templates {
    pub fn load(template_dir: Option<&Path>) -> Result<Templates> {
        let mut env = minijinja::Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html.j2") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Lenient);
        let mut shown = BTreeMap::new();
        for (name, text) in DEFAULT_TEMPLATES {
            let own = template_dir.map(|d| d.join(name)).filter(|p| p.exists());
            let source = match &own {
                Some(p) => std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?,
                None => text.to_string(),
            };
            let display = own.as_ref().map_or_else(
                || format!("<default>/templates/{name}"),
                |p| p.display().to_string(),
            );
            if let Err(e) = env.add_template_owned(name.to_string(), source.clone()) {
                return Err(template_error(&display, &source, &e));
            }
            shown.insert(name, display);
        }
        Ok(Templates { env, shown })
    }

    fn render(&self, template: &str, ctx: &Value) -> Result<String> {
        let shown = self.shown.get(template).map_or(template, String::as_str);
        let t = self
            .env
            .get_template(template)
            .map_err(|e| template_error(shown, "", &e))?;
        t.render(ctx)
            .map_err(|e| template_error(shown, t.source(), &e))
    }
}

/// A template error at its line (and column, where minijinja knows the span), with the line.
fn template_error(shown: &str, source: &str, e: &minijinja::Error) -> Error {
    let at = match e.range() {
        Some(r) => Located::at_offset(shown, source, r.start),
        None => Located::at_line_col(shown, source, e.line().unwrap_or(1), 1),
    };
    let message = match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    };
    Error::Template { at, message }
}

/// The data a template sees for one article (see templates/article.*.j2).
pub fn article_context(name: &str, text: &str, r: &ArticleReport) -> Value {
    // the article text cut into plain pieces and claim sentences, in order
    let mut segments = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while i < r.claims.len() {
        let c = &r.claims[i];
        let same: Vec<usize> = r.claims[i..]
            .iter()
            .take_while(|x| x.span == c.span)
            .map(|x| x.index)
            .collect();
        i += same.len();
        if c.span.start < at || c.span.end > text.len() {
            continue;
        }
        if c.span.start > at {
            segments.push(json!({"text": &text[at..c.span.start], "claim": null, "claims": [], "level": null}));
        }
        segments.push(json!({"text": &text[c.span.start..c.span.end], "claim": c.index, "claims": same, "level": c.strength.level.as_str()}));
        at = c.span.end;
    }
    if at < text.len() {
        segments.push(json!({"text": &text[at..], "claim": null, "claims": [], "level": null}));
    }
    let total = r.claims.len().max(1);
    let levels: Vec<Value> = Level::ALL
        .iter()
        .map(|l| {
            let n = r.summary.levels.get(*l);
            json!({"name": l.as_str(), "count": n, "share": n as f64 / total as f64, "percent": percent(n, r.claims.len())})
        })
        .collect();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for a in r.claims.iter().filter_map(|c| c.attribution.as_ref()) {
        *kinds.entry(a.source.kind).or_default() += 1;
    }
    let mut kinds: Vec<(&str, usize)> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kinds: Vec<Value> = kinds
        .iter()
        .map(|(k, n)| json!({"kind": k, "count": n, "percent": percent(*n, r.summary.attributed)}))
        .collect();
    let mut groups: BTreeMap<&str, (String, Vec<Value>)> = BTreeMap::new();
    for c in &r.claims {
        for f in &c.flags {
            groups
                .entry(f.id.as_str())
                .or_insert_with(|| (f.severity.to_string(), Vec::new()))
                .1
                .push(json!({"claim": c.index, "message": f.message, "sentence": c.text}));
        }
    }
    let flag_groups: Vec<Value> = groups
        .into_iter()
        .map(|(id, (severity, items))| json!({"id": id, "severity": severity, "count": items.len(), "items": items}))
        .collect();
    let mut checklist: Vec<(u8, Value)> = r
        .claims
        .iter()
        .filter_map(|c| {
            let rank = match c.risk? {
                "critical" => 0,
                "high" => 1,
                _ => return None,
            };
            let why: Vec<&str> = c.flags.iter().map(|f| f.message.as_str()).collect();
            Some((
                rank,
                json!({"risk": c.risk, "claim": c.index, "text": c.text, "why": why.join("; ")}),
            ))
        })
        .collect();
    checklist.sort_by_key(|(rank, v)| (*rank, v["claim"].as_u64()));
    let unattributed = r.claims.len() - r.summary.attributed;
    let state_or_generic = r
        .claims
        .iter()
        .filter(|c| {
            c.attribution.as_ref().is_some_and(|a| {
                a.chain
                    .iter()
                    .any(|h| matches!(h.kind, "state_media" | "generic_media"))
            })
        })
        .count();
    let anonymous = r
        .claims
        .iter()
        .filter(|c| {
            c.attribution
                .as_ref()
                .is_some_and(|a| a.source.kind == "anonymous")
        })
        .count();
    json!({
        "name": name,
        "generator": GENERATOR,
        "article": r,
        "segments": segments,
        "levels": levels,
        "kinds": kinds,
        "flag_groups": flag_groups,
        "checklist": checklist.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "share_unattributed": percent(unattributed, r.claims.len()),
        "state_or_generic": state_or_generic,
        "anonymous": anonymous,
    })
}

/// One row of the index: only what the index shows, so a long run does not hold every report.
struct Row {
    name: String,
    id: String,
    title: Option<String>,
    summary: crate::model::Summary,
}

/// `n` as a whole percentage of `of`, rounded half up; 0 when `of` is 0.
fn percent(n: usize, of: usize) -> usize {
    (100 * n + of / 2).checked_div(of).unwrap_or(0)
}

fn index_context(rows: &[Row]) -> Value {
    let mut levels = crate::model::LevelCounts::default();
    let mut flags: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    let articles: Vec<Value> = rows
        .iter()
        .map(|row| {
            let s = &row.summary;
            levels.merge(&s.levels);
            total += s.claims;
            for (id, n) in &s.flags_by_id {
                *flags.entry(id.clone()).or_default() += n;
            }
            let mut top: Vec<(&String, &usize)> = s.flags_by_id.iter().collect();
            top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let weak = s.levels.weak + s.levels.unattributed;
            json!({
                "name": row.name,
                "id": row.id,
                "title": row.title,
                "claims": s.claims,
                "attributed": s.attributed,
                "weak_or_unattributed_percent": percent(weak, s.claims),
                "levels": s.levels,
                "top_flags": top.iter().take(3).map(|(id, n)| json!({"id": id, "count": n})).collect::<Vec<_>>(),
                "md": format!("{}.md", row.name),
                "html": format!("{}.html", row.name),
            })
        })
        .collect();
    let t = total.max(1);
    let level_rows: Vec<Value> = Level::ALL
        .iter()
        .map(|l| {
            let n = levels.get(*l);
            json!({"name": l.as_str(), "count": n, "share": n as f64 / t as f64, "percent": percent(n, total)})
        })
        .collect();
    let mut flag_totals: Vec<(String, usize)> = flags.into_iter().collect();
    flag_totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    json!({
        "generator": GENERATOR,
        "articles": articles,
        "levels": level_rows,
        "flag_totals": flag_totals.iter().map(|(id, n)| json!({"id": id, "count": n})).collect::<Vec<_>>(),
        "total_claims": total,
    })
}

/// A file-system-safe report name for an article id, unique within the run.
fn report_name(id: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let stem = Path::new(id)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(id);
    let mut base: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if base.is_empty() || base == "-" {
        base = "article".into();
    }
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) || name == "index" {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Options of one report run.
pub struct ReportRun<'a> {
    pub out: PathBuf,
    pub rules: &'a crate::rules::RuleSet,
    pub sources: Option<&'a crate::verify::Library>,
    pub templates: Templates,
}

/// Writes the reports of the given inputs; returns (articles written, per-article errors).
/// `progress` is called with the text bytes of each article done, `report_error` with each
/// article that could not be read (the run goes on).
pub fn run(
    inputs: &[crate::input::Input],
    format: crate::input::InputFormat,
    opts: &ReportRun,
    progress: &dyn Fn(u64),
    report_error: &dyn Fn(&Error),
) -> Result<(usize, usize)> {
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::io(&opts.out, e))?;
    let mut taken = std::collections::HashSet::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut errors = 0;
    let mut failure: Option<Error> = None;
    for inp in inputs {
        crate::input::read(inp, format, &mut |item| {
            match item {
                Ok(a) => {
                    let report =
                        crate::analyze_full(&a.id, &a.text, a.meta, opts.rules, opts.sources);
                    let name = report_name(&a.id, &mut taken);
                    let ctx = article_context(&name, &a.text, &report);
                    let bytes = a.text.len() as u64;
                    let written = opts
                        .templates
                        .render("article.md.j2", &ctx)
                        .and_then(|md| write_atomic(&opts.out.join(format!("{name}.md")), &md))
                        .and_then(|_| opts.templates.render("article.html.j2", &ctx))
                        .and_then(|html| {
                            write_atomic(&opts.out.join(format!("{name}.html")), &html)
                        })
                        .and_then(|_| {
                            // Byte for byte what `check --format json` prints.
                            let style = crate::output::table::TableStyle {
                                color: false,
                                width: 80,
                            };
                            let mut w = crate::output::Writer::new(
                                Vec::new(),
                                crate::output::Format::Json,
                                style,
                            );
                            let bytes = w
                                .write(&report)
                                .and_then(|_| w.finish())
                                .unwrap_or_default();
                            let json = String::from_utf8(bytes).unwrap_or_default();
                            write_atomic(&opts.out.join(format!("{name}.json")), &json)
                        });
                    if let Err(e) = written {
                        failure = Some(e);
                        return false;
                    }
                    rows.push(Row {
                        name,
                        title: report.meta.title.clone().or(report.headline.clone()),
                        id: report.id,
                        summary: report.summary,
                    });
                    progress(bytes);
                }
                Err(e) => {
                    errors += 1;
                    report_error(&e);
                }
            }
            true
        })?;
        if let Some(e) = failure.take() {
            return Err(e);
        }
    }
    if rows.len() > 1 {
        let ctx = index_context(&rows);
        write_atomic(
            &opts.out.join("index.md"),
            &opts.templates.render("index.md.j2", &ctx)?,
        )?;
        write_atomic(
            &opts.out.join("index.html"),
            &opts.templates.render("index.html.j2", &ctx)?,
        )?;
    }
    Ok((rows.len(), errors))
}
