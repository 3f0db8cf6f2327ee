//! Layered rule folders. A rule file that starts with `extends: default` (or
//! `extends: ../other-folder`) is merged onto that base:
//!
//! - mappings merge key by key, the folder's value winning;
//! - lists of items with an `id` merge by id (same id: replaced in place; new id: added);
//! - lists of words are extended;
//! - `disable: [id or word, ...]` removes items and words from the merged result.
//!
//! A file without `extends` replaces the base file whole.

use super::{keys, RuleSource, DEFAULT_RULES};
use crate::error::{Error, Located, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What a file extends, read from its top-level `extends:` key.
pub fn extends_of(text: &str) -> Option<String> {
    keys::scan(text)
        .into_iter()
        .find(|k| k.path.len() == 1 && k.path[0] == "extends")
        .and_then(|k| k.value)
}

fn yaml_value(src: &RuleSource) -> Result<Value> {
    super::check_indentation(src)?;
    serde_saphyr::from_str::<Value>(&src.text).map_err(|e| super::yaml_error(src, &e))
}

fn is_id_list(v: &[Value]) -> bool {
    !v.is_empty() && v.iter().all(|x| x.get("id").is_some())
}

fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(o)) if is_id_list(b) || is_id_list(&o) => {
            for item in o {
                let id = item.get("id").cloned();
                match b
                    .iter_mut()
                    .find(|x| x.get("id").is_some() && x.get("id") == id.as_ref())
                {
                    Some(slot) => *slot = item,
                    None => b.push(item),
                }
            }
        }
        (Value::Array(b), Value::Array(o)) if b.iter().all(|x| !x.is_object()) => {
            for item in o {
                if !b.contains(&item) {
                    b.push(item);
                }
            }
        }
        (slot, o) => *slot = o,
    }
}

/// Removes items with the id, and words equal to the name, everywhere; true if any went.
fn disable(v: &mut Value, name: &str) -> bool {
    let mut found = false;
    match v {
        Value::Array(items) => {
            let before = items.len();
            items.retain(|x| {
                x.get("id").and_then(Value::as_str) != Some(name) && x.as_str() != Some(name)
            });
            found |= items.len() != before;
            for x in items.iter_mut() {
                found |= disable(x, name);
            }
        }
        Value::Object(map) => {
            for (_, x) in map.iter_mut() {
                found |= disable(x, name);
            }
        }
        _ => {}
    }
    found
}

/// Loads the base text of `name` that `extends` points at, resolved recursively.
fn base_text(name: &str, extends: &str, dir: &Path, depth: usize) -> Result<RuleSource> {
    if extends == "default" {
        let text = DEFAULT_RULES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .unwrap_or_default();
        return Ok(RuleSource::new(format!("<default>/{name}"), text));
    }
    let folder: PathBuf = dir.join(extends);
    if !folder.is_dir() {
        return Err(Error::RuleFolder {
            path: dir.join(name).display().to_string(),
            message: format!("`extends: {extends}` names no folder (use `default` or a folder path relative to this one)"),
        });
    }
    let path = folder.join(name);
    if !path.exists() {
        // the base folder has no such file: it stands on the default
        return base_text(name, "default", dir, depth);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    resolve(
        name,
        RuleSource::new(path.display().to_string(), text),
        &folder,
        depth + 1,
    )
}

/// Resolves a rule file from a folder: itself when it does not extend anything, else its
/// merge onto its base (as YAML text, so every later check runs on one document).
pub fn resolve(name: &str, src: RuleSource, dir: &Path, depth: usize) -> Result<RuleSource> {
    let Some(extends) = extends_of(&src.text) else {
        return Ok(src);
    };
    if depth > 8 {
        return Err(Error::RuleFolder {
            path: src.display.clone(),
            message: "`extends` goes more than 8 folders deep (a cycle?)".into(),
        });
    }
    let base = base_text(name, &extends, dir, depth)?;
    let mut merged = yaml_value(&base)?;
    let mut over = yaml_value(&src)?;
    let disabled: Vec<String> = over
        .get("disable")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if let Value::Object(m) = &mut over {
        m.remove("extends");
        m.remove("disable");
    }
    if let Value::Object(m) = &mut merged {
        m.remove("extends");
        m.remove("disable");
    }
    merge(&mut merged, over);
    for name_off in &disabled {
        if !disable(&mut merged, name_off) {
            let at = keys::find_word(&src.text, name_off)
                .map(|(l, c)| Located::at_line_col(&src.display, &src.text, l, c))
                .unwrap_or_else(|| Located::at_line_col(&src.display, &src.text, 1, 1));
            return Err(Error::Rule {
                at,
                message: format!(
                    "`disable` names `{name_off}`, which the base rules do not define"
                ),
            });
        }
    }
    let text = serde_saphyr::to_string(&merged).map_err(|e| Error::RuleFolder {
        path: src.display.clone(),
        message: e.to_string(),
    })?;
    let display = format!("{} (extends {})", src.display, base.display);
    Ok(RuleSource {
        display,
        text,
        layers: vec![src, base],
    })
}
