//! Strength scoring: additive factors with weights from scoring.yaml. Every point is
//! explained by a factor with a reason.

use crate::detect::Directness;
use crate::link::{Linked, Resolved, SourceKind};
use crate::model::{Factor, Level, Strength};
use crate::rules::schema::{ScoringFile, Status};
use crate::rules::RuleSet;
use crate::text::TextModel;
use std::borrow::Cow;

/// Adds a factor; `rule` is the scoring.yaml key its points come from ("directness.paraphrase").
/// The reason is only written out for a factor that is kept.
fn factor(
    out: &mut Vec<Factor>,
    rule: &'static str,
    value: i32,
    why: impl FnOnce() -> Cow<'static, str>,
) {
    // the part of the key before its first '.' ("directness" of "directness.paraphrase")
    let name = rule
        .as_bytes()
        .iter()
        .position(|&b| b == b'.')
        .map_or(rule, |dot| &rule[..dot]);
    if value != 0 || name == "speaker" {
        out.push(Factor {
            name,
            value,
            why: why(),
            rule,
        });
    }
}

pub fn level_of(score: i32, s: &ScoringFile) -> Level {
    let l = &s.levels;
    if score >= l.strong {
        Level::Strong
    } else if score >= l.moderate {
        Level::Moderate
    } else if score >= l.limited {
        Level::Limited
    } else if score >= l.weak {
        Level::Weak
    } else {
        Level::Unattributed
    }
}

fn finish(factors: Vec<Factor>, s: &ScoringFile, attributed: bool) -> Strength {
    let score = factors.iter().map(|f| f.value).sum::<i32>().clamp(0, 100);
    let mut level = level_of(score, s);
    // a claim that names a source, however weak, is never "unattributed"
    if attributed && level == Level::Unattributed {
        level = Level::Weak;
    }
    Strength {
        score,
        level,
        factors,
    }
}

/// Adds a factor to a finished strength and recomputes its score and level.
pub fn adjust(s: &mut Strength, rule: &'static str, value: i32, why: String, r: &RuleSet) {
    let mut factors = std::mem::take(&mut s.factors);
    factor(&mut factors, rule, value, || why.into());
    *s = finish(factors, &r.scoring, true);
}

/// The strength of a claim with no attribution.
pub fn unattributed(r: &RuleSet) -> Strength {
    let mut f = Vec::with_capacity(1);
    factor(&mut f, "speaker.none", r.scoring.speaker.none, || {
        "no source is given for this claim".into()
    });
    finish(f, &r.scoring, false)
}

fn hop_name<'x>(h: &'x Resolved, m: &'x TextModel) -> &'x str {
    h.resolved.unwrap_or(&m.text[h.span.0..h.span.1])
}

/// The strength of an attributed claim. `dated` and `speculative` are facts about the
/// sentence and content that the caller found.
pub fn attributed(
    l: &Linked,
    m: &TextModel,
    r: &RuleSet,
    dated: bool,
    speculative: Option<&str>,
) -> Strength {
    let w = &r.scoring;
    // a speaker, a conduit, directness and cue, and a few more: one allocation
    let mut f = Vec::with_capacity(8);
    let Some(speaker) = l.chain.last() else {
        return unattributed(r);
    };
    let name = hop_name(speaker, m);
    let (key, value, pre, post) = match speaker.kind {
        SourceKind::Official => (
            "speaker.person_with_role",
            w.speaker.person_with_role,
            "",
            " is a named person with a role",
        ),
        SourceKind::Person => ("speaker.person", w.speaker.person, "", " is a named person"),
        SourceKind::OfficialBody => (
            "speaker.official_body",
            w.speaker.official_body,
            "",
            " is a named official body",
        ),
        SourceKind::Document => (
            "speaker.document",
            w.speaker.document,
            "\"",
            "\" is a document, poll or study",
        ),
        SourceKind::Outlet(_) => ("speaker.outlet", w.speaker.outlet, "", "'s own reporting"),
        SourceKind::AnonymousSpecific => (
            "speaker.anonymous_specific",
            w.speaker.anonymous_specific,
            "\"",
            "\" is anonymous, with some detail",
        ),
        SourceKind::Anonymous => (
            "speaker.anonymous",
            w.speaker.anonymous,
            "\"",
            "\" is a vague anonymous source",
        ),
        SourceKind::StateMediaClass | SourceKind::GenericMedia => (
            "speaker.generic_media",
            w.speaker.generic_media,
            "\"",
            "\" is a class of media, not a named outlet",
        ),
        SourceKind::Weasel => (
            "speaker.weasel",
            w.speaker.weasel,
            "\"",
            "\" hides who holds the view",
        ),
        SourceKind::Pronoun => (
            "speaker.pronoun",
            w.speaker.pronoun,
            "\"",
            "\" could not be resolved to a name",
        ),
        SourceKind::Group | SourceKind::Unknown => (
            "speaker.unknown",
            w.speaker.unknown,
            "\"",
            "\" is not a recognised kind of source",
        ),
    };
    factor(&mut f, key, value, || [pre, name, post].concat().into());

    // conduit: the first hop, when the author relies on an outlet or a class of media
    let first = &l.chain[0];
    let first_name = hop_name(first, m);
    let status_points = |st: Status| match st {
        Status::GenerallyReliable => w.conduit.generally_reliable,
        Status::ReliableWithCaveats => w.conduit.reliable_with_caveats,
        Status::NoConsensus => w.conduit.no_consensus,
        Status::GenerallyUnreliable => w.conduit.generally_unreliable,
        Status::Deprecated => w.conduit.deprecated,
        Status::Unlisted => w.conduit.unlisted,
    };
    let status_key = |st: Status| match st {
        Status::GenerallyReliable => "conduit.generally_reliable",
        Status::ReliableWithCaveats => "conduit.reliable_with_caveats",
        Status::NoConsensus => "conduit.no_consensus",
        Status::GenerallyUnreliable => "conduit.generally_unreliable",
        Status::Deprecated => "conduit.deprecated",
        Status::Unlisted => "conduit.unlisted",
    };
    match (first.kind, first.status) {
        (SourceKind::Outlet(_), Some(st)) => {
            let own_government = l.chain.len() > 1
                && first.state.is_some_and(|s| s.is_state())
                && first.country.is_some()
                && speaker.country == first.country
                && matches!(st, Status::GenerallyUnreliable | Status::Deprecated);
            if own_government {
                let (k, v) = if st == Status::Deprecated {
                    (
                        "conduit.own_government_deprecated",
                        w.conduit.own_government_deprecated,
                    )
                } else {
                    (
                        "conduit.own_government_unreliable",
                        w.conduit.own_government_unreliable,
                    )
                };
                factor(&mut f, k, v, || {
                    [
                        first_name,
                        " (",
                        st.as_str(),
                        ") is a state outlet relaying its own government",
                    ]
                    .concat()
                    .into()
                });
            } else {
                factor(&mut f, status_key(st), status_points(st), || {
                    // sized for the status, which is then written with spaces for underscores
                    let mut why = [first_name, " is rated ", st.as_str()].concat();
                    why.truncate(why.len() - st.as_str().len());
                    why.extend(st.as_str().chars().map(|c| if c == '_' { ' ' } else { c }));
                    why.into()
                });
            }
        }
        (SourceKind::StateMediaClass | SourceKind::GenericMedia, _) if l.chain.len() > 1 => {
            factor(
                &mut f,
                "conduit.generic_class",
                w.conduit.generic_class,
                || {
                    [
                        "relayed by \"",
                        first_name,
                        "\", a class of media rather than a named outlet",
                    ]
                    .concat()
                    .into()
                },
            );
        }
        (SourceKind::Official | SourceKind::Person | SourceKind::OfficialBody, _)
            if l.chain.len() == 1 && !l.det.venue =>
        {
            factor(&mut f, "conduit.no_channel", w.conduit.no_channel, || {
                "no channel or venue is given for the statement".into()
            });
        }
        _ => {}
    }
    if l.det.inherited {
        factor(&mut f, "conduit.inherited", w.conduit.inherited, || {
            "the attribution is carried over from a nearby sentence".into()
        });
    }

    let (dv, dwhy) = match l.det.directness {
        Directness::DirectQuote => (w.directness.direct_quote, "a full direct quotation"),
        Directness::PartialQuote => (w.directness.partial_quote, "a partial quotation"),
        Directness::Paraphrase => (w.directness.paraphrase, "a paraphrase"),
        Directness::Summary => (w.directness.summary, "a summary of what was said"),
    };
    let dkey = match l.det.directness {
        Directness::DirectQuote => "directness.direct_quote",
        Directness::PartialQuote => "directness.partial_quote",
        Directness::Paraphrase => "directness.paraphrase",
        Directness::Summary => "directness.summary",
    };
    factor(&mut f, dkey, dv, || dwhy.into());

    let cue_text = {
        let (s, e) = (
            m.tokens[l.det.cue.start].start as usize,
            m.tokens[l.det.cue.end - 1].end as usize,
        );
        &m.text[s..e]
    };
    let cv = w.cue.get(&l.det.class).copied().unwrap_or(0);
    factor(&mut f, l.det.class.score_key(), cv, || {
        ["\"", cue_text, "\" is a ", l.det.class.as_str(), " cue"]
            .concat()
            .into()
    });

    if l.chain.len() > w.hops.free {
        let extra = (l.chain.len() - w.hops.free) as i32;
        factor(
            &mut f,
            "hops.per_extra_hop",
            w.hops.per_extra_hop * extra,
            || {
                let mut n = itoa::Buffer::new();
                [
                    n.format(l.chain.len()),
                    " hops between the author and the speaker",
                ]
                .concat()
                .into()
            },
        );
    }
    if dated {
        factor(&mut f, "specificity.date", w.specificity.date, || {
            "the statement is dated".into()
        });
    }
    if l.det.venue {
        factor(&mut f, "specificity.venue", w.specificity.venue, || {
            "the venue or medium is named".into()
        });
    }
    if let Some(v) = l
        .chain
        .iter()
        .find_map(|h| h.variant_of.as_ref().map(|c| (h, c)))
    {
        let written = &m.text[v.0.span.0..v.0.span.1];
        factor(
            &mut f,
            "integrity.garbled_name",
            w.integrity.garbled_name,
            || ["\"", written, "\" is spelt unlike ", v.1].concat().into(),
        );
    }
    if let Some(term) = speculative {
        factor(
            &mut f,
            "integrity.speculation_in_content",
            w.integrity.speculation_in_content,
            || {
                ["the paraphrase states speculation (\"", term, "\") as fact"]
                    .concat()
                    .into()
            },
        );
    }
    finish(f, &r.scoring, true)
}
