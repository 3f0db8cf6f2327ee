//! Compact JSON for one report, written by hand for corpus runs: the bytes are exactly those
//! of `serde_json::to_vec` over the `Serialize` derives in [`crate::model`] (a test holds
//! the two together), at a fraction of the cost. Keys are written as literals instead of
//! being escaped one byte at a time, and strings are scanned sixteen bytes at a time (SSE2,
//! from safe Rust that LLVM vectorises) for the few bytes JSON must escape.
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

/// A number, most of them below 10^4 (offsets, lines, counts): its digits are stored at
/// once and cut to length, in place of itoa and a copy.
#[inline(always)]
fn uint(out: &mut Vec<u8>, n: usize) {
    if n < 10 {
        out.push(b'0' + n as u8);
    } else if let Some((digits, len)) = u32::try_from(n).ok().and_then(digits4) {
        let end = out.len() + len;
        out.extend_from_slice(&digits.to_le_bytes());
        out.truncate(end);
    } else {
        long_uint(out, n);
    }
}

/// [`uint`] of 10^4 or more.
#[inline(never)]
fn long_uint(out: &mut Vec<u8>, n: usize) {
    match u32::try_from(n).ok().and_then(digits8) {
        Some((digits, len)) => {
            let end = out.len() + len;
            out.extend_from_slice(&digits.to_le_bytes());
            out.truncate(end);
        }
        None => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
    }
}

fn int(out: &mut Vec<u8>, n: i32) {
    if n < 0 {
        out.push(b'-');
    }
    uint(out, n.unsigned_abs() as usize);
}

/// The decimal digits of `n` if below 10^4, as ASCII in a little-endian word with the first
/// significant digit in the lowest byte, and how many there are. Two digits to a 16-bit
/// lane, then one to a byte, by multiplying by reciprocals (exact in these ranges:
/// n * 5243 >> 19 is n / 100 below 10^4, x * 103 >> 10 is x / 10 below 100).
#[inline(always)]
fn digits4(n: u32) -> Option<(u32, usize)> {
    if n >= 10_000 {
        return None;
    }
    let hundreds = (n * 5243) >> 19;
    let x = hundreds | (n - hundreds * 100) << 16;
    let tens = ((x * 103) >> 10) & 0x000f_000f;
    let x = tens | (x - tens * 10) << 8;
    // leading zeros are the low bytes; zero itself keeps one digit
    let zeros = (x.trailing_zeros() / 8).min(3);
    Some(((x + 0x3030_3030) >> (8 * zeros), 4 - zeros as usize))
}

/// [`digits4`] for `n` below 10^8: two lanes of four digits first (x * 10486 >> 20 is
/// x / 100 below 10^4).
#[inline(always)]
fn digits8(n: u32) -> Option<(u64, usize)> {
    if n >= 100_000_000 {
        return None;
    }
    let x = u64::from(n / 10_000) | u64::from(n % 10_000) << 32;
    let hundreds = ((x * 10486) >> 20) & 0x0000_007f_0000_007f;
    let x = hundreds | (x - hundreds * 100) << 16;
    let tens = ((x * 103) >> 10) & 0x000f_000f_000f_000f;
    let x = tens | (x - tens * 10) << 8;
    let zeros = (x.trailing_zeros() / 8).min(7);
    Some((
        (x + 0x3030_3030_3030_3030) >> (8 * zeros),
        8 - zeros as usize,
    ))
}

/// Whether JSON must escape `b`: '"', '\\' or a control byte (`b ^ 2` maps the control
/// bytes and '"' onto 0..=0x20 and nothing else there). Written without short-circuits, so
/// that sixteen of them compile to a few SSE2 instructions.
#[inline(always)]
fn escapable(b: u8) -> bool {
    ((b ^ 2) <= 0x20) | (b == b'\\')
}

/// Whether any of sixteen bytes must be escaped: a fold without branches, so a few SSE2
/// instructions.
#[inline(always)]
fn any_escapable(c: &[u8; 16]) -> bool {
    c.iter().fold(false, |any, &b| any | escapable(b))
}

/// Whether any of the sixteen bytes of `c` from `skip` on must be escaped: those before are
/// raised to 0x60 first, above every byte to escape.
#[inline(always)]
fn any_escapable_from(c: &[u8; 16], skip: usize) -> bool {
    // FLOOR[16 - skip + p] is 0x60 exactly when p < skip
    const FLOOR: [u8; 32] = {
        let mut f = [0; 32];
        let mut i = 0;
        while i < 16 {
            f[i] = 0x60;
            i += 1;
        }
        f
    };
    let floor = FLOOR
        .get(16 - skip.min(16)..)
        .and_then(|f| f.first_chunk::<16>())
        .unwrap_or(&[0x60; 16]);
    c.iter()
        .zip(floor)
        .fold(false, |any, (&b, &f)| any | escapable(b.max(f)))
}

/// A slice shorter than sixteen bytes padded with spaces to sixteen; `None` for a longer
/// slice.
#[inline(always)]
fn padded(bytes: &[u8]) -> Option<[u8; 16]> {
    let mut c = [b' '; 16];
    pad_into(&mut c, bytes).then_some(c)
}

/// Copies a slice shorter than sixteen bytes to the start of `c`, in two overlapping words
/// (the bytes both hold are the same) rather than a memcpy call; false, copying nothing,
/// for a longer slice.
#[inline(always)]
fn pad_into(c: &mut [u8; 16], bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n >= 16 {
        return false;
    }
    if let (Some(lo), Some(hi)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        c[..8].copy_from_slice(lo);
        c[n - 8..][..8].copy_from_slice(hi);
    } else if let (Some(lo), Some(hi)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        c[..4].copy_from_slice(lo);
        c[n - 4..][..4].copy_from_slice(hi);
    } else if let (Some(&first), Some(&middle), Some(&last)) =
        (bytes.first(), bytes.get(n / 2), bytes.last())
    {
        // one to three bytes: the first, the middle and the last cover them
        c[0] = first;
        c[n / 2] = middle;
        c[n - 1] = last;
    }
    true
}

/// The first byte at or after `from` that JSON must escape, or `bytes.len()`. Sixteen bytes
/// at a time, then the sixteen that end the slice less those before `k`; only sixteen bytes
/// known to hold such a byte are searched one by one.
fn find_escape(bytes: &[u8], from: usize) -> usize {
    let n = bytes.len();
    let rest = bytes.get(from..).unwrap_or_default();
    let mut k = from;
    let mut hit = false;
    for c in rest.chunks_exact(16) {
        hit = c.try_into().is_ok_and(any_escapable);
        if hit {
            break;
        }
        k += 16;
    }
    if !hit {
        let clean = match bytes.last_chunk::<16>() {
            Some(c) => !any_escapable_from(c, k + 16 - n),
            None => padded(rest).is_some_and(|c| !any_escapable(&c)),
        };
        if clean {
            return n;
        }
    }
    let rest = bytes.get(k..).unwrap_or_default();
    k + rest
        .iter()
        .position(|&b| escapable(b))
        .unwrap_or(rest.len())
}

/// How many leading bytes are known to need no escape: all, or those before the sixteen
/// that hold the first that does (0 for a short slice that holds one).
#[inline(always)]
fn clean_prefix(bytes: &[u8]) -> usize {
    let chunks = bytes.chunks_exact(16);
    let tail = chunks.remainder().len();
    let mut k = 0;
    for c in chunks {
        if c.try_into().is_ok_and(any_escapable) {
            return k;
        }
        k += 16;
    }
    let clean = match bytes.last_chunk::<16>() {
        // the last few bytes in the sixteen that end the slice, the others passed above
        Some(c) => tail == 0 || !any_escapable(c),
        None => padded(bytes).is_some_and(|c| !any_escapable(&c)),
    };
    if clean {
        bytes.len()
    } else {
        k
    }
}

/// One of the model's fixed names (a level, a kind, a cue class, a factor and its rule
/// key, a severity: lower-case identifiers), written without looking for bytes to escape.
/// The debug assertion holds every name the tests see to that.
#[inline(always)]
fn name(out: &mut Vec<u8>, s: &'static str) {
    debug_assert!(
        s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'),
        "{s:?} needs escaping"
    );
    let bytes = s.as_bytes();
    let n = bytes.len();
    // up to 32 bytes: stored with the quotes at once in place of a memcpy call, from
    // overlapping loads into a buffer of quotes, and cut to length after
    let end = out.len() + n + 2;
    if n < 16 {
        let mut q = [b'"'; 18];
        if let Some(c) = q.get_mut(1..17).and_then(|c| c.first_chunk_mut::<16>()) {
            pad_into(c, bytes);
        }
        out.extend_from_slice(&q);
        out.truncate(end);
    } else if let (true, Some(lo), Some(hi)) =
        (n <= 32, bytes.first_chunk::<16>(), bytes.last_chunk::<16>())
    {
        let mut q = [b'"'; 34];
        q[1..17].copy_from_slice(lo);
        q[n - 15..][..16].copy_from_slice(hi);
        out.extend_from_slice(&q);
        out.truncate(end);
    } else {
        quoted_long_name(out, bytes);
    }
}

/// A name longer than 32 bytes (none is, today).
#[cold]
#[inline(never)]
fn quoted_long_name(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(bytes);
    out.push(b'"');
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b \f \n \r \t`, and `\u00XX`
/// (lower-case hex) for other control bytes; everything else as is.
pub fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // a string shorter than sixteen bytes with none to escape, the common case: the quotes
    // and the bytes padded with spaces, stored at once in place of a memcpy call and cut to
    // length after
    let mut q = [b' '; 18];
    q[0] = b'"';
    if let Some(c) = q.get_mut(1..17).and_then(|c| c.first_chunk_mut::<16>()) {
        if pad_into(c, bytes) && !any_escapable(c) {
            if let Some(b) = q.get_mut(bytes.len() + 1) {
                *b = b'"';
            }
            let end = out.len() + bytes.len() + 2;
            out.extend_from_slice(&q);
            out.truncate(end);
            return;
        }
    }
    quoted(out, bytes);
}

/// [`string`] of sixteen bytes or more, or fewer that hold one to escape.
#[inline(never)]
fn quoted(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let clean = clean_prefix(bytes);
    out.extend_from_slice(bytes.get(..clean).unwrap_or_default());
    if clean < bytes.len() {
        escaped(out, bytes, clean);
    }
    out.push(b'"');
}

/// The bytes of a string from `run` on, which hold one to escape.
#[cold]
fn escaped(out: &mut Vec<u8>, bytes: &[u8], mut run: usize) {
    loop {
        let i = find_escape(bytes, run);
        out.extend_from_slice(bytes.get(run..i).unwrap_or_default());
        let Some(&b) = bytes.get(i) else { break };
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
        run = i + 1;
    }
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

    /// The bytes JSON must escape, written the plain way.
    fn must_escape(b: u8) -> bool {
        b == b'"' || b == b'\\' || b < 0x20
    }

    #[test]
    fn the_escapable_byte_test_is_exact_on_every_byte() {
        for b in 0..=255u8 {
            assert_eq!(escapable(b), must_escape(b), "byte {b:#x}");
            // alone among plain bytes in every place of sixteen, and from every skip
            for at in 0..16 {
                let mut c = [b'a'; 16];
                c[at] = b;
                assert_eq!(any_escapable(&c), must_escape(b), "{b:#x} at {at}");
                for skip in 0..=16 {
                    let want = must_escape(b) && at >= skip;
                    assert_eq!(
                        any_escapable_from(&c, skip),
                        want,
                        "{b:#x} at {at}, skip {skip}"
                    );
                }
            }
        }
    }

    #[test]
    fn short_slices_are_padded_with_spaces_in_order() {
        let text = b"0123456789abcdefghij";
        for n in 0..=text.len() {
            let got = padded(&text[..n]);
            if n < 16 {
                let mut want = [b' '; 16];
                want[..n].copy_from_slice(&text[..n]);
                assert_eq!(got, Some(want), "length {n}");
            } else {
                assert_eq!(got, None, "length {n}");
            }
        }
    }

    #[test]
    fn the_escape_search_finds_the_first_such_byte_from_every_start() {
        let slow = |bytes: &[u8], from: usize| {
            (from..bytes.len())
                .find(|&k| must_escape(bytes[k]))
                .unwrap_or(bytes.len())
        };
        // every length across one, two and three chunks; no such byte, one in every place,
        // and two (one to pass, one to find), with plain bytes that border the ones to escape
        for len in 0..=50 {
            let mut cases = vec![vec![b'x'; len]];
            for at in 0..len {
                for b in [b'"', b'\\', 0, 0x1f, b'\n'] {
                    let mut bytes = vec![b'#'; len];
                    bytes[at] = b;
                    cases.push(bytes.clone());
                    bytes[len - 1 - at / 2] = b'"';
                    cases.push(bytes);
                }
            }
            for bytes in &cases {
                for from in 0..=len {
                    assert_eq!(
                        find_escape(bytes, from),
                        slow(bytes, from),
                        "{bytes:?} from {from}"
                    );
                }
                let clean = clean_prefix(bytes);
                let first = slow(bytes, 0);
                assert!(clean <= first, "{bytes:?}: clean {clean}, first {first}");
                if first == len {
                    assert_eq!(clean, len, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn every_length_and_place_of_an_escape_is_written_as_serde_json_does() {
        // plain ASCII and two-byte letters around each byte to escape, at every place of the
        // short path, of whole chunks and of the tail read in the last sixteen
        for fill in ["x", "é"] {
            for len in 0..=40 {
                let plain = fill.repeat(len);
                let mut cases = vec![plain.clone()];
                for at in (0..=plain.len()).filter(|&k| plain.is_char_boundary(k)) {
                    for e in ["\"", "\\", "\u{0}", "\u{1f}", "\n", "\t"] {
                        let mut s = plain.clone();
                        s.insert_str(at, e);
                        cases.push(s.clone());
                        s.push('"');
                        cases.push(s);
                    }
                }
                for s in &cases {
                    let mut out = b"prefix".to_vec();
                    string(&mut out, s);
                    let mut want = b"prefix".to_vec();
                    want.extend(serde_string(s));
                    assert_eq!(out, want, "for {s:?}");
                }
            }
        }
    }

    #[test]
    fn names_of_every_length_are_written_as_serde_json_does() {
        // the short copy, the two overlapping halves and the plain path past 32 bytes
        const ALL: &str = "attribution_strength_of_the_source_named_in_the_claim";
        for n in 0..=ALL.len() {
            let name_ = &ALL[..n];
            let mut out = b"prefix".to_vec();
            name(&mut out, name_);
            let mut want = b"prefix".to_vec();
            want.extend(serde_string(name_));
            assert_eq!(out, want, "for {name_:?}");
        }
    }

    #[test]
    fn numbers_are_written_as_itoa_does() {
        // every number below 10^6 (the one-digit, four-digit and eight-digit paths and their
        // edges), then a spread up to and past 10^8 and the extremes
        let spread = (0..2000u64).map(|k| k * k * 49_991 % 1_000_000_007);
        let edges = [99_999_999, 100_000_000, 4_294_967_295, 4_294_967_296];
        for n in (0..1_000_000).chain(spread).chain(edges).chain([u64::MAX]) {
            let Ok(n) = usize::try_from(n) else { continue };
            let mut out = b"prefix".to_vec();
            uint(&mut out, n);
            assert_eq!(out, format!("prefix{n}").as_bytes(), "{n}");
        }
        for n in (-100_000..100_000).chain([i32::MIN, i32::MIN + 1, i32::MAX]) {
            let mut out = b"prefix".to_vec();
            int(&mut out, n);
            assert_eq!(out, format!("prefix{n}").as_bytes(), "{n}");
        }
        // the eight-digit word on every four-digit half, above and below
        for half in 0..10_000u32 {
            for n in [half, half * 10_000, half * 10_000 + 9_999, half * 10_001] {
                let (digits, len) = digits8(n).unwrap_or_default();
                assert_eq!(
                    &digits.to_le_bytes()[..len],
                    n.to_string().as_bytes(),
                    "{n}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_written_as_serde_json_does(s in "(.|\\PC|[\"\\\\\\x00-\\x1f]){0,70}") {
            let mut out = Vec::new();
            string(&mut out, &s);
            proptest::prop_assert_eq!(out, serde_string(&s));
        }
    }
}
