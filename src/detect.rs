//! Detection: finds cues in each sentence and, around each, the source mention and the
//! content, following the sentence frames of news attribution:
//!
//! - `"...," X said` / `"...," said X` / `X said: "..."` / `X said (that) ...`
//! - `X told Y (that) ...`, `X described Y as Z`
//! - `according to X, ...` / `..., according to X.`
//! - `X quoted Y as saying ...`, `X cited Y as saying ...`, `X cited Y who said ...`,
//!   `..., X reported, citing Y`
//! - quotations with no cue that continue a speaker's quotation (inherited).
//!
//! Every word the frames look for comes from the rule set; this module only knows the shapes.

use crate::rules::compile::{CueKind, CuePhrase, Form, RuleSet};
use crate::rules::schema::CueClass;
use crate::text::{TextModel, TokKind};
use std::ops::Range;

/// A byte span.
pub type Bytes = (usize, usize);

/// How the content is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directness {
    DirectQuote,
    PartialQuote,
    Paraphrase,
    Summary,
}

impl Directness {
    pub fn as_str(self) -> &'static str {
        match self {
            Directness::DirectQuote => "direct_quote",
            Directness::PartialQuote => "partial_quote",
            Directness::Paraphrase => "paraphrase",
            Directness::Summary => "summary",
        }
    }
}

/// The content pieces of a detection, read as a slice: one or two in nearly every
/// detection, kept in place; a quotation continued over more sentences has more.
pub type Parts = crate::inline::Inline2<Bytes>;

/// One detected attribution, before its mentions are resolved.
#[derive(Debug, Clone)]
pub struct Detection {
    pub sentence: usize,
    /// The last sentence this attribution covers (a quotation that goes on after `he said.`).
    pub through: usize,
    /// Content pieces (several for `"...," she said, "..."`).
    pub content: Parts,
    /// The source mention as written (token range), innermost speaker.
    pub source: Option<Range<usize>>,
    /// Conduits before the source, outermost first (token ranges).
    pub conduits: Vec<Range<usize>>,
    /// The cue as written (token range).
    pub cue: Range<usize>,
    pub class: CueClass,
    /// Which sentence frame matched, e.g. "X quoted Y as saying".
    pub pattern: &'static str,
    pub directness: Directness,
    /// Taken from a neighbouring sentence.
    pub inherited: bool,
    /// A venue or medium is named ("in a statement").
    pub venue: bool,
    /// The listener of "told": "told Reuters" makes Reuters the channel.
    pub listener: Option<Range<usize>>,
}

/// A cue found in a sentence (token range + lexicon entry).
struct Hit<'r> {
    at: usize,
    len: usize,
    phrase: &'r CuePhrase,
}

/// Per-sentence buffers, reused from one sentence to the next.
#[derive(Default)]
struct Scratch<'r> {
    hits: Vec<Hit<'r>>,
    /// Which hits a chain frame has already used.
    consumed: Vec<bool>,
}

pub struct Detector<'m, 'a, 'r> {
    pub m: &'m TextModel<'a>,
    pub r: &'r RuleSet,
    /// The article's catalogue and word-list matches, found once.
    pub scan: &'m crate::scan::DocScan,
}

impl<'m, 'a, 'r> Detector<'m, 'a, 'r> {
    pub fn new(m: &'m TextModel<'a>, r: &'r RuleSet, scan: &'m crate::scan::DocScan) -> Self {
        Detector { m, r, scan }
    }

    /// The function-word sets of language.yaml.
    fn g(&self) -> &'r crate::rules::compile::Grammar {
        &self.r.lang.grammar
    }

    fn word(&self, i: usize) -> Option<&str> {
        let t = self.m.tokens.get(i)?;
        t.is_word().then(|| self.m.lower(t))
    }

    fn text(&self, i: usize) -> &'a str {
        self.m.tok_text(&self.m.tokens[i])
    }

    fn is_punct(&self, i: usize, p: &str) -> bool {
        self.m
            .tokens
            .get(i)
            .is_some_and(|t| !t.is_word() && self.text(i) == p)
    }

    /// Does a quotation close (with a mark) inside the tokens `r`?
    fn closes_quote_in(&self, r: &Range<usize>) -> bool {
        if r.is_empty() {
            return false;
        }
        let (s, e) = self.bytes(r);
        self.m
            .quotes_overlapping(s, e)
            .iter()
            .any(|q| q.close_mark.is_some_and(|c| s <= c && c < e))
    }

    /// An abbreviation from language.yaml ("Gen", "U.S") or an initial ("R" in "Paul R. Pillar").
    fn is_abbrev_or_initial(&self, i: usize) -> bool {
        let t = &self.m.tokens[i];
        if !t.is_word() {
            return false;
        }
        let w = self.text(i);
        self.r.lang.abbreviations.contains(w)
            || (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
    }

    fn is_cap(&self, i: usize) -> bool {
        self.m.tokens[i].cap
    }

    fn bytes(&self, r: &Range<usize>) -> Bytes {
        (
            self.m.tokens[r.start].start as usize,
            self.m.tokens[r.end - 1].end as usize,
        )
    }

    /// All attributions in the article, in text order.
    pub fn run(&self) -> Vec<Detection> {
        // about one detection per sentence in news text
        let mut out = Vec::with_capacity(self.m.sentences.len());
        // the cue hits of a sentence and which of them a frame used, kept across sentences
        let mut scratch = Scratch::default();
        for (si, s) in self.m.sentences.iter().enumerate() {
            if out.last().is_some_and(|d: &Detection| d.through >= si) {
                continue;
            }
            let before = out.len();
            self.sentence(si, s.tokens.clone(), &mut out, &mut scratch);
            if out.len() == before {
                if let Some(d) = self.colon_intro(si) {
                    out.push(d);
                } else if let Some(d) = self.inherit(si, &out) {
                    match out.last_mut() {
                        Some(prev) if self.continues_quote(prev, si) => {
                            prev.content.extend(d.content.iter().copied());
                            prev.through = si;
                        }
                        _ => out.push(d),
                    }
                }
            }
        }
        self.inherit_backwards(&mut out);
        out
    }

    /// If sentence `si` ends with a colon and the next sentence is a quotation, that
    /// sentence's index and its trimmed span.
    fn quote_after_colon(&self, si: usize) -> Option<(usize, Bytes)> {
        let s = &self.m.sentences[si];
        let last = s.tokens.end.checked_sub(1)?;
        if !self.is_punct(last, ":") {
            return None;
        }
        let next = self.m.sentences.get(si + 1)?;
        let first = self.m.tokens.get(next.tokens.start)?;
        if first.kind != TokKind::QuoteOpen {
            return None;
        }
        Some((si + 1, self.trim(next.start, next.end)?))
    }

    /// "Trump issued the following statement:" and a quotation after it: the sentence's
    /// subject is the speaker.
    fn colon_intro(&self, si: usize) -> Option<Detection> {
        let (next, content) = self.quote_after_colon(si)?;
        let sent = self.m.sentences[si].tokens.clone();
        let colon = sent.end - 1;
        let source = self.subject(&sent, colon)?;
        Some(Detection {
            sentence: si,
            through: next,
            content: Parts::one(content),
            source: Some(source),
            conduits: Vec::new(),
            cue: colon..colon + 1,
            class: CueClass::Neutral,
            pattern: "X ...: \"...\"",
            directness: Directness::DirectQuote,
            inherited: false,
            venue: false,
            listener: None,
        })
    }

    /// A quotation over several paragraphs whose speaker is named only at its end: the
    /// earlier paragraphs take that speaker too.
    fn inherit_backwards(&self, out: &mut Vec<Detection>) {
        let quotes = &self.m.quotes;
        let mut added = Vec::new();
        let mut qi = 0;
        while qi < quotes.len() {
            if !quotes[qi].continues || quotes[qi].continued {
                qi += 1;
                continue;
            }
            let mut last = qi;
            while last + 1 < quotes.len() && quotes[last].continues && quotes[last + 1].continued {
                last += 1;
            }
            let (ls, le) = (quotes[last].start, quotes[last].end);
            let speaker = out.iter().find(|d| {
                d.directness != Directness::Paraphrase
                    && !d.inherited
                    && d.content.iter().any(|&(s, e)| s < le && e > ls)
            });
            if let Some(d) = speaker {
                for q in &quotes[qi..last] {
                    for (si, s) in self.m.sentences.iter().enumerate() {
                        let inside = s.start >= q.start && s.end <= q.end.max(s.start);
                        if !inside || out.iter().any(|x| x.sentence <= si && si <= x.through) {
                            continue;
                        }
                        if let Some(content) = self.trim(s.start, s.end) {
                            added.push(Detection {
                                sentence: si,
                                through: si,
                                content: Parts::one(content),
                                pattern: "quotation continued",
                                directness: Directness::DirectQuote,
                                inherited: true,
                                ..d.clone()
                            });
                        }
                    }
                }
            }
            qi = last + 1;
        }
        if !added.is_empty() {
            out.extend(added);
            out.sort_by_key(|d| (d.sentence, d.content.first().map_or(0, |c| c.0)));
        }
    }

    /// The cues of the sentence, in order, into `hits` (cleared first).
    fn hits(&self, sent: &Range<usize>, hits: &mut Vec<Hit<'r>>) {
        hits.clear();
        let cues = &self.r.cues;
        // the first index not yet inside a cue found
        let mut next = sent.start;
        let tokens = self.m.tokens.get(sent.clone()).unwrap_or_default();
        for (c, chunk) in tokens.chunks(64).enumerate() {
            // the tokens that may start a cue, a bit each, tested without a branch: a word
            // outside quotation marks whose filter bit is set (most words start no cue)
            let mut may_start = 0u64;
            for (k, t) in chunk.iter().enumerate() {
                let candidate =
                    t.is_word() & !t.quoted() & cues.first_filter.may_contain_bit(t.lo_bit);
                may_start |= u64::from(candidate) << k;
            }
            while may_start != 0 {
                let i = sent.start + c * 64 + may_start.trailing_zeros() as usize;
                may_start &= may_start - 1;
                if i < next {
                    continue;
                }
                if let Some(len) = self.cue_at(i, sent, hits) {
                    next = i + len;
                }
            }
        }
    }

    /// The longest plausible cue phrase starting at word `i`, pushed to `hits`: its length.
    fn cue_at(&self, i: usize, sent: &Range<usize>, hits: &mut Vec<Hit<'r>>) -> Option<usize> {
        let cues = &self.r.cues;
        // compared word by word without allocating
        let candidates = self.word(i).and_then(|w| cues.by_first.get(w))?;
        // the first word is the key the candidates were found by: the rest are compared
        let matches = |p: &CuePhrase| {
            p.words.iter().enumerate().skip(1).all(|(j, w)| {
                i + j < sent.end
                    && !self.m.tokens[i + j].quoted()
                    && self.word(i + j) == Some(w.as_str())
            })
        };
        let p = candidates.iter().find(|p| matches(p))?;
        if !self.plausible(i, p, sent) {
            return None;
        }
        hits.push(Hit {
            at: i,
            len: p.words.len(),
            phrase: p,
        });
        Some(p.words.len())
    }

    /// Filters noun uses ("the report", "to say") and verbs that need a complement.
    fn plausible(&self, i: usize, p: &CuePhrase, sent: &Range<usize>) -> bool {
        if p.kind == CueKind::Prepositional {
            return true;
        }
        // verbs are written in lower case except at the start of a sentence (and in a
        // title-case headline)
        if i > sent.start && self.m.tokens[i].cap && !self.is_title_line(sent) {
            return false;
        }
        if i > sent.start && p.kind == CueKind::Verb {
            let prev = self.skip_left_modifiers_only(i - 1, sent.start);
            let pw = prev.and_then(|k| self.word(k)).unwrap_or("");
            // passive voice: "is expected", "was asked"
            if p.form == Form::Past && self.g().be_forms.contains(pw) {
                return false;
            }
            let lang = &self.r.lang;
            if p.noun_form
                && !(lang.person_pronouns.contains(pw)
                    || lang.group_pronouns.contains(pw)
                    || lang.first_person.contains(pw)
                    || lang.relative_pronouns.contains(pw)
                    || lang.document_nouns.contains(pw)
                    || pw == "it"
                    || prev.is_some_and(|k| self.is_cap(k))
                    || self.m.tokens.get(i + p.words.len()).is_some_and(|t| {
                        t.kind == TokKind::QuoteOpen || matches!(self.m.tok_text(t), ":")
                    })
                    || (self.is_punct(i + p.words.len(), ",")
                        && self
                            .m
                            .tokens
                            .get(i + p.words.len() + 1)
                            .is_some_and(|t| t.kind == TokKind::QuoteOpen))
                    || self.g().helping_verbs.contains(pw))
            {
                return false;
            }
        }
        if i > sent.start {
            if let Some(prev) = self.word(i - 1) {
                if self.g().determiners.contains(prev)
                    || (prev == "to" && p.form == Form::Base)
                    || prev.ends_with("'s")
                    || prev.ends_with("’s")
                {
                    return false;
                }
            }
        }
        if p.kind != CueKind::Verb || !p.needs_complement {
            return true;
        }
        let after = i + p.words.len();
        let mut k = after;
        // skip a venue ("added in a statement that") and adjuncts ("wrote to his followers, ")
        if let Some(v) = self.venue_at(k, sent) {
            k = v;
        }
        k = self.skip_adjuncts(k, sent);
        if k > after
            && k < sent.end
            && self.is_punct(k - 1, ",")
            && self.m.tokens[k].kind == TokKind::QuoteOpen
        {
            return true;
        }
        // '"Really," she added when ...': a speaker tag after a quotation needs nothing more
        if k >= sent.end {
            return self.ends_clause_after_quote(i, sent, true);
        }
        if self.ends_clause_after_quote(i, sent, false) {
            return true;
        }
        let next = &self.m.tokens[k];
        if next.kind == TokKind::QuoteOpen {
            return true;
        }
        match self.word(k) {
            Some("that") => true,
            Some("to") if p.infinitive => true,
            Some(w)
                if p.class == CueClass::Mental
                    && (self.g().determiners.contains(w)
                        || self.r.lang.person_pronouns.contains(w)
                        || self.r.lang.group_pronouns.contains(w)
                        || self.is_cap(k)) =>
            {
                true
            }
            _ => {
                let t = self.text(k);
                t == ":"
                    || (t == ","
                        && self
                            .m
                            .tokens
                            .get(k + 1)
                            .is_some_and(|n| n.kind == TokKind::QuoteOpen))
                    || ((t == "." || t == ",") && self.ends_clause_after_quote(i, sent, true))
                    || self.is_inverted_speaker(i, p, sent)
            }
        }
    }

    /// `"...," X added.`: the cue closes a clause that follows a quotation or a comma.
    fn ends_clause_after_quote(&self, i: usize, sent: &Range<usize>, comma_too: bool) -> bool {
        let mut k = i;
        let mut n = 0;
        while k > sent.start && n < 8 {
            k -= 1;
            let t = &self.m.tokens[k];
            if t.kind == TokKind::QuoteClose || (comma_too && self.is_punct(k, ",")) {
                return true;
            }
            if !t.is_word() {
                return false;
            }
            n += 1;
        }
        false
    }

    fn is_inverted_speaker(&self, i: usize, p: &CuePhrase, sent: &Range<usize>) -> bool {
        p.inversion
            && i > sent.start
            && (self.m.tokens[i - 1].kind == TokKind::QuoteClose || self.is_punct(i - 1, ","))
    }

    /// If a venue phrase starts at token k, the token after it.
    #[inline(always)]
    fn venue_at(&self, k: usize, sent: &Range<usize>) -> Option<usize> {
        // most words start no venue: turned away here by the token's filter bit, without a call
        let t = self.m.tokens.get(k)?;
        if !t.is_word() || !self.r.cues.venue_filter.may_contain_bit(t.lo_bit) {
            return None;
        }
        self.venue_from(self.m.lower(t), k, sent)
    }

    #[inline(never)]
    fn venue_from(&self, first: &str, k: usize, sent: &Range<usize>) -> Option<usize> {
        if k >= sent.end {
            return None;
        }
        let starting = self.r.cues.venue_starts.get(first)?;
        // every venue listed under `first` starts with it (the word at k): the words after
        // it are compared, each read once for all the venues ("in a statement", "in an
        // interview", ...)
        let mut read: [Option<Option<&str>>; 8] = [None; 8];
        let mut word_at = |j: usize| -> Option<&str> {
            if k + j >= sent.end {
                return None;
            }
            match read.get_mut(j) {
                Some(slot) => *slot.get_or_insert_with(|| self.word(k + j)),
                None => self.word(k + j),
            }
        };
        starting.iter().find_map(|&i| {
            let v = &self.r.cues.venues[i];
            let ok = v
                .iter()
                .enumerate()
                .skip(1)
                .all(|(j, w)| word_at(j) == Some(w.as_str()));
            ok.then_some(k + v.len())
        })
    }

    fn sentence_has_venue(&self, sent: &Range<usize>) -> bool {
        (sent.start..sent.end)
            .any(|k| !self.m.tokens[k].quoted() && self.venue_at(k, sent).is_some())
    }

    // ------------------------------------------------------------ noun phrases

    fn is_modifier(&self, k: usize) -> bool {
        self.word(k).is_some_and(|w| {
            self.r.cues.modifiers.contains(w)
                || w == "n't"
                || (w.len() > 4 && w.ends_with("ly") && !self.is_cap(k))
        }) || self.is_time_word(k)
    }

    fn is_time_word(&self, k: usize) -> bool {
        self.m.tokens[k].is_word() && self.r.lang.time_words.contains(self.text(k))
    }

    /// Skips modifiers and time phrases leftwards from k (inclusive); returns the new k.
    fn skip_left_modifiers(&self, mut k: usize, floor: usize) -> Option<usize> {
        let mut guard = 0;
        while k >= floor && guard < 6 {
            if self.is_modifier(k) {
                // "on Tuesday", "last week": also drop the word before a time word
                if self.is_time_word(k)
                    && k > floor
                    && self
                        .word(k - 1)
                        .is_some_and(|w| self.g().time_prefixes.contains(w))
                {
                    if k - 1 == floor {
                        return None;
                    }
                    k -= 2;
                } else {
                    if k == floor {
                        return None;
                    }
                    k -= 1;
                }
                guard += 1;
                continue;
            }
            break;
        }
        Some(k)
    }

    /// The first token left of k (inclusive) that is not a cue modifier (adverbs only, not
    /// time phrases).
    fn skip_left_modifiers_only(&self, mut k: usize, floor: usize) -> Option<usize> {
        while k >= floor {
            let w = self.word(k)?;
            let adverb = w.len() > 4 && w.ends_with("ly") && !self.is_cap(k);
            if !(self.r.cues.modifiers.contains(w) || adverb) || self.g().be_forms.contains(w) {
                return Some(k);
            }
            if k == floor {
                return None;
            }
            k -= 1;
        }
        None
    }

    /// The noun phrase ending at token `end_incl`, walking left within the sentence.
    fn left_np(&self, end_incl: usize, floor: usize) -> Option<Range<usize>> {
        let lang = &self.r.lang;
        let mut k = end_incl as isize;
        let mut start = end_incl + 1;
        while k >= floor as isize {
            let ku = k as usize;
            let t = &self.m.tokens[ku];
            if t.quote.is_some() {
                break;
            }
            if !t.is_word() {
                let txt = self.text(ku);
                // "Sen. Bernie Sanders (I-Vt.) said": a parenthesis stays in the phrase
                if txt == ")" {
                    if let Some(open) = (floor..ku).rev().take(8).find(|&j| self.text(j) == "(") {
                        start = open;
                        k = open as isize - 1;
                        continue;
                    }
                }
                // "Brig. Gen." style periods after an abbreviation stay in the phrase
                if txt == "."
                    && ku > floor
                    && self.is_abbrev_or_initial(ku - 1)
                    && start <= end_incl
                {
                    start = ku;
                    k -= 1;
                    continue;
                }
                break;
            }
            let w = self.m.lower(t);
            if lang.np_boundaries.contains(w)
                && !(ku == end_incl && lang.relative_pronouns.contains(w))
            {
                // sentence-initial capitalised function words still end the phrase
                break;
            }
            start = ku;
            if end_incl + 1 - start >= 8 {
                break;
            }
            if lang.relative_pronouns.contains(w) {
                break;
            }
            k -= 1;
        }
        if start > end_incl {
            return None;
        }
        // a catalogue phrase that runs into the phrase from the left takes it over: "people
        // familiar with" + "the matter", "a source close to" + "the talks"
        Some(self.phrase_reaching(start, floor).unwrap_or(start)..end_incl + 1)
    }

    /// The first token of a catalogue phrase that starts before token `start` (not before
    /// `floor`) and reaches up to it, with no quotation in between.
    fn phrase_reaching(&self, start: usize, floor: usize) -> Option<usize> {
        if start <= floor {
            return None;
        }
        let toks = &self.m.tokens;
        let edge = toks[start - 1].end as usize;
        let p = self
            .scan
            .phrases_in(toks[floor].start as usize, toks[start].start as usize)
            .iter()
            .find(|p| p.1 >= edge)?;
        let first = toks[floor..start].partition_point(|t| (t.start as usize) < p.0) + floor;
        (first < start
            && toks[first].start as usize == p.0
            && toks[first..start].iter().all(|t| t.quote.is_none()))
        .then_some(first)
    }

    /// Does this token range look like a source (a name, pronoun, title, catalogue phrase,
    /// document or plural noun)?
    fn looks_like_source(&self, r: &Range<usize>) -> bool {
        let lang = &self.r.lang;
        for k in r.clone() {
            let t = &self.m.tokens[k];
            if !t.is_word() {
                continue;
            }
            let w = self.m.lower(t);
            if lang.quantity_words.contains(w)
                || w.chars().next().is_some_and(|c| c.is_ascii_digit())
                || (k == r.start && self.g().articles.contains(w) && r.len() >= 2)
                || lang.person_pronouns.contains(w)
                || lang.first_person.contains(w)
                || lang.group_pronouns.contains(w)
                || lang.relative_pronouns.contains(w)
                || w == "it"
                || lang.title_words.contains(w)
                || lang.document_nouns.contains(w)
            {
                return true;
            }
            // only a capitalised determiner asks whether it opens a sentence (a scan of them)
            let sentence_initial = || self.m.sentences.iter().any(|s| s.tokens.start == k);
            if self.is_cap(k)
                && !(self.g().determiners.contains(w) && sentence_initial())
                && w.chars().any(char::is_alphabetic)
            {
                return true;
            }
        }
        // a plural noun head ("critics", "voters", "analysts")
        let last = r.end - 1;
        self.word(last)
            .is_some_and(|w| w.len() > 3 && w.ends_with('s') && !w.ends_with("ss"))
            || self.catalogue_phrase_in(r)
    }

    fn catalogue_phrase_in(&self, r: &Range<usize>) -> bool {
        let (s, e) = self.bytes(r);
        self.scan.phrases_in(s, e).iter().any(|&(_, pe, _)| pe <= e)
    }

    /// A name or noun phrase starting at token k, to the right (inverted speakers, and
    /// sources after "according to"). `long` allows lower-case words and "of".
    fn right_np(&self, k: usize, sent: &Range<usize>, long: bool) -> Option<Range<usize>> {
        let lang = &self.r.lang;
        let mut j = k;
        let max = if long { 18 } else { 7 };
        while j < sent.end && j - k < max {
            let t = &self.m.tokens[j];
            if t.quote.is_some() {
                break;
            }
            if !t.is_word() {
                let txt = self.text(j);
                let keep = (txt == "."
                    && j > k
                    && self.is_abbrev_or_initial(j - 1)
                    && j + 1 < sent.end
                    && self.m.tokens[j + 1].is_word())
                    || (long && (txt == "'" || txt == "’"));
                if keep {
                    j += 1;
                    continue;
                }
                break;
            }
            let w = self.m.lower(t);
            if !long {
                let first = j == k;
                let ok = self.is_cap(j)
                    || lang.title_words.contains(w)
                    || (first
                        && (self.g().determiners.contains(w)
                            || lang.person_pronouns.contains(w)
                            || lang.group_pronouns.contains(w)
                            || lang.first_person.contains(w)))
                    || (j > k && w == "of");
                if !ok {
                    break;
                }
                if first
                    && (lang.person_pronouns.contains(w)
                        || lang.first_person.contains(w)
                        || lang.group_pronouns.contains(w))
                {
                    j += 1;
                    break;
                }
            } else if j > k
                && (w == "that"
                    || (lang.np_boundaries.contains(w)
                        && !(self.g().prepositions.contains(w) || w == "and")))
            {
                break;
            }
            j += 1;
        }
        // do not end on a preposition or determiner
        while j > k
            && self.word(j - 1).is_some_and(|w| {
                self.g().prepositions.contains(w) || self.g().articles.contains(w) || w == "and"
            })
        {
            j -= 1;
        }
        (j > k).then_some(k..j)
    }

    /// Source to the left of a cue at `cue_at`: skips modifiers, appositives
    /// ("Velkova, who led the talks, told") and relative clauses.
    fn left_source(&self, cue_at: usize, sent: &Range<usize>) -> Option<Range<usize>> {
        if cue_at == sent.start {
            return None;
        }
        let k = self.skip_left_modifiers(cue_at - 1, sent.start)?;
        let t = &self.m.tokens[k];
        if t.quote.is_some() {
            return None;
        }
        // "Joyce — who is listed as an attorney — told": a dash-delimited aside
        if matches!(self.text(k), "\u{2014}" | "\u{2013}") && k > sent.start {
            let open = (sent.start..k)
                .rev()
                .take(30)
                .find(|&j| self.text(j) == self.text(k))?;
            if open == sent.start {
                return None;
            }
            let np = self.left_np(open - 1, sent.start)?;
            return self.looks_like_source(&np).then_some(np);
        }
        if self.is_punct(k, ",") {
            // "X, who ..., said", "X, the former minister, said", "X, 35, a nurse, said"
            let mut seg_end = k;
            for _ in 0..3 {
                let mut j = seg_end;
                let mut found = None;
                while j > sent.start && seg_end - j < 25 {
                    j -= 1;
                    if self.m.tokens[j].quote.is_some() {
                        return None;
                    }
                    if self.is_punct(j, ",") {
                        found = Some(j);
                        break;
                    }
                    if !self.m.tokens[j].is_word()
                        && !matches!(self.text(j), "." | "-" | "’" | "'" | "(" | ")")
                    {
                        return None;
                    }
                }
                let j = found?;
                if j == sent.start || !self.appositive(j + 1..seg_end) {
                    return None;
                }
                // "The chief of the general staff, Gen. Ivo Marinov, said": the name is the source
                if let Some(seg) = self.trim_tokens(j + 1, seg_end) {
                    let words = seg.clone().filter(|&x| self.m.tokens[x].is_word()).count();
                    if self.is_name(&seg) && words <= 5 && (seg_end == k) {
                        let head = self.left_np(j - 1, sent.start);
                        if head.as_ref().is_none_or(|h| !self.is_name(h)) {
                            return Some(seg);
                        }
                    }
                }
                let np = self.left_np(j - 1, sent.start)?;
                // an age or a second appositive before this one: keep walking
                if np.start > sent.start + 1
                    && self.is_punct(np.start - 1, ",")
                    && self.appositive(np.clone())
                    && !self.is_name(&np)
                {
                    seg_end = np.start - 1;
                    if let Some(head) = self.left_np(seg_end - 1, sent.start) {
                        if self.is_name(&head) {
                            return Some(head);
                        }
                    }
                    continue;
                }
                return self.looks_like_source(&np).then_some(np);
            }
            return None;
        }
        if !t.is_word() && self.text(k) != ")" {
            return None;
        }
        // "a senior official who spoke on condition of anonymity said"
        let mut j = k;
        let mut n = 0;
        while j > sent.start && n < 10 {
            if self.word(j).is_some_and(|w| w == "who") && j > sent.start {
                if let Some(np) = self.left_np(j - 1, sent.start) {
                    if self.looks_like_source(&np) {
                        return Some(np.start..k + 1);
                    }
                }
                break;
            }
            if !self.m.tokens[j].is_word() || self.m.tokens[j].quote.is_some() {
                break;
            }
            j -= 1;
            n += 1;
        }
        let np = self.left_np(k, sent.start)?;
        self.looks_like_source(&np).then_some(np)
    }

    /// A comma-delimited segment that describes the noun before it: a relative clause, an
    /// age, a role ("Sanders' campaign manager"), or a determiner phrase.
    fn appositive(&self, seg: Range<usize>) -> bool {
        let lang = &self.r.lang;
        // the segment's words, read again for each test instead of collected
        let words = || seg.clone().filter(|&x| self.m.tokens[x].is_word());
        let Some(first) = words().next() else {
            return false;
        };
        let fw = self.word(first).unwrap_or("");
        lang.relative_pronouns.contains(fw)
            || self.g().determiners.contains(fw)
            || words().any(|x| self.word(x).is_some_and(|w| lang.title_words.contains(w)))
            || words().all(|x| {
                self.is_cap(x)
                    || self
                        .word(x)
                        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
            })
    }

    /// A capitalised name (every word capitalised, not a pronoun or a number).
    fn is_name(&self, r: &Range<usize>) -> bool {
        let mut words = r.clone().filter(|&x| self.m.tokens[x].is_word()).peekable();
        words.peek().is_some() && words.all(|x| self.is_cap(x))
    }

    /// The grammatical subject at the start of the sentence (for "..., saying ...").
    fn subject(&self, sent: &Range<usize>, before: usize) -> Option<Range<usize>> {
        // the clause holding the participle: from the comma before it back to the previous
        // comma, unless that clause opens with a preposition ("In response to X, ...")
        let mut start = sent.start;
        let mut commas = (sent.start..before.saturating_sub(1))
            .rev()
            .filter(|&k| self.is_punct(k, ",") && self.m.tokens[k].quote.is_none());
        if let Some(c) = commas.next() {
            let opener = self.word(c + 1).unwrap_or("");
            let g = self.g();
            if !(g.prepositions.contains(opener)
                || g.conjunctions.contains(opener)
                || self.r.lang.relative_pronouns.contains(opener))
            {
                start = c + 1;
            }
        }
        let mut k = start;
        while k < before && (!self.m.tokens[k].is_word() || self.m.tokens[k].quote.is_some()) {
            k += 1;
        }
        // a name, with titles, determiners, "of" and possessives; it ends at the first other
        // lower-case word (the verb)
        let lang = &self.r.lang;
        let mut j = k;
        while j < before && self.m.tokens[j].quote.is_none() {
            let t = &self.m.tokens[j];
            if !t.is_word() {
                if self.text(j) == "." && j > k && self.is_abbrev_or_initial(j - 1) {
                    j += 1;
                    continue;
                }
                break;
            }
            let w = self.word(j).unwrap_or("");
            let fits = self.is_cap(j)
                || lang.title_words.contains(w)
                || (j == k && self.g().determiners.contains(w))
                || (j > k && w == "of")
                || lang.quantity_words.contains(w)
                || (j == k
                    && (lang.person_pronouns.contains(w) || lang.group_pronouns.contains(w)));
            if !fits || (j > k && self.r.cues.by_first.contains_key(w)) {
                break;
            }
            j += 1;
            if j - k == 1 && (lang.person_pronouns.contains(w) || lang.group_pronouns.contains(w)) {
                break;
            }
        }
        while j > k
            && self
                .word(j - 1)
                .is_some_and(|w| w == "of" || self.g().determiners.contains(w))
        {
            j -= 1;
        }
        let r = k..j;
        (j > k && self.looks_like_source(&r)).then_some(r)
    }

    // ------------------------------------------------------------ content

    /// Trims punctuation and spaces from both ends of a byte span.
    fn trim(&self, s: usize, e: usize) -> Option<Bytes> {
        let text = self.m.text;
        if e <= s {
            return None;
        }
        let seg = &text[s..e];
        let is_trim = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '—' | '–' | '-');
        let t1 = seg.trim_start_matches(is_trim);
        let s2 = s + (seg.len() - t1.len());
        let t2 = t1.trim_end_matches(|c: char| is_trim(c) || c == '.');
        let e2 = s2 + t2.len();
        (e2 > s2 && t2.chars().any(char::is_alphanumeric)).then_some((s2, e2))
    }

    /// Content to the right of token `k` up to the sentence end (a quotation right after the
    /// cue is taken whole, including a quotation continued after `, she said, "`).
    fn right_content(&self, mut k: usize, sent: &Range<usize>, stop: usize) -> Option<Bytes> {
        while k < stop
            && (self.word(k) == Some("that")
                || matches!(self.m.tokens[k].kind, TokKind::Punct)
                    && matches!(self.text(k), ":" | "," | "—" | "–"))
        {
            k += 1;
        }
        if k >= stop {
            return None;
        }
        let t = &self.m.tokens[k];
        if t.kind == TokKind::QuoteOpen {
            if let Some(q) = t.quote {
                let q = &self.m.quotes[q as usize];
                let qend = q.end.min(self.m.tokens[stop - 1].end as usize);
                // only the quotation when the sentence ends with it
                let after_quote = (k..stop).find(|&x| self.m.tokens[x].start as usize >= qend);
                let tail_words =
                    after_quote.is_some_and(|a| (a..stop).any(|x| self.m.tokens[x].is_word()));
                if !tail_words {
                    return self.trim(q.start, qend);
                }
            }
        }
        let stop = self.tail_stop(k, stop);
        if stop <= k {
            return None;
        }
        let end = self.m.tokens[stop - 1].end as usize;
        let _ = sent;
        self.trim(t.start as usize, end)
    }

    /// Where reported speech ends inside [k, stop): before ", adding ...", ", but ...",
    /// "but did not ...", and similar tails that are the author's again.
    fn tail_stop(&self, k: usize, stop: usize) -> usize {
        let lang = &self.r.lang;
        let mut x = k + 1;
        let bytes = self.m.text.as_bytes();
        while x < stop {
            let t = &self.m.tokens[x];
            // what the token may be, from its length and first byte, tested without a
            // branch (most tokens are neither): a comma or semicolon, or "but"
            let len = t.end - t.start;
            let first = bytes.get(t.start as usize).copied().unwrap_or(0);
            let word = t.is_word();
            let separator = !word & (len == 1) & ((first == b',') | (first == b';'));
            let but = word & (len == 3) & ((first | 0x20) == b'b');
            if !(separator | but) || t.quote.is_some() {
                x += 1;
                continue;
            }
            if separator {
                if let Some(w) = self.word(x + 1) {
                    let participle = w.ends_with("ing") && w.len() > 5 && !self.is_cap(x + 1);
                    if participle || self.g().clause_tails.contains(w) {
                        return x;
                    }
                }
            }
            if but && self.word(x) == Some("but") {
                if let Some(w) = self.word(x + 1) {
                    if self.r.cues.modifiers.contains(w)
                        || self.r.cues.by_first.contains_key(w)
                        || lang.person_pronouns.contains(w)
                    {
                        return x;
                    }
                }
            }
            x += 1;
        }
        stop
    }

    /// Skips time words and a venue phrase after a cue when "that", a colon or a quotation
    /// follows: 'said Sunday on Fox News' "Sunday Morning Futures" that ...'.
    fn skip_adjuncts(&self, after: usize, sent: &Range<usize>) -> usize {
        let lang = &self.r.lang;
        let mut k = after;
        while k < sent.end && k - after < 16 {
            let t = &self.m.tokens[k];
            if t.kind == TokKind::QuoteOpen && k > after {
                // a programme title in quotes followed by more adjunct, or the content itself
                let q = t.quote.map(|q| &self.m.quotes[q as usize]);
                let close = q.and_then(|q| {
                    (k..sent.end).find(|&x| self.m.tokens[x].start as usize >= q.end)
                });
                match close {
                    Some(c)
                        if c < sent.end
                            && (self.is_punct(c, ",") || self.word(c) == Some("that")) =>
                    {
                        k = c;
                        continue;
                    }
                    _ => return k,
                }
            }
            if t.quote.is_some() && t.kind != TokKind::QuoteOpen {
                k += 1;
                continue;
            }
            match self.word(k) {
                Some("that") => return if k > after { k } else { after },
                Some(w) => {
                    let cap = self.is_cap(k);
                    let ok = cap
                        || lang.time_words.contains(self.text(k))
                        || self.g().adjunct_words.contains(w)
                        || w.ends_with("'s")
                        || w.ends_with("’s")
                        || w.chars().all(|c| c.is_ascii_digit())
                        || (!lang.np_boundaries.contains(w)
                            && !self.r.cues.by_first.contains_key(w)
                            && k > after
                            && !self.g().helping_verbs.contains(w));
                    if !ok {
                        return after;
                    }
                }
                None => {
                    let txt = self.text(k);
                    if txt == ":" {
                        return if k > after { k } else { after };
                    }
                    if txt == "," {
                        let next_that = self.word(k + 1) == Some("that");
                        let next_quote = self
                            .m
                            .tokens
                            .get(k + 1)
                            .is_some_and(|n| n.kind == TokKind::QuoteOpen);
                        if (next_that || next_quote) && k > after {
                            return k + 1;
                        }
                    } else if !matches!(txt, "." | "’" | "'" | "-") {
                        return after;
                    }
                }
            }
            k += 1;
        }
        after
    }

    fn left_content(&self, from: usize, to_excl: usize) -> Option<Bytes> {
        if to_excl <= from {
            return None;
        }
        self.trim(
            self.m.tokens[from].start as usize,
            self.m.tokens[to_excl - 1].end as usize,
        )
    }

    fn directness(&self, content: &[Bytes], summary: bool) -> Directness {
        if summary {
            return Directness::Summary;
        }
        let mut quoted = 0usize;
        let mut total = 0usize;
        let mut any = false;
        for &(s, e) in content {
            let first = self.m.tokens.partition_point(|t| (t.start as usize) < s);
            for t in &self.m.tokens[first..] {
                if t.start as usize >= e {
                    break;
                }
                if t.is_word() {
                    total += 1;
                    if t.quote.is_some() {
                        quoted += 1;
                        any = true;
                    }
                }
            }
        }
        if total > 0 && quoted == total {
            Directness::DirectQuote
        } else if any {
            Directness::PartialQuote
        } else {
            Directness::Paraphrase
        }
    }

    // ------------------------------------------------------------ frames

    fn sentence(
        &self,
        si: usize,
        sent: Range<usize>,
        out: &mut Vec<Detection>,
        scratch: &mut Scratch<'r>,
    ) {
        self.hits(&sent, &mut scratch.hits);
        let hits = &scratch.hits;
        if hits.is_empty() {
            let before = out.len();
            self.colon_quotes(si, &sent, out);
            if out.len() == before {
                self.dash_quote(si, &sent, out);
            }
            if out.len() == before {
                self.weasel_claims(si, &sent, out);
            }
            return;
        }
        // whether the sentence names a venue, looked for only once a detection needs it
        let venue_cell = std::cell::OnceCell::new();
        let venue = || *venue_cell.get_or_init(|| self.sentence_has_venue(&sent));
        let first_new = out.len();
        let consumed = &mut scratch.consumed;
        consumed.clear();
        consumed.resize(hits.len(), false);
        let mut according: Vec<(Range<usize>, Bytes, usize)> = Vec::new(); // source, content, hit index
        for (hi, h) in hits.iter().enumerate() {
            if consumed[hi] {
                continue;
            }
            let next_hit = hits.get(hi + 1).map_or(sent.end, |n| n.at);
            match h.phrase.kind {
                CueKind::Prepositional => {
                    if let Some((src, content)) = self.according(h, &sent) {
                        according.push((src, content, hi));
                    }
                }
                CueKind::QuoteChain | CueKind::CiteChain => {
                    if let Some(mut d) = self.chain(si, h, &sent, hits, consumed) {
                        d.venue = venue();
                        out.push(d);
                    } else if h.phrase.kind == CueKind::CiteChain && h.phrase.form == Form::Ing {
                        // "..., X reported, citing Y": extend the previous detection
                        let src = self.right_np(h.at + h.len, &sent, true);
                        if let (Some(src), Some(prev)) =
                            (src, out.last_mut().filter(|d| d.sentence == si))
                        {
                            if let Some(old) = prev.source.take() {
                                prev.conduits.push(old);
                            }
                            prev.source = Some(src);
                            prev.pattern = "X reported, citing Y";
                        }
                    }
                }
                CueKind::Verb => {
                    let prev = out[first_new..].last().and_then(|d| d.source.clone());
                    if let Some(mut d) = self.verb(si, h, &sent, next_hit, prev) {
                        d.venue = d.venue || venue();
                        out.push(d);
                    }
                }
            }
        }
        // "The Times reported that the State Department had urged ...": a cue inside another
        // detection's paraphrase is relayed by that detection's source
        let n = out.len();
        for i in first_new..n {
            for j in first_new..n {
                if i == j {
                    continue;
                }
                let (outer, inner) = (&out[i], &out[j]);
                let cue_at = self.m.tokens[inner.cue.start].start as usize;
                let inside = outer
                    .content
                    .iter()
                    .any(|&(s, e)| s <= cue_at && cue_at < e);
                if inside && outer.directness == Directness::Paraphrase && inner.conduits.is_empty()
                {
                    if let Some(src) = outer.source.clone() {
                        let mut conduits = outer.conduits.clone();
                        conduits.push(src);
                        out[j].conduits = conduits;
                        out[j].pattern = "X reported that Y said";
                    }
                }
            }
        }
        self.weasel_claims(si, &sent, out);
        // "according to X": wraps the detections inside its content, or stands alone
        for (src, content, hi) in according {
            let h = &hits[hi];
            let mut wrapped = false;
            for d in out[first_new..].iter_mut() {
                let inside = d
                    .content
                    .iter()
                    .all(|&(s, e)| s >= content.0 && e <= content.1);
                if inside {
                    d.conduits.insert(0, src.clone());
                    d.pattern = "according to X, Y said";
                    wrapped = true;
                }
            }
            if !wrapped {
                let directness = self.directness(&[content], false);
                out.push(Detection {
                    sentence: si,
                    through: si,
                    content: Parts::one(content),
                    source: Some(src),
                    conduits: Vec::new(),
                    cue: h.at..h.at + h.len,
                    class: h.phrase.class,
                    pattern: "according to X",
                    directness,
                    inherited: false,
                    venue: venue(),
                    listener: None,
                });
            }
        }
        out[first_new..].sort_by_key(|d| (d.content.first().map_or(0, |c| c.0), d.cue.start));
    }

    /// The article's first line, when it is short: a headline ("Graham: Trump's rhetoric
    /// is destroying the party", "Poll Finds Clinton Ahead").
    fn is_title_line(&self, sent: &Range<usize>) -> bool {
        let Some(first) = self.m.tokens.get(sent.start) else {
            return false;
        };
        let para = self
            .m
            .paragraphs
            .partition_point(|p| p.end <= first.start as usize);
        para == 0
            && self.m.tokens[sent.clone()]
                .iter()
                .filter(|t| t.is_word())
                .count()
                <= self.r.lang.headline_max_words
    }

    /// '"The most unqualified candidate ever." ― Francisco Herrero': a quotation, a dash and a
    /// name closing the sentence.
    fn dash_quote(&self, si: usize, sent: &Range<usize>, out: &mut Vec<Detection>) {
        // the dash must follow a closing quotation mark: a sentence without one is passed over
        if !self.closes_quote_in(sent) {
            return;
        }
        let mut end = sent.end;
        while end > sent.start && self.is_punct(end - 1, ".") {
            end -= 1;
        }
        let Some(dash) = (sent.start + 1..end)
            .rev()
            .find(|&k| matches!(self.text(k), "\u{2015}" | "\u{2014}" | "\u{2013}" | "-"))
        else {
            return;
        };
        let close = self.m.tokens[dash - 1];
        if close.kind != TokKind::QuoteClose {
            return;
        }
        let Some(name) = self.trim_tokens(dash + 1, end) else {
            return;
        };
        let words = name.clone().filter(|&k| self.m.tokens[k].is_word()).count();
        if !(self.is_name(&name) && words <= 6) {
            return;
        }
        let Some(q) = close.quote else { return };
        let q = &self.m.quotes[q as usize];
        let Some(content) = self.trim(q.start, q.end) else {
            return;
        };
        out.push(Detection {
            sentence: si,
            through: si,
            content: Parts::one(content),
            source: Some(name),
            conduits: Vec::new(),
            cue: dash..dash + 1,
            class: CueClass::Neutral,
            pattern: "\"...\" \u{2014} X",
            directness: Directness::DirectQuote,
            inherited: false,
            venue: false,
            listener: None,
        });
    }

    /// "It is widely believed that ...": a weasel phrase from the catalogue introduces the
    /// content itself when no cue verb already does.
    fn weasel_claims(&self, si: usize, sent: &Range<usize>, out: &mut Vec<Detection>) {
        let (s0, e0) = (
            self.m.tokens[sent.start].start as usize,
            self.m.tokens[sent.end - 1].end as usize,
        );
        let cat = &self.r.catalogue;
        for &(ps, pe, entity) in self.scan.phrases_in(s0, e0) {
            let ent = &cat.entities[entity];
            if ent.kind != crate::rules::compile::EntityKind::Weasel {
                continue;
            }
            let first = self.m.tokens.partition_point(|t| (t.start as usize) < ps);
            let last = self.m.tokens.partition_point(|t| (t.end as usize) <= pe);
            let whole_words = first < last
                && self.m.tokens[first].start as usize == ps
                && self.m.tokens[last - 1].end as usize == pe;
            if !whole_words || self.m.tokens[first].quoted() {
                continue;
            }
            if out
                .iter()
                .any(|d| d.sentence == si && d.cue.start >= first && d.cue.start < last)
            {
                continue;
            }
            let Some(content) = self.right_content(last, sent, sent.end) else {
                continue;
            };
            out.push(Detection {
                sentence: si,
                through: si,
                directness: self.directness(&[content], false),
                content: Parts::one(content),
                source: Some(first..last),
                conduits: Vec::new(),
                cue: last - 1..last,
                class: CueClass::Distancing,
                pattern: "it is believed that ...",
                inherited: false,
                venue: false,
                listener: None,
            });
        }
    }

    /// 'Carl Bialik: "One of the biggest lessons ..."': a name, a colon, a quotation (or, in
    /// a headline, a name, a colon and a statement).
    fn colon_quotes(&self, si: usize, sent: &Range<usize>, out: &mut Vec<Detection>) {
        // a colon is a token of its own: a sentence without one is passed over
        if sent.len() < 3 {
            return;
        }
        let (s, e) = self.bytes(sent);
        if memchr::memchr(b':', &self.m.text.as_bytes()[s..e]).is_none() {
            return;
        }
        for k in sent.start + 1..sent.end.saturating_sub(1) {
            let t = &self.m.tokens[k];
            let quote_follows = self.m.tokens[k + 1].kind == TokKind::QuoteOpen;
            if t.quote.is_some()
                || !self.is_punct(k, ":")
                || !(quote_follows || self.is_title_line(sent))
            {
                continue;
            }
            let Some(np) = self.left_np(k - 1, sent.start) else {
                continue;
            };
            let named = self.is_name(&np) || self.catalogue_phrase_in(&np);
            let at_start =
                np.start == sent.start || matches!(self.text(np.start - 1), "-" | "—" | "–" | ".");
            if !(named && at_start && np.len() <= 6) {
                continue;
            }
            let Some(content) = self.right_content(k + 1, sent, sent.end) else {
                continue;
            };
            out.push(Detection {
                sentence: si,
                through: si,
                content: Parts::one(content),
                source: Some(np),
                conduits: Vec::new(),
                cue: k..k + 1,
                class: CueClass::Neutral,
                pattern: "X: \"...\"",
                directness: self.directness(&[content], false),
                inherited: false,
                venue: false,
                listener: None,
            });
            return;
        }
    }

    fn according(&self, h: &Hit, sent: &Range<usize>) -> Option<(Range<usize>, Bytes)> {
        let src = self.right_np(h.at + h.len, sent, true)?;
        let after = src.end;
        // leading: "According to X, content" (possibly after an opening adverbial)
        // "In February, according to X, ..." keeps a short opening out of the content;
        // "Fares rose, according to X." takes the words before
        let words_before = (sent.start..h.at)
            .filter(|&k| self.m.tokens[k].is_word())
            .count();
        let np_ends_sentence = (after..sent.end).all(|k| !self.m.tokens[k].is_word());
        let before_has_clause = words_before > 0
            && (np_ends_sentence
                || words_before > 3
                || !self.is_punct(h.at.saturating_sub(1), ","));
        let content = if !before_has_clause {
            self.right_content(after, sent, sent.end)
        } else {
            // "content, according to X" and maybe ", more content"
            let left = self.left_content(sent.start, h.at);
            let right = if after < sent.end && self.is_punct(after, ",") {
                self.right_content(after + 1, sent, sent.end)
            } else {
                None
            };
            match (left, right) {
                (Some(l), Some(r)) => Some((l.0, r.1)),
                (l, r) => l.or(r),
            }
        }?;
        Some((src, content))
    }

    fn chain(
        &self,
        si: usize,
        h: &Hit,
        sent: &Range<usize>,
        hits: &[Hit],
        consumed: &mut [bool],
    ) -> Option<Detection> {
        if h.phrase.form == Form::Ing {
            return None;
        }
        let outer = self.left_source(h.at, sent)?;
        let inner_start = h.at + h.len;
        // find "as saying" or "who said" after the inner source
        let mut k = inner_start;
        let limit = (inner_start + 16).min(sent.end);
        while k < limit {
            let as_len = self.r.cues.as_phrases.iter().find_map(|p| {
                p.iter()
                    .enumerate()
                    .all(|(j, w)| self.word(k + j) == Some(w.as_str()))
                    .then_some(p.len())
            });
            if let Some(n) = as_len {
                let inner = self.trim_tokens(inner_start, k)?;
                let content = self.right_content(k + n, sent, sent.end).or_else(|| {
                    let left_end = outer.start;
                    self.left_content(sent.start, left_end)
                })?;
                return Some(Detection {
                    sentence: si,
                    through: si,
                    directness: self.directness(&[content], false),
                    content: Parts::one(content),
                    source: Some(inner),
                    conduits: vec![outer],
                    cue: h.at..h.at + h.len,
                    class: h.phrase.class,
                    pattern: if h.phrase.kind == CueKind::QuoteChain {
                        "X quoted Y as saying"
                    } else {
                        "X cited Y as saying"
                    },
                    inherited: false,
                    venue: false,
                    listener: None,
                });
            }
            if self
                .word(k)
                .is_some_and(|w| self.r.cues.relative.contains(w))
                && k > inner_start
            {
                // "cited analysts who said ..."
                if let Some(hj) = hits.iter().position(|x| {
                    x.at == k + 1 || (x.at > k && x.at <= k + 3 && x.phrase.kind == CueKind::Verb)
                }) {
                    let vh = &hits[hj];
                    consumed[hj] = true;
                    let inner = self.trim_tokens(inner_start, k)?;
                    let mut after = vh.at + vh.len;
                    if vh.phrase.listener {
                        after = self.skip_listener(after, sent);
                    }
                    let content = self.right_content(after, sent, sent.end)?;
                    return Some(Detection {
                        sentence: si,
                        through: si,
                        directness: self.directness(&[content], vh.phrase.summary),
                        content: Parts::one(content),
                        source: Some(inner),
                        conduits: vec![outer],
                        cue: h.at..h.at + h.len,
                        class: vh.phrase.class,
                        pattern: "X cited Y who said",
                        inherited: false,
                        venue: false,
                        listener: None,
                    });
                }
            }
            if self.m.tokens[k].quote.is_some() || matches!(self.text(k), "." | ";" | ":") {
                break;
            }
            k += 1;
        }
        None
    }

    /// Token range [a, b) without leading/trailing punctuation tokens.
    fn trim_tokens(&self, mut a: usize, mut b: usize) -> Option<Range<usize>> {
        while a < b && !self.m.tokens[a].is_word() {
            a += 1;
        }
        while b > a && !self.m.tokens[b - 1].is_word() {
            b -= 1;
        }
        (b > a).then_some(a..b)
    }

    /// Skips the listener after "told": "told reporters", "told President X,", "told CNN in an interview".
    fn skip_listener(&self, mut k: usize, sent: &Range<usize>) -> usize {
        let start = k;
        while k < sent.end && k - start < 6 {
            let t = &self.m.tokens[k];
            if t.kind == TokKind::QuoteOpen
                || self.word(k) == Some("that")
                || (!t.is_word() && self.text(k) != ".")
            {
                return k;
            }
            if let Some(v) = self.venue_at(k, sent) {
                return v;
            }
            let w = self.word(k).unwrap_or("");
            let part_of_object =
                k == start || self.is_cap(k) || self.r.lang.title_words.contains(w) || !t.is_word();
            if !part_of_object {
                return k;
            }
            k += 1;
        }
        // the object ran on: assume a one-word listener ("told reporters the deal ...")
        if k - start >= 6 {
            start + 1
        } else {
            k
        }
    }

    fn verb(
        &self,
        si: usize,
        h: &Hit,
        sent: &Range<usize>,
        next_hit: usize,
        prev: Option<Range<usize>>,
    ) -> Option<Detection> {
        let p = h.phrase;
        let cue = h.at..h.at + h.len;
        let mut after = cue.end;
        if let Some(v) = self.venue_at(after, sent) {
            after = v;
        }
        // who speaks?
        let mut source = None;
        let mut inverted = false;
        if p.form == Form::Ing && h.at > sent.start && self.is_punct(h.at - 1, ",") {
            source = self.subject(sent, h.at);
        }
        if source.is_none() {
            source = self.left_source(h.at, sent);
        }
        if source.is_none() && p.inversion && p.form != Form::Ing {
            let preceded = h.at > sent.start
                && (self.m.tokens[h.at - 1].kind == TokKind::QuoteClose
                    || self.is_punct(h.at - 1, ","));
            // 'Said Dorothy Poynter, who grew up with Ali, "We were all so proud of him."'
            let opening = h.at == sent.start && self.is_cap(h.at);
            if opening {
                if let Some(r) = self.right_np(after, sent, false) {
                    let quote =
                        (r.end..sent.end).find(|&x| self.m.tokens[x].kind == TokKind::QuoteOpen);
                    if let (true, Some(q)) = (self.looks_like_source(&r), quote) {
                        let content = self.right_content(q, sent, sent.end)?;
                        return Some(Detection {
                            sentence: si,
                            through: si,
                            directness: self.directness(&[content], false),
                            content: Parts::one(content),
                            source: Some(r),
                            conduits: Vec::new(),
                            cue,
                            class: p.class,
                            pattern: "Said X, \"...\"",
                            inherited: false,
                            venue: false,
                            listener: None,
                        });
                    }
                }
            }
            if preceded {
                if let Some(r) = self
                    .right_np(after, sent, false)
                    .or_else(|| self.right_np(after, sent, true))
                {
                    if self.looks_like_source(&r) {
                        after = r.end;
                        source = Some(r);
                        inverted = true;
                    }
                }
            }
        }
        if source.is_none() {
            source = self.coordinated_source(h.at, sent, prev);
        }
        let source = source?;
        let mut listener = None;
        if p.listener && !inverted {
            let from = after;
            after = self.skip_listener(after, sent);
            listener = self.trim_tokens(from, after).filter(|r| r.len() <= 6);
        }
        if let Some(v) = self.venue_at(after, sent) {
            after = v;
        }
        if !inverted {
            after = self.skip_adjuncts(after, sent);
        }
        // what is said?
        let stop = if next_hit > after {
            self.clause_stop(after, next_hit, sent)
        } else {
            sent.end
        };
        let right = self.right_content(after, sent, stop);
        let left_end = source.start.min(h.at);
        let left = self.left_content(sent.start, left_end);
        // 'X said:' closing its paragraph, and the quotation follows in the next one
        let (content, through) = match (right, self.quote_after_colon(si)) {
            (None, Some(next)) => (Parts::one(next.1), next.0),
            _ => (self.choose_content(left, right, left_end, after, sent)?, si),
        };
        let directness = self.directness(&content, p.summary);
        Some(Detection {
            sentence: si,
            through,
            content,
            source: Some(source),
            conduits: Vec::new(),
            cue,
            class: p.class,
            pattern: if inverted {
                "\"...\", said X"
            } else {
                "X said ..."
            },
            directness,
            inherited: false,
            // "told reporters", "told CNN": the listener is the channel
            venue: listener.is_some(),
            listener,
        })
    }

    /// Picks the content of a cue clause from the text before it (`"...," X said`) and the
    /// text after it (`X said that ...`).
    fn choose_content(
        &self,
        left: Option<Bytes>,
        right: Option<Bytes>,
        left_end: usize,
        after: usize,
        sent: &Range<usize>,
    ) -> Option<Parts> {
        // the cue clause follows a quotation or a comma
        let before = left_end.checked_sub(1).filter(|&b| b >= sent.start);
        let left_quote = before.is_some_and(|b| {
            self.m.tokens[b].kind == TokKind::QuoteClose
                || (self.is_punct(b, ",")
                    && b > sent.start
                    && self.m.tokens[b - 1].kind == TokKind::QuoteClose)
        }) || left.is_some_and(|l| {
            self.starts_with_quote(l)
                && self
                    .m
                    .quote_at(l.0)
                    .is_some_and(|q| self.m.quotes[q].end >= l.1)
        });
        let after_comma = before.is_some_and(|b| self.is_punct(b, ","));
        let right_strong = after < sent.end
            && (self.m.tokens[after].kind == TokKind::QuoteOpen
                || self.word(after) == Some("that")
                || (matches!(self.text(after), ":" | ",")
                    && self
                        .m
                        .tokens
                        .get(after + 1)
                        .is_some_and(|t| t.kind == TokKind::QuoteOpen))
                || self.text(after) == ":");
        let right_trivial = match right {
            None => true,
            Some((rs, re)) => {
                let first = self.m.tokens.partition_point(|t| (t.start as usize) < rs);
                // its first word, and whether it has more than two
                let mut words = self.m.tokens[first..]
                    .iter()
                    .take_while(|t| (t.end as usize) <= re)
                    .filter(|t| t.is_word());
                let head = words.next().map(|t| self.m.lower(t));
                words.nth(1).is_none()
                    || head.is_some_and(|w| {
                        w.ends_with("ing")
                            || self.g().prepositions.contains(w)
                            || self.g().conjunctions.contains(w)
                            || self.g().time_prefixes.contains(w)
                            || self.g().clause_tails.contains(w)
                    })
            }
        };
        // only the quotation(s) right before the cue clause, not the whole sentence start
        let left = if left_quote {
            self.left_quote_run(left_end, sent).or(left)
        } else {
            left
        };
        // "Asked about X, he said ...": an adverbial opening is not what was said
        let left_adverbial = left.is_some_and(|(ls, _)| {
            let i = self.m.tokens.partition_point(|t| (t.start as usize) < ls);
            self.word(i)
                .is_some_and(|w| self.g().adverbial_openers.contains(w))
        });
        let mut content = Parts::default();
        match (left, right) {
            (_, Some(r)) if left_adverbial && !left_quote => content.push(r),
            (Some(l), Some(r)) if left_quote && self.starts_with_quote(r) => {
                content.push(l);
                content.push(r);
            }
            (Some(l), _) if left_quote => content.push(l),
            (_, Some(r)) if right_strong => content.push(r),
            (Some(l), _) if after_comma && right_trivial => content.push(l),
            (_, Some(r)) => content.push(r),
            (Some(l), None) => content.push(l),
            (None, None) => return None,
        }
        Some(content)
    }

    /// The run of quotations ending just before token `end_excl` (skipping a comma):
    /// '"Okay," "I was seventeen ...," he said' gives both quotations.
    fn left_quote_run(&self, end_excl: usize, sent: &Range<usize>) -> Option<Bytes> {
        let mut k = end_excl;
        while k > sent.start
            && self.m.tokens[k - 1].kind == TokKind::Punct
            && self.m.tokens[k - 1].quote.is_none()
        {
            k -= 1;
        }
        if k == sent.start || self.m.tokens[k - 1].quote.is_none() {
            return None;
        }
        let last = self.m.tokens[k - 1].quote? as usize;
        let end = self.m.quotes[last].end;
        let mut first = last;
        while first > 0 {
            let prev = &self.m.quotes[first - 1];
            let gap = &self.m.text[prev.end..self.m.quotes[first].start];
            if prev.end >= self.m.tokens[sent.start].start as usize
                && gap
                    .chars()
                    .all(|c| c.is_whitespace() || matches!(c, ',' | ';' | '.' | '…'))
            {
                first -= 1;
            } else {
                break;
            }
        }
        let start = self.m.quotes[first]
            .start
            .max(self.m.tokens[sent.start].start as usize);
        self.trim(start, end)
    }

    /// "X described ... and told ...", "he met ... and pledged ...": a cue after "and"
    /// shares the subject of its clause: the previous source in the sentence, else the
    /// nearest pronoun before it.
    fn coordinated_source(
        &self,
        at: usize,
        sent: &Range<usize>,
        prev: Option<Range<usize>>,
    ) -> Option<Range<usize>> {
        if at == sent.start {
            return None;
        }
        let k = self.skip_left_modifiers(at - 1, sent.start)?;
        if !self
            .word(k)
            .is_some_and(|w| self.g().coordinators.contains(w))
        {
            return None;
        }
        if prev.is_some() {
            return prev;
        }
        let lang = &self.r.lang;
        (sent.start..k)
            .rev()
            .find(|&j| {
                self.m.tokens[j].quote.is_none()
                    && self.word(j).is_some_and(|w| {
                        lang.person_pronouns.contains(w) || lang.group_pronouns.contains(w)
                    })
            })
            .map(|j| j..j + 1)
            // "The Arizona Republican survived ... and says ...": the clause's subject
            .or_else(|| self.subject(sent, k))
    }

    fn starts_with_quote(&self, b: Bytes) -> bool {
        self.m
            .quote_at(b.0)
            .is_some_and(|q| self.m.quotes[q].start == b.0)
    }

    /// Where a right-hand content ends when another cue follows in the same sentence:
    /// at the comma before that cue's source ("X said A, Y said B" keeps A for X), else
    /// the sentence end (nested speech stays in the content).
    fn clause_stop(&self, after: usize, next_hit: usize, sent: &Range<usize>) -> usize {
        if next_hit > after + 1 && self.word(next_hit - 1) == Some("and") {
            return next_hit - 1;
        }
        let mut k = next_hit;
        while k > after {
            k -= 1;
            if self.m.tokens[k].quote.is_some() {
                return sent.end;
            }
            if self.is_punct(k, ",")
                && next_hit - k <= 6
                && (k + 1..next_hit).all(|x| self.m.tokens[x].is_word())
            {
                // "..., Reuters reported"
                if (k + 1..next_hit).any(|x| {
                    self.is_cap(x)
                        || self
                            .word(x)
                            .is_some_and(|w| self.r.lang.person_pronouns.contains(w))
                }) {
                    return k;
                }
            }
        }
        sent.end
    }

    // ------------------------------------------------------------ inheritance

    /// '"Q1," X said. "Q2."': the next sentence of the same paragraph goes on with the
    /// quotation that the previous sentence attributed after it.
    fn continues_quote(&self, prev: &Detection, si: usize) -> bool {
        let same_para = self.m.sentences[prev.through].paragraph == self.m.sentences[si].paragraph;
        let quoted_before_cue = prev.content.last().is_some_and(|&(_, e)| {
            e <= self.m.tokens[prev.cue.start].start as usize
                && self.m.quote_at(e.saturating_sub(1)).is_some()
        });
        // only right after a short tag ('"...," X said. "..."'), not after a long aside
        let tag_words = prev.content.last().map_or(usize::MAX, |&(_, e)| {
            let next = self.m.sentences[si].start;
            let first = self.m.tokens.partition_point(|t| (t.start as usize) < e);
            self.m.tokens[first..]
                .iter()
                .take_while(|t| (t.end as usize) <= next)
                .filter(|t| t.is_word())
                .count()
        });
        // the merged content spans the tag too: merge only while the quotations outweigh it
        let words_in = |a: usize, b: usize| {
            let first = self.m.tokens.partition_point(|t| (t.start as usize) < a);
            self.m.tokens[first..]
                .iter()
                .take_while(|t| (t.end as usize) <= b)
                .filter(|t| t.is_word())
                .count()
        };
        let quoted: usize = prev
            .content
            .iter()
            .map(|&(a, b)| words_in(a, b))
            .sum::<usize>()
            + words_in(self.m.sentences[si].start, self.m.sentences[si].end);
        prev.through + 1 == si
            && same_para
            && quoted_before_cue
            && !prev.inherited
            && tag_words <= quoted.max(6)
    }

    /// A sentence that is (almost) all quotation, with no cue, continues the previous
    /// speaker's quotation: within the paragraph, or the paragraph before.
    fn inherit(&self, si: usize, out: &[Detection]) -> Option<Detection> {
        let s = &self.m.sentences[si];
        // most sentences have no quotation in them at all
        if self.m.quotes_overlapping(s.start, s.end).is_empty() {
            return None;
        }
        let toks = &self.m.tokens[s.tokens.clone()];
        let words = toks.iter().filter(|t| t.is_word()).count();
        let quoted = toks
            .iter()
            .filter(|t| t.is_word() && t.quote.is_some())
            .count();
        if words == 0 || quoted * 10 < words * 8 {
            return None;
        }
        let prev = out.last()?;
        let prev_sent = &self.m.sentences[prev.sentence];
        let near = si - prev.sentence <= 2
            && (prev_sent.paragraph == s.paragraph || prev_sent.paragraph + 2 >= s.paragraph);
        if !near || prev.directness == Directness::Paraphrase && prev.sentence + 1 != si {
            return None;
        }
        let content = self.trim(s.start, s.end)?;
        Some(Detection {
            sentence: si,
            through: si,
            content: Parts::one(content),
            source: prev.source.clone(),
            conduits: prev.conduits.clone(),
            cue: prev.cue.clone(),
            class: prev.class,
            pattern: "quotation continued",
            directness: Directness::DirectQuote,
            inherited: true,
            venue: prev.venue,
            listener: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `venue_from` compares a venue's words after the first, reading each word once: the
    /// same answer as comparing every word of every venue in turn.
    #[test]
    fn venue_from_matches_word_by_word_comparison() {
        let rules = RuleSet::default_rules().expect("the default rules compile");
        let cues = &rules.cues;
        for (first, starting) in &cues.venue_starts {
            for &i in starting {
                assert_eq!(cues.venues[i].first(), Some(first));
            }
        }
        let text = "She said in a statement on Monday. He spoke in an interview. \
                    They wrote in a. It was said to reporters in a press release in";
        let m = TextModel::new(text, &rules.lang);
        let scan = crate::scan::DocScan::with_model(&m, &rules);
        let d = Detector::new(&m, &rules, &scan);
        let mut found = 0;
        for s in &m.sentences {
            let sent = s.tokens.clone();
            for k in sent.start..sent.end + 2 {
                let naive = d
                    .word(k)
                    .and_then(|w| cues.venue_starts.get(w))
                    .and_then(|st| {
                        st.iter().find_map(|&i| {
                            let v = &cues.venues[i];
                            v.iter()
                                .enumerate()
                                .all(|(j, w)| k + j < sent.end && d.word(k + j) == Some(w.as_str()))
                                .then_some(k + v.len())
                        })
                    });
                assert_eq!(d.venue_at(k, &sent), naive, "token {k}");
                found += usize::from(naive.is_some());
            }
        }
        assert!(found >= 3);
    }

    #[test]
    fn cue_hits_by_candidate_bits_are_those_of_a_token_by_token_scan() {
        let rules = RuleSet::default_rules().expect("the default rules compile");
        // long sentences, so that cues fall in the second and third 64-token chunk and one
        // of two words ("according to") straddles the edge of a chunk; quoted cues and a
        // capitalised "Said" are turned away
        let mut text = String::new();
        for pad in [40usize, 61, 62, 63, 64, 65, 127] {
            let filler: Vec<&str> = ["the", "harbour", "board", "met", "on", "Tuesday"]
                .iter()
                .cycle()
                .take(pad)
                .copied()
                .collect();
            text.push_str(&filler.join(" "));
            text.push_str(
                " according to the mayor, who said the deal \"was said to be done\" and \
                 told reporters that officials Said it would stand, the agency reported.\n\n",
            );
        }
        let m = TextModel::new(&text, &rules.lang);
        let scan = crate::scan::DocScan::with_model(&m, &rules);
        let d = Detector::new(&m, &rules, &scan);
        let mut checked = 0;
        for s in &m.sentences {
            let sent = s.tokens.clone();
            let mut by_bits = Vec::new();
            d.hits(&sent, &mut by_bits);
            // the reference: every token in turn
            let mut one_by_one = Vec::new();
            let mut i = sent.start;
            while i < sent.end {
                let t = &m.tokens[i];
                let len = if t.is_word() && !t.quoted() {
                    d.cue_at(i, &sent, &mut one_by_one)
                } else {
                    None
                };
                i += len.unwrap_or(1);
            }
            let at = |h: &Vec<Hit>| h.iter().map(|h| (h.at, h.len)).collect::<Vec<_>>();
            assert_eq!(at(&by_bits), at(&one_by_one));
            assert!(by_bits.len() >= 3, "{:?}", at(&by_bits));
            assert!(by_bits.iter().any(|h| h.at - sent.start >= 64));
            checked += 1;
        }
        assert_eq!(checked, 7);
    }
}
