//! The YAML rule files as written on disk. Every struct denies unknown keys, so a misspelt
//! key is an error with its line and column, never silently ignored.

use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// A string with the position where it was written, for error messages.
pub type Sp = Spanned<String>;

// ---------------------------------------------------------------- sources.yaml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    #[serde(default)]
    pub outlets: Vec<Outlet>,
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub bodies: Vec<Body>,
    #[serde(default)]
    pub descriptors: Vec<Descriptor>,
    #[serde(default)]
    pub anonymous: Anonymous,
    #[serde(default)]
    pub weasel: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outlet {
    pub id: Sp,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub short_aliases: Vec<String>,
    pub kind: OutletKind,
    pub country: String,
    pub status: Status,
    pub state: StateControl,
    #[serde(default)]
    pub domains: Vec<String>,
    pub retrieved: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OutletKind {
    Wire,
    Newspaper,
    Broadcaster,
    Magazine,
    Online,
    StateMedia,
}

impl OutletKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutletKind::Wire => "wire",
            OutletKind::Newspaper => "newspaper",
            OutletKind::Broadcaster => "broadcaster",
            OutletKind::Magazine => "magazine",
            OutletKind::Online => "online",
            OutletKind::StateMedia => "state_media",
        }
    }
}

/// Catalogue status of an outlet (after Wikipedia's perennial-sources list).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    GenerallyReliable,
    ReliableWithCaveats,
    NoConsensus,
    GenerallyUnreliable,
    Deprecated,
    Unlisted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::GenerallyReliable => "generally_reliable",
            Status::ReliableWithCaveats => "reliable_with_caveats",
            Status::NoConsensus => "no_consensus",
            Status::GenerallyUnreliable => "generally_unreliable",
            Status::Deprecated => "deprecated",
            Status::Unlisted => "unlisted",
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StateControl {
    Independent,
    Public,
    StateFunded,
    StateControlled,
    StateAffiliated,
}

impl StateControl {
    pub fn is_state(self) -> bool {
        matches!(
            self,
            StateControl::StateControlled | StateControl::StateAffiliated
        )
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: Sp,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// The id of the outlet or body the person speaks for, if any.
    #[serde(default)]
    pub affiliation: Option<Sp>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub id: Sp,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub country: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Descriptor {
    pub id: Sp,
    pub kind: DescriptorKind,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DescriptorKind {
    StateMedia,
    GenericMedia,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anonymous {
    #[serde(default)]
    pub vague: Vec<String>,
    #[serde(default)]
    pub specific: Vec<String>,
}

// ---------------------------------------------------------------- cues.yaml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuesFile {
    pub classes: BTreeMap<CueClass, Vec<String>>,
    #[serde(default)]
    pub listener_verbs: Vec<String>,
    #[serde(default)]
    pub description_verbs: Vec<String>,
    #[serde(default)]
    pub summary_verbs: Vec<String>,
    #[serde(default)]
    pub needs_complement: Vec<String>,
    #[serde(default)]
    pub infinitive_verbs: Vec<String>,
    #[serde(default)]
    pub noun_forms: Vec<String>,
    #[serde(default)]
    pub inversion_verbs: Vec<String>,
    #[serde(default)]
    pub cue_modifiers: Vec<String>,
    #[serde(default)]
    pub prepositional: Vec<Prepositional>,
    pub chain: ChainCues,
    #[serde(default)]
    pub venues: Vec<String>,
    #[serde(default)]
    pub irregular: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum CueClass {
    Neutral,
    Endorsing,
    Distancing,
    Guilt,
    Interpretive,
    Mental,
    Emotive,
}

impl CueClass {
    /// Every class, as written in the rule files.
    pub const NAMES: [&'static str; 7] = [
        "neutral",
        "endorsing",
        "distancing",
        "guilt",
        "interpretive",
        "mental",
        "emotive",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CueClass::Neutral => "neutral",
            CueClass::Endorsing => "endorsing",
            CueClass::Distancing => "distancing",
            CueClass::Guilt => "guilt",
            CueClass::Interpretive => "interpretive",
            CueClass::Mental => "mental",
            CueClass::Emotive => "emotive",
        }
    }

    /// The scoring.yaml key of this class's points: "cue.distancing".
    pub fn score_key(self) -> &'static str {
        match self {
            CueClass::Neutral => "cue.neutral",
            CueClass::Endorsing => "cue.endorsing",
            CueClass::Distancing => "cue.distancing",
            CueClass::Guilt => "cue.guilt",
            CueClass::Interpretive => "cue.interpretive",
            CueClass::Mental => "cue.mental",
            CueClass::Emotive => "cue.emotive",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prepositional {
    pub phrase: String,
    pub class: CueClass,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainCues {
    pub quote_verbs: Vec<String>,
    pub cite_verbs: Vec<String>,
    pub as_phrases: Vec<String>,
    pub relative_pronouns: Vec<String>,
}

// ---------------------------------------------------------------- language.yaml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageFile {
    pub abbreviations: Vec<String>,
    #[serde(default)]
    pub can_end_sentence: Vec<String>,
    #[serde(default)]
    pub sentence_openers: Vec<String>,
    #[serde(default)]
    pub titles: Vec<String>,
    pub pronouns: Pronouns,
    #[serde(default)]
    pub np_boundaries: Vec<String>,
    #[serde(default)]
    pub organization_words: Vec<String>,
    #[serde(default)]
    pub document_nouns: Vec<String>,
    #[serde(default)]
    pub nationalities: Vec<String>,
    pub headline_max_words: usize,
    #[serde(default)]
    pub boilerplate: Vec<Sp>,
    #[serde(default)]
    pub transliteration: Vec<Vec<String>>,
    #[serde(default)]
    pub time_words: Vec<String>,
    #[serde(default)]
    pub quantity_words: Vec<String>,
    pub grammar: GrammarWords,
    /// Ranks and titles that say how senior a person is ("Brig. Gen.", "Major General").
    #[serde(default)]
    pub ranks: Vec<Vec<String>>,
    /// Nouns of office in "the commander of ...", "the chief of staff of ...".
    #[serde(default)]
    pub role_nouns: Vec<String>,
}

/// Function words the detection frames are built on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrammarWords {
    pub articles: Vec<String>,
    pub determiners: Vec<String>,
    pub be_forms: Vec<String>,
    pub helping_verbs: Vec<String>,
    pub prepositions: Vec<String>,
    pub conjunctions: Vec<String>,
    pub coordinators: Vec<String>,
    pub time_prefixes: Vec<String>,
    pub clause_tails: Vec<String>,
    pub adverbial_openers: Vec<String>,
    pub adjunct_words: Vec<String>,
    pub specificity_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pronouns {
    pub person: Vec<String>,
    #[serde(default)]
    pub first_person: Vec<String>,
    #[serde(default)]
    pub group: Vec<String>,
    #[serde(default)]
    pub relative: Vec<String>,
}

// ---------------------------------------------------------------- flags.yaml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagsFile {
    pub flags: Vec<FlagRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagRule {
    pub id: Sp,
    pub severity: Severity,
    pub message: String,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub check: Option<Check>,
    #[serde(default)]
    pub classes: Vec<CueClass>,
    #[serde(default)]
    pub unattributed_only: bool,
    /// When the words appear in a cited claim's paraphrased content, the claim loses the
    /// `integrity.speculation_in_content` points of scoring.yaml.
    #[serde(default)]
    pub affects_score: bool,
    /// Texts the rule must flag and texts it must pass (`sourcecheck rules test`).
    #[serde(default)]
    pub examples: Examples,
    /// single_source: the share of attributed claims (0..1) at which one source is too much.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// single_source: fewest attributed claims in the article before the check applies;
    /// distant_attribution: the most sentences between a claim and its source mention.
    #[serde(default)]
    pub limit: Option<usize>,
}

/// A rule's own examples.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub passes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Built-in checks a flag rule can run instead of (or with) a word list.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    CueClass,
    AnonymousSource,
    WeaselSource,
    GenericMediaSource,
    NameVariant,
    UnattributedSpecific,
    /// Article-wide: one person spelt several ways (Bagheri / Baqeri / Baker).
    NameSpellings,
    /// Article-wide: one person given different ranks or roles.
    TitleInconsistency,
    /// Article-wide: comparable state outlets described with and without a loaded label.
    LabelAsymmetry,
    /// Article-wide: the same quotation given to two different speakers.
    QuoteTwoSpeakers,
    /// Article-wide: one source carries a large share of the attributed claims.
    SingleSource,
    /// A claim whose attribution is carried over from a sentence far away.
    DistantAttribution,
    /// A quotation that differs from its cited document (`--sources`).
    QuoteAltered,
    /// A quotation not found in the documents of its cited outlet (`--sources`).
    QuoteNotFound,
}

// ---------------------------------------------------------------- scoring.yaml

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringFile {
    pub levels: Levels,
    pub speaker: SpeakerWeights,
    pub conduit: ConduitWeights,
    pub directness: DirectnessWeights,
    pub cue: BTreeMap<CueClass, i32>,
    pub hops: Hops,
    pub specificity: Specificity,
    pub integrity: Integrity,
    #[serde(default)]
    pub risk: RiskRules,
    #[serde(default)]
    pub verification: VerificationWeights,
}

/// Points for claims checked against their cited documents (`check --sources DIR`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationWeights {
    pub verified: i32,
    pub altered: i32,
    pub not_found: i32,
    pub matched: i32,
    /// Lowest word alignment (percent) for a quotation to count as altered rather than missing.
    pub min_similarity: i32,
    /// Lowest share of words (percent) for a paraphrase to match a passage.
    pub min_overlap: i32,
}

impl Default for VerificationWeights {
    fn default() -> Self {
        VerificationWeights {
            verified: 10,
            altered: -10,
            not_found: -15,
            matched: 5,
            min_similarity: 60,
            min_overlap: 50,
        }
    }
}

/// Which flags make a claim high or critical risk (flag ids of flags.yaml).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRules {
    #[serde(default)]
    pub critical: Vec<String>,
    #[serde(default)]
    pub high: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    pub strong: i32,
    pub moderate: i32,
    pub limited: i32,
    pub weak: i32,
    pub unattributed: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerWeights {
    pub person_with_role: i32,
    pub person: i32,
    pub official_body: i32,
    pub document: i32,
    pub outlet: i32,
    pub anonymous_specific: i32,
    pub anonymous: i32,
    pub generic_media: i32,
    pub weasel: i32,
    pub pronoun: i32,
    pub unknown: i32,
    pub none: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConduitWeights {
    pub generally_reliable: i32,
    pub reliable_with_caveats: i32,
    pub no_consensus: i32,
    pub generally_unreliable: i32,
    pub deprecated: i32,
    pub unlisted: i32,
    pub own_government_unreliable: i32,
    pub own_government_deprecated: i32,
    pub generic_class: i32,
    pub no_channel: i32,
    pub inherited: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectnessWeights {
    pub direct_quote: i32,
    pub partial_quote: i32,
    pub paraphrase: i32,
    pub summary: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hops {
    pub free: usize,
    pub per_extra_hop: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Specificity {
    pub date: i32,
    pub venue: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Integrity {
    pub garbled_name: i32,
    pub speculation_in_content: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_score_keys_name_each_class() {
        let all = [
            CueClass::Neutral,
            CueClass::Endorsing,
            CueClass::Distancing,
            CueClass::Guilt,
            CueClass::Interpretive,
            CueClass::Mental,
            CueClass::Emotive,
        ];
        for (c, name) in all.iter().zip(CueClass::NAMES) {
            assert_eq!(c.as_str(), name);
            assert_eq!(c.score_key(), format!("cue.{name}"));
        }
    }
}
