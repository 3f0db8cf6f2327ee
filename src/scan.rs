//! One pass of each automaton over the whole article: catalogue names, catalogue phrases
//! and every flag rule's word list. Later stages look matches up by offset instead of
//! searching sentence by sentence.

use crate::rules::RuleSet;

fn bounded(text: &str, s: usize, e: usize) -> bool {
    text[..s]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
        && text[e..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Whole-word matches of the rule set in one article, each list in text order.
#[derive(Debug, Default)]
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

impl DocScan {
    pub fn new(text: &str, r: &RuleSet) -> DocScan {
        let cat = &r.catalogue;
        let names = cat
            .names
            .find_iter(text)
            .filter(|x| bounded(text, x.start(), x.end()))
            .map(|x| {
                let t = cat.name_targets[x.pattern().as_usize()];
                (x.start(), x.end(), t.entity, t.short)
            })
            .collect();
        let phrases = cat
            .phrases
            .find_iter(text)
            .filter(|x| bounded(text, x.start(), x.end()))
            .map(|x| {
                (
                    x.start(),
                    x.end(),
                    cat.phrase_targets[x.pattern().as_usize()].entity,
                )
            })
            .collect();
        let terms = r
            .flags
            .iter()
            .map(|f| match &f.matcher {
                Some(ac) => ac
                    .find_iter(text)
                    .map(|x| (x.start(), x.end()))
                    .filter(|&(a, b)| bounded(text, a, b))
                    .collect(),
                None => Vec::new(),
            })
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
