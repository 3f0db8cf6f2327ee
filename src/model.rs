//! The output data model, schema "sourcecheck/1". Field names are a public contract:
//! add fields freely, never rename. A field added here goes into `output::json` too (the
//! hand-written encoder of corpus runs); `tests/json.rs` fails until it does.

use serde::Serialize;

pub const SCHEMA: &str = "sourcecheck/1";

/// A UTF-8 byte span into the article text, end-exclusive.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Attribution strength level, from strongest to none.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Unattributed,
    Weak,
    Limited,
    Moderate,
    Strong,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Strong,
        Level::Moderate,
        Level::Limited,
        Level::Weak,
        Level::Unattributed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Strong => "strong",
            Level::Moderate => "moderate",
            Level::Limited => "limited",
            Level::Weak => "weak",
            Level::Unattributed => "unattributed",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub resolved: Option<String>,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_of: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cue {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub class: &'static str,
    pub pattern: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attribution {
    pub source: Source,
    pub cue: Cue,
    pub chain: Vec<Source>,
    pub directness: &'static str,
    pub inherited: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Content {
    pub start: usize,
    pub end: usize,
    /// The pieces when the content is discontinuous (`"...," she said, "..."`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Span>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    pub name: &'static str,
    pub value: i32,
    /// Why the points are given; most reasons are fixed phrases, borrowed, not copied.
    pub why: std::borrow::Cow<'static, str>,
    /// The scoring.yaml key the points come from, e.g. "directness.paraphrase".
    pub rule: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Strength {
    pub score: i32,
    pub level: Level,
    pub factors: Vec<Factor>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    pub id: String,
    pub severity: &'static str,
    pub message: String,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    pub index: usize,
    pub text: String,
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub content: Content,
    pub attribution: Option<Attribution>,
    pub strength: Strength,
    pub flags: Vec<Flag>,
    /// For the editor's checklist: critical, high or low (see scoring.yaml `risk:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<&'static str>,
    /// The claim checked against its cited documents (`check --sources DIR`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<crate::verify::Verification>,
}

/// How much of the article rests on one source (first hop of the chain).
#[derive(Debug, Clone, Serialize)]
pub struct Reliance {
    pub source: String,
    pub kind: String,
    pub claims: usize,
    pub share: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LevelCounts {
    pub strong: usize,
    pub moderate: usize,
    pub limited: usize,
    pub weak: usize,
    pub unattributed: usize,
}

impl LevelCounts {
    pub fn add(&mut self, l: Level) {
        *self.get_mut(l) += 1;
    }
    /// Adds another article's counts to these.
    pub fn merge(&mut self, other: &LevelCounts) {
        for l in Level::ALL {
            *self.get_mut(l) += other.get(l);
        }
    }
    pub fn get(&self, l: Level) -> usize {
        match l {
            Level::Strong => self.strong,
            Level::Moderate => self.moderate,
            Level::Limited => self.limited,
            Level::Weak => self.weak,
            Level::Unattributed => self.unattributed,
        }
    }
    fn get_mut(&mut self, l: Level) -> &mut usize {
        match l {
            Level::Strong => &mut self.strong,
            Level::Moderate => &mut self.moderate,
            Level::Limited => &mut self.limited,
            Level::Weak => &mut self.weak,
            Level::Unattributed => &mut self.unattributed,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub claims: usize,
    pub attributed: usize,
    pub levels: LevelCounts,
    pub flags: usize,
    /// Flags silenced by `<!-- sourcecheck: ignore ... -->` markers.
    pub suppressed: usize,
    /// Attributed claims by the source the author relies on, most first.
    pub reliance: Vec<Reliance>,
    /// Flag counts by id, sorted by id.
    pub flags_by_id: std::collections::BTreeMap<String, usize>,
}

/// Optional article metadata (from a JSONL corpus line).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleReport {
    pub schema: &'static str,
    pub id: String,
    #[serde(flatten)]
    pub meta: Meta,
    /// The headline as found in the text, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    pub claims: Vec<Claim>,
    pub summary: Summary,
}
