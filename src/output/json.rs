//! Compact JSON for one report, written by hand for corpus runs: the bytes are exactly those
//! of `serde_json::to_vec` over the `Serialize` derives in [`crate::model`] (a test holds
//! the two together), at a fraction of the cost. Keys are written as literals instead of
//! being escaped one byte at a time, and strings are scanned eight bytes at a time for the
//! few bytes JSON must escape.
//!
//! A field added to the model must be added here too; the equality test fails until it is.

use crate::model::{
    ArticleReport, Attribution, Claim, Content, Cue, Factor, Flag, LevelCounts, Meta, Reliance,
    Source, Span, Strength, Summary,
};

/// Appends the compact JSON of `report` to `out`.
pub fn report(out: &mut Vec<u8>, r: &ArticleReport) {
    out.extend_from_slice(b"{\"schema\":");
    string(out, r.schema);
    out.extend_from_slice(b",\"id\":");
    string(out, &r.id);
    meta(out, &r.meta);
    optional(out, b",\"headline\":", r.headline.as_deref());
    out.extend_from_slice(b",\"claims\":");
    list(out, &r.claims, claim);
    out.extend_from_slice(b",\"summary\":");
    summary(out, &r.summary);
    out.push(b'}');
}

/// The flattened metadata: fields of the report object itself.
fn meta(out: &mut Vec<u8>, m: &Meta) {
    for (key, value) in [
        (&b",\"title\":"[..], &m.title),
        (b",\"url\":", &m.url),
        (b",\"date\":", &m.date),
        (b",\"outlet\":", &m.outlet),
    ] {
        optional(out, key, value.as_deref());
    }
}

fn claim(out: &mut Vec<u8>, c: &Claim) {
    out.extend_from_slice(b"{\"index\":");
    uint(out, c.index);
    out.extend_from_slice(b",\"text\":");
    string(out, &c.text);
    out.extend_from_slice(b",\"span\":");
    span(out, &c.span);
    out.extend_from_slice(b",\"line\":");
    uint(out, c.line);
    out.extend_from_slice(b",\"column\":");
    uint(out, c.column);
    out.extend_from_slice(b",\"content\":");
    content(out, &c.content);
    out.extend_from_slice(b",\"attribution\":");
    match &c.attribution {
        Some(a) => attribution(out, a),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"strength\":");
    strength(out, &c.strength);
    out.extend_from_slice(b",\"flags\":");
    list(out, &c.flags, flag);
    optional(out, b",\"risk\":", c.risk);
    if let Some(v) = &c.verification {
        // rare (`--sources`): serde writes it
        out.extend_from_slice(b",\"verification\":");
        serde(out, v);
    }
    out.push(b'}');
}

fn span(out: &mut Vec<u8>, s: &Span) {
    start_end(out, s.start, s.end);
    out.push(b'}');
}

fn content(out: &mut Vec<u8>, c: &Content) {
    start_end(out, c.start, c.end);
    if !c.parts.is_empty() {
        out.extend_from_slice(b",\"parts\":");
        list(out, &c.parts, span);
    }
    out.push(b'}');
}

fn attribution(out: &mut Vec<u8>, a: &Attribution) {
    out.extend_from_slice(b"{\"source\":");
    source(out, &a.source);
    out.extend_from_slice(b",\"cue\":");
    cue(out, &a.cue);
    out.extend_from_slice(b",\"chain\":");
    list(out, &a.chain, source);
    out.extend_from_slice(b",\"directness\":");
    name(out, a.directness);
    out.extend_from_slice(b",\"inherited\":");
    out.extend_from_slice(if a.inherited { b"true" } else { b"false" });
    out.push(b'}');
}

fn source(out: &mut Vec<u8>, s: &Source) {
    start_end(out, s.start, s.end);
    out.extend_from_slice(b",\"text\":");
    string(out, &s.text);
    out.extend_from_slice(b",\"resolved\":");
    match &s.resolved {
        Some(r) => string(out, r),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"kind\":");
    name(out, s.kind);
    optional(out, b",\"id\":", s.id.as_deref());
    optional(out, b",\"status\":", s.status);
    optional(out, b",\"variant_of\":", s.variant_of.as_deref());
    out.push(b'}');
}

fn cue(out: &mut Vec<u8>, c: &Cue) {
    start_end(out, c.start, c.end);
    out.extend_from_slice(b",\"text\":");
    string(out, &c.text);
    out.extend_from_slice(b",\"class\":");
    name(out, c.class);
    out.extend_from_slice(b",\"pattern\":");
    string(out, c.pattern);
    out.push(b'}');
}

fn strength(out: &mut Vec<u8>, s: &Strength) {
    out.extend_from_slice(b"{\"score\":");
    int(out, s.score);
    out.extend_from_slice(b",\"level\":");
    name(out, s.level.as_str());
    out.extend_from_slice(b",\"factors\":");
    list(out, &s.factors, factor);
    out.push(b'}');
}

fn factor(out: &mut Vec<u8>, f: &Factor) {
    out.extend_from_slice(b"{\"name\":");
    name(out, f.name);
    out.extend_from_slice(b",\"value\":");
    int(out, f.value);
    out.extend_from_slice(b",\"why\":");
    string(out, &f.why);
    out.extend_from_slice(b",\"rule\":");
    name(out, f.rule);
    out.push(b'}');
}

fn flag(out: &mut Vec<u8>, f: &Flag) {
    out.extend_from_slice(b"{\"id\":");
    string(out, &f.id);
    out.extend_from_slice(b",\"severity\":");
    name(out, f.severity);
    out.extend_from_slice(b",\"message\":");
    string(out, &f.message);
    out.extend_from_slice(b",\"span\":");
    span(out, &f.span);
    out.push(b'}');
}

fn summary(out: &mut Vec<u8>, s: &Summary) {
    out.extend_from_slice(b"{\"claims\":");
    uint(out, s.claims);
    out.extend_from_slice(b",\"attributed\":");
    uint(out, s.attributed);
    out.extend_from_slice(b",\"levels\":");
    levels(out, &s.levels);
    out.extend_from_slice(b",\"flags\":");
    uint(out, s.flags);
    out.extend_from_slice(b",\"suppressed\":");
    uint(out, s.suppressed);
    out.extend_from_slice(b",\"reliance\":");
    list(out, &s.reliance, reliance);
    out.extend_from_slice(b",\"flags_by_id\":{");
    for (i, (id, n)) in s.flags_by_id.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, id);
        out.push(b':');
        uint(out, *n);
    }
    out.extend_from_slice(b"}}");
}

fn levels(out: &mut Vec<u8>, l: &LevelCounts) {
    out.extend_from_slice(b"{\"strong\":");
    uint(out, l.strong);
    out.extend_from_slice(b",\"moderate\":");
    uint(out, l.moderate);
    out.extend_from_slice(b",\"limited\":");
    uint(out, l.limited);
    out.extend_from_slice(b",\"weak\":");
    uint(out, l.weak);
    out.extend_from_slice(b",\"unattributed\":");
    uint(out, l.unattributed);
    out.push(b'}');
}

fn reliance(out: &mut Vec<u8>, r: &Reliance) {
    out.extend_from_slice(b"{\"source\":");
    string(out, &r.source);
    out.extend_from_slice(b",\"kind\":");
    string(out, &r.kind);
    out.extend_from_slice(b",\"claims\":");
    uint(out, r.claims);
    out.extend_from_slice(b",\"share\":");
    // serde_json's own float formatting, so the digits are the same
    serde(out, &r.share);
    out.push(b'}');
}

/// Opens an object with its "start" and "end" fields (spans and everything that has one).
fn start_end(out: &mut Vec<u8>, start: usize, end: usize) {
    out.extend_from_slice(b"{\"start\":");
    uint(out, start);
    out.extend_from_slice(b",\"end\":");
    uint(out, end);
}

/// A string field left out when it has no value.
fn optional(out: &mut Vec<u8>, key: &[u8], value: Option<&str>) {
    if let Some(v) = value {
        out.extend_from_slice(key);
        string(out, v);
    }
}

fn list<T>(out: &mut Vec<u8>, items: &[T], each: fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, x);
    }
    out.push(b']');
}

fn serde<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // writing into a Vec cannot fail, and these values (floats, verifications) always
    // serialise; should that ever change, `null` keeps the document valid
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.extend_from_slice(b"null");
    }
}

fn uint(out: &mut Vec<u8>, n: usize) {
    if n < 10 {
        out.push(b'0' + n as u8);
    } else {
        // a few digits: pushed one by one rather than through a memcpy call
        let mut buf = itoa::Buffer::new();
        for &b in buf.format(n).as_bytes() {
            out.push(b);
        }
    }
}

fn int(out: &mut Vec<u8>, n: i32) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// The high bit of every byte of a word that JSON must escape: '"', '\\' or a control byte.
#[inline]
fn escapable(x: u64) -> u64 {
    use crate::swar::{below, equal};
    equal(x, b'"') | equal(x, b'\\') | below(x, 0x20)
}

/// One of the model's fixed names (a level, a kind, a cue class, a factor and its rule
/// key, a severity: lower-case identifiers), written without looking for bytes to escape.
/// The debug assertion holds every name the tests see to that.
#[inline]
fn name(out: &mut Vec<u8>, s: &'static str) {
    debug_assert!(
        s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'),
        "{s:?} needs escaping"
    );
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b \f \n \r \t`, and `\u00XX`
/// (lower-case hex) for other control bytes; everything else as is.
pub fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0; // start of the bytes not yet copied
    let mut i = 0;
    loop {
        i = crate::swar::find(bytes, i, escapable);
        if i >= bytes.len() {
            break;
        }
        out.extend_from_slice(&bytes[run..i]);
        let b = bytes[i];
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xf) as usize]);
            }
        }
        i += 1;
        run = i;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_string(s: &str) -> Vec<u8> {
        serde_json::to_vec(s).unwrap_or_default()
    }

    #[test]
    fn strings_are_escaped_exactly_as_serde_json_does() {
        let mut all_bytes = String::new();
        for b in 0u8..0x80 {
            all_bytes.push(b as char);
        }
        let cases = [
            "",
            "plain words of an ordinary sentence, long enough for several words",
            "“Curly” quotes, an em dash — and a ’ apostrophe",
            "\"Straight\" quotes and a back\\slash at the end\\",
            "line one\nline two\r\n\ttabbed\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "12345678\"12345678\\1234567\n",
            &all_bytes,
            "Rūḥānī said «non» in Genève, 東京",
        ];
        for s in cases {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&serde_string(s)),
                "for {s:?}"
            );
        }
        // every offset of a string mixing escapes and plain runs
        let mixed = "ab\"cdefghij\\klmnopq\nrstuvwxyz0123\t456789\"";
        for k in 0..mixed.len() {
            let s = &mixed[k..];
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(out, serde_string(s), "for {s:?}");
        }
    }

    #[test]
    fn the_escapable_byte_test_flags_the_first_such_byte_exactly() {
        for at in 0..8 {
            for b in [b'"', b'\\', 0u8, 0x1f, b'\n'] {
                let mut w = *b"abcdefgh";
                w[at] = b;
                let hits = escapable(u64::from_le_bytes(w));
                assert_eq!((hits.trailing_zeros() / 8) as usize, at);
            }
        }
        for w in [
            *b"abcdefgh",
            *b"  !#$%&'",
            [0x80, 0xff, 0xe2, 0x80, 0x9c, b'~', b' ', 0x7f],
        ] {
            assert_eq!(escapable(u64::from_le_bytes(w)), 0, "{w:?}");
        }
    }
}
