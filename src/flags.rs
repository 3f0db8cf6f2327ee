//! Flags: word lists matched in the author's voice (never inside quotation marks) and
//! built-in checks on the attribution, all configured in flags.yaml.

use crate::link::{Linked, SourceKind};
use crate::model::{Flag, Span};
use crate::rules::schema::Check;
use crate::rules::RuleSet;
use crate::scan::DocScan;
use crate::text::TextModel;

fn render(msg: &str, term: &str, source: &str, canonical: &str) -> String {
    fill_parts(msg, [term, "", ""], source, canonical, None)
}

/// A flag's message with its placeholders filled in: `{term}`, `{source}`, `{canonical}`,
/// and `{count}` when one is given; any other brace stays as written. One pass over the
/// message, so article text put in for one placeholder is never read as another.
pub(crate) fn fill(
    msg: &str,
    term: &str,
    source: &str,
    canonical: &str,
    count: Option<usize>,
) -> String {
    fill_parts(msg, [term, "", ""], source, canonical, count)
}

/// [`fill`] with `{term}` given as pieces written one after another, so a term put in
/// quotation marks needs no String of its own.
fn fill_parts(
    msg: &str,
    term: [&str; 3],
    source: &str,
    canonical: &str,
    count: Option<usize>,
) -> String {
    let mut number = itoa::Buffer::new();
    let count = count.map(|n| number.format(n));
    let term_len = term.iter().map(|p| p.len()).sum::<usize>();
    let mut out = String::with_capacity(msg.len() + term_len + source.len() + canonical.len());
    let mut rest = msg;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let field = [
            ("{term}", Some(term)),
            ("{source}", Some([source, "", ""])),
            ("{canonical}", Some([canonical, "", ""])),
            ("{count}", count.map(|c| [c, "", ""])),
        ]
        .into_iter()
        .find_map(|(name, value)| Some((name, value?)).filter(|_| rest.starts_with(name)));
        match field {
            Some((name, value)) => {
                for piece in value {
                    out.push_str(piece);
                }
                rest = &rest[name.len()..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Word-list matches of rule number `idx` inside [s, e), in the author's voice.
pub fn term_matches<'s>(
    scan: &'s DocScan,
    idx: usize,
    m: &'s TextModel,
    s: usize,
    e: usize,
) -> impl Iterator<Item = (usize, usize)> + 's {
    scan.terms_in(idx, s, e)
        .iter()
        .copied()
        .filter(move |&(a, b)| b <= e && author_voice(m, a))
}

/// True when the byte offset is outside every quotation (double or single marks).
pub fn author_voice(m: &TextModel, at: usize) -> bool {
    if m.quote_at(at).is_some() {
        return false;
    }
    let i = m.tokens.partition_point(|t| (t.end as usize) <= at);
    m.tokens.get(i).is_none_or(|t| !t.single)
}

/// Flags from word lists for a sentence span; `attributed` tells whether the claim has a source.
pub fn term_flags(
    r: &RuleSet,
    scan: &DocScan,
    m: &TextModel,
    span: (usize, usize),
    attributed: bool,
) -> Vec<Flag> {
    let mut out = Vec::new();
    for (idx, rule) in r.flags.iter().enumerate() {
        if rule.check.is_some() || (rule.unattributed_only && attributed) {
            continue;
        }
        for (a, b) in term_matches(scan, idx, m, span.0, span.1) {
            out.push(Flag {
                id: rule.id.clone(),
                severity: rule.severity.as_str(),
                message: render(&rule.message, &m.text[a..b], "", ""),
                span: Span { start: a, end: b },
            });
        }
    }
    out
}

/// Flags from built-in checks on an attributed claim.
pub fn attribution_flags(r: &RuleSet, m: &TextModel, l: &Linked) -> Vec<Flag> {
    let mut out = Vec::new();
    let Some(speaker) = l.chain.last() else {
        return out;
    };
    let src_text = &m.text[speaker.span.0..speaker.span.1];
    let cue = (
        m.tokens[l.det.cue.start].start as usize,
        m.tokens[l.det.cue.end - 1].end as usize,
    );
    for rule in &r.flags {
        let Some(check) = rule.check else { continue };
        let mut push = |term: &str, canonical: &str, span: (usize, usize)| {
            out.push(Flag {
                id: rule.id.clone(),
                severity: rule.severity.as_str(),
                message: render(&rule.message, term, src_text, canonical),
                span: Span {
                    start: span.0,
                    end: span.1,
                },
            });
        };
        match check {
            Check::CueClass => {
                if rule.classes.contains(&l.det.class) && !l.det.inherited {
                    push(&m.text[cue.0..cue.1], "", cue);
                }
            }
            Check::AnonymousSource => {
                let named = l.chain.iter().any(|h| {
                    !matches!(
                        h.kind,
                        SourceKind::Anonymous | SourceKind::AnonymousSpecific | SourceKind::Weasel
                    )
                });
                if matches!(
                    speaker.kind,
                    SourceKind::Anonymous | SourceKind::AnonymousSpecific
                ) && !named
                {
                    push("", "", speaker.span);
                }
            }
            Check::WeaselSource => {
                if speaker.kind == SourceKind::Weasel {
                    push("", "", speaker.span);
                }
            }
            Check::GenericMediaSource => {
                if let Some(h) = l.chain.iter().find(|h| {
                    matches!(
                        h.kind,
                        SourceKind::StateMediaClass | SourceKind::GenericMedia
                    )
                }) {
                    let t = &m.text[h.span.0..h.span.1];
                    out.push(Flag {
                        id: rule.id.clone(),
                        severity: rule.severity.as_str(),
                        message: render(&rule.message, t, t, ""),
                        span: Span {
                            start: h.span.0,
                            end: h.span.1,
                        },
                    });
                }
            }
            Check::NameVariant => {
                for h in &l.chain {
                    if let Some(c) = &h.variant_of {
                        push(&m.text[h.span.0..h.span.1], c, h.span);
                    }
                }
            }
            Check::DistantAttribution => {
                if l.det.inherited {
                    let src_sentence = m.sentences.partition_point(|s| s.end <= speaker.span.0);
                    let distance = l.det.sentence.saturating_sub(src_sentence);
                    if distance > rule.limit.unwrap_or(3) {
                        push(itoa::Buffer::new().format(distance), "", speaker.span);
                    }
                }
            }
            // article-wide checks run in checks.rs
            Check::UnattributedSpecific
            | Check::NameSpellings
            | Check::TitleInconsistency
            | Check::LabelAsymmetry
            | Check::QuoteTwoSpeakers
            | Check::SingleSource
            | Check::QuoteAltered
            | Check::QuoteNotFound => {}
        }
    }
    out
}

/// A plain year ("2022", "1996") is a date, not a figure.
fn is_year(s: &str) -> bool {
    // ASCII digits are one byte each: the leading digits are a slice of `s`
    let digits = &s[..s.bytes().take_while(u8::is_ascii_digit).count()];
    let rest = &s[digits.len()..];
    let continues = rest.starts_with(|c: char| c == '%' || c.is_ascii_digit())
        || (rest.starts_with([',', '.']) && rest[1..].starts_with(|c: char| c.is_ascii_digit()));
    digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20")) && !continues
}

/// The unattributed-specific check: figures and listed words in a claim with no source.
/// Lazy, so the caller collects the flags straight into its own list.
pub fn unattributed_flags<'s>(
    r: &'s RuleSet,
    scan: &'s DocScan,
    m: &'s TextModel,
    span: (usize, usize),
) -> impl Iterator<Item = Flag> + 's {
    r.flags
        .iter()
        .enumerate()
        .filter(|(_, f)| f.check == Some(Check::UnattributedSpecific))
        .filter_map(move |(idx, rule)| {
            let text = &m.text[span.0..span.1];
            let mut found: Option<(usize, usize)> = None;
            // a figure: digits in the author's voice (a digit is a whole character, and the
            // character before it is an ASCII letter or digit exactly when the byte before it is)
            let bytes = text.as_bytes();
            let mut i = 0;
            loop {
                i = crate::swar::find(bytes, i, crate::swar::digit);
                if i >= bytes.len() {
                    break;
                }
                let at_word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
                if at_word_start && author_voice(m, span.0 + i) && !is_year(&text[i..]) {
                    let end = text[i..]
                        .find(|c: char| {
                            !(c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | '%' | '$'))
                        })
                        .map_or(text.len(), |e| i + e);
                    let end = i + text[i..end].trim_end_matches([',', '.']).len();
                    found = Some((span.0 + i, span.0 + end));
                    break;
                }
                i += 1;
            }
            if found.is_none() {
                found = term_matches(scan, idx, m, span.0, span.1).next();
            }
            let (a, b) = found?;
            Some(Flag {
                id: rule.id.clone(),
                severity: rule.severity.as_str(),
                message: fill_parts(&rule.message, ["\"", &m.text[a..b], "\""], "", "", None),
                span: Span { start: a, end: b },
            })
        })
}

#[cfg(test)]
mod tests {
    use super::{fill, fill_parts, is_year};

    #[test]
    fn a_term_in_pieces_fills_as_the_joined_term() {
        let msg = "{term} is given with no source ({source}, {count}) {term}";
        assert_eq!(
            fill_parts(msg, ["\"", "3.5 million", "\""], "AP", "", Some(4)),
            fill(msg, "\"3.5 million\"", "AP", "", Some(4))
        );
    }

    #[test]
    fn years_are_four_digits_from_1900_to_2099_standing_alone() {
        for s in ["2022", "1996 was", "2001.", "2019, when"] {
            assert!(is_year(s), "{s}");
        }
        for s in [
            "1850", "202", "20221", "2022%", "2022.5", "1,999", "2,022", "3000", "",
        ] {
            assert!(!is_year(s), "{s}");
        }
    }

    #[test]
    fn placeholders_are_filled_once_and_other_braces_kept() {
        let msg = "{canonical} is spelt {count} ways: {term} ({source}) {other} {";
        assert_eq!(
            fill(
                msg,
                "Baker (1:5), Bakr (3:1)",
                "Reuters",
                "Ali Baker",
                Some(2)
            ),
            "Ali Baker is spelt 2 ways: Baker (1:5), Bakr (3:1) (Reuters) {other} {"
        );
        // without a count the placeholder stays, as it does for word-list flags
        assert_eq!(fill("{count} {term}", "x", "", "", None), "{count} x");
        // article text that looks like a placeholder is not filled in again
        assert_eq!(
            fill("\"{term}\" from {source}", "{source}", "AP", "", None),
            "\"{source}\" from AP"
        );
    }
}
