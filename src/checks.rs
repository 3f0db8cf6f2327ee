//! Checks across the whole article, the ones a standards editor runs by eye: one person
//! spelt several ways or given different titles, comparable sources labelled unevenly, one
//! quotation given to two speakers, reliance on a single source, and the risk of each claim.
//! Every threshold, list and message is in the rule set.

use crate::link::{last_word, skeleton_into, trim_possessive, NameMention};
use crate::model::{Claim, Flag, Reliance, Span};
use crate::rules::compile::CompiledFlag;
use crate::rules::schema::Check;
use crate::rules::RuleSet;
use crate::text::{is_word_char, TextModel, TokKind};
use std::borrow::Cow;
use std::collections::BTreeMap;

fn render(rule: &CompiledFlag, term: &str, source: &str, canonical: &str, count: usize) -> String {
    crate::flags::fill(&rule.message, term, source, canonical, Some(count))
}

fn flag(rule: &CompiledFlag, message: String, span: (usize, usize)) -> Flag {
    Flag {
        id: rule.id.clone(),
        severity: rule.severity.as_str(),
        message,
        span: Span {
            start: span.0,
            end: span.1,
        },
    }
}

/// Attaches an article-wide flag to the claim that holds `at` (else the first claim).
fn attach(claims: &mut [Claim], at: usize, f: Flag) {
    let i = claims
        .iter()
        .position(|c| c.span.start <= at && at < c.span.end)
        .unwrap_or(0);
    if let Some(c) = claims.get_mut(i) {
        if !c.flags.iter().any(|x| x.id == f.id && x.span == f.span) {
            c.flags.push(f);
            c.flags
                .sort_by(|a, b| (a.span.start, &a.id).cmp(&(b.span.start, &b.id)));
        }
    }
}

fn place(m: &TextModel, at: usize) -> String {
    let (l, c) = m.line_col(at);
    format!("{l}:{c}")
}

/// A written name of a person: the surname or name as written and its byte span, with its
/// group and its order of finding while the groups are built.
#[derive(Clone, Copy)]
struct Spelling<'x> {
    group: usize,
    order: usize,
    written: &'x str,
    span: (usize, usize),
}

/// One person's mentions: the catalogue entity or the canonical name they resolve to.
struct Person<'p, 'x> {
    canonical: &'x str,
    spellings: &'p [Spelling<'x>],
}

/// The people of an article, in order of first mention: every group's spellings are held in
/// one buffer, group after group, rather than a vector each.
struct People<'x> {
    /// canonical name and the end of its spellings in `spellings`
    groups: Vec<(&'x str, usize)>,
    spellings: Vec<Spelling<'x>>,
}

impl<'x> People<'x> {
    fn iter(&self) -> impl Iterator<Item = Person<'_, 'x>> {
        let mut start = 0;
        self.groups.iter().map(move |&(canonical, end)| {
            let spellings = self.spellings.get(start..end).unwrap_or(&[]);
            start = end;
            Person {
                canonical,
                spellings,
            }
        })
    }
}

/// The first letter of a word as a skeleton keeps it: lower-cased, then its single-letter
/// transliteration's canonical letter, if any. The variants equal to the letter are those
/// listed under its first byte, in the same order as in the whole list.
fn first_class(lang: &crate::rules::compile::Language, c: char) -> Option<char> {
    let lower = c.to_lowercase().next()?;
    let mut utf8 = [0u8; 4];
    let letter: &str = lower.encode_utf8(&mut utf8);
    let mapped = lang
        .transliteration_by_byte
        .get(usize::from(letter.as_bytes()[0]))
        .and_then(|variants| variants.iter().find(|(v, _)| v == letter))
        .and_then(|(_, canon)| canon.chars().next());
    Some(mapped.unwrap_or(lower))
}

/// `distance(a.to_lowercase(), b.to_lowercase()) <= 3` ([`crate::rules::keys::distance`]),
/// with the two rows on the stack for ASCII words of up to 63 letters.
fn within_three(a: &str, b: &str) -> bool {
    if !a.is_ascii() || !b.is_ascii() || b.len() >= 64 {
        return crate::rules::keys::distance(&a.to_lowercase(), &b.to_lowercase()) <= 3;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev = [0usize; 64];
    let mut cur = [0usize; 64];
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j;
    }
    for (i, ca) in a.iter().map(u8::to_ascii_lowercase).enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().map(u8::to_ascii_lowercase).enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] <= 3
}

fn people_groups<'x>(m: &'x TextModel, r: &'x RuleSet, people: &'x [NameMention]) -> People<'x> {
    // catalogued people named in the article, by surname, so that an uncatalogued spelling
    // of the same surname ("Massed Pezeshkian") joins the catalogued person: sorted by
    // surname (stable, so the last mentioned of a surname is the last of its run, and wins),
    // built only when some mention is uncatalogued
    let mut catalogued: Vec<(&str, &str)> = Vec::new();
    if people.iter().any(|p| p.entity.is_none()) {
        catalogued.reserve_exact(people.iter().filter(|p| p.entity.is_some()).count());
        catalogued.extend(
            people
                .iter()
                .filter_map(|p| p.entity.map(|e| r.catalogue.entities[e].name.as_str()))
                .map(|n| (last_word(n), n)),
        );
        catalogued.sort_by_key(|&(surname, _)| surname);
    }
    // canonical name -> its group, in order of first mention
    let mut index: rustc_hash::FxHashMap<&str, usize> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(people.len(), Default::default());
    let mut groups: Vec<(&str, usize)> = Vec::with_capacity(people.len());
    let mut all: Vec<Spelling> = Vec::with_capacity(people.len());
    for p in people {
        let written = trim_possessive(&m.text[p.start..p.end]);
        let key: &str = match p.entity {
            Some(e) => &r.catalogue.entities[e].name,
            None => {
                let surname: &str = p.surname;
                let run = &catalogued[..catalogued.partition_point(|&(s, _)| s <= surname)];
                match run.last() {
                    Some(&(s, name)) if s == surname => name,
                    _ => p.full,
                }
            }
        };
        let n = groups.len();
        let group = *index.entry(key).or_insert(n);
        if group == n {
            groups.push((key, 0));
        }
        all.push(Spelling {
            group,
            order: all.len(),
            written,
            span: (p.start, p.end),
        });
    }
    // words elsewhere (quotations too) that look like a garbled surname of a group
    let lang = &r.lang;
    let catalogue_words = &r.catalogue.person_words;
    if !groups.is_empty() {
        garbled_surnames(m, lang, catalogue_words, &groups, &mut all);
    }
    // each group's spellings together: its mentions, then the words found, in order
    all.sort_unstable_by_key(|s| (s.group, s.order));
    let mut end = 0;
    for (gi, g) in groups.iter_mut().enumerate() {
        end += all[end..].iter().take_while(|s| s.group == gi).count();
        g.1 = end;
    }
    People {
        groups,
        spellings: all,
    }
}

/// Adds to `all` (the mentions, by group) the capitalised words that look like a garbled
/// surname of a group.
fn garbled_surnames<'x>(
    m: &'x TextModel,
    lang: &crate::rules::compile::Language,
    catalogue_words: &crate::scan::WordSet,
    groups: &[(&'x str, usize)],
    all: &mut Vec<Spelling<'x>>,
) {
    let mentions = all.len();
    // each group's surname skeleton, computed once, all in one buffer
    let mut skeletons = String::new();
    let mut sk = String::new();
    // a skeleton keeps the (transliterated) first letter, and a word within edit distance 3
    // of a surname is within 3 letters of its length, so that other words are skipped
    // cheaply: (first letter of the skeleton, letters of the lower-case surname, skeleton's
    // range in `skeletons`) per group
    let mut shapes: Vec<(Option<char>, usize, (usize, usize))> = Vec::with_capacity(groups.len());
    for &(canonical, _) in groups {
        let surname = last_word(canonical);
        skeleton_into(lang, surname, &mut sk);
        let at = skeletons.len();
        skeletons.push_str(&sk);
        shapes.push((
            sk.chars().next(),
            surname.chars().map(|c| c.to_lowercase().count()).sum(),
            (at, skeletons.len()),
        ));
    }
    let is_first = |c: char| shapes.iter().any(|&(f, _, _)| f == Some(c));
    // each distinct word's group (by skeleton), computed once per article
    let mut cache: rustc_hash::FxHashMap<&str, Option<usize>> = Default::default();
    let max_len = groups
        .iter()
        .map(|g| last_word(g.0).len())
        .max()
        .unwrap_or(0)
        + 4;
    // each skeleton's first group, so that a word's skeleton is looked up, not compared
    // with every group's
    let mut by_skeleton: rustc_hash::FxHashMap<&str, usize> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(groups.len(), Default::default());
    for (i, &(_, _, (a, b))) in shapes.iter().enumerate() {
        by_skeleton.entry(&skeletons[a..b]).or_insert(i);
    }
    // per ASCII capital letter, once it is seen: the lengths (bit n for n letters) an ASCII
    // word starting with it may have to pass the shape test below; 0 when the letter's class
    // is no skeleton's first letter. Most words are turned away here, before the cache.
    let mut by_letter: [Option<u64>; 26] = [None; 26];
    // a surname is capitalised: only those words are read
    for &k in m.capitalised() {
        let t = &m.tokens[k as usize];
        let raw = m.tok_text(t);
        // a possessive ending ends in 's'
        let w = if raw.ends_with('s') {
            trim_possessive(raw)
        } else {
            raw
        };
        if w.len() < 4 || w.len() > max_len {
            continue;
        }
        let b0 = w.as_bytes()[0];
        let mut checked = false;
        if b0.is_ascii_uppercase() && w.len() < 64 {
            let lengths = *by_letter[usize::from(b0 - b'A')].get_or_insert_with(|| {
                let first = first_class(lang, char::from(b0));
                if !first.is_some_and(is_first) {
                    return 0;
                }
                // lengths n-3..=n+3 (below 64) for each surname of that first letter
                shapes
                    .iter()
                    .filter(|&&(f, _, _)| f == first)
                    .map(|&(_, n, _)| (n.saturating_sub(3), (n + 3).min(63)))
                    .filter(|&(lo, hi)| lo <= hi)
                    .fold(0u64, |acc, (lo, hi)| {
                        acc | (u64::MAX >> (63 - (hi - lo))) << lo
                    })
            });
            if lengths == 0 || (lengths >> w.len() & 1 == 0 && w.is_ascii()) {
                continue;
            }
            // the first letter and shape tests below are passed
            checked = true;
        }
        // everything below depends on the word alone: decided once per word and article
        let group = *cache.entry(w).or_insert_with(|| {
            if checked {
                if catalogue_words.contains(w) {
                    return None;
                }
            } else {
                let first = w.chars().next().and_then(|c| first_class(lang, c));
                if !w.chars().next().is_some_and(char::is_uppercase)
                    || catalogue_words.contains(w)
                    || !first.is_some_and(is_first)
                {
                    return None;
                }
                // an ASCII word is its own length in lower-case letters
                if w.is_ascii()
                    && !shapes
                        .iter()
                        .any(|&(f, n, _)| f == first && n.abs_diff(w.len()) <= 3)
                {
                    return None;
                }
            }
            skeleton_into(lang, w, &mut sk);
            if sk.chars().count() < 3 {
                return None;
            }
            let gi = *by_skeleton.get(sk.as_str())?;
            // a new spelling of the group's surname, close enough to it
            let surname = last_word(groups[gi].0);
            let known = surname == w
                || all[..mentions]
                    .iter()
                    .any(|s| s.group == gi && last_word(s.written) == w);
            (!known && within_three(surname, w)).then_some(gi)
        });
        let Some(gi) = group else {
            continue;
        };
        let at = (t.start as usize, t.start as usize + w.len());
        let inside = all[..mentions]
            .iter()
            .any(|s| s.group == gi && s.span.0 <= at.0 && at.1 <= s.span.1);
        if !inside {
            all.push(Spelling {
                group: gi,
                order: all.len(),
                written: w,
                span: at,
            });
        }
    }
}

/// How a person is written, comparing surnames, and first names when given: the surname as
/// written, with the first name before it only when it differs from the canonical one.
/// (Written words hold no space, so two keys are equal exactly when their strings are.)
fn spelling_key<'w>(
    written: &'w str,
    canonical_first: Option<&str>,
    canonical_last: &str,
) -> (Option<&'w str>, &'w str) {
    let mut words = written.split_whitespace().rev();
    let last = words.next().unwrap_or("");
    match (words.next(), canonical_first) {
        (Some(before), Some(first)) if before != first && last == canonical_last => {
            (Some(before), last)
        }
        _ => (None, last),
    }
}

/// The canonical first name (when the canonical name has more than one word) and surname.
fn canonical_parts<'x>(g: &Person<'_, 'x>) -> (Option<&'x str>, &'x str) {
    let canonical_first: Option<&str> = g
        .canonical
        .split(' ')
        .next()
        .filter(|_| g.canonical.contains(' '));
    (canonical_first, last_word(g.canonical))
}

/// A [`spelling_key`] as written: "first last", or "last".
type Key<'w> = (Option<&'w str>, &'w str);

/// The bytes of a key as written, so that keys are ordered as their strings are.
fn key_bytes<'w>(key: &Key<'w>) -> impl Iterator<Item = u8> + 'w {
    let (first, last) = *key;
    let space: &[u8] = if first.is_some() { b" " } else { b"" };
    first
        .map_or(&b""[..], str::as_bytes)
        .iter()
        .chain(space)
        .chain(last.as_bytes())
        .copied()
}

/// Does `canonical` end with the key as written?
fn ends_with_key(canonical: &str, key: &Key) -> bool {
    match *key {
        (None, last) => canonical.ends_with(last),
        (Some(first), last) => canonical
            .strip_suffix(last)
            .and_then(|c| c.strip_suffix(' '))
            .is_some_and(|c| c.ends_with(first)),
    }
}

/// Each spelling's key ([`spelling_key`]) and span, ordered by the key as written (the
/// spans of one key in their order): the distinct ways a person is written are its runs.
fn keyed_spellings<'x>(g: &Person<'_, 'x>) -> Vec<(Key<'x>, (usize, usize))> {
    let (canonical_first, canonical_last) = canonical_parts(g);
    let mut keyed: Vec<(Key, (usize, usize))> = g
        .spellings
        .iter()
        .map(|s| {
            let key = spelling_key(s.written, canonical_first, canonical_last);
            (key, s.span)
        })
        .collect();
    keyed.sort_by(|a, b| key_bytes(&a.0).cmp(key_bytes(&b.0)));
    keyed
}

fn name_spellings(m: &TextModel, rule: &CompiledFlag, groups: &People, claims: &mut [Claim]) {
    use std::fmt::Write;
    // one written form cannot be spelt two ways
    for g in groups.iter().filter(|g| g.spellings.len() > 1) {
        // most people are written one way throughout: told without building the keys
        let (canonical_first, canonical_last) = canonical_parts(&g);
        let one = spelling_key(g.spellings[0].written, canonical_first, canonical_last);
        if g.spellings[1..]
            .iter()
            .all(|s| spelling_key(s.written, canonical_first, canonical_last) == one)
        {
            continue;
        }
        let keyed = keyed_spellings(&g);
        // "key (line:col, line:col), key (line:col)", one entry per distinct key
        let mut listed = String::with_capacity(keyed.len() * 24);
        let mut distinct = 0;
        for (i, (key, span)) in keyed.iter().enumerate() {
            if i > 0 && keyed[i - 1].0 == *key {
                listed.push_str(", ");
            } else {
                if i > 0 {
                    listed.push_str("), ");
                }
                if let Some(first) = key.0 {
                    listed.push_str(first);
                    listed.push(' ');
                }
                listed.push_str(key.1);
                listed.push_str(" (");
                distinct += 1;
            }
            let (l, c) = m.line_col(span.0);
            let _ = write!(listed, "{l}:{c}");
        }
        listed.push(')');
        if distinct < 2 {
            continue;
        }
        let first_odd = keyed
            .iter()
            .filter(|(key, _)| !ends_with_key(g.canonical, key))
            .map(|(_, span)| span)
            .min()
            .or_else(|| keyed.iter().map(|(_, span)| span).min())
            .copied()
            .unwrap_or((0, 0));
        let msg = render(rule, &listed, "", g.canonical, distinct);
        attach(claims, first_odd.0, flag(rule, msg, first_odd));
    }
}

/// `w.to_lowercase() == lower`, without building the lower-case word when it is ASCII.
fn lower_eq(w: &str, lower: &str) -> bool {
    if w.is_ascii() {
        w.len() == lower.len()
            && w.bytes()
                .zip(lower.bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == b)
    } else {
        w.to_lowercase() == lower
    }
}

/// The rank written right before a mention ("Brig. Gen.", "Major General"), canonical form.
fn rank_before<'r>(m: &TextModel, r: &'r RuleSet, start: usize) -> Option<&'r str> {
    let k = m.tokens.partition_point(|t| (t.start as usize) < start);
    // the capitalised words before the name, nearest first
    let mut words: [&str; 4] = [""; 4];
    let mut n = 0;
    let mut j = k;
    while j > 0 && n < 4 {
        let t = &m.tokens[j - 1];
        if t.kind == TokKind::Word && m.tok_text(t).chars().next().is_some_and(char::is_uppercase) {
            words[n] = m.tok_text(t).trim_end_matches('.');
            n += 1;
        } else if !(t.kind == TokKind::Punct && m.tok_text(t) == ".") {
            break;
        }
        j -= 1;
    }
    // the longest rank spelling that ends the words before the name
    r.lang
        .ranks
        .iter()
        .find(|(spelling, _)| {
            n >= spelling.len()
                && spelling
                    .iter()
                    .rev()
                    .zip(&words[..spelling.len()])
                    .all(|(s, w)| lower_eq(w, s))
        })
        .map(|(_, canon)| canon.as_str())
}

/// Does the text hold "the " in any case (as its ASCII lower-casing would)? Each 'e' or 'E'
/// is found eight bytes at a time and the bytes around it compared.
fn has_the(s: &str) -> bool {
    let b = s.as_bytes();
    let hit = |p: usize| {
        p >= 2 && b.get(p + 1) == Some(&b' ') && b[p - 2..=p].eq_ignore_ascii_case(b"the")
    };
    let mut k = 0;
    while k + 8 <= b.len() {
        let x = u64::from_le_bytes(b[k..k + 8].try_into().unwrap_or([0; 8]));
        // every 'e' or 'E' is flagged (a byte above one may be too, and is checked)
        let mut e = crate::swar::equal(x | 0x2020_2020_2020_2020, b'e');
        while e != 0 {
            if hit(k + (e.trailing_zeros() / 8) as usize) {
                return true;
            }
            e &= e - 1;
        }
        k += 8;
    }
    (k..b.len()).any(hit)
}

/// "the commander of ...": an office named just before the mention or in an appositive, as
/// an index into the role nouns. `buf` holds the lower-cased text around the mention.
fn office_near(
    m: &TextModel,
    r: &RuleSet,
    span: (usize, usize),
    buf: &mut (Vec<u8>, Vec<u8>),
) -> Option<usize> {
    use crate::error::floor_char_boundary;
    // only within the mention's own sentence (sentences are in text order, not overlapping)
    let sentence = m
        .sentences
        .get(
            m.sentences
                .partition_point(|s| s.end.max(s.start + 1) <= span.0),
        )
        .filter(|s| s.start <= span.0);
    let (s_start, s_end) = sentence.map_or((0, m.text.len()), |s| (s.start, s.end));
    let from = floor_char_boundary(m.text, span.0.saturating_sub(120).max(s_start));
    let to = floor_char_boundary(m.text, (span.1 + 120).min(s_end).max(span.1));
    // ", " has no letters: stripped before lower-casing as after it
    let before = &m.text[from..span.0];
    let after = m.text[span.1..to].strip_prefix(", ").unwrap_or("");
    // every role pattern starts "the ": a side without it holds none
    let before_the = has_the(before);
    let after_the = after
        .as_bytes()
        .get(..4)
        .is_some_and(|a| a.eq_ignore_ascii_case(b"the "));
    if !before_the && !after_the {
        return None;
    }
    let (lower_before, lower_after) = buf;
    let roles = &r.lang.role_matcher;
    // A role right after the appositive comma wins (the first role noun listed, if several);
    // otherwise the role named last before the mention. A role starting the text after the
    // comma lies within its first (longest pattern) bytes: only those are lower-cased.
    let head = &after.as_bytes()[..after.len().min(roles.max_pattern_len())];
    let right_after = if after_the {
        lower_after.clear();
        lower_after.extend_from_slice(head);
        lower_after.make_ascii_lowercase();
        roles
            .find_overlapping_iter(lower_after.as_slice())
            .filter(|m| m.start() == 0)
            .map(|m| m.pattern().as_usize())
            .min()
    } else {
        None
    };
    right_after.or_else(|| {
        if !before_the {
            return None;
        }
        lower_before.clear();
        lower_before.extend_from_slice(before.as_bytes());
        lower_before.make_ascii_lowercase();
        roles
            .find_overlapping_iter(lower_before.as_slice())
            .max_by_key(|m| (m.start(), std::cmp::Reverse(m.pattern().as_usize())))
            .map(|m| m.pattern().as_usize())
    })
}

/// `rank` is the last words of the longer `fuller` ("General" of "Major General").
fn shortens(rank: &str, fuller: &str) -> bool {
    fuller.len() > rank.len()
        && fuller.ends_with(rank)
        && fuller.as_bytes()[fuller.len() - rank.len() - 1] == b' '
}

fn title_inconsistency(
    m: &TextModel,
    r: &RuleSet,
    rule: &CompiledFlag,
    groups: &People,
    claims: &mut [Claim],
) {
    let mut buf = (Vec::new(), Vec::new());
    for g in groups.iter().filter(|g| g.spellings.len() > 1) {
        let mut ranks: BTreeMap<&str, usize> = BTreeMap::new();
        let mut offices: BTreeMap<&str, usize> = BTreeMap::new();
        for span in g.spellings.iter().map(|s| &s.span) {
            if let Some(rank) = rank_before(m, r, span.0) {
                ranks.entry(rank).or_insert(span.0);
            }
            if let Some(office) = office_near(m, r, *span, &mut buf) {
                offices
                    .entry(r.lang.role_nouns[office].as_str())
                    .or_insert(span.0);
            }
        }
        // a rank that ends a fuller one also given is the same rank written short ("General"
        // beside "Major General", "Admiral" beside "Rear Admiral")
        if ranks.len() > 1 {
            let given: Vec<&str> = ranks.keys().copied().collect();
            ranks.retain(|k, _| !given.iter().any(|fuller| shortens(k, fuller)));
        }
        let mut parts = Vec::new();
        if ranks.len() > 1 {
            parts.push(
                ranks
                    .iter()
                    .map(|(k, at)| format!("{k} ({})", place(m, *at)))
                    .collect::<Vec<_>>()
                    .join(" and "),
            );
        }
        if offices.len() > 1 {
            parts.push(
                offices
                    .iter()
                    .map(|(k, at)| format!("{k} ({})", place(m, *at)))
                    .collect::<Vec<_>>()
                    .join(" and "),
            );
        }
        if !parts.is_empty() {
            let at = ranks
                .values()
                .chain(offices.values())
                .copied()
                .max()
                .unwrap_or(0);
            let end = g
                .spellings
                .iter()
                .find(|s| s.span.0 >= at)
                .map_or(at, |s| s.span.1);
            attach(
                claims,
                at,
                flag(
                    rule,
                    render(rule, &parts.join("; "), "", g.canonical, parts.len()),
                    (at, end.max(at)),
                ),
            );
        }
    }
}

fn label_asymmetry(m: &TextModel, r: &RuleSet, rule: &CompiledFlag, claims: &mut [Claim]) {
    let Some(loaded) = r.flags.iter().find(|f| f.id == "loaded-label").or_else(|| {
        r.flags
            .iter()
            .find(|f| f.check.is_none() && !f.terms.is_empty())
    }) else {
        return;
    };
    let mut labelled: Vec<(String, (usize, usize))> = Vec::new();
    let mut plain: Vec<(String, (usize, usize))> = Vec::new();
    for c in claims.iter() {
        let Some(a) = &c.attribution else { continue };
        for h in &a.chain {
            let state_linked = h.kind == "state_media"
                || h.status
                    .is_some_and(|s| s == "deprecated" || s == "generally_unreliable");
            if !state_linked {
                continue;
            }
            // the hop as written, with the words before it in its noun phrase
            let start = m.text[..h.start]
                .rfind([',', '.', ';', '\n'])
                .map_or(0, |i| i + 1)
                .max(h.start.saturating_sub(40));
            let start = crate::error::floor_char_boundary(m.text, start);
            let phrase = m.text[start..h.end]
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .trim()
                .to_string();
            let lower = phrase.to_lowercase();
            // the phrase's words are read once, each compared with the loaded terms
            let has = lower
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .any(|w| loaded.terms.iter().any(|t| w == t));
            let entry = (phrase, (h.start, h.end));
            if has {
                labelled.push(entry);
            } else {
                plain.push(entry);
            }
        }
    }
    // compare with a named outlet when there is one
    plain.sort_by_key(|(phrase, _)| phrase.split(' ').count() < 3);
    if let (Some(l), Some(p)) = (labelled.first(), plain.first()) {
        let term = format!(
            "\"{}\" ({}) but \"{}\" ({})",
            l.0,
            place(m, l.1 .0),
            p.0,
            place(m, p.1 .0)
        );
        attach(
            claims,
            l.1 .0,
            flag(rule, render(rule, &term, "", "", 2), l.1),
        );
    }
}

/// Calls `each` with the words of `s` in order, as [`normalise`] and [`normalise_hash`]
/// read them: runs of letters and digits, split by anything else. A word of ASCII letters
/// and digits comes as its byte range in `s` (lower-cased by the reader); a word with a
/// non-ASCII letter comes lower-cased whole as well (a Greek final sigma depends on its
/// place in the word).
#[inline(always)]
fn quote_words(s: &str, mut each: impl FnMut(usize, usize, Option<&str>)) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // a run of ASCII letters and digits
        let start = i;
        i = crate::swar::ascii_alnum_end(bytes, i);
        if i < bytes.len() && bytes[i] >= 0x80 {
            let c = s[i..].chars().next().unwrap_or(' ');
            if is_word_char(c) {
                // the whole word lower-cased at once
                let mut j = i;
                while let Some(d) = s[j..].chars().next().filter(|&d| is_word_char(d)) {
                    j += d.len_utf8();
                }
                each(start, j, Some(&s[start..j].to_lowercase()));
                i = j;
                continue;
            }
            if i > start {
                each(start, i, None);
            }
            i += c.len_utf8();
            continue;
        }
        if i > start {
            each(start, i, None);
        }
        i += 1;
    }
}

/// The words of a text, lower-cased and joined by single spaces, and their number.
fn normalise(s: &str) -> (String, usize) {
    let mut out = String::with_capacity(s.len());
    let mut words = 0;
    quote_words(s, |a, b, lowered| {
        if words > 0 {
            out.push(' ');
        }
        match lowered {
            None => out.extend(s[a..b].chars().map(|c| c.to_ascii_lowercase())),
            Some(l) => out.push_str(l),
        }
        words += 1;
    });
    (out, words)
}

/// One step of [`normalise_hash`]: eight bytes (or a word's length) into the hash.
#[inline(always)]
fn hash_step(hash: u64, chunk: u64) -> u64 {
    (hash.rotate_left(26) ^ chunk).wrapping_mul(0xf135_7aea_2e62_a9c5)
}

/// A lower-cased word into the hash, eight bytes at a time, then its length. `or` is ORed
/// into each byte: 0x20 lower-cases a word of ASCII letters and digits (a digit has the
/// bit already), 0 leaves a lower-cased word as it is.
#[inline(always)]
fn hash_word(mut hash: u64, all: &[u8], start: usize, end: usize, or: u8) -> u64 {
    let ors = u64::from_le_bytes([or; 8]);
    let mut k = start;
    while k + 8 <= end {
        let chunk = u64::from_le_bytes(all[k..k + 8].try_into().unwrap_or([0; 8]));
        hash = hash_step(hash, chunk | ors);
        k += 8;
    }
    if k < end {
        let rest = end - k;
        let chunk = match all.get(k..k + 8) {
            Some(c) => u64::from_le_bytes(c.try_into().unwrap_or([0; 8])),
            None => {
                let mut buf = [0u8; 8];
                buf[..rest].copy_from_slice(&all[k..end]);
                u64::from_le_bytes(buf)
            }
        };
        let keep = u64::MAX >> (8 * (8 - rest));
        hash = hash_step(hash, (chunk | ors) & keep);
    }
    hash_step(hash, (end - start) as u64)
}

/// The words of [`normalise`] as a 64-bit hash, and their number, in one pass that builds
/// nothing but the rare word with a non-ASCII letter: equal words give equal hashes, so
/// only quotations whose hashes meet need their words compared.
fn normalise_hash(s: &str) -> (u64, usize) {
    let bytes = s.as_bytes();
    let mut hash = 0u64;
    let mut words = 0;
    quote_words(s, |a, b, lowered| {
        hash = match lowered {
            None => hash_word(hash, bytes, a, b, 0x20),
            Some(l) => hash_word(hash, l.as_bytes(), 0, l.len(), 0),
        };
        words += 1;
    });
    (hash, words)
}

fn quote_two_speakers(m: &TextModel, rule: &CompiledFlag, claims: &mut [Claim]) {
    // (hash of the words, words, speaker, at, content) in text order, all in one vector, and
    // the hashes seen: one lookup per quotation, however long the article; only when two
    // hashes meet (rare) are the earlier quotations of that hash found by a scan, and the
    // words themselves built and compared in full
    type Seen<'a> = (u64, Option<String>, &'a str, usize, (usize, usize));
    let mut seen: Vec<Seen> = Vec::new();
    let mut hashes: rustc_hash::FxHashSet<u64> = Default::default();
    let mut found = Vec::new();
    for c in claims.iter() {
        let Some(a) = &c.attribution else { continue };
        if a.directness != "direct_quote" && a.directness != "partial_quote" {
            continue;
        }
        let content = (c.content.start, c.content.end);
        let (hash, count) = normalise_hash(&m.text[content.0..content.1]);
        if count < 5 {
            continue;
        }
        if seen.is_empty() {
            // room for every quotation, at once
            let quotes = claims
                .iter()
                .filter(|c| {
                    c.attribution.as_ref().is_some_and(|a| {
                        a.directness == "direct_quote" || a.directness == "partial_quote"
                    })
                })
                .count();
            seen.reserve_exact(quotes);
            hashes.reserve(quotes);
        }
        let speaker = a.source.resolved.as_deref().unwrap_or(&a.source.text);
        let mut words = None;
        if !hashes.insert(hash) {
            let own = normalise(&m.text[content.0..content.1]).0;
            let mut earlier = seen.iter_mut().filter(|e| e.0 == hash);
            let other = earlier.find_map(|(_, w, s, at, span)| {
                let w = w.get_or_insert_with(|| normalise(&m.text[span.0..span.1]).0);
                (*w == own && *s != speaker).then_some((*s, *at))
            });
            if let Some((other, at)) = other {
                found.push((
                    c.content.start,
                    c.content.end,
                    format!(
                        "{other} ({}) and {speaker} ({})",
                        place(m, at),
                        place(m, c.content.start)
                    ),
                ));
            }
            words = Some(own);
        }
        seen.push((hash, words, speaker, c.content.start, content));
    }
    for (s, e, term) in found {
        attach(
            claims,
            s,
            flag(rule, render(rule, &term, "", "", 2), (s, e)),
        );
    }
}

/// Shares of attributed claims by their first hop (the outlet or source the author relies on).
pub fn reliance(claims: &[Claim]) -> Vec<Reliance> {
    // keyed by the resolved name, borrowed, else the lower-cased text: a name is copied only
    // when it is first seen (an ASCII text is lower-cased into a reused buffer to look it up)
    let mut by: BTreeMap<Cow<str>, (&'static str, usize)> = BTreeMap::new();
    let mut lower = String::new();
    let total = claims.iter().filter(|c| c.attribution.is_some()).count();
    for c in claims {
        let Some(a) = &c.attribution else { continue };
        let h = &a.chain[0];
        let name: Cow<str> = match &h.resolved {
            Some(r) => Cow::Borrowed(r.as_str()),
            None if h.text.is_ascii() => {
                lower.clear();
                lower.push_str(&h.text);
                lower.make_ascii_lowercase();
                match by.get_mut(lower.as_str()) {
                    Some(e) => {
                        e.1 += 1;
                        continue;
                    }
                    None => Cow::Owned(lower.clone()),
                }
            }
            None => Cow::Owned(h.text.to_lowercase()),
        };
        by.entry(name).or_insert((h.kind, 0)).1 += 1;
    }
    let mut out: Vec<Reliance> = by
        .into_iter()
        .map(|(source, (kind, claims))| Reliance {
            share: if total > 0 {
                claims as f64 / total as f64
            } else {
                0.0
            },
            source: source.into_owned(),
            kind: kind.to_string(),
            claims,
        })
        .collect();
    // sources are distinct: the order is the same as a stable sort's
    out.sort_unstable_by(|a, b| b.claims.cmp(&a.claims).then(a.source.cmp(&b.source)));
    out
}

fn single_source(rule: &CompiledFlag, rel: &[Reliance], claims: &mut [Claim]) {
    let total: usize = rel.iter().map(|r| r.claims).sum();
    let Some(top) = rel.first() else { return };
    if total < rule.limit.unwrap_or(4) || top.share < rule.threshold.unwrap_or(0.5) {
        return;
    }
    let first = claims.iter().find(|c| {
        c.attribution.as_ref().is_some_and(|a| {
            // as [`reliance`] names it, compared without a copy
            match &a.chain[0].resolved {
                Some(r) => *r == top.source,
                None => lower_eq(&a.chain[0].text, &top.source),
            }
        })
    });
    if let Some(c) = first {
        let span = (
            c.attribution.as_ref().unwrap().chain[0].start,
            c.attribution.as_ref().unwrap().chain[0].end,
        );
        let term = format!("{} of {}", top.claims, total);
        let f = flag(rule, render(rule, &term, &top.source, "", top.claims), span);
        attach(claims, span.0, f);
    }
}

/// Risk of each claim from its flags (scoring.yaml `risk:`): critical, high, or low for an
/// unattributed claim with neither.
pub fn risk(r: &RuleSet, c: &Claim) -> Option<&'static str> {
    let has = |ids: &[String]| c.flags.iter().any(|f| ids.contains(&f.id));
    if has(&r.scoring.risk.critical) {
        Some("critical")
    } else if has(&r.scoring.risk.high) {
        Some("high")
    } else if c.attribution.is_none() {
        Some("low")
    } else {
        None
    }
}

/// Runs every article-wide check of the rule set; returns the reliance table.
pub fn run(
    m: &TextModel,
    r: &RuleSet,
    people: &[NameMention],
    claims: &mut [Claim],
) -> Vec<Reliance> {
    let groups = people_groups(m, r, people);
    let rel = reliance(claims);
    for rule in &r.flags {
        match rule.check {
            Some(Check::NameSpellings) => name_spellings(m, rule, &groups, claims),
            Some(Check::TitleInconsistency) => title_inconsistency(m, r, rule, &groups, claims),
            Some(Check::LabelAsymmetry) => label_asymmetry(m, r, rule, claims),
            Some(Check::QuoteTwoSpeakers) => quote_two_speakers(m, rule, claims),
            Some(Check::SingleSource) => single_source(rule, &rel, claims),
            _ => {}
        }
    }
    rel
}

#[cfg(test)]
mod tests {
    use super::{hash_word, normalise, normalise_hash};
    use crate::text::is_word_char;

    #[test]
    fn a_rank_shortens_the_ranks_it_ends() {
        assert!(super::shortens("General", "Major General"));
        assert!(super::shortens("Admiral", "Rear Admiral"));
        assert!(!super::shortens("Major", "Major General"));
        assert!(!super::shortens("General", "General"));
        assert!(!super::shortens("Admiral", "Vice-Admiral"));
    }

    /// What `normalise` must give: the words split at every other character, each
    /// lower-cased as a whole (so a Greek final sigma stays final).
    fn by_split(s: &str) -> (String, usize) {
        let words: Vec<String> = s
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        (words.join(" "), words.len())
    }

    #[test]
    fn quotations_are_normalised_word_by_word() {
        for s in [
            "",
            "  ...  ",
            "We will not back down, not now, not ever.",
            "“We will NOT back down,” — not now…",
            "Rūḥānī said «ΟΔΟΣ» in Genève; Müller's 2024 plan, 東京 too",
            "don't-stop U.S.-led talks\tand\nnew lines",
            "ends on a word",
            "CAFÉS and caféS, éLAN x’y ΣΟΦΟΣ-ΛΟΓΟΣ 1,000.5 zZ9 A—B",
            "É",
            "a",
        ] {
            let expected = by_split(s);
            assert_eq!(normalise(s), expected, "for {s:?}");
            // the hash is that of the reference's words, already lower-cased
            let hash = expected
                .0
                .split(' ')
                .filter(|w| !w.is_empty())
                .fold(0, |h, w| hash_word(h, w.as_bytes(), 0, w.len(), 0));
            assert_eq!(normalise_hash(s), (hash, expected.1), "for {s:?}");
        }
    }

    #[test]
    fn word_hashes_tell_texts_apart() {
        let texts = [
            "",
            "a",
            "ab",
            "abcdefgh",
            "abcdefgh a",
            "abcdefgha",
            "abcdefghabcdefgh",
            "b",
            "a b",
            "ab c",
            "a bc",
        ];
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                assert_ne!(normalise_hash(a).0, normalise_hash(b).0, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_stack_distance_is_the_reference_distance() {
        let words = [
            "",
            "a",
            "Pezeshkian",
            "Pezeshkyan",
            "PEZESHKIAN",
            "Massed",
            "Masoud",
            "Rouhani",
            "Rohani",
            "Ruhani",
            "Zelensky",
            "Zelenskyy",
            "Zelenskiy",
            "Müller",
            "Muller",
            "Σωκράτης",
            "ΣΩΚΡΑΤΗΣ",
            "abcdefgh",
            "hgfedcba",
            "Khamenei",
            "Khamenehi",
        ];
        for a in words {
            for b in words {
                let reference =
                    crate::rules::keys::distance(&a.to_lowercase(), &b.to_lowercase()) <= 3;
                assert_eq!(super::within_three(a, b), reference, "{a} / {b}");
            }
        }
        // the fallback for a word of 64 letters or more
        let long = "x".repeat(70);
        assert!(super::within_three(&long, &"x".repeat(68)));
        assert!(!super::within_three(&long, &"x".repeat(66)));
    }

    #[test]
    fn first_letters_are_classed_as_by_the_whole_transliteration_list() {
        let rules = crate::rules::compile::RuleSet::default_rules().unwrap();
        let lang = &rules.lang;
        // the single-letter variants of the whole list, first listed first
        let reference = |c: char| -> Option<char> {
            let lower = c.to_lowercase().next()?;
            let mapped = lang
                .transliteration
                .iter()
                .find(|(v, _)| {
                    let mut cs = v.chars();
                    cs.next() == Some(lower) && cs.next().is_none()
                })
                .and_then(|(_, canon)| canon.chars().next());
            Some(mapped.unwrap_or(lower))
        };
        let letters = lang
            .transliteration
            .iter()
            .flat_map(|(v, c)| v.chars().chain(c.chars()));
        for c in ('A'..='Z')
            .chain('a'..='z')
            .chain("ÀÉÖØÜßçñşžΣЖ".chars())
            .chain(letters)
        {
            assert_eq!(super::first_class(lang, c), reference(c), "{c}");
        }
    }

    #[test]
    fn spelling_keys_are_ordered_as_their_strings() {
        use super::{ends_with_key, key_bytes, Key};
        let keys: [Key; 7] = [
            (None, "Trump"),
            (Some("Donald"), "Trump"),
            (Some("D."), "Trump"),
            (None, "Tromp"),
            (Some("Ivanka"), "Trump"),
            (None, "Zelenskyy"),
            (Some("Émile"), "Zola"),
        ];
        let written = |k: &Key| match k {
            (Some(f), l) => format!("{f} {l}"),
            (None, l) => l.to_string(),
        };
        for a in &keys {
            for b in &keys {
                assert_eq!(
                    key_bytes(a).cmp(key_bytes(b)),
                    written(a).cmp(&written(b)),
                    "{a:?} / {b:?}"
                );
            }
            for canonical in ["Donald Trump", "Trump", "Volodymyr Zelenskyy", "Émile Zola"] {
                assert_eq!(
                    ends_with_key(canonical, a),
                    canonical.ends_with(written(a).as_str()),
                    "{canonical} / {a:?}"
                );
            }
        }
    }
}
