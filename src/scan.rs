//! One pass over the whole article finds every whole-word match of the rule set's lists:
//! catalogue names, catalogue phrases and every flag rule's word list. Later stages look
//! matches up by offset instead of searching sentence by sentence.
//!
//! A match counts only when it is a whole word or phrase (no letter or digit just before or
//! after it), so it can only start where a word starts. [`WordLists`] keys every pattern by
//! its first word; the scan visits each word start once, looks that word up, and checks the
//! few patterns that begin with it. A list with a pattern that does not start with a letter
//! or digit is searched with its aho-corasick automaton instead.

use crate::rules::compile::{Catalogue, CompiledFlag};
use crate::rules::RuleSet;
use crate::text::{is_word_char, TextModel, ASCII_WORD};
use rustc_hash::FxHashMap;

fn bounded(text: &str, s: usize, e: usize) -> bool {
    text[..s]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c))
        && text[e..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// The character at byte `i` (a character boundary) and its length.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    crate::text::char_at(text, i, text.len()).map(|c| (c, c.len_utf8()))
}

/// End of the run of letters and digits that starts at `i`.
#[inline]
fn run_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(i) {
        if ASCII_WORD[b as usize] != 0 {
            i += 1;
        } else if b < 0x80 {
            break;
        } else {
            match text[i..].chars().next() {
                Some(c) if is_word_char(c) => i += c.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

/// The patterns that start with one word, in the order they are tried, with their probes
/// packed apart: most candidates are turned away by a look at this short array alone.
#[derive(Debug, Default)]
struct Bucket {
    cands: Vec<Candidate>,
    /// Per candidate, its probe (see [`probe`]).
    probes: Vec<u32>,
    /// The candidates worth trying after a word, by the two bytes that follow it: for each
    /// two bytes some candidate's probe names in full, sorted, the candidates (in order)
    /// whose probe is those bytes or is shorter; `other` holds the shorter ones alone, for
    /// any other two bytes. "the" keys three dozen patterns, and a word after "the" rules
    /// out all but a few of them.
    routes: Vec<(u16, Box<[u32]>)>,
    other: Box<[u32]>,
}

impl Bucket {
    /// Builds `probes`, `routes` and `other` once `cands` is in order; `key` is their first word.
    fn index(&mut self, key: &[u8]) {
        self.probes = self
            .cands
            .iter()
            .map(|c| probe(&c.bytes[key.len()..]))
            .collect();
        let full = |p: u32| p >> 16 == 0xffff;
        let short: Vec<u32> = (0..self.probes.len() as u32)
            .filter(|&k| !full(self.probes[k as usize]))
            .collect();
        let mut afters: Vec<u16> = self
            .probes
            .iter()
            .filter(|&&p| full(p))
            .map(|&p| p as u16)
            .collect();
        afters.sort_unstable();
        afters.dedup();
        self.routes = afters
            .into_iter()
            .map(|after| {
                let ks: Box<[u32]> = (0..self.probes.len() as u32)
                    .filter(|&k| {
                        let p = self.probes[k as usize];
                        !full(p) || p as u16 == after
                    })
                    .collect();
                (after, ks)
            })
            .collect();
        self.other = short.into();
    }

    /// The candidates to try before two bytes `after` (lower-cased, as a probe reads them).
    #[inline]
    fn route(&self, after: u16) -> &[u32] {
        match self.routes.binary_search_by_key(&after, |r| r.0) {
            Ok(i) => &self.routes[i].1,
            Err(_) => &self.other,
        }
    }
}

/// A pattern's probe: the (up to) two bytes after its first word, lower-cased (" w" of
/// "the White House"), as `value | mask << 16`, checked before the whole pattern is
/// compared. A one-word pattern has the probe 0, which fits any word end.
fn probe(rest: &[u8]) -> u32 {
    match *rest {
        [] => 0,
        [a] => a.to_ascii_lowercase() as u32 | 0x00ff << 16,
        [a, b, ..] => {
            a.to_ascii_lowercase() as u32 | (b.to_ascii_lowercase() as u32) << 8 | 0xffff << 16
        }
    }
}

#[derive(Debug)]
struct Candidate {
    list: u16,
    pattern: u32,
    bytes: Box<[u8]>,
    case_insensitive: bool,
}

/// Every list's patterns, keyed by their first word (ASCII lower-cased).
#[derive(Debug, Default)]
pub struct WordLists {
    /// First words of up to eight bytes, packed into a word ([`pack_lower`]).
    short: PackedMap,
    /// Longer first words.
    by_first: FxHashMap<Box<[u8]>, Bucket>,
    /// The longest first word of any pattern: longer words in the text are not looked up.
    max_key: usize,
    /// The keys' filter: most words are passed over without hashing them.
    seen: WordFilter,
    /// Lists searched with their automaton instead (a pattern starts with punctuation).
    fallback: Vec<bool>,
    /// Flag rule id -> its list number.
    flag_lists: FxHashMap<String, usize>,
}

/// The buckets of the short first words, found by their packed key in an open-addressed
/// table kept at most a quarter full: a word that keys nothing (half of those the filter lets
/// through) most often meets an empty slot at the first probe, for a multiply, a shift and
/// a load where a general hash map spends several times that.
#[derive(Debug, Default)]
struct PackedMap {
    /// (key, index into `buckets`), or `EMPTY` as the index of a free slot.
    slots: Box<[(u64, u32)]>,
    buckets: Vec<Bucket>,
    shift: u32,
}

impl PackedMap {
    const EMPTY: u32 = u32::MAX;

    /// `entries` have distinct keys.
    fn new(entries: Vec<(u64, Bucket)>) -> PackedMap {
        let size = (entries.len() * 4).next_power_of_two().max(16);
        let mut slots = vec![(0u64, Self::EMPTY); size].into_boxed_slice();
        let shift = 64 - size.trailing_zeros();
        let mut buckets = Vec::with_capacity(entries.len());
        for (key, bucket) in entries {
            let mut h = Self::slot(key, shift);
            while slots[h].1 != Self::EMPTY {
                h = (h + 1) & (size - 1);
            }
            slots[h] = (key, buckets.len() as u32);
            buckets.push(bucket);
        }
        PackedMap {
            slots,
            buckets,
            shift,
        }
    }

    #[inline]
    fn slot(key: u64, shift: u32) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize
    }

    #[inline]
    fn get(&self, key: &u64) -> Option<&Bucket> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut h = Self::slot(*key, self.shift) & mask;
        loop {
            let &(k, ix) = self.slots.get(h)?;
            if ix == Self::EMPTY {
                return None;
            }
            if k == *key {
                return self.buckets.get(ix as usize);
            }
            h = (h + 1) & mask;
        }
    }
}

const SEEN_BITS: usize = 1 << 16;
// a filter bit fits the `u16` a token keeps it in
const _: () = assert!(SEEN_BITS <= 1 << 16);

/// The filter bit of a (lower-cased) word from its first two bytes, its last byte and its
/// length (0 for a byte it does not have), mixed by one multiplication: words that share
/// their first letters and length ("said", "sale", "sand") mostly get different bits.
#[inline]
fn seen_bit(b0: u8, b1: u8, last: u8, len: usize) -> usize {
    let x = u32::from(b0) | u32::from(b1) << 8 | u32::from(last) << 16 | (len as u32) << 24;
    (x.wrapping_mul(0x9e37_79b1) >> 16) as usize & (SEEN_BITS - 1)
}

/// Up to eight bytes of a word, ASCII lower-cased, as a little-endian `u64`. A word of
/// letters and digits has no zero byte, so words of different lengths never share one.
#[inline]
fn pack_lower(w: &[u8]) -> u64 {
    debug_assert!(w.len() <= 8);
    w.iter().enumerate().fold(0, |k, (n, &b)| {
        k | (b.to_ascii_lowercase() as u64) << (8 * n)
    })
}

/// The filter bit of the word run [a, b) of `bytes`, its ASCII letters lower-cased: what
/// the scan tests before looking a word up.
#[inline]
pub fn run_bit(bytes: &[u8], a: usize, b: usize) -> u16 {
    let lower = |k: usize| {
        if a <= k && k < b {
            bytes.get(k).map_or(0, u8::to_ascii_lowercase)
        } else {
            0
        }
    };
    seen_bit(lower(a), lower(a + 1), lower(b.wrapping_sub(1)), b - a) as u16
}

/// [`pack_lower`] of the `len` (at most eight) bytes at `i`: the eight bytes there are read
/// and lower-cased at once where the text has them.
#[inline]
fn key_at(bytes: &[u8], i: usize, len: usize) -> u64 {
    match bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        Some(c) => {
            let x = u64::from_le_bytes(*c);
            let x = if len >= 8 {
                x
            } else {
                x & ((1u64 << (8 * len)) - 1)
            };
            crate::swar::ascii_lower(x)
        }
        None => pack_lower(&bytes[i..i + len]),
    }
}

/// The bit of a word in every [`WordFilter`]: the tokenizer computes it once per token.
#[inline]
pub fn filter_bit(w: &[u8]) -> u16 {
    WordFilter::bit(w) as u16
}

/// A quick "certainly not in the set" test for words, from their first two bytes, their
/// last byte and their length: a hot loop asks it before hashing a word into a set or map.
/// It may say yes for a word that is not in the set, never no for one that is.
#[derive(Debug, Clone)]
pub struct WordFilter {
    bits: Vec<u64>,
}

impl Default for WordFilter {
    fn default() -> Self {
        WordFilter {
            bits: vec![0; SEEN_BITS / 64],
        }
    }
}

impl WordFilter {
    pub fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> WordFilter {
        let mut f = WordFilter::default();
        for w in words {
            f.insert(w.as_bytes());
        }
        f
    }

    fn insert(&mut self, w: &[u8]) {
        let bit = Self::bit(w);
        self.bits[bit / 64] |= 1 << (bit % 64);
    }

    /// [`may_contain`](Self::may_contain) from a word's first two bytes, its last byte and
    /// its length.
    #[inline]
    fn may_contain_parts(&self, b0: u8, b1: u8, last: u8, len: usize) -> bool {
        self.has(seen_bit(b0, b1, last, len))
    }

    #[inline]
    fn bit(w: &[u8]) -> usize {
        seen_bit(
            w.first().copied().unwrap_or(0),
            w.get(1).copied().unwrap_or(0),
            w.last().copied().unwrap_or(0),
            w.len(),
        )
    }

    #[inline]
    fn has(&self, bit: usize) -> bool {
        self.bits[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// [`may_contain`](Self::may_contain) for a word whose [`filter_bit`] is known.
    #[inline]
    pub fn may_contain_bit(&self, bit: u16) -> bool {
        self.has(bit as usize)
    }

    /// False only when `w` (exactly as given) is in no word the filter was built from.
    #[inline]
    pub fn may_contain(&self, w: &str) -> bool {
        self.has(Self::bit(w.as_bytes()))
    }
}

/// A set of words with a [`WordFilter`] in front: most words that are not in it are turned
/// away without hashing them. The rule set's word lists are `WordSet`s, asked about every
/// token.
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    set: rustc_hash::FxHashSet<String>,
    filter: WordFilter,
}

impl WordSet {
    /// The filter is asked in the caller (a few instructions, and most words stop there);
    /// only a word that passes it is hashed, out of line.
    #[inline(always)]
    pub fn contains(&self, w: &str) -> bool {
        self.filter.may_contain(w) && self.in_set(w)
    }

    /// Is the lower-case form of word token `t` in the set? The filter reads the bit the
    /// tokenizer kept, so most words are turned away without reading them.
    #[inline(always)]
    pub fn contains_lower(&self, m: &TextModel, t: &crate::text::Token) -> bool {
        self.filter.may_contain_bit(t.lo_bit) && self.in_set(m.lower(t))
    }

    #[inline(never)]
    fn in_set(&self, w: &str) -> bool {
        self.set.contains(w)
    }

    pub fn insert(&mut self, w: String) -> bool {
        self.filter.insert(w.as_bytes());
        self.set.insert(w)
    }

    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.set.iter()
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

impl FromIterator<String> for WordSet {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let mut s = WordSet::default();
        s.extend(iter);
        s
    }
}

impl Extend<String> for WordSet {
    fn extend<I: IntoIterator<Item = String>>(&mut self, iter: I) {
        for w in iter {
            self.insert(w);
        }
    }
}

/// List numbers: names, phrases, then one per flag rule with terms.
const NAMES: usize = 0;
const PHRASES: usize = 1;

impl WordLists {
    pub fn new(names: &[String], phrases: &[String], flags: &[CompiledFlag]) -> WordLists {
        let mut w = WordLists::default();
        let mut lists: Vec<(&[String], bool)> =
            // as the automata: names keep their case, phrases and flag terms ignore it
            vec![(names, false), (phrases, true)];
        for f in flags.iter().filter(|f| f.matcher.is_some()) {
            w.flag_lists.insert(f.id.clone(), lists.len());
            lists.push((&f.terms, true));
        }
        for (list, &(patterns, ci)) in lists.iter().enumerate() {
            let whole_words = patterns
                .iter()
                .all(|p| p.chars().next().is_some_and(char::is_alphanumeric));
            w.fallback.push(!whole_words);
            if !whole_words {
                continue;
            }
            for (i, p) in patterns.iter().enumerate() {
                let key = p.as_bytes()[..run_end(p, 0)].to_ascii_lowercase();
                w.max_key = w.max_key.max(key.len());
                w.seen.insert(&key);
                w.by_first
                    .entry(key.into_boxed_slice())
                    .or_default()
                    .cands
                    .push(Candidate {
                        list: list as u16,
                        pattern: i as u32,
                        bytes: p.as_bytes().into(),
                        case_insensitive: ci,
                    });
            }
        }
        // per list, longest pattern first: the first that fits is the leftmost-longest match
        for (key, bucket) in w.by_first.iter_mut() {
            bucket.cands.sort_by(|a, b| {
                (a.list, std::cmp::Reverse(a.bytes.len()), a.pattern).cmp(&(
                    b.list,
                    std::cmp::Reverse(b.bytes.len()),
                    b.pattern,
                ))
            });
            bucket.index(key);
        }
        // most first words are short: looked up by a packed word, not a byte string
        let (short, long): (Vec<_>, Vec<_>) = std::mem::take(&mut w.by_first)
            .into_iter()
            .partition(|(k, _)| k.len() <= 8);
        w.short = PackedMap::new(
            short
                .into_iter()
                .map(|(k, b)| (pack_lower(&k), b))
                .collect(),
        );
        w.by_first = long.into_iter().collect();
        w
    }

    /// Leftmost-longest, non-overlapping whole-word matches of every list, in text order:
    /// `out[list]` gets (start, end, pattern).
    fn find(&self, text: &str, out: &mut [Vec<(usize, usize, u32)>]) {
        let mut st = FindState::new(self, out.len());
        self.find_between(text, 0, text.len(), &mut st, out);
    }

    /// [`find`](Self::find), taking the words of the text model's sentences from the runs
    /// the tokenizer recorded ([`TextModel::word_runs`]) instead of reading those bytes
    /// again. The text between sentences, and any sentence whose edges fall inside a word,
    /// are read byte by byte as before, so the matches are the same.
    fn find_with_model(&self, m: &TextModel, out: &mut [Vec<(usize, usize, u32)>]) {
        let text = m.text;
        let runs = m.word_runs();
        let mut st = FindState::new(self, out.len());
        let mut pos = 0;
        let mut r = 0;
        for s in &m.sentences {
            let read_runs = s.start >= pos && {
                pos = self.find_between(text, pos, s.start, &mut st, out);
                pos <= s.start && bounded(text, s.start, s.end)
            };
            if !read_runs {
                // a word of the text before ran into this sentence, or a word runs across an
                // edge of it: its runs are passed over and it is read byte by byte
                while r < runs.len() && (runs[r].0 as usize) < s.end {
                    r += 1;
                }
                pos = self.find_between(text, pos, s.end, &mut st, out);
                continue;
            }
            // the runs of this sentence
            let first = r;
            while runs.get(r).is_some_and(|run| (run.0 as usize) < s.end) {
                r += 1;
            }
            for chunk in runs[first..r].chunks(64) {
                // the runs to look up, a bit each, tested without a branch: short enough to
                // key a pattern, and with their filter bit (computed by the tokenizer) set;
                // most runs are turned away
                let mut wanted = 0u64;
                for (k, &(a, b, bit)) in chunk.iter().enumerate() {
                    let hit = ((b - a) as usize <= self.max_key) & self.seen.may_contain_bit(bit);
                    wanted |= u64::from(hit) << k;
                }
                while wanted != 0 {
                    let (a, b, _) = chunk[wanted.trailing_zeros() as usize];
                    wanted &= wanted - 1;
                    self.look_up(text, a as usize, b as usize, &mut st, out);
                }
            }
            pos = s.end;
        }
        self.find_between(text, pos, text.len(), &mut st, out);
    }

    /// Reads words starting in [from, to) byte by byte; returns where it stopped (the end of
    /// the last word, which may lie past `to`).
    fn find_between(
        &self,
        text: &str,
        from: usize,
        to: usize,
        st: &mut FindState,
        out: &mut [Vec<(usize, usize, u32)>],
    ) -> usize {
        let bytes = text.as_bytes();
        let mut i = from;
        // every letter or digit the loop stops at starts a word: a word is skipped whole
        while i < to {
            let b = bytes[i];
            if b < 0x80 {
                if ASCII_WORD[b as usize] == 0 {
                    i += 1;
                    continue;
                }
            } else {
                match char_at(text, i) {
                    Some((c, w)) if !is_word_char(c) => {
                        i += w;
                        continue;
                    }
                    _ => {}
                }
            }
            let end = run_end(text, i);
            self.visit(text, i, end, st, out);
            i = end.max(i + 1);
        }
        i.max(from)
    }

    /// The word [i, end): the patterns keyed by it, if any. Most words are turned away by
    /// the filter here, without a call; the rest are looked up out of line.
    #[inline(always)]
    fn visit(
        &self,
        text: &str,
        i: usize,
        end: usize,
        st: &mut FindState,
        out: &mut [Vec<(usize, usize, u32)>],
    ) {
        let len = end - i;
        if len > self.max_key {
            return;
        }
        let word = &text.as_bytes()[i..end];
        let lower = |k: usize| word.get(k).map_or(0, u8::to_ascii_lowercase);
        if self
            .seen
            .may_contain_parts(lower(0), lower(1), lower(len.wrapping_sub(1)), len)
        {
            self.look_up(text, i, end, st, out);
        }
    }

    /// A short word is looked up in line; only a long word, or one that keys patterns, makes
    /// a call.
    #[inline(always)]
    fn look_up(
        &self,
        text: &str,
        i: usize,
        end: usize,
        st: &mut FindState,
        out: &mut [Vec<(usize, usize, u32)>],
    ) {
        if end - i <= 8 {
            if let Some(bucket) = self.short.get(&key_at(text.as_bytes(), i, end - i)) {
                self.try_candidates(text, i, end, bucket, &mut st.next_free, out);
            }
        } else {
            self.look_up_long(text, i, end, st, out);
        }
    }

    #[inline(never)]
    fn look_up_long(
        &self,
        text: &str,
        i: usize,
        end: usize,
        st: &mut FindState,
        out: &mut [Vec<(usize, usize, u32)>],
    ) {
        st.key.clear();
        st.key
            .extend(text.as_bytes()[i..end].iter().map(u8::to_ascii_lowercase));
        if let Some(bucket) = self.by_first.get(st.key.as_slice()) {
            self.try_candidates(text, i, end, bucket, &mut st.next_free, out);
        }
    }

    /// At a word start `i`, each list's longest pattern that is there as a whole word. The
    /// word runs to `end`; its lower-cased form is the candidates' key, so a one-word pattern
    /// that ignores case matches without a comparison.
    #[inline(never)]
    fn try_candidates(
        &self,
        text: &str,
        i: usize,
        end: usize,
        bucket: &Bucket,
        next_free: &mut [usize],
        out: &mut [Vec<(usize, usize, u32)>],
    ) {
        let bytes = text.as_bytes();
        let after = bytes.get(end).map_or(0, u8::to_ascii_lowercase) as u32
            | (bytes.get(end + 1).map_or(0, u8::to_ascii_lowercase) as u32) << 8;
        let mut done: Option<u16> = None;
        for &k in bucket.route(after as u16) {
            let k = k as usize;
            let Some(&probe) = bucket.probes.get(k) else {
                break;
            };
            if after & (probe >> 16) != probe & 0xffff {
                continue;
            }
            let one_word = probe == 0;
            let Some(c) = bucket.cands.get(k) else {
                break;
            };
            let list = c.list as usize;
            if done == Some(c.list) || i < next_free[list] {
                continue;
            }
            let e = i + c.bytes.len();
            let Some(found) = bytes.get(i..e) else {
                continue;
            };
            let same = if c.case_insensitive {
                one_word || found.eq_ignore_ascii_case(&c.bytes)
            } else {
                *found == *c.bytes
            };
            if same && (one_word || char_at(text, e).is_none_or(|(d, _)| !is_word_char(d))) {
                out[list].push((i, e, c.pattern));
                next_free[list] = e;
                done = Some(c.list);
            }
        }
    }
}

/// The scan's position per list, and a buffer for the lower-cased word.
struct FindState {
    next_free: Vec<usize>,
    key: Vec<u8>,
}

impl FindState {
    fn new(w: &WordLists, lists: usize) -> FindState {
        FindState {
            next_free: vec![0; lists],
            key: Vec::with_capacity(w.max_key),
        }
    }
}

/// Whole-word matches of the rule set in one article, each list in text order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DocScan {
    /// Catalogue names: start, end, entity, short alias.
    pub names: Vec<(usize, usize, usize, bool)>,
    /// Catalogue phrases (descriptors, anonymous, weasel): start, end, entity.
    pub phrases: Vec<(usize, usize, usize)>,
    /// Per flag rule (in rule-set order): its word-list matches.
    pub terms: Vec<Vec<(usize, usize)>>,
}

/// The part of a sorted match list that starts within [s, e).
fn within<T, F: Fn(&T) -> usize>(list: &[T], s: usize, e: usize, start: F) -> &[T] {
    let a = list.partition_point(|x| start(x) < s);
    let b = list.partition_point(|x| start(x) < e);
    &list[a..b.max(a)]
}

/// Whole-word matches of one automaton (the fallback for lists that are not word-keyed).
fn automaton_matches(ac: &aho_corasick::AhoCorasick, text: &str) -> Vec<(usize, usize, u32)> {
    ac.find_iter(text)
        .filter(|x| bounded(text, x.start(), x.end()))
        .map(|x| (x.start(), x.end(), x.pattern().as_u32()))
        .collect()
}

impl DocScan {
    pub fn new(text: &str, r: &RuleSet) -> DocScan {
        Self::build(text, None, r)
    }

    /// [`new`](Self::new) for the article of a text model, reusing the words its tokenizer
    /// found: the same matches, found sooner.
    pub fn with_model(m: &TextModel, r: &RuleSet) -> DocScan {
        Self::build(m.text, Some(m), r)
    }

    fn build(text: &str, m: Option<&TextModel>, r: &RuleSet) -> DocScan {
        let cat: &Catalogue = &r.catalogue;
        let w = &r.words;
        let mut found: Vec<Vec<(usize, usize, u32)>> = vec![Vec::new(); w.fallback.len()];
        match m {
            Some(m) => w.find_with_model(m, &mut found),
            None => w.find(text, &mut found),
        }
        let mut take = |list: usize, ac: &aho_corasick::AhoCorasick| {
            if w.fallback.get(list).copied().unwrap_or(true) {
                automaton_matches(ac, text)
            } else {
                std::mem::take(&mut found[list])
            }
        };
        let names = take(NAMES, &cat.names)
            .into_iter()
            .map(|(s, e, p)| {
                let t = cat.name_targets[p as usize];
                (s, e, t.entity, t.short)
            })
            .collect();
        let phrases = take(PHRASES, &cat.phrases)
            .into_iter()
            .map(|(s, e, p)| (s, e, cat.phrase_targets[p as usize].entity))
            .collect();
        let terms = r
            .flags
            .iter()
            .map(|f| match (&f.matcher, w.flag_lists.get(&f.id)) {
                (Some(ac), Some(&list)) => take(list, ac),
                // rules changed after compiling: search with the flag's own automaton
                (Some(ac), None) => automaton_matches(ac, text),
                (None, _) => Vec::new(),
            })
            .map(|v| v.into_iter().map(|(s, e, _)| (s, e)).collect())
            .collect();
        DocScan {
            names,
            phrases,
            terms,
        }
    }

    /// Phrase matches starting in [s, e).
    pub fn phrases_in(&self, s: usize, e: usize) -> &[(usize, usize, usize)] {
        within(&self.phrases, s, e, |x| x.0)
    }

    /// A flag rule's word matches starting in [s, e).
    pub fn terms_in(&self, rule: usize, s: usize, e: usize) -> &[(usize, usize)] {
        self.terms
            .get(rule)
            .map_or(&[], |t| within(t, s, e, |x| x.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The packed table finds each key's bucket, and nothing for any other key, as a
        /// hash map of the same entries does.
        #[test]
        fn the_packed_table_finds_what_a_hash_map_finds(
            keys in proptest::collection::hash_set(1u64..5000, 0..200),
            probes in proptest::collection::vec(0u64..6000, 0..200),
        ) {
            let keys: Vec<u64> = keys.into_iter().collect();
            let entries = keys
                .iter()
                .enumerate()
                .map(|(n, &k)| (k, Bucket { probes: vec![n as u32], ..Bucket::default() }))
                .collect();
            let table = PackedMap::new(entries);
            let map: FxHashMap<u64, u32> =
                keys.iter().enumerate().map(|(n, &k)| (k, n as u32)).collect();
            for k in keys.iter().chain(&probes) {
                let found = table.get(k).map(|b| b.probes.clone());
                proptest::prop_assert_eq!(found, map.get(k).map(|&n| vec![n]));
            }
        }
    }

    fn lists(names: &[&str], phrases: &[&str]) -> WordLists {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        WordLists::new(&own(names), &own(phrases), &[])
    }

    fn found(w: &WordLists, text: &str) -> Vec<Vec<(usize, usize, u32)>> {
        let mut out = vec![Vec::new(); w.fallback.len()];
        w.find(text, &mut out);
        out
    }

    #[test]
    fn a_word_read_in_place_gives_the_key_of_its_lower_case_form() {
        // every word of up to eight bytes at every offset, the last ones nearer the end of
        // the text than eight bytes (read byte by byte)
        let text = "The PRESIDENT of Élan Vital said: OK, McCain’s 2024 bid, Zz9 QQ.".as_bytes();
        for i in 0..text.len() {
            for len in 1..=8.min(text.len() - i) {
                let lower = text[i..i + len].to_ascii_lowercase();
                assert_eq!(
                    key_at(text, i, len),
                    pack_lower(&lower),
                    "at {i}, {len} bytes"
                );
            }
        }
        // and one-word patterns match whatever their case in the text
        let w = lists(&[], &["officials", "spokesman", "ministers"]);
        let out = found(&w, "OFFICIALS said. A Spokesman said. Ministers");
        assert_eq!(out[1], vec![(0, 9, 0), (18, 27, 1), (34, 43, 2)]);
    }

    #[test]
    fn the_word_filter_never_turns_away_a_member() {
        let members = [
            "said",
            "says",
            "according",
            "told",
            "in",
            "on",
            "a",
            "über",
            "",
        ];
        let f = WordFilter::new(members);
        assert!(members.iter().all(|w| f.may_contain(w)));
        // it is a filter worth asking: common words that are not members mostly pass by
        let others = [
            "the", "minister", "port", "would", "reopen", "tuesday", "and", "of",
        ];
        assert!(others.iter().filter(|w| f.may_contain(w)).count() <= 1);
    }

    #[test]
    fn whole_words_only_with_case_as_each_list_wants() {
        let w = lists(&["Reuters", "U.N."], &["most", "state media"]);
        let text = "Almost all State Media, reuters and Reuters cited the U.N. mostly.";
        let out = found(&w, text);
        let spans = |l: usize| -> Vec<&str> { out[l].iter().map(|m| &text[m.0..m.1]).collect() };
        // names are case-sensitive; a pattern ending in a period still needs a word end after it
        assert_eq!(spans(NAMES), vec!["Reuters", "U.N."]);
        // phrases ignore ASCII case; "most" inside "Almost" and "mostly" is not a match
        assert_eq!(spans(PHRASES), vec!["State Media"]);
    }

    #[test]
    fn a_match_inside_a_word_does_not_hide_the_next_whole_word_match() {
        // an automaton finds "r american" inside "Senior" first and, searching on after it,
        // loses "American officials"; keyed by word starts, the phrase is found
        let w = lists(&[], &["r american", "american officials"]);
        let text = "Senior American officials disagree.";
        let out = found(&w, text);
        assert_eq!(out[PHRASES], vec![(7, 25, 1)]);
    }

    #[test]
    fn longest_pattern_wins_and_matches_of_one_list_do_not_overlap() {
        let w = lists(&["New York", "New York Times", "York Times"], &["york"]);
        let text = "The New York Times and New York, not York Times.";
        let out = found(&w, text);
        let spans: Vec<&str> = out[NAMES].iter().map(|m| &text[m.0..m.1]).collect();
        assert_eq!(spans, vec!["New York Times", "New York", "York Times"]);
        // another list may overlap them
        assert_eq!(out[PHRASES].len(), 3);
    }

    #[test]
    fn non_ascii_words_and_long_words_are_handled() {
        let w = lists(&["Rūḥānī"], &["ümit"]);
        let text = "Rūḥānī met Ümit and ümit at Überlongwordwithnoendinsight.";
        let out = found(&w, text);
        assert_eq!(out[NAMES], vec![(0, "Rūḥānī".len(), 0)]);
        // ASCII-only case folding, as the automata did: "Ümit" is not "ümit"
        let s = text.find("ümit").unwrap();
        assert_eq!(out[PHRASES], vec![(s, s + "ümit".len(), 0)]);
    }

    #[test]
    fn a_list_with_a_pattern_starting_in_punctuation_falls_back_to_its_automaton() {
        let w = lists(&["#MeToo", "Reuters"], &["state media"]);
        assert!(w.fallback[NAMES]);
        assert!(!w.fallback[PHRASES]);
        // the word-keyed scan leaves that list to the automaton
        assert!(found(&w, "Reuters said")[NAMES].is_empty());
    }

    #[test]
    fn the_bytes_after_the_first_word_are_checked_however_many_there_are() {
        // one byte after the first word ("Yahoo!"), two or more ("AT&T", "the Kremlin"),
        // and a one-word pattern that ignores case, matched on its key alone
        let w = lists(&["Yahoo!", "AT&T"], &["the kremlin", "kremlin"]);
        let text =
            "Yahoo! and AT&T told THE Kremlin; Yahoo was quiet, the Kremlinologist too. KREMLIN.";
        let out = found(&w, text);
        let spans = |l: usize| -> Vec<&str> { out[l].iter().map(|m| &text[m.0..m.1]).collect() };
        assert_eq!(spans(NAMES), vec!["Yahoo!", "AT&T"]);
        assert_eq!(spans(PHRASES), vec!["THE Kremlin", "KREMLIN"]);
    }

    #[test]
    fn the_bytes_after_a_word_pick_its_candidates_in_their_order() {
        // "the" keys patterns with different next words, one-word and one-byte patterns (tried
        // after any word end) and two lists; each must still find its longest match
        let w = lists(
            &["The Hill", "The Hague", "The", "The!"],
            &[
                "the white house",
                "the white house press office",
                "the whig party",
                "the",
                "the hill staff",
                "the west",
            ],
        );
        let text = "The Hague, the White House press office and The Hill staff; the Whig \
                    party, THE West, the wh, The! the";
        let out = found(&w, text);
        let spans = |l: usize| -> Vec<&str> { out[l].iter().map(|m| &text[m.0..m.1]).collect() };
        // names keep their case: "The" is not "the"
        assert_eq!(spans(NAMES), vec!["The Hague", "The Hill", "The!"]);
        assert_eq!(
            spans(PHRASES),
            vec![
                "The",
                "the White House press office",
                "The Hill staff",
                "the Whig party",
                "THE West",
                "the",
                "The",
                "the"
            ]
        );
    }
}

#[cfg(test)]
mod model_tests {
    use super::*;

    fn both(text: &str, r: &RuleSet) {
        let m = TextModel::new(text, &r.lang);
        assert_eq!(
            DocScan::with_model(&m, r),
            DocScan::new(text, r),
            "for {text:?}"
        );
    }

    #[test]
    fn the_scan_from_the_tokenizer_finds_what_the_byte_scan_finds() {
        let r = RuleSet::default_rules().unwrap();
        for text in [
            "# Kremlin denies report\n\nThe Kremlin said on Tuesday that Reuters was wrong.",
            "Officials at the U.S.Department of State, a pro-Kremlin outlet and the \
             White House's spokesman said it was “clearly” false.Next sentence here.",
            "1. Senior American officials said.\n2. State media quoted Baker as saying so.",
            "Rūḥānī told state media—in a statement—that the talks were over.\n\n\
             Sources familiar with the matter said the deal was dead. Tass reported it.",
            "Abruptly cut mid-word at the end: Reuter",
            "",
            "No sentence end here and a name at the very end Reuters",
        ] {
            both(text, &r);
        }
        // sentences of more than 64 word runs: keyed words before, at and after the edges
        // of the runs' 64-bit chunks
        for pad in [62, 63, 64, 65, 127, 128] {
            let mut long = "the harbour board met again ".repeat(pad / 5);
            long.push_str(&"so ".repeat(pad % 5));
            long.push_str("Reuters and state media said White House officials told Tass so.");
            assert!(long.split_whitespace().count() > 64);
            both(&long, &r);
        }
        let dev = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/eval/polnear/dev.jsonl");
        match std::fs::read_to_string(&dev) {
            Ok(corpus) => {
                for line in corpus.lines() {
                    let v: serde_json::Value = serde_json::from_str(line).unwrap();
                    both(v["text"].as_str().unwrap_or(""), &r);
                }
            }
            Err(_) => eprintln!("note: {} is absent; PolNeAR part skipped", dev.display()),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 300, ..proptest::prelude::ProptestConfig::default()
        })]
        /// Words the rules key, cut and joined at random with sentence ends, line breaks,
        /// quotation marks and stray letters: the runs of each sentence, the words running
        /// across its edges and the text between sentences give the byte scan's matches.
        #[test]
        fn the_scan_from_the_tokenizer_matches_the_byte_scan_on_any_text(
            text in "((Reuters|Kremlin|[Tt]he|said|state media|White House|officials|\
                      U\\.S\\.|Tass|Rūḥānī|pro-Kremlin)|[ .,!?\n“”—a-zA-Z]){0,40}"
        ) {
            let r = RuleSet::default_rules().unwrap();
            let m = TextModel::new(&text, &r.lang);
            proptest::prop_assert_eq!(DocScan::with_model(&m, &r), DocScan::new(&text, &r));
        }
    }
}
