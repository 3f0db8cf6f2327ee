//! Compiles parsed rule files into matchers, once per run: hash tables for the cue lexicon,
//! aho-corasick automata for catalogue names and word lists, regexes for boilerplate.

use super::schema::*;
use super::{parse_yaml, rule_error_at, RuleSource, RuleTexts};
use crate::error::{Error, Result};
use crate::scan::WordSet;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap as HashMap;

/// A compiled, validated rule set, ready for analysis. Cheap to share across threads.
#[derive(Debug)]
pub struct RuleSet {
    pub cues: CueLexicon,
    pub catalogue: Catalogue,
    pub lang: Language,
    pub flags: Vec<CompiledFlag>,
    pub scoring: ScoringFile,
    /// Names, phrases and flag terms keyed by first word, for the one-pass article scan.
    pub words: crate::scan::WordLists,
    /// The rule files as loaded, for `rules explain` and `explain` (file and line of a rule).
    pub texts: RuleTexts,
}

// ------------------------------------------------------------------ cues

/// Grammatical form of a cue verb as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Base,
    Third,
    Past,
    Ing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A speech or thought verb: "said", "told", "believes".
    Verb,
    /// A phrase that introduces its source after it: "according to".
    Prepositional,
    /// "X quoted Y as saying".
    QuoteChain,
    /// "X cited Y as saying", "X cited Y who said", "citing Y".
    CiteChain,
}

#[derive(Debug, Clone)]
pub struct CuePhrase {
    /// Lower-case words of the phrase as written in text ("point", "out").
    pub words: Vec<String>,
    pub lemma: String,
    pub kind: CueKind,
    pub class: CueClass,
    pub form: Form,
    pub listener: bool,
    pub description: bool,
    pub summary: bool,
    pub needs_complement: bool,
    pub infinitive: bool,
    pub inversion: bool,
    /// The phrase is also a noun ("report", "claims"): listed in `noun_forms`.
    pub noun_form: bool,
}

#[derive(Debug, Default)]
pub struct CueLexicon {
    /// First word (lower case) to every phrase starting with it, longest first.
    pub by_first: HashMap<String, Vec<CuePhrase>>,
    /// Passes over most words that start no cue without hashing them.
    pub first_filter: crate::scan::WordFilter,
    pub modifiers: WordSet,
    pub as_phrases: Vec<Vec<String>>,
    pub relative: WordSet,
    /// Cue forms that are usually nouns.
    pub noun_forms: WordSet,
    /// Venue phrases, as lower-case word sequences.
    pub venues: Vec<Vec<String>>,
    /// First word of a venue phrase -> the phrases (indices into `venues`) it starts, in order.
    pub venue_starts: HashMap<String, Vec<usize>>,
    /// The same for the first words of venues.
    pub venue_filter: crate::scan::WordFilter,
}

impl CueLexicon {
    /// The longest cue phrase starting at `words[0]`; `words` are lower-case.
    pub fn longest_at<'a>(&'a self, words: &[&str]) -> Option<&'a CuePhrase> {
        let first = words.first()?;
        self.by_first.get(*first)?.iter().find(|p| {
            p.words.len() <= words.len() && p.words.iter().zip(words).all(|(a, b)| a == b)
        })
    }
}

/// Regular English inflections of a verb (phrasal verbs inflect their first word), plus
/// the irregular forms from the rule file.
fn inflect(lemma: &str, irregular: &HashMap<String, Vec<String>>) -> Vec<(String, Form)> {
    let mut out = vec![(lemma.to_string(), Form::Base)];
    if let Some(forms) = irregular.get(lemma) {
        for (i, f) in forms.iter().enumerate() {
            let head = f.split(' ').next().unwrap_or("");
            let form = if i > 0 && head.ends_with("ing") {
                Form::Ing
            } else if i == 0 {
                Form::Third
            } else {
                Form::Past
            };
            out.push((f.clone(), form));
        }
        return out;
    }
    let (head, rest) = match lemma.split_once(' ') {
        Some((h, r)) => (h, format!(" {r}")),
        None => (lemma, String::new()),
    };
    let b = head.as_bytes();
    let n = b.len();
    let is_vowel = |c: u8| b"aeiou".contains(&c);
    let last = b.last().copied().unwrap_or(b'x');
    let prev = if n >= 2 { b[n - 2] } else { b'x' };
    let mut forms: Vec<(String, Form)> = Vec::new();
    // third person
    if head.ends_with('s')
        || head.ends_with("sh")
        || head.ends_with("ch")
        || head.ends_with('x')
        || head.ends_with('z')
        || head.ends_with('o')
    {
        forms.push((format!("{head}es"), Form::Third));
    } else if last == b'y' && !is_vowel(prev) {
        forms.push((format!("{}ies", &head[..n - 1]), Form::Third));
    } else {
        forms.push((format!("{head}s"), Form::Third));
    }
    // past and -ing
    if last == b'e' {
        forms.push((format!("{head}d"), Form::Past));
        if head.ends_with("ee") {
            forms.push((format!("{head}ing"), Form::Ing));
        } else {
            forms.push((format!("{}ing", &head[..n - 1]), Form::Ing));
        }
    } else if last == b'y' && !is_vowel(prev) {
        forms.push((format!("{}ied", &head[..n - 1]), Form::Past));
        forms.push((format!("{head}ing"), Form::Ing));
    } else {
        forms.push((format!("{head}ed"), Form::Past));
        forms.push((format!("{head}ing"), Form::Ing));
        // consonant-vowel-consonant endings may double (admit -> admitted): accept both
        let cvc = n >= 3
            && !is_vowel(last)
            && !b"wxy".contains(&last)
            && is_vowel(prev)
            && !is_vowel(b[n - 3]);
        if cvc {
            let c = last as char;
            forms.push((format!("{head}{c}ed"), Form::Past));
            forms.push((format!("{head}{c}ing"), Form::Ing));
        }
    }
    out.extend(
        forms
            .into_iter()
            .map(|(f, form)| (format!("{f}{rest}"), form)),
    );
    out
}

fn lower_words(s: &str) -> Vec<String> {
    s.split_whitespace().map(|w| w.to_lowercase()).collect()
}

fn compile_cues(file: &CuesFile) -> CueLexicon {
    let irregular: HashMap<String, Vec<String>> = file
        .irregular
        .iter()
        .map(|(k, v)| {
            (
                k.to_lowercase(),
                v.iter().map(|s| s.to_lowercase()).collect(),
            )
        })
        .collect();
    let set = |v: &Vec<String>| -> WordSet { v.iter().map(|s| s.to_lowercase()).collect() };
    let listener = set(&file.listener_verbs);
    let description = set(&file.description_verbs);
    let summary = set(&file.summary_verbs);
    let needs = set(&file.needs_complement);
    let inversion = set(&file.inversion_verbs);
    let infinitive = set(&file.infinitive_verbs);
    let mut lex = CueLexicon {
        modifiers: set(&file.cue_modifiers),
        as_phrases: file
            .chain
            .as_phrases
            .iter()
            .map(|s| lower_words(s))
            .collect(),
        relative: set(&file.chain.relative_pronouns),
        noun_forms: set(&file.noun_forms),
        venues: file.venues.iter().map(|s| lower_words(s)).collect(),
        venue_starts: file.venues.iter().enumerate().fold(
            HashMap::default(),
            |mut m: HashMap<String, Vec<usize>>, (i, s)| {
                if let Some(first) = lower_words(s).into_iter().next() {
                    m.entry(first).or_default().push(i);
                }
                m
            },
        ),
        ..Default::default()
    };
    let add = |lex: &mut CueLexicon, mut p: CuePhrase| {
        p.noun_form = lex.noun_forms.contains(&p.words.join(" "));
        let first = p.words[0].clone();
        let list = lex.by_first.entry(first).or_default();
        if !list.iter().any(|q| q.words == p.words) {
            list.push(p);
        }
    };
    for (class, verbs) in &file.classes {
        for verb in verbs {
            let lemma = verb.to_lowercase();
            for (form_text, form) in inflect(&lemma, &irregular) {
                add(
                    &mut lex,
                    CuePhrase {
                        words: lower_words(&form_text),
                        lemma: lemma.clone(),
                        kind: CueKind::Verb,
                        class: *class,
                        form,
                        listener: listener.contains(&lemma),
                        description: description.contains(&lemma),
                        summary: summary.contains(&lemma),
                        needs_complement: needs.contains(&lemma),
                        infinitive: infinitive.contains(&lemma),
                        inversion: inversion.contains(&lemma),
                        noun_form: false,
                    },
                );
            }
        }
    }
    for (verbs, kind) in [
        (&file.chain.quote_verbs, CueKind::QuoteChain),
        (&file.chain.cite_verbs, CueKind::CiteChain),
    ] {
        for verb in verbs {
            let lemma = verb.to_lowercase();
            for (form_text, form) in inflect(&lemma, &irregular) {
                add(
                    &mut lex,
                    CuePhrase {
                        words: lower_words(&form_text),
                        lemma: lemma.clone(),
                        kind,
                        class: CueClass::Neutral,
                        form,
                        listener: false,
                        description: false,
                        summary: false,
                        needs_complement: false,
                        infinitive: false,
                        inversion: false,
                        noun_form: false,
                    },
                );
            }
        }
    }
    for p in &file.prepositional {
        add(
            &mut lex,
            CuePhrase {
                words: lower_words(&p.phrase),
                lemma: p.phrase.to_lowercase(),
                kind: CueKind::Prepositional,
                class: p.class,
                form: Form::Base,
                listener: false,
                description: false,
                summary: false,
                needs_complement: false,
                infinitive: false,
                inversion: false,
                noun_form: false,
            },
        );
    }
    for list in lex.by_first.values_mut() {
        list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    }
    lex.first_filter = crate::scan::WordFilter::new(lex.by_first.keys().map(String::as_str));
    lex.venue_filter = crate::scan::WordFilter::new(lex.venue_starts.keys().map(String::as_str));
    lex
}

// ------------------------------------------------------------------ catalogue

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    Outlet(OutletKind),
    Person,
    Body,
    Descriptor(DescriptorKind),
    AnonymousVague,
    AnonymousSpecific,
    Weasel,
}

#[derive(Debug, Clone)]
pub struct Entity {
    /// Catalogue id; None for list phrases (anonymous, weasel).
    pub id: Option<String>,
    pub name: String,
    pub kind: EntityKind,
    pub status: Option<Status>,
    pub state: Option<StateControl>,
    pub country: Option<String>,
    pub role: Option<String>,
}

/// One pattern of an automaton: which entity, and whether it is an ambiguous short alias.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub entity: usize,
    pub short: bool,
}

#[derive(Debug)]
pub struct Catalogue {
    pub entities: Vec<Entity>,
    /// Case-sensitive names and aliases of outlets, people and bodies.
    pub names: AhoCorasick,
    pub name_targets: Vec<Target>,
    /// Case-insensitive phrases: descriptors, anonymous and weasel lists.
    pub phrases: AhoCorasick,
    pub phrase_targets: Vec<Target>,
    /// Every word of a catalogued person's name.
    pub person_words: WordSet,
    /// The patterns of `names` and `phrases`, pattern for pattern.
    pub name_patterns: Vec<String>,
    pub phrase_patterns: Vec<String>,
}

/// The automaton of a word list. The article scan keys lists by first word
/// ([`crate::scan::WordLists`]) and searches with an automaton only a list that has a pattern
/// starting in punctuation, so the automaton is a contiguous NFA, quick to build (a DFA of
/// the catalogue took most of the rule set's compile time) and still quick to search.
fn automaton(patterns: &[String], case_insensitive: bool) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(case_insensitive)
        .build(patterns)
        .expect("aho-corasick accepts any set of literal patterns within default limits")
}

/// A name as written, with curly apostrophes too, and with a lower-case leading "the"
/// ("the Guardian" in running text).
fn name_variants(name: &str) -> Vec<String> {
    if name.is_empty() {
        return Vec::new();
    }
    let mut out = vec![name.to_string()];
    if let Some(rest) = name.strip_prefix("The ") {
        out.push(format!("the {rest}"));
    }
    let curly: Vec<String> = out
        .iter()
        .filter(|n| n.contains('\''))
        .map(|n| n.replace('\'', "\u{2019}"))
        .collect();
    out.extend(curly);
    out
}

fn compile_catalogue(
    file: &SourcesFile,
    src: &RuleSource,
    nationalities: &[String],
    problems: &mut Vec<Error>,
) -> Catalogue {
    let mut entities = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut name_targets = Vec::new();
    let mut phrases: Vec<String> = Vec::new();
    let mut phrase_targets = Vec::new();
    let mut seen: HashMap<String, (u64, u64)> = HashMap::default();
    let mut check_id = |id: &Sp, problems: &mut Vec<Error>| -> String {
        let v = id.value.trim().to_string();
        if v.is_empty()
            || !v
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.push(rule_error_at(
                src,
                &id.referenced,
                format!("id \"{v}\" must be lower-case letters, digits and hyphens"),
            ));
        } else if let Some((l, c)) = seen.get(&v) {
            problems.push(rule_error_at(
                src,
                &id.referenced,
                format!("duplicate id \"{v}\" (first defined at line {l}, column {c})"),
            ));
        } else {
            seen.insert(v.clone(), (id.referenced.line(), id.referenced.column()));
        }
        v
    };
    let add_names = |names: &mut Vec<String>,
                     targets: &mut Vec<Target>,
                     e: usize,
                     list: &[String],
                     short: bool| {
        for n in list {
            for v in name_variants(n.trim()) {
                names.push(v);
                targets.push(Target { entity: e, short });
            }
        }
    };
    for o in &file.outlets {
        let id = check_id(&o.id, problems);
        let e = entities.len();
        entities.push(Entity {
            id: Some(id),
            name: o.name.clone(),
            kind: EntityKind::Outlet(o.kind),
            status: Some(o.status),
            state: Some(o.state),
            country: Some(o.country.clone()),
            role: None,
        });
        add_names(
            &mut names,
            &mut name_targets,
            e,
            std::slice::from_ref(&o.name),
            false,
        );
        add_names(&mut names, &mut name_targets, e, &o.aliases, false);
        add_names(&mut names, &mut name_targets, e, &o.short_aliases, true);
    }
    for p in &file.people {
        let id = check_id(&p.id, problems);
        let e = entities.len();
        entities.push(Entity {
            id: Some(id),
            name: p.name.clone(),
            kind: EntityKind::Person,
            status: None,
            state: None,
            country: p.country.clone(),
            role: p.role.clone(),
        });
        add_names(
            &mut names,
            &mut name_targets,
            e,
            std::slice::from_ref(&p.name),
            false,
        );
        add_names(&mut names, &mut name_targets, e, &p.aliases, false);
    }
    for b in &file.bodies {
        let id = check_id(&b.id, problems);
        let e = entities.len();
        entities.push(Entity {
            id: Some(id),
            name: b.name.clone(),
            kind: EntityKind::Body,
            status: None,
            state: None,
            country: b.country.clone(),
            role: None,
        });
        add_names(
            &mut names,
            &mut name_targets,
            e,
            std::slice::from_ref(&b.name),
            false,
        );
        add_names(&mut names, &mut name_targets, e, &b.aliases, false);
    }
    for d in &file.descriptors {
        let id = check_id(&d.id, problems);
        let e = entities.len();
        entities.push(Entity {
            id: Some(id),
            name: d.id.value.replace('-', " "),
            kind: EntityKind::Descriptor(d.kind),
            status: None,
            state: None,
            country: None,
            role: None,
        });
        for phrase in &d.phrases {
            if phrase.contains("{nationality}") {
                for nat in nationalities {
                    phrases.push(phrase.replace("{nationality}", nat));
                    phrase_targets.push(Target {
                        entity: e,
                        short: false,
                    });
                }
            } else {
                phrases.push(phrase.clone());
                phrase_targets.push(Target {
                    entity: e,
                    short: false,
                });
            }
        }
    }
    for (list, kind) in [
        (&file.anonymous.vague, EntityKind::AnonymousVague),
        (&file.anonymous.specific, EntityKind::AnonymousSpecific),
        (&file.weasel, EntityKind::Weasel),
    ] {
        for phrase in list {
            let e = entities.len();
            entities.push(Entity {
                id: None,
                name: phrase.clone(),
                kind,
                status: None,
                state: None,
                country: None,
                role: None,
            });
            phrases.push(phrase.clone());
            phrase_targets.push(Target {
                entity: e,
                short: false,
            });
        }
    }
    // people speak for a catalogued outlet or body
    for p in &file.people {
        if let Some(aff) = &p.affiliation {
            let known = file.outlets.iter().any(|o| o.id.value == aff.value)
                || file.bodies.iter().any(|b| b.id.value == aff.value);
            if !known {
                problems.push(rule_error_at(
                    src,
                    &aff.referenced,
                    format!(
                        "affiliation \"{}\" is not the id of an outlet or body in this file",
                        aff.value
                    ),
                ));
            }
        }
    }
    let person_words = entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .flat_map(|e| e.name.split(' ').map(String::from))
        .collect();
    Catalogue {
        person_words,
        entities,
        names: automaton(&names, false),
        name_targets,
        phrases: automaton(&phrases, true),
        phrase_targets,
        name_patterns: names,
        phrase_patterns: phrases,
    }
}

// ------------------------------------------------------------------ language

/// Function-word sets from `grammar:` in language.yaml (lower case).
#[derive(Debug, Default)]
pub struct Grammar {
    pub articles: WordSet,
    pub determiners: WordSet,
    pub be_forms: WordSet,
    pub helping_verbs: WordSet,
    pub prepositions: WordSet,
    pub conjunctions: WordSet,
    pub coordinators: WordSet,
    pub time_prefixes: WordSet,
    pub clause_tails: WordSet,
    pub adverbial_openers: WordSet,
    pub adjunct_words: WordSet,
    pub specificity_words: WordSet,
}

#[derive(Debug)]
pub struct Language {
    pub abbreviations: WordSet,
    pub can_end_sentence: WordSet,
    pub sentence_openers: WordSet,
    /// Titles as word sequences without final periods ("Brig", "Gen").
    pub titles: Vec<Vec<String>>,
    /// Every single word that appears in a title, lower case, without periods.
    pub title_words: WordSet,
    pub person_pronouns: WordSet,
    pub first_person: WordSet,
    pub group_pronouns: WordSet,
    pub relative_pronouns: WordSet,
    pub np_boundaries: WordSet,
    pub organization_words: WordSet,
    pub document_nouns: WordSet,
    pub time_words: WordSet,
    pub quantity_words: WordSet,
    pub grammar: Grammar,
    /// Rank spellings, each mapped to its group's first spelling (lower case, no periods).
    pub ranks: Vec<(Vec<String>, String)>,
    pub role_nouns: Vec<String>,
    /// Finds "the {role} of"; pattern i is role noun i.
    pub role_matcher: AhoCorasick,
    pub headline_max_words: usize,
    pub boilerplate: Vec<regex::Regex>,
    /// Past and present forms of the speech verbs that may follow a quotation ("said",
    /// "says", "asked"), filled from cues.yaml.
    pub speech_forms: WordSet,
    /// Transliteration groups: (variant, canonical letter), longest variant first.
    pub transliteration: Vec<(String, String)>,
    /// The same pairs by the first byte of the variant (index = byte), in the same order.
    pub transliteration_by_byte: Vec<Vec<(String, String)>>,
    /// The skeleton's step at each pair of ASCII letters, from the pairs above
    /// ([`crate::link::skeleton_steps`]); empty when a variant has a byte that is not a letter.
    pub skeleton_steps: Vec<u16>,
}

fn compile_language(file: &LanguageFile, src: &RuleSource, problems: &mut Vec<Error>) -> Language {
    let set = |v: &Vec<String>| -> WordSet {
        v.iter()
            .map(|s| s.trim_end_matches('.').to_string())
            .collect()
    };
    let lower = |v: &Vec<String>| -> WordSet {
        v.iter()
            .map(|s| s.to_lowercase().trim_end_matches('.').to_string())
            .collect()
    };
    let mut boilerplate = Vec::new();
    for re in &file.boilerplate {
        match regex::Regex::new(&re.value) {
            Ok(compiled) => boilerplate.push(compiled),
            Err(e) => problems.push(rule_error_at(
                src,
                &re.referenced,
                format!(
                    "boilerplate pattern does not compile: {}",
                    e.to_string().lines().last().unwrap_or("")
                ),
            )),
        }
    }
    let titles: Vec<Vec<String>> = file
        .titles
        .iter()
        .map(|t| {
            t.split_whitespace()
                .map(|w| w.trim_end_matches('.').to_string())
                .collect()
        })
        .collect();
    let title_words = titles.iter().flatten().map(|w| w.to_lowercase()).collect();
    let mut transliteration = Vec::new();
    for group in &file.transliteration {
        if let Some(canon) = group.first() {
            // an empty variant would match everywhere and fold nothing: it is skipped
            for v in group.iter().filter(|v| !v.is_empty()) {
                transliteration.push((v.to_lowercase(), canon.to_lowercase()));
            }
        }
    }
    transliteration.sort_by_key(|t| std::cmp::Reverse(t.0.len()));
    let mut transliteration_by_byte: Vec<Vec<(String, String)>> = vec![Vec::new(); 256];
    for (v, canon) in &transliteration {
        transliteration_by_byte[v.as_bytes()[0] as usize].push((v.clone(), canon.clone()));
    }
    let skeleton_steps = crate::link::skeleton_steps(&transliteration_by_byte);
    Language {
        abbreviations: set(&file.abbreviations),
        can_end_sentence: set(&file.can_end_sentence),
        sentence_openers: set(&file.sentence_openers),
        titles,
        title_words,
        person_pronouns: lower(&file.pronouns.person),
        first_person: lower(&file.pronouns.first_person),
        group_pronouns: lower(&file.pronouns.group),
        relative_pronouns: lower(&file.pronouns.relative),
        np_boundaries: lower(&file.np_boundaries),
        organization_words: set(&file.organization_words),
        document_nouns: lower(&file.document_nouns),
        time_words: set(&file.time_words),
        quantity_words: lower(&file.quantity_words),
        ranks: {
            let mut r: Vec<(Vec<String>, String)> = Vec::new();
            for group in &file.ranks {
                let canon = group.first().map(|g| g.to_string()).unwrap_or_default();
                for spelling in group {
                    let words = spelling
                        .split_whitespace()
                        .map(|w| w.trim_end_matches('.').to_lowercase())
                        .collect();
                    r.push((words, canon.clone()));
                }
            }
            r.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
            r
        },
        role_nouns: file.role_nouns.iter().map(|s| s.to_lowercase()).collect(),
        // Standard match kind: office_near needs every (overlapping) occurrence.
        role_matcher: AhoCorasick::new(
            file.role_nouns
                .iter()
                .map(|s| format!("the {} of", s.to_lowercase())),
        )
        .expect("aho-corasick accepts any set of literal patterns within default limits"),
        grammar: Grammar {
            articles: lower(&file.grammar.articles),
            determiners: lower(&file.grammar.determiners),
            be_forms: lower(&file.grammar.be_forms),
            helping_verbs: lower(&file.grammar.helping_verbs),
            prepositions: lower(&file.grammar.prepositions),
            conjunctions: lower(&file.grammar.conjunctions),
            coordinators: lower(&file.grammar.coordinators),
            time_prefixes: lower(&file.grammar.time_prefixes),
            clause_tails: lower(&file.grammar.clause_tails),
            adverbial_openers: lower(&file.grammar.adverbial_openers),
            adjunct_words: lower(&file.grammar.adjunct_words),
            specificity_words: lower(&file.grammar.specificity_words),
        },
        headline_max_words: file.headline_max_words,
        boilerplate,
        transliteration,
        transliteration_by_byte,
        skeleton_steps,
        speech_forms: WordSet::default(),
    }
}

// ------------------------------------------------------------------ flags

#[derive(Debug)]
pub struct CompiledFlag {
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub terms: Vec<String>,
    pub matcher: Option<AhoCorasick>,
    pub check: Option<Check>,
    pub classes: Vec<CueClass>,
    pub unattributed_only: bool,
    pub affects_score: bool,
    pub examples: Examples,
    pub threshold: Option<f64>,
    pub limit: Option<usize>,
    /// Where the rule is defined: file and line.
    pub origin: (String, u64),
}

fn compile_flags(
    file: &FlagsFile,
    src: &RuleSource,
    problems: &mut Vec<Error>,
) -> Vec<CompiledFlag> {
    let mut out: Vec<CompiledFlag> = Vec::new();
    for f in &file.flags {
        let id = f.id.value.trim().to_string();
        if out.iter().any(|o| o.id == id) {
            problems.push(rule_error_at(
                src,
                &f.id.referenced,
                format!("duplicate flag id \"{id}\""),
            ));
            continue;
        }
        if f.terms.is_empty() && f.check.is_none() {
            problems.push(rule_error_at(
                src,
                &f.id.referenced,
                format!("flag \"{id}\" needs `terms` or a `check`"),
            ));
            continue;
        }
        if f.check == Some(Check::CueClass) && f.classes.is_empty() {
            problems.push(rule_error_at(
                src,
                &f.id.referenced,
                format!("flag \"{id}\" uses check cue_class but lists no `classes`"),
            ));
            continue;
        }
        let terms: Vec<String> = f.terms.iter().map(|t| t.to_lowercase()).collect();
        let matcher = (!terms.is_empty()).then(|| automaton(&terms, true));
        out.push(CompiledFlag {
            id,
            severity: f.severity,
            message: f.message.clone(),
            terms,
            matcher,
            check: f.check,
            classes: f.classes.clone(),
            unattributed_only: f.unattributed_only,
            affects_score: f.affects_score,
            examples: f.examples.clone(),
            threshold: f.threshold,
            limit: f.limit,
            origin: (src.display.clone(), f.id.referenced.line()),
        });
    }
    out
}

fn check_scoring(s: &ScoringFile, src: &RuleSource, problems: &mut Vec<Error>) {
    // every weight is a number of points between -100 and 100; levels lie within 0..100
    for k in super::keys::scan(&src.text) {
        let Some(v) = k.value.as_deref().and_then(|v| v.parse::<i64>().ok()) else {
            continue;
        };
        let levels = k.path.first().is_some_and(|p| p == "levels");
        let range = if levels { 0..=100 } else { -100..=100 };
        if !range.contains(&v)
            && k.path
                .first()
                .is_some_and(|p| p != "hops" || k.path.last().is_some_and(|l| l != "free"))
        {
            problems.push(Error::Rule {
                at: src.locate(k.line, k.column),
                message: format!(
                    "`{}` is {v}, out of the range {}..{}",
                    k.path.join("."),
                    range.start(),
                    range.end()
                ),
            });
        }
    }
    let l = &s.levels;
    let ordered = l.strong > l.moderate
        && l.moderate > l.limited
        && l.limited > l.weak
        && l.weak > l.unattributed;
    if !ordered {
        let at = super::keys::find(&src.text, &["levels"])
            .map_or_else(|| src.locate(1, 1), |k| src.locate(k.line, k.column));
        problems.push(Error::Rule {
            at,
            message: "levels must fall strictly from strong to unattributed".into(),
        });
    }
}

impl RuleSet {
    /// Parses and validates every file, then builds the matchers.
    pub fn compile(texts: &RuleTexts) -> Result<RuleSet> {
        let mut problems = Vec::new();
        let built = RuleSet::build(texts, &mut problems);
        match (built, problems.is_empty()) {
            (Some(rules), true) => Ok(rules),
            _ => Err(Error::many(problems)),
        }
    }

    /// Every problem of a rule set, all files, in one list (empty when it is sound).
    pub fn validate(texts: &RuleTexts) -> Vec<Error> {
        let mut problems = Vec::new();
        RuleSet::build(texts, &mut problems);
        problems
    }

    fn build(texts: &RuleTexts, problems: &mut Vec<Error>) -> Option<RuleSet> {
        // unknown keys in every file first: a parser would stop at the first of them
        let files = [
            ("sources.yaml", &texts.sources),
            ("cues.yaml", &texts.cues),
            ("language.yaml", &texts.language),
            ("flags.yaml", &texts.flags),
            ("scoring.yaml", &texts.scoring),
        ];
        let mut bad_keys = [false; 5];
        for (i, (name, src)) in files.iter().enumerate() {
            let written = src.layers.first().unwrap_or(src);
            let unknown = super::keys::unknown_keys(name, &written.display, &written.text);
            bad_keys[i] = !unknown.is_empty();
            problems.extend(unknown);
        }
        fn keep<T>(r: Result<T>, bad_keys: bool, problems: &mut Vec<Error>) -> Option<T> {
            match r {
                Ok(v) => Some(v),
                Err(e) => {
                    if !bad_keys {
                        problems.push(e);
                    }
                    None
                }
            }
        }
        let sources: Option<SourcesFile> = keep(parse_yaml(&texts.sources), bad_keys[0], problems);
        let cues: Option<CuesFile> = keep(parse_yaml(&texts.cues), bad_keys[1], problems);
        let language: Option<LanguageFile> =
            keep(parse_yaml(&texts.language), bad_keys[2], problems);
        let flags: Option<FlagsFile> = keep(parse_yaml(&texts.flags), bad_keys[3], problems);
        let scoring: Option<ScoringFile> = keep(parse_yaml(&texts.scoring), bad_keys[4], problems);
        // check every file that could be read, even when another could not
        if let Some(scoring) = &scoring {
            check_scoring(scoring, &texts.scoring, problems);
        }
        let lang = language
            .as_ref()
            .map(|l| compile_language(l, &texts.language, problems));
        let nationalities = language
            .as_ref()
            .map(|l| l.nationalities.clone())
            .unwrap_or_default();
        let catalogue = sources
            .as_ref()
            .map(|s| compile_catalogue(s, &texts.sources, &nationalities, problems));
        let flags = flags
            .as_ref()
            .map(|f| compile_flags(f, &texts.flags, problems));
        // risk lists name flag rules
        if let (Some(f), Some(sc)) = (&flags, &scoring) {
            for id in sc.risk.critical.iter().chain(&sc.risk.high) {
                if !f.iter().any(|x| &x.id == id) {
                    let at = super::keys::find_word(&texts.scoring.text, id).map_or_else(
                        || texts.scoring.locate(1, 1),
                        |(l, c)| texts.scoring.locate(l, c),
                    );
                    problems.push(Error::Rule {
                        at,
                        message: format!(
                            "risk names `{id}`, which is not the id of a flag rule in flags.yaml"
                        ),
                    });
                }
            }
        }
        let (mut lang, catalogue, flags, cues, scoring) =
            (lang?, catalogue?, flags?, cues?, scoring?);
        let cues = compile_cues(&cues);
        lang.speech_forms = cues
            .by_first
            .values()
            .flatten()
            .filter(|p| {
                p.kind == CueKind::Verb
                    && matches!(p.form, Form::Past | Form::Third)
                    && p.words.len() == 1
            })
            .map(|p| p.words[0].clone())
            .collect();
        let words = crate::scan::WordLists::new(
            &catalogue.name_patterns,
            &catalogue.phrase_patterns,
            &flags,
        );
        Some(RuleSet {
            cues,
            catalogue,
            lang,
            flags,
            scoring,
            words,
            texts: texts.clone(),
        })
    }

    /// Keeps only the flag rules named in `only` (when not empty), drops those in `disable`,
    /// and sets severities; an id that names no flag rule is a usage error.
    pub fn select(
        &mut self,
        only: &[String],
        disable: &[String],
        severities: &[(String, Severity)],
    ) -> Result<()> {
        let known: Vec<String> = self.flags.iter().map(|f| f.id.clone()).collect();
        for id in only
            .iter()
            .chain(disable)
            .chain(severities.iter().map(|(i, _)| i))
        {
            if !known.contains(id) {
                let hint = super::keys::did_you_mean(
                    id,
                    &known.iter().map(String::as_str).collect::<Vec<_>>(),
                )
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "no flag rule has the id `{id}`{hint}"
                )));
            }
        }
        self.flags
            .retain(|f| (only.is_empty() || only.contains(&f.id)) && !disable.contains(&f.id));
        for (id, sev) in severities {
            if let Some(f) = self.flags.iter_mut().find(|f| &f.id == id) {
                f.severity = *sev;
            }
        }
        Ok(())
    }

    /// The embedded default rule set.
    pub fn default_rules() -> Result<RuleSet> {
        RuleSet::compile(&RuleTexts::embedded())
    }
}
