//! A line scan of rule files for their keys, with positions: it finds every unknown or
//! misspelt key in one pass (a YAML parser stops at the first), offers a "did you mean",
//! and tells `rules explain` and `explain` where each rule and weight is defined.
//!
//! It understands the block style the rule files are written in: `key: value`, `key:` with
//! a nested block, `- key: value` sequence items, flow lists `[a, b]` (also over several
//! lines), and block scalars (`|`, `>`).

use crate::error::{Error, Located};

/// A key and where it stands. Sequence items appear in the path as `[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAt {
    pub path: Vec<String>,
    pub line: usize,
    pub column: usize,
    /// The scalar value on the same line, if any (unquoted).
    pub value: Option<String>,
}

struct Frame {
    indent: usize,
    name: String,
    item: bool,
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let v = match v.find(" #") {
        Some(i) if !v.starts_with(['"', '\'']) => v[..i].trim_end(),
        _ => v,
    };
    v.trim_matches(|c| c == '"' || c == '\'').to_string()
}

/// Splits `key: value` at the first colon outside quotes followed by a space or the end.
fn split_key(s: &str) -> Option<(&str, &str)> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' if i == 0 => quote = Some(c),
                '[' | '{' if i == 0 => return None,
                '#' => return None,
                ':' => {
                    let rest = &s[i + 1..];
                    if rest.is_empty() || rest.starts_with(' ') {
                        let key = s[..i].trim().trim_matches(|c| c == '"' || c == '\'');
                        return Some((key, rest));
                    }
                }
                _ => {}
            },
        }
    }
    None
}

/// Every key of a rule file, in order.
pub fn scan(text: &str) -> Vec<KeyAt> {
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut flow_depth: i32 = 0;
    let mut block_scalar: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        let trimmed = content.trim_end();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(k) = block_scalar {
            if indent > k {
                continue;
            }
            block_scalar = None;
        }
        let continuation = flow_depth > 0;
        for c in trimmed.chars() {
            match c {
                '[' | '{' => flow_depth += 1,
                ']' | '}' => flow_depth -= 1,
                '#' => break,
                _ => {}
            }
        }
        if continuation {
            continue;
        }
        let (mut at, mut rest) = (indent, trimmed);
        if let Some(r) = rest
            .strip_prefix("- ")
            .or_else(|| (rest == "-").then_some(""))
        {
            while stack
                .last()
                .is_some_and(|f| f.indent > indent || (f.indent == indent && f.item))
            {
                stack.pop();
            }
            stack.push(Frame {
                indent,
                name: "[]".into(),
                item: true,
            });
            let pad = r.len() - r.trim_start().len();
            at = indent + 2 + pad;
            rest = r.trim_start();
        }
        let Some((key, value)) = split_key(rest) else {
            continue;
        };
        while stack.last().is_some_and(|f| f.indent >= at) {
            stack.pop();
        }
        let mut path: Vec<String> = stack.iter().map(|f| f.name.clone()).collect();
        path.push(key.to_string());
        let v = value.trim();
        out.push(KeyAt {
            path,
            line: n + 1,
            column: at + 1,
            value: (!v.is_empty() && !v.starts_with('[') && !v.starts_with('{'))
                .then(|| unquote(v)),
        });
        stack.push(Frame {
            indent: at,
            name: key.to_string(),
            item: false,
        });
        if matches!(v, "|" | ">" | "|-" | ">-" | "|+" | ">+") {
            block_scalar = Some(at);
        }
    }
    out
}

/// Allowed keys of each rule file, by path pattern (`*` accepts any key at that level).
fn schema(file: &str) -> &'static [(&'static [&'static str], &'static [&'static str])] {
    const LAYER: [&str; 2] = ["extends", "disable"];
    let _ = LAYER;
    match file {
        "sources.yaml" => &[
            (
                &[],
                &[
                    "extends",
                    "disable",
                    "outlets",
                    "people",
                    "bodies",
                    "descriptors",
                    "anonymous",
                    "weasel",
                ],
            ),
            (
                &["outlets", "[]"],
                &[
                    "id",
                    "name",
                    "aliases",
                    "short_aliases",
                    "kind",
                    "country",
                    "status",
                    "state",
                    "domains",
                    "retrieved",
                    "note",
                ],
            ),
            (
                &["people", "[]"],
                &["id", "name", "aliases", "role", "country", "affiliation"],
            ),
            (&["bodies", "[]"], &["id", "name", "aliases", "country"]),
            (&["descriptors", "[]"], &["id", "kind", "phrases"]),
            (&["anonymous"], &["vague", "specific"]),
        ],
        "cues.yaml" => &[
            (
                &[],
                &[
                    "extends",
                    "disable",
                    "classes",
                    "listener_verbs",
                    "description_verbs",
                    "summary_verbs",
                    "needs_complement",
                    "infinitive_verbs",
                    "noun_forms",
                    "inversion_verbs",
                    "cue_modifiers",
                    "prepositional",
                    "chain",
                    "venues",
                    "irregular",
                ],
            ),
            (&["classes"], &super::schema::CueClass::NAMES),
            (&["prepositional", "[]"], &["phrase", "class"]),
            (
                &["chain"],
                &[
                    "quote_verbs",
                    "cite_verbs",
                    "as_phrases",
                    "relative_pronouns",
                ],
            ),
            (&["irregular"], &["*"]),
        ],
        "language.yaml" => &[
            (
                &[],
                &[
                    "extends",
                    "disable",
                    "abbreviations",
                    "can_end_sentence",
                    "sentence_openers",
                    "titles",
                    "pronouns",
                    "np_boundaries",
                    "organization_words",
                    "document_nouns",
                    "nationalities",
                    "headline_max_words",
                    "boilerplate",
                    "transliteration",
                    "time_words",
                    "quantity_words",
                    "grammar",
                    "ranks",
                    "role_nouns",
                ],
            ),
            (
                &["pronouns"],
                &["person", "first_person", "group", "relative"],
            ),
            (
                &["grammar"],
                &[
                    "articles",
                    "determiners",
                    "be_forms",
                    "helping_verbs",
                    "prepositions",
                    "conjunctions",
                    "coordinators",
                    "time_prefixes",
                    "clause_tails",
                    "adverbial_openers",
                    "adjunct_words",
                    "specificity_words",
                ],
            ),
        ],
        "flags.yaml" => &[
            (&[], &["extends", "disable", "flags"]),
            (
                &["flags", "[]"],
                &[
                    "id",
                    "severity",
                    "message",
                    "terms",
                    "check",
                    "classes",
                    "unattributed_only",
                    "affects_score",
                    "examples",
                    "threshold",
                    "limit",
                ],
            ),
            (&["flags", "[]", "examples"], &["flags", "passes"]),
        ],
        "scoring.yaml" => &[
            (
                &[],
                &[
                    "extends",
                    "levels",
                    "speaker",
                    "conduit",
                    "directness",
                    "cue",
                    "hops",
                    "specificity",
                    "integrity",
                    "risk",
                    "verification",
                ],
            ),
            (&["risk"], &["critical", "high"]),
            (
                &["verification"],
                &[
                    "verified",
                    "altered",
                    "not_found",
                    "matched",
                    "min_similarity",
                    "min_overlap",
                ],
            ),
            (
                &["levels"],
                &["strong", "moderate", "limited", "weak", "unattributed"],
            ),
            (
                &["speaker"],
                &[
                    "person_with_role",
                    "person",
                    "official_body",
                    "document",
                    "outlet",
                    "anonymous_specific",
                    "anonymous",
                    "generic_media",
                    "weasel",
                    "pronoun",
                    "unknown",
                    "none",
                ],
            ),
            (
                &["conduit"],
                &[
                    "generally_reliable",
                    "reliable_with_caveats",
                    "no_consensus",
                    "generally_unreliable",
                    "deprecated",
                    "unlisted",
                    "own_government_unreliable",
                    "own_government_deprecated",
                    "generic_class",
                    "no_channel",
                    "inherited",
                ],
            ),
            (
                &["directness"],
                &["direct_quote", "partial_quote", "paraphrase", "summary"],
            ),
            (&["cue"], &super::schema::CueClass::NAMES),
            (&["hops"], &["free", "per_extra_hop"]),
            (&["specificity"], &["date", "venue"]),
            (&["integrity"], &["garbled_name", "speculation_in_content"]),
        ],
        _ => &[],
    }
}

/// Levenshtein distance, for "did you mean".
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest of `options` to `word`, if close enough to be a likely misspelling.
pub fn did_you_mean<'a>(word: &str, options: &[&'a str]) -> Option<&'a str> {
    options
        .iter()
        .filter(|o| **o != "*")
        .map(|o| (distance(word, o), *o))
        .filter(|(d, o)| *d <= (o.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

/// Unknown keys of one rule file, all of them, each with its position and a suggestion.
pub fn unknown_keys(file: &str, display: &str, text: &str) -> Vec<Error> {
    let schema = schema(file);
    let mut out = Vec::new();
    for k in scan(text) {
        let (key, parent) = k
            .path
            .split_last()
            .expect("a key path has at least the key");
        let allowed = schema
            .iter()
            .find(|(p, _)| p.len() == parent.len() && p.iter().zip(parent).all(|(a, b)| a == b));
        let Some((_, allowed)) = allowed else {
            continue;
        };
        if allowed.contains(&"*") || allowed.contains(&key.as_str()) {
            continue;
        }
        let hint = match did_you_mean(key, allowed) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => format!("; expected one of: {}", allowed.join(", ")),
        };
        let place = if parent.is_empty() {
            "at the top level".to_string()
        } else {
            format!("in `{}`", parent.join(".").replace(".[]", "[]"))
        };
        out.push(Error::Rule {
            at: Located::at_line_col(display, text, k.line, k.column),
            message: format!("unknown key `{key}` {place}{hint}"),
        });
    }
    out
}

/// Where a key path is written in a rule file (path without `[]` items), if present.
pub fn find(text: &str, path: &[&str]) -> Option<KeyAt> {
    scan(text).into_iter().find(|k| {
        let plain: Vec<&str> = k
            .path
            .iter()
            .map(String::as_str)
            .filter(|p| *p != "[]")
            .collect();
        plain == path
    })
}

/// Where an item with `id: ID` is defined in a rule file.
pub fn find_id(text: &str, id: &str) -> Option<KeyAt> {
    scan(text)
        .into_iter()
        .find(|k| k.path.last().is_some_and(|l| l == "id") && k.value.as_deref() == Some(id))
}

/// Where a word of a list is written (first line holding it as a list element).
pub fn find_word(text: &str, word: &str) -> Option<(usize, usize)> {
    for (n, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        if code.trim_start().starts_with('#') {
            continue;
        }
        for (i, _) in code.match_indices(word) {
            let before = code[..i].chars().next_back();
            let after = code[i + word.len()..].chars().next();
            let edge = |c: Option<char>| {
                c.is_none_or(|c| matches!(c, ' ' | '[' | ']' | ',' | '"' | '\'' | '-'))
            };
            if edge(before) && edge(after) && !code[..i].trim_end().ends_with(':') {
                return Some((n + 1, code[..i].chars().count() + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_nested_keys_and_items() {
        let text = "flags:\n  - id: a\n    terms: [x,\n      y]\n    check: cue_class\n  - id: b\nlevels:\n  strong: 80\n";
        let keys: Vec<String> = scan(text).iter().map(|k| k.path.join(".")).collect();
        assert_eq!(
            keys,
            [
                "flags",
                "flags.[].id",
                "flags.[].terms",
                "flags.[].check",
                "flags.[].id",
                "levels",
                "levels.strong"
            ]
        );
        assert_eq!(find_id(text, "b").map(|k| k.line), Some(6));
    }

    #[test]
    fn every_misspelt_key_is_reported_with_a_suggestion() {
        let text = "levels:\n  strongg: 80\n  moderate: 60\ndirectnes:\n  direct_quote: 15\n";
        let errs = unknown_keys("scoring.yaml", "scoring.yaml", text);
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].contains("scoring.yaml:2:3") && msgs[0].contains("did you mean `strong`"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].contains("scoring.yaml:4:1") && msgs[1].contains("did you mean `directness`"),
            "{}",
            msgs[1]
        );
    }

    #[test]
    fn the_default_rules_have_no_unknown_keys() {
        for (name, text) in crate::rules::DEFAULT_RULES {
            assert!(unknown_keys(name, name, text).is_empty(), "{name}");
        }
    }
}
