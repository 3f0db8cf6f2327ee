//! The rule set: YAML files on disk (or embedded defaults), parsed strictly and compiled once
//! into matchers. Rust holds the mechanisms; the YAML holds every word list and weight.

pub mod compile;
pub mod fixtures;
pub mod keys;
pub mod layer;
pub mod schema;

use crate::error::{Error, Located, Result};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

pub use compile::RuleSet;

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

/// The guide written next to the rule files by `sourcecheck rules init`.
pub const EDITOR_README: &str = include_str!("../../rules/README.md");

/// The rule files, in load order. Each is read from the user's folder when present there,
/// otherwise from the default set embedded in the binary.
pub const RULE_FILES: [&str; 5] = [
    "sources.yaml",
    "cues.yaml",
    "language.yaml",
    "flags.yaml",
    "scoring.yaml",
];

/// The default rule set, embedded at build time from `rules/`.
pub const DEFAULT_RULES: [(&str, &str); 5] = [
    ("sources.yaml", include_str!("../../rules/sources.yaml")),
    ("cues.yaml", include_str!("../../rules/cues.yaml")),
    ("language.yaml", include_str!("../../rules/language.yaml")),
    ("flags.yaml", include_str!("../../rules/flags.yaml")),
    ("scoring.yaml", include_str!("../../rules/scoring.yaml")),
];

/// One rule file's text and the name used for it in messages.
#[derive(Debug, Clone, Default)]
pub struct RuleSource {
    /// Shown in messages: a path, or `<default>/NAME` for the embedded set.
    pub display: String,
    pub text: String,
    /// For a file merged from `extends`: the folder's own file and its base, so that a
    /// position in the merged text can be traced back to where it was written.
    pub layers: Vec<RuleSource>,
}

impl RuleSource {
    pub fn new(display: impl Into<String>, text: impl Into<String>) -> RuleSource {
        RuleSource {
            display: display.into(),
            text: text.into(),
            layers: Vec::new(),
        }
    }

    /// The written position of a line and column of this (possibly merged) text.
    pub fn locate(&self, line: usize, column: usize) -> Located {
        if self.layers.is_empty() {
            return Located::at_line_col(&self.display, &self.text, line, column);
        }
        // the key at (or just before) that line in the merged text
        let merged = keys::scan(&self.text);
        let Some(key) = merged.iter().rev().find(|k| k.line <= line) else {
            return Located::at_line_col(&self.display, &self.text, line, column);
        };
        let plain: Vec<&str> = key
            .path
            .iter()
            .map(String::as_str)
            .filter(|p| *p != "[]")
            .collect();
        for layer in &self.layers {
            let found = keys::scan(&layer.text).into_iter().find(|k| {
                let p: Vec<&str> = k
                    .path
                    .iter()
                    .map(String::as_str)
                    .filter(|p| *p != "[]")
                    .collect();
                p == plain && (key.value.is_none() || k.value == key.value)
            });
            if let Some(k) = found {
                return layer.locate(k.line, k.column);
            }
        }
        Located::at_line_col(&self.display, &self.text, line, column)
    }
}

/// The five rule files as text, before parsing.
#[derive(Debug, Clone)]
pub struct RuleTexts {
    pub sources: RuleSource,
    pub cues: RuleSource,
    pub language: RuleSource,
    pub flags: RuleSource,
    pub scoring: RuleSource,
}

impl RuleTexts {
    /// The embedded default rule set.
    pub fn embedded() -> RuleTexts {
        let get = |name: &str| {
            let text = DEFAULT_RULES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .unwrap_or_default();
            RuleSource::new(format!("<default>/{name}"), text)
        };
        RuleTexts {
            sources: get("sources.yaml"),
            cues: get("cues.yaml"),
            language: get("language.yaml"),
            flags: get("flags.yaml"),
            scoring: get("scoring.yaml"),
        }
    }

    /// A rule folder: each file present there replaces the default one of the same name.
    pub fn from_dir(dir: &Path) -> Result<RuleTexts> {
        if !dir.is_dir() {
            return Err(Error::RuleFolder {
                path: dir.display().to_string(),
                message: "not a folder".into(),
            });
        }
        let mut texts = RuleTexts::embedded();
        let mut found = 0;
        for name in RULE_FILES {
            let path: PathBuf = dir.join(name);
            if path.exists() {
                let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                found += 1;
                let slot = match name {
                    "sources.yaml" => &mut texts.sources,
                    "cues.yaml" => &mut texts.cues,
                    "language.yaml" => &mut texts.language,
                    "flags.yaml" => &mut texts.flags,
                    _ => &mut texts.scoring,
                };
                *slot = layer::resolve(
                    name,
                    RuleSource::new(path.display().to_string(), text),
                    dir,
                    0,
                )?;
            }
        }
        if found == 0 {
            return Err(Error::RuleFolder {
                path: dir.display().to_string(),
                message: format!(
                    "no rule files here (expected any of {})",
                    RULE_FILES.join(", ")
                ),
            });
        }
        Ok(texts)
    }
}

/// Finds a line whose indentation matches none of the blocks around it (a YAML parser may
/// silently re-attach such a line elsewhere), and tabs used for indentation.
pub fn check_indentation(src: &RuleSource) -> Result<()> {
    let mut stack: Vec<usize> = Vec::new();
    let mut flow_depth: i32 = 0;
    let mut block_scalar: Option<usize> = None;
    let mut opened = false;
    for (n, line) in src.text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        let trimmed = content.trim_end();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(key_indent) = block_scalar {
            if indent > key_indent {
                continue;
            }
            block_scalar = None;
        }
        let at = |col: usize, message: String| Error::Rule {
            at: Located::at_line_col(&src.display, &src.text, n + 1, col),
            message,
        };
        if content.starts_with('\t') {
            return Err(at(
                indent + 1,
                "a tab is used for indentation; YAML needs spaces".into(),
            ));
        }
        let continuation = flow_depth > 0;
        // brackets outside quoted strings and comments
        let mut quote: Option<char> = None;
        for c in trimmed.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '#' => break,
                    '[' | '{' => flow_depth += 1,
                    ']' | '}' => flow_depth -= 1,
                    _ => {}
                },
            }
        }
        if continuation {
            continue;
        }
        while stack.last().is_some_and(|&top| top > indent) {
            stack.pop();
        }
        match stack.last() {
            Some(&top) if top == indent => {}
            // a deeper line must follow a line that opens a block ("key:" or "- ")
            Some(_) | None if opened || stack.is_empty() => stack.push(indent),
            _ => {
                let levels: Vec<String> = stack.iter().map(|l| l.to_string()).collect();
                return Err(at(
                    indent + 1,
                    format!(
                        "inconsistent indentation: {indent} spaces here, but the enclosing blocks are indented {}",
                        levels.join(" or ")
                    ),
                ));
            }
        }
        opened = trimmed.ends_with(':') || trimmed == "-";
        if let Some(rest) = trimmed.strip_prefix("- ") {
            let inner = indent + 2 + (rest.len() - rest.trim_start().len());
            stack.push(inner);
            opened = rest.trim_end().ends_with(':');
        }
        if trimmed.ends_with('|')
            || trimmed.ends_with('>')
            || trimmed.ends_with("|-")
            || trimmed.ends_with(">-")
        {
            block_scalar = Some(indent);
        }
    }
    Ok(())
}

/// Parses one YAML file strictly, mapping errors to `file:line:col` with the offending line.
pub fn parse_yaml<T: DeserializeOwned>(src: &RuleSource) -> Result<T> {
    check_indentation(src)?;
    serde_saphyr::from_str::<T>(&src.text).map_err(|e| yaml_error(src, &e))
}

/// A serde-saphyr error as a rule error at its written position.
pub fn yaml_error(src: &RuleSource, e: &serde_saphyr::Error) -> Error {
    let message = clean_yaml_message(&e.without_snippet().to_string());
    let (line, column) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((1, 1));
    Error::Rule {
        at: src.locate(line.max(1), column.max(1)),
        message,
    }
}

/// serde-saphyr appends its own "at line X column Y"; we print the position ourselves.
fn clean_yaml_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    match first.find(" at line ") {
        Some(i) => first[..i].trim_end_matches(',').to_string(),
        None => first.to_string(),
    }
}

/// An error at a position recorded by a `Spanned` value in a rule file.
pub fn rule_error_at(src: &RuleSource, loc: &serde_saphyr::Location, message: String) -> Error {
    Error::Rule {
        at: src.locate((loc.line() as usize).max(1), (loc.column() as usize).max(1)),
        message,
    }
}

/// Loads and compiles a rule set: the embedded default, or a folder.
pub fn load(dir: Option<&Path>) -> Result<RuleSet> {
    let texts = match dir {
        Some(d) => RuleTexts::from_dir(d)?,
        None => RuleTexts::embedded(),
    };
    RuleSet::compile(&texts)
}
