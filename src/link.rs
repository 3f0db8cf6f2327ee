//! Linking: resolves each source mention to who it is (catalogue outlet, person, body,
//! descriptor, anonymous or weasel phrase, document), resolves pronouns, surnames and short
//! names ("The Times", "Mr. Peskov", "he") to the named entity, spots garbled spellings,
//! and carries chains over to later sentences that quote the same speaker.

use crate::detect::{Bytes, Detection};
use crate::rules::compile::{EntityKind, RuleSet};
use crate::rules::schema::{DescriptorKind, StateControl, Status};
use crate::text::{TextModel, TokKind};
use std::ops::Range;

/// What kind of source a mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A catalogued outlet; the string is its kind (wire, newspaper, state_media...).
    Outlet(&'static str),
    StateMediaClass,
    GenericMedia,
    Official,
    OfficialBody,
    Person,
    Anonymous,
    AnonymousSpecific,
    Weasel,
    Document,
    Pronoun,
    Group,
    Unknown,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Outlet(k) => k,
            SourceKind::StateMediaClass => "state_media",
            SourceKind::GenericMedia => "generic_media",
            SourceKind::Official => "official",
            SourceKind::OfficialBody => "official_body",
            SourceKind::Person => "person",
            SourceKind::Anonymous => "anonymous",
            SourceKind::AnonymousSpecific => "anonymous",
            SourceKind::Weasel => "weasel",
            SourceKind::Document => "document",
            SourceKind::Pronoun => "pronoun",
            SourceKind::Group => "group",
            SourceKind::Unknown => "unknown",
        }
    }
    pub fn is_person(self) -> bool {
        matches!(self, SourceKind::Official | SourceKind::Person)
    }
}

/// A resolved source mention (one hop of a chain). The names are borrowed from the
/// catalogue or the text, so that a hop is copied (into the chains and the sources met so
/// far) without allocating; the report's sources own copies made once.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    pub span: Bytes,
    pub resolved: Option<&'a str>,
    pub kind: SourceKind,
    pub id: Option<&'a str>,
    pub status: Option<Status>,
    pub state: Option<StateControl>,
    pub country: Option<&'a str>,
    /// The spelling differs from the name it was resolved to (transliteration or garbling).
    pub variant_of: Option<&'a str>,
}

/// A blank hop: nothing resolved (what a chain's unused place holds).
impl Default for Resolved<'_> {
    fn default() -> Self {
        Resolved {
            span: (0, 0),
            resolved: None,
            kind: SourceKind::Unknown,
            id: None,
            status: None,
            state: None,
            country: None,
            variant_of: None,
        }
    }
}

/// A name found in the text: a catalogue match or a capitalised personal name. The names
/// are borrowed from the catalogue or the text (an article names thousands of people in
/// all; a copy of each was two allocations).
#[derive(Debug, Clone)]
pub struct NameMention<'a> {
    pub start: usize,
    pub end: usize,
    /// Catalogue entity, if any.
    pub entity: Option<usize>,
    /// Canonical full name.
    pub full: &'a str,
    pub surname: &'a str,
    pub titled: bool,
}

/// The linker of one article; `'a` is what the names it finds borrow from: the text and
/// the rule set.
pub struct Linker<'m, 'a> {
    m: &'m TextModel<'a>,
    r: &'a RuleSet,
    /// Catalogue name matches (case-sensitive), with short aliases already checked.
    names: Vec<(usize, usize, usize)>,
    /// Catalogue phrase matches (case-insensitive): start, end, entity.
    phrases: Vec<(usize, usize, usize)>,
    /// Personal names in text order.
    people: Vec<NameMention<'a>>,
    /// The skeleton of each person's surname, index for index with `people` (an index into
    /// the skeletons of the distinct surnames, each built once): built the first time a
    /// surname is compared by skeleton, which few articles need.
    people_skeletons: std::cell::OnceCell<SurnameSkeletons>,
    /// A buffer for the skeleton of a word compared with the surnames, reused from mention
    /// to mention (taken and put back).
    skeleton_buf: std::cell::Cell<String>,
}

impl<'m, 'a> Linker<'m, 'a> {
    pub fn new(m: &'m TextModel<'a>, r: &'a RuleSet, scan: &crate::scan::DocScan) -> Self {
        // short aliases ("The Times") count only when the outlet is also named in full
        let named: rustc_hash::FxHashSet<usize> =
            scan.names.iter().filter(|x| !x.3).map(|x| x.2).collect();
        let names: Vec<(usize, usize, usize)> = scan
            .names
            .iter()
            .filter(|x| !x.3 || named.contains(&x.2))
            .map(|&(s, e, en, _)| (s, e, en))
            .collect();
        let phrases = scan.phrases.clone();
        let mut linker = Linker {
            m,
            r,
            names,
            phrases,
            people: Vec::new(),
            people_skeletons: std::cell::OnceCell::new(),
            skeleton_buf: std::cell::Cell::new(String::new()),
        };
        linker.people = linker.find_people();
        linker
    }

    fn find_people(&self) -> Vec<NameMention<'a>> {
        let m = self.m;
        let lang = &self.r.lang;
        let cat = &self.r.catalogue;
        let mut out: Vec<NameMention<'a>> = Vec::new();
        // catalogue people
        for &(s, e, en) in &self.names {
            let ent = &cat.entities[en];
            if ent.kind == EntityKind::Person {
                out.push(NameMention {
                    start: s,
                    end: e,
                    entity: Some(en),
                    full: &ent.name,
                    surname: last_word(&ent.name),
                    titled: ent.role.is_some(),
                });
            }
        }
        // capitalised runs in running text
        let mut words: Vec<usize> = Vec::new();
        // a run starts at a capitalised word: the tokenizer listed them
        let caps = m.capitalised();
        let mut ci = 0;
        for s in &m.sentences {
            let mut k = s.tokens.start;
            loop {
                while ci < caps.len() && (caps[ci] as usize) < k {
                    ci += 1;
                }
                match caps.get(ci) {
                    Some(&c) if (c as usize) < s.tokens.end => k = c as usize,
                    _ => break,
                }
                if m.tokens[k].quote.is_some() {
                    k += 1;
                    continue;
                }
                let mut j = k;
                words.clear();
                while j < s.tokens.end {
                    if m.tokens[j].cap {
                        words.push(j);
                        j += 1;
                    } else if m.tokens[j].kind == TokKind::Punct
                        && m.tok_text(&m.tokens[j]) == "."
                        && j > k
                        && (lang.abbreviations.contains(m.tok_text(&m.tokens[j - 1])) || {
                            let w = m.tok_text(&m.tokens[j - 1]);
                            w.chars().count() == 1 && w.chars().all(char::is_uppercase)
                        })
                    {
                        j += 1;
                    } else {
                        break;
                    }
                }
                // strip leading titles and determiners
                let mut titled = k > s.tokens.start
                    && m.tokens[k - 1].is_word()
                    && lang.title_words.contains_lower(m, &m.tokens[k - 1]);
                // everything up to the last title is description ("Interior Minister Bela Dorn")
                let mut first = words
                    .iter()
                    .rposition(|&w| {
                        let t = m.tok_text(&m.tokens[w]);
                        lang.title_words.contains_lower(m, &m.tokens[w])
                            || lang.title_words.contains(trim_dots(t))
                    })
                    .map_or(0, |i| {
                        titled = true;
                        i + 1
                    });
                // (no title after the last one: only determiners and the like are left to skip)
                while first < words.len() {
                    let t = &m.tokens[words[first]];
                    let w = m.tok_text(t);
                    if lang.grammar.articles.contains_lower(m, t)
                        || lang.np_boundaries.contains_lower(m, t)
                        || (lang.time_words.contains(w)
                            && !(w.len() <= 4
                                && m.tokens.get(words[first] + 1).is_some_and(|n| n.is_word())))
                    {
                        first += 1;
                    } else {
                        break;
                    }
                }
                let name_words = &words[first..];
                // a single word is a name only after a title: most runs (a capitalised first
                // word of a sentence) stop here
                if !(name_words.len() >= 2 || titled && name_words.len() == 1) {
                    k = j.max(k + 1);
                    continue;
                }
                let is_org = name_words
                    .iter()
                    .any(|&w| lang.organization_words.contains(m.tok_text(&m.tokens[w])));
                if !is_org && name_words.len() <= 4 {
                    let ns = m.tokens[name_words[0]].start as usize;
                    let ne = m.tokens[*name_words.last().unwrap_or(&name_words[0])].end as usize;
                    // catalogue names are in text order and do not overlap: only the last one
                    // starting at or before the run can cover it
                    let before = self.names.partition_point(|&(a, _, _)| a <= ns);
                    let covered = before > 0 && self.names[before - 1].1 >= ne;
                    if !covered {
                        let surname = trim_possessive(
                            m.tok_text(&m.tokens[*name_words.last().unwrap_or(&name_words[0])]),
                        );
                        out.push(NameMention {
                            start: ns,
                            end: ne,
                            entity: None,
                            full: trim_possessive(&m.text[ns..ne]),
                            surname,
                            titled,
                        });
                    }
                }
                k = j.max(k + 1);
            }
        }
        out.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
        out.dedup_by_key(|p| p.start);
        // a titled single surname takes the full name introduced earlier ("Secretary Shoigu")
        // (mentions are sorted by start, one per start, so the earlier ones come first; an
        // earlier one given a full name here took it from a yet earlier one, found first)
        for i in 0..out.len() {
            let p = &out[i];
            if p.entity.is_some() || p.full.contains(' ') {
                continue;
            }
            if let Some(j) = (0..i).find(|&j| {
                let q = &out[j];
                q.start < p.start && q.surname == p.surname && q.full.contains(' ')
            }) {
                let (full, entity) = (out[j].full, out[j].entity);
                out[i].full = full;
                out[i].entity = entity;
            }
        }
        out
    }
}

/// A word without its trailing periods: what `trim_end_matches('.')` gives, by a byte loop.
fn trim_dots(w: &str) -> &str {
    let n = w.bytes().rposition(|b| b != b'.').map_or(0, |i| i + 1);
    w.get(..n).unwrap_or(w)
}

/// The last space-separated word of a name (all of it when it has no space): what
/// `rsplit(' ').next()` gives, by a byte loop that suits names a few words long.
pub fn last_word(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b' ') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// A word without its possessive ending: "Baker’s" and "Baker's" give "Baker". Repeated
/// endings are all removed, as `trim_end_matches` would, without building a string searcher.
pub fn trim_possessive(w: &str) -> &str {
    let mut w = w;
    while let Some(x) = w.strip_suffix("’s") {
        w = x;
    }
    while let Some(x) = w.strip_suffix("'s") {
        w = x;
    }
    w
}

/// The skeletons of the people's surnames: for each person, an index into a list holding
/// the skeleton of each distinct surname once (a person is usually named many times). The
/// skeletons are written one after the other into one string, each ending where `ends`
/// says (one allocation for all, not one each).
struct SurnameSkeletons {
    index: Vec<u32>,
    all: String,
    ends: Vec<u32>,
}

impl SurnameSkeletons {
    /// The skeleton of the person at `i` in `people`.
    fn of(&self, i: usize) -> &str {
        let x = self.index.get(i).map_or(0, |&x| x as usize);
        let start = match x {
            0 => 0,
            x => self.ends.get(x - 1).map_or(0, |&e| e as usize),
        };
        let end = self.ends.get(x).map_or(0, |&e| e as usize);
        self.all.get(start..end).unwrap_or("")
    }
}

fn surname_skeletons(
    lang: &crate::rules::compile::Language,
    people: &[NameMention],
) -> SurnameSkeletons {
    // sized for every surname distinct (a skeleton is mostly shorter than its name), so
    // that they seldom grow
    let mut seen: rustc_hash::FxHashMap<&str, u32> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(people.len(), Default::default());
    let mut all = String::with_capacity(people.iter().map(|p| p.surname.len()).sum());
    let mut ends = Vec::with_capacity(people.len());
    let index = people
        .iter()
        .map(|p| {
            *seen.entry(p.surname).or_insert_with(|| {
                skeleton_append(lang, p.surname, &mut all);
                ends.push(all.len() as u32);
                (ends.len() - 1) as u32
            })
        })
        .collect();
    SurnameSkeletons { index, all, ends }
}

/// Skeleton of a name: transliteration groups folded, vowels and h dropped after the first
/// letter, repeats squeezed (Bagheri, Baqeri and Baker all give "bkr").
pub fn skeleton(lang: &crate::rules::compile::Language, name: &str) -> String {
    let mut out = String::new();
    skeleton_into(lang, name, &mut out);
    out
}

/// [`skeleton`] written into `out` (cleared first), so that a caller comparing many words
/// reuses one buffer.
pub fn skeleton_into(lang: &crate::rules::compile::Language, name: &str, out: &mut String) {
    out.clear();
    skeleton_append(lang, name, out);
}

/// [`skeleton`] written after what `out` holds (the skeleton starts afresh: its first
/// letter is kept and compared with no letter before it).
fn skeleton_append(lang: &crate::rules::compile::Language, name: &str, out: &mut String) {
    if name.is_ascii() && skeleton_ascii(&lang.skeleton_steps, name.as_bytes(), out) {
        return;
    }
    // accents and other scripts folded to ASCII first (Rouhani ~ Rūḥānī, Müller ~ Muller);
    // the name is read by bytes, and by characters only where a byte is not ASCII. An ASCII
    // name is read as it is and lower-cased byte by byte as read (the folded name is lower
    // case already, and lower-casing leaves its other bytes as they are)
    let folded: String;
    let (bytes, text): (&[u8], &str) = if name.is_ascii() {
        (name.as_bytes(), name)
    } else {
        folded = deunicode::deunicode(name).to_lowercase();
        (folded.as_bytes(), &folded)
    };
    // transliterate and build the consonant skeleton in one pass: each letter of the
    // transliterated name is dropped after the first when it is a vowel, h or not a letter,
    // and when it repeats the letter last kept
    out.reserve(bytes.len());
    let mut feed = SkeletonFeed {
        out,
        first: true,
        last: None,
    };
    let mut i = 0;
    'outer: while let Some(b) = bytes.get(i).map(u8::to_ascii_lowercase) {
        let variants = lang
            .transliteration_by_byte
            .get(b as usize)
            .map_or(&[][..], Vec::as_slice);
        let r = &bytes[i..];
        for (variant, canon) in variants {
            // variants are a few bytes, listed by their first byte (`b`): the rest are
            // compared in line, not by a call to memcmp; most are one or two bytes long
            let v = variant.as_bytes();
            let matched = match v {
                [_] => true,
                [_, v1] => r.get(1).map(u8::to_ascii_lowercase) == Some(*v1),
                _ => {
                    v.len() <= r.len()
                        && v.iter()
                            .zip(r)
                            .skip(1)
                            .all(|(a, b)| *a == b.to_ascii_lowercase())
                }
            };
            if matched {
                // a canonical letter is mostly one ASCII byte: pushed without decoding
                match canon.as_bytes() {
                    &[c] if c.is_ascii() => feed.push(char::from(c)),
                    _ => canon.chars().for_each(|c| feed.push(c)),
                }
                i += v.len();
                continue 'outer;
            }
        }
        if b.is_ascii() {
            feed.push(b as char);
            i += 1;
        } else {
            // only a folded name has bytes that are not ASCII (`text` is it), and a variant
            // matched at a character boundary ends at one
            let c = text.get(i..).and_then(|t| t.chars().next()).unwrap_or(' ');
            feed.push(c);
            i += c.len_utf8();
        }
    }
}

/// Letters have classes 1 to 26 (either case), every other byte 0.
const LETTER_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 26 {
        t[b'a' as usize + b] = b as u8 + 1;
        t[b'A' as usize + b] = b as u8 + 1;
        b += 1;
    }
    t
};
const CLASSES: usize = 27;
/// The bytes a skeleton keeps after its first: letters but the vowels, y and h.
const SKELETON_KEEPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] =
            c.is_ascii_lowercase() && !matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'h');
        b += 1;
    }
    t
};

/// The step the skeleton takes at each pair of bytes of an ASCII name, by the pair's
/// classes ([`LETTER_CLASS`], the second 0 also at the name's end): what the variant search
/// of [`skeleton_append`] would do there, worked out once per rule set. An entry holds the
/// letter put out in its low byte (0: the byte itself, lower-cased) and how many bytes are
/// read in its high byte; 0 means "search the variants" (a variant of three letters or more
/// may start there, or a canonical letter is not one ASCII byte). Empty when a variant has
/// a byte that is not a lower-case letter, which the classes cannot tell apart.
pub fn skeleton_steps(by_byte: &[Vec<(String, String)>]) -> Vec<u16> {
    let letters_only = by_byte
        .iter()
        .flatten()
        .all(|(v, _)| v.bytes().all(|b| b.is_ascii_lowercase()));
    if !letters_only || by_byte.len() < 256 {
        return Vec::new();
    }
    let put = |canon: &str, len: u16| match canon.as_bytes() {
        &[c] if c.is_ascii() && c != 0 => u16::from(c) | len << 8,
        _ => 0,
    };
    let mut steps = vec![0u16; CLASSES * CLASSES];
    for c0 in 0..CLASSES {
        for c1 in 0..CLASSES {
            let second = (c1 > 0).then(|| b'a' + c1 as u8 - 1);
            steps[c0 * CLASSES + c1] = if c0 == 0 {
                // no variant starts with a byte that is not a letter
                1 << 8
            } else {
                let first = b'a' + c0 as u8 - 1;
                let mut step = 1 << 8;
                for (v, canon) in &by_byte[usize::from(first)] {
                    let v = v.as_bytes();
                    let at_second = v.len() >= 2 && second == Some(v[1]);
                    if v.len() == 1 {
                        step = put(canon, 1);
                        break;
                    }
                    if at_second {
                        step = if v.len() == 2 { put(canon, 2) } else { 0 };
                        break;
                    }
                }
                step
            };
        }
    }
    steps
}

/// [`skeleton_append`] for an ASCII name of up to 64 bytes, by the steps of
/// [`skeleton_steps`], with no branch on the letters: false (and `out` as it was) where a
/// step calls for the variant search.
fn skeleton_ascii(steps: &[u16], bytes: &[u8], out: &mut String) -> bool {
    if steps.len() != CLASSES * CLASSES || bytes.len() > 64 {
        return false;
    }
    let mut buf = [0u8; 64];
    let (mut n, mut i, mut last, mut first) = (0usize, 0usize, 0u8, true);
    while let Some(&b0) = bytes.get(i) {
        let b1 = bytes.get(i + 1).copied().unwrap_or(0);
        let step = steps[usize::from(LETTER_CLASS[usize::from(b0)]) * CLASSES
            + usize::from(LETTER_CLASS[usize::from(b1)])];
        if step == 0 {
            return false;
        }
        let c = match step as u8 {
            0 => b0.to_ascii_lowercase(),
            c => c,
        };
        // the first letter is kept; after it, a kept letter that is not the last one kept
        let keep = first | (SKELETON_KEEPS[usize::from(c)] & (c != last));
        buf[n] = c;
        n += usize::from(keep);
        last = if keep { c } else { last };
        first = false;
        i += usize::from(step >> 8);
    }
    // every byte put out is ASCII
    out.push_str(std::str::from_utf8(&buf[..n]).unwrap_or_default());
    true
}

/// The letters of a transliterated name going into its skeleton: each letter is dropped
/// after the first when it is a vowel, h or not a letter, and when it repeats the letter
/// last kept.
struct SkeletonFeed<'o> {
    out: &'o mut String,
    first: bool,
    last: Option<char>,
}

impl SkeletonFeed<'_> {
    #[inline(always)]
    fn push(&mut self, c: char) {
        if !std::mem::take(&mut self.first)
            && (matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h') || !c.is_alphabetic())
        {
            return;
        }
        if self.last == Some(c) {
            return;
        }
        self.out.push(c);
        self.last = Some(c);
    }
}

impl<'m, 'a> Linker<'m, 'a> {
    /// Resolves a token range to a source.
    pub fn resolve(&self, r: &Range<usize>, earlier: &[(usize, Resolved<'a>)]) -> Resolved<'a> {
        let m = self.m;
        let cat = &self.r.catalogue;
        let lang = &self.r.lang;
        let span = (
            m.tokens[r.start].start as usize,
            m.tokens[r.end - 1].end as usize,
        );
        let text: &'a str = &m.text[span.0..span.1];
        let mut out = Resolved {
            span,
            ..Resolved::default()
        };
        // a title in the mention, or in an appositive right after it ("X, the head of ...,")
        let appositive_title = m.tokens.get(r.end).is_some_and(|t| m.tok_text(t) == ",")
            && m.tokens[r.end + 1..]
                .iter()
                .take(12)
                .take_while(|t| m.tok_text(t) != "," && t.quote.is_none())
                .any(|t| t.is_word() && lang.title_words.contains(m.lower(t)));
        let has_title = appositive_title
            || r.clone().any(|k| {
                m.tokens[k].is_word()
                    && (lang.title_words.contains(m.lower(&m.tokens[k]))
                        || lang.title_words.contains(m.tok_text(&m.tokens[k])))
            });
        // 1. pronouns
        if r.len() == 1 {
            let w = m.lower(&m.tokens[r.start]);
            if lang.person_pronouns.contains(w) || lang.first_person.contains(w) {
                if let Some(p) = self.nearest_person(span.0, earlier) {
                    return Resolved { span, ..p };
                }
                out.kind = SourceKind::Pronoun;
                return out;
            }
            if lang.group_pronouns.contains(w) || w == "it" || lang.relative_pronouns.contains(w) {
                out.kind = if w == "it" {
                    SourceKind::Unknown
                } else {
                    SourceKind::Group
                };
                return out;
            }
        }
        // 2. catalogue names inside the mention: the rightmost is the head
        if let Some(&(_, _, en)) = self
            .names
            .iter()
            .rev()
            .find(|&&(s, e, _)| s >= span.0 && e <= span.1)
        {
            let ent = &cat.entities[en];
            out.resolved = Some(&ent.name);
            out.id = ent.id.as_deref();
            out.status = ent.status;
            out.state = ent.state;
            out.country = ent.country.as_deref();
            out.kind = match ent.kind {
                EntityKind::Outlet(k) => SourceKind::Outlet(k.as_str()),
                EntityKind::Person if ent.role.is_some() || has_title => SourceKind::Official,
                EntityKind::Person => SourceKind::Person,
                EntityKind::Body => SourceKind::OfficialBody,
                _ => SourceKind::Unknown,
            };
            return out;
        }
        // 3. descriptor, anonymous and weasel phrases
        if let Some(&(_, _, en)) = self
            .phrases
            .iter()
            .rev()
            .find(|&&(s, e, _)| s < span.1 && e > span.0)
        {
            let ent = &cat.entities[en];
            out.kind = match ent.kind {
                EntityKind::Descriptor(DescriptorKind::StateMedia) => SourceKind::StateMediaClass,
                EntityKind::Descriptor(DescriptorKind::GenericMedia) => SourceKind::GenericMedia,
                EntityKind::AnonymousSpecific => SourceKind::AnonymousSpecific,
                EntityKind::Weasel => SourceKind::Weasel,
                _ => SourceKind::Anonymous,
            };
            if out.kind == SourceKind::Anonymous {
                let specific = self.phrases.iter().any(|&(s, e, x)| {
                    s < span.1 + 60
                        && e > span.0
                        && cat.entities[x].kind == EntityKind::AnonymousSpecific
                }) || text.to_lowercase().split_whitespace().any(|w| {
                    w.chars().all(|c| c.is_ascii_digit())
                        || lang.grammar.specificity_words.contains(w)
                });
                if specific {
                    out.kind = SourceKind::AnonymousSpecific;
                }
            }
            out.id = ent.id.as_deref();
            return out;
        }
        // 4. personal names found in the text
        if let Some(p) = self
            .people
            .iter()
            .rev()
            .find(|p| p.start >= span.0 && p.end <= span.1)
        {
            return self.person_result(span, p, has_title);
        }
        // a single capitalised word: a surname met before, or a garbled spelling of one
        // the capitalised words: the first, the last and how many (counted, not collected)
        let mut caps = r.clone().filter(|&k| m.tokens[k].cap);
        let first_cap = caps.next();
        let (last_cap, n_caps) = caps.fold(
            (first_cap, usize::from(first_cap.is_some())),
            |(_, n), k| (Some(k), n + 1),
        );
        if let (Some(first), Some(last)) = (first_cap, last_cap) {
            let word = m.tok_text(&m.tokens[last]);
            let is_org = r.clone().any(|k| {
                m.tokens[k].cap && lang.organization_words.contains(m.tok_text(&m.tokens[k]))
            });
            if !is_org {
                if let Some(p) = self
                    .people
                    .iter()
                    .rev()
                    .find(|p| p.surname == word && p.start < span.0)
                {
                    return self.person_result(span, p, has_title || p.titled);
                }
                // the word's skeleton in the linker's buffer (taken, and put back below)
                let mut sk = self.skeleton_buf.take();
                skeleton_into(lang, word, &mut sk);
                let garbled = if sk.chars().count() >= 3 {
                    let skeletons = self
                        .people_skeletons
                        .get_or_init(|| surname_skeletons(lang, &self.people));
                    self.people
                        .iter()
                        .enumerate()
                        .rev()
                        .find(|&(i, p)| {
                            p.start < span.0 && p.surname != word && skeletons.of(i) == sk
                        })
                        .map(|(_, p)| p)
                } else {
                    None
                };
                self.skeleton_buf.set(sk);
                if let Some(p) = garbled {
                    let mut res = self.person_result(span, p, has_title || p.titled);
                    res.variant_of = Some(p.full);
                    return res;
                }
            }
            if is_org {
                out.kind = SourceKind::OfficialBody;
                out.resolved =
                    Some(&m.text[m.tokens[first].start as usize..m.tokens[last].end as usize]);
                return out;
            }
        }
        // 5. documents, roles, plurals
        let mut n_words = 0;
        let mut document = false;
        for t in &m.tokens[r.clone()] {
            if t.is_word() {
                n_words += 1;
                document = document || lang.document_nouns.contains(m.lower(t));
            }
        }
        if document {
            out.kind = SourceKind::Document;
        } else if n_caps > 0 && n_caps <= n_words && n_words <= 4 {
            out.kind = if has_title {
                SourceKind::Official
            } else {
                SourceKind::Person
            };
            out.resolved = Some(text);
        } else if has_title {
            out.kind = SourceKind::AnonymousSpecific;
        } else if n_caps > 0 {
            out.kind = SourceKind::Person;
        }
        out
    }

    fn person_result(&self, span: Bytes, p: &NameMention<'a>, titled: bool) -> Resolved<'a> {
        let cat = &self.r.catalogue;
        let ent = p.entity.map(|e| &cat.entities[e]);
        Resolved {
            span,
            resolved: Some(p.full),
            kind: if titled || p.titled || ent.is_some_and(|e| e.role.is_some()) {
                SourceKind::Official
            } else {
                SourceKind::Person
            },
            id: ent.and_then(|e| e.id.as_deref()),
            status: None,
            state: None,
            country: ent.and_then(|e| e.country.as_deref()),
            variant_of: None,
        }
    }

    /// The person a pronoun at `at` most likely refers to: the last person source before it
    /// in the same or previous paragraph, else the last personal name before it.
    fn nearest_person(&self, at: usize, earlier: &[(usize, Resolved<'a>)]) -> Option<Resolved<'a>> {
        let para_of = |off: usize| self.m.paragraphs.partition_point(|p| p.end < off);
        let here = para_of(at);
        let last_source = earlier
            .iter()
            .rev()
            .find(|(_, r)| r.kind.is_person() && r.span.0 < at && r.resolved.is_some())
            .map(|(_, r)| r);
        // the nearest name that opens its clause (a subject, not an object)
        let last_subject = self
            .people
            .iter()
            .rev()
            .find(|p| p.end <= at && self.subject_position(p.start));
        let last_name = self.people.iter().rev().find(|p| p.end <= at);
        match (last_source, last_subject) {
            (Some(s), Some(n)) if n.start > s.span.1 => {
                Some(self.person_result((n.start, n.end), n, n.titled))
            }
            (Some(s), _) if para_of(s.span.0) + 2 >= here => Some(*s),
            (_, Some(n)) => Some(self.person_result((n.start, n.end), n, n.titled)),
            (Some(s), None) => Some(*s),
            (None, None) => last_name.map(|n| self.person_result((n.start, n.end), n, n.titled)),
        }
    }

    /// Does a name at byte `start` open its clause: sentence start, after punctuation or a
    /// conjunction, possibly after titles ("Opposition leader Sen. Milena Dobreva")?
    fn subject_position(&self, start: usize) -> bool {
        let m = self.m;
        let lang = &self.r.lang;
        let mut k = m.tokens.partition_point(|t| (t.start as usize) < start);
        // the sentences are in text order: the last one starting at or before k, by bisection
        let sent_start = match m.sentences.partition_point(|s| s.tokens.start <= k) {
            0 => 0,
            n => m.sentences[n - 1].tokens.start,
        };
        while k > sent_start {
            let t = &m.tokens[k - 1];
            let w = m.lower(t);
            let text = m.tok_text(t);
            let descriptive = t.is_word()
                && (lang.title_words.contains(w)
                    || lang.title_words.contains(text)
                    || text.chars().next().is_some_and(char::is_uppercase)
                    || lang.grammar.articles.contains(w));
            if descriptive || text == "." {
                k -= 1;
                continue;
            }
            return !t.is_word() || lang.grammar.conjunctions.contains(w);
        }
        true
    }
}

/// A detection with its hops resolved: conduits outermost first, then the source.
#[derive(Debug, Clone)]
pub struct Linked<'a> {
    pub det: Detection,
    pub chain: Chain<'a>,
}

/// The hops of a chain, read as a slice. Most chains are a source, or a source and one
/// conduit or listener: those are kept in place; a longer chain is on the heap.
pub type Chain<'a> = crate::inline::Inline2<Resolved<'a>>;

/// Resolves every detection, then lets a speaker quoted through a conduit keep that conduit
/// in the next sentences ("Russia Today quoted Peskov ..." then "..., Peskov stated").
pub fn link<'a>(
    m: &TextModel<'a>,
    r: &'a RuleSet,
    scan: &crate::scan::DocScan,
    dets: Vec<Detection>,
) -> (Vec<Linked<'a>>, Vec<NameMention<'a>>) {
    let linker = Linker::new(m, r, scan);
    let mut earlier: Vec<(usize, Resolved)> = Vec::with_capacity(dets.len());
    let mut out: Vec<Linked> = Vec::with_capacity(dets.len());
    for det in dets {
        // the conduits, a listener, the source
        let mut chain = Chain::default();
        for c in &det.conduits {
            chain.push(linker.resolve(c, &earlier));
        }
        // "X told Reuters": the outlet spoken to is the channel the author relies on
        if det.conduits.is_empty() {
            if let Some(l) = &det.listener {
                let res = linker.resolve(l, &earlier);
                if matches!(res.kind, SourceKind::Outlet(_)) {
                    chain.push(res);
                }
            }
        }
        if let Some(s) = &det.source {
            let res = linker.resolve(s, &earlier);
            earlier.push((det.sentence, res));
            chain.push(res);
        }
        let mut linked = Linked { det, chain };
        if linked.det.conduits.is_empty()
            && linked.chain.len() == 1
            && linked.chain[0].kind.is_person()
        {
            let me = linked.chain[0].resolved;
            if let Some(prev) = out.iter().rev().take(4).find(|p| {
                p.chain.len() > 1
                    && p.chain.last().and_then(|x| x.resolved) == me
                    && linked.det.sentence - p.det.sentence <= 3
            }) {
                let mut chain = Chain::from_slice(&prev.chain[..prev.chain.len() - 1]);
                chain.push(linked.chain[0]);
                linked.chain = chain;
                linked.det.inherited = true;
            }
        }
        out.push(linked);
    }
    (out, linker.people)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The skeleton as first written: characters of a lower-cased `str`, one closure.
    fn skeleton_by_chars(lang: &crate::rules::compile::Language, name: &str) -> String {
        let lower = if name.is_ascii() {
            name.to_ascii_lowercase()
        } else {
            deunicode::deunicode(name).to_lowercase()
        };
        let mut out = String::new();
        let mut seen = 0usize;
        let mut last: Option<char> = None;
        let mut feed = |c: char| {
            let i = seen;
            seen += 1;
            if i > 0 && (matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h') || !c.is_alphabetic())
            {
                return;
            }
            if last == Some(c) {
                return;
            }
            out.push(c);
            last = Some(c);
        };
        let mut rest = lower.as_str();
        'outer: while let Some(&b) = rest.as_bytes().first() {
            for (variant, canon) in &lang.transliteration_by_byte[b as usize] {
                if rest.starts_with(variant.as_str()) {
                    canon.chars().for_each(&mut feed);
                    rest = &rest[variant.len()..];
                    continue 'outer;
                }
            }
            let c = rest.chars().next().unwrap_or(' ');
            feed(c);
            rest = &rest[c.len_utf8()..];
        }
        out
    }

    /// `skeleton_into` (into a buffer holding something already) against the reading by
    /// characters.
    fn skeleton_as_by_chars(name: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let rules = RuleSet::default_rules().expect("the default rules compile");
        let mut buf = String::from("left over");
        skeleton_into(&rules.lang, name, &mut buf);
        proptest::prop_assert_eq!(&buf, &skeleton_by_chars(&rules.lang, name));
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 500, ..proptest::prelude::ProptestConfig::default()
        })]
        /// The skeleton read by bytes (lower-cased as read, short variants compared in
        /// line) is the one read by characters, for names of any length and mix of cases,
        /// transliteration groups, accents and other scripts.
        #[test]
        fn skeleton_by_bytes_matches_skeleton_by_chars_on_any_name(
            name in "[a-zA-Z' .éÉüÜḥōŽΨαЖж北’-]{0,70}"
        ) {
            skeleton_as_by_chars(&name)?;
        }

        /// The table-driven skeleton of an ASCII name is the one read by characters, on
        /// names dense in the letters that start variants of two and three letters (dzh,
        /// kh, ph, ee, ou, ts ...), in either case and with other bytes between.
        #[test]
        fn ascii_skeleton_by_steps_matches_skeleton_by_chars(
            name in "[dzhkgcpeoustqyDZHKGCPEOUST' .1-]{0,66}"
        ) {
            skeleton_as_by_chars(&name)?;
        }
    }

    #[test]
    fn skeleton_steps_follow_the_variants_or_send_to_the_search() {
        let rules = RuleSet::default_rules().expect("the default rules compile");
        let steps = &rules.lang.skeleton_steps;
        assert_eq!(
            steps.len(),
            CLASSES * CLASSES,
            "the default variants are all letters"
        );
        let at = |a: u8, b: u8| {
            steps[usize::from(LETTER_CLASS[usize::from(a)]) * CLASSES
                + usize::from(LETTER_CLASS[usize::from(b)])]
        };
        // "ph" is read as f, two bytes; "p" then another letter is itself, one byte
        assert_eq!(at(b'p', b'h'), u16::from(b'f') | 2 << 8);
        assert_eq!(at(b'P', b'a'), 1 << 8);
        // "kh" and "k" both fold to the group's first letter, q
        assert_eq!(at(b'k', b'h'), u16::from(b'q') | 2 << 8);
        assert_eq!(at(b'k', b'.'), u16::from(b'q') | 1 << 8);
        // "dz" may start "dzh": the variants are searched there
        assert_eq!(at(b'd', b'z'), 0);
        let mut out = String::new();
        assert!(!skeleton_ascii(steps, b"Dzhugashvili", &mut out));
        assert!(
            out.is_empty(),
            "a declined name leaves the buffer as it was"
        );
        // a variant with a byte that is not a letter leaves no table: every name is searched
        let mut by_byte = rules.lang.transliteration_by_byte.clone();
        by_byte[usize::from(b'o')].insert(0, ("o'".to_string(), "u".to_string()));
        let none = skeleton_steps(&by_byte);
        assert!(none.is_empty());
        assert!(!skeleton_ascii(&none, b"Baker", &mut out));
    }

    #[test]
    fn surname_skeletons_are_each_surnames_skeleton() {
        let rules = RuleSet::default_rules().expect("the default rules compile");
        let lang = &rules.lang;
        let surnames = [
            "Bagheri",
            "Baqeri",
            "Bagheri",
            "",
            "B",
            "Rūḥānī",
            "Müller",
            "北京",
            "Baker",
            "Muller",
            "Rouhani",
            "Baker",
        ];
        let people: Vec<NameMention> = surnames
            .iter()
            .enumerate()
            .map(|(i, &s)| NameMention {
                start: i,
                end: i + 1,
                entity: None,
                full: s,
                surname: s,
                titled: false,
            })
            .collect();
        let sk = surname_skeletons(lang, &people);
        // one skeleton per distinct surname
        assert_eq!(sk.ends.len(), 10);
        for (i, s) in surnames.iter().enumerate() {
            assert_eq!(sk.of(i), skeleton(lang, s), "{s}");
        }
    }

    #[test]
    fn trim_dots_is_trim_end_matches() {
        for w in [
            "", ".", "...", "Gen", "Gen.", "U.S.", "U.S..", "Sen.", "é.", "ü", ".a.",
        ] {
            assert_eq!(trim_dots(w), w.trim_end_matches('.'), "{w}");
        }
    }

    #[test]
    fn skeleton_by_bytes_matches_skeleton_by_chars() {
        let rules = RuleSet::default_rules().expect("the default rules compile");
        let lang = &rules.lang;
        let names = [
            "",
            "B",
            "Bagheri",
            "Baqeri",
            "Baker",
            "BAKER",
            "Rouhani",
            "Rūḥānī",
            "Müller",
            "Muller",
            "Haniyeh",
            "Dzhokhar",
            "O'Brien",
            "Baker’s",
            "Schwarzenegger-Khodorkovsky-Abdulrahmanovich-Ghosh",
            "北京",
            "Ψαράς",
            "ééé",
            "Tsvangirai",
            "Phoolan",
        ];
        let mut buf = String::from("left over");
        for name in names {
            skeleton_into(lang, name, &mut buf);
            assert_eq!(buf, skeleton_by_chars(lang, name), "{name}");
            assert_eq!(skeleton(lang, name), buf, "{name}");
        }
    }
}
