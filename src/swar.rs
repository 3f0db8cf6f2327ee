//! Byte work eight bytes at a time in a `u64` ("SIMD within a register"), for the few hot
//! loops that look for one of a handful of bytes (digits in the flag checks, a letter in the
//! article checks, the end of a key in the corpus-line parser), lower-case short words (the
//! scan, the tokenizer) or find where a word's ASCII letters and digits end (the tokenizer,
//! the article checks' quotation words), where a byte loop's exit, different for every
//! word, was mispredicted.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` equal to `b` (exact for the lowest such byte; bytes
/// above a match may be flagged too, which a search for the first match never sees).
#[inline]
pub(crate) fn equal(x: u64, b: u8) -> u64 {
    let y = x ^ (ONES * b as u64);
    y.wrapping_sub(ONES) & !y & HIGHS
}

/// The high bit of each byte of `x` below `n` (at most 0x80), exact for the lowest such byte.
#[inline]
pub(crate) fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * n as u64) & !x & HIGHS
}

/// The high bit of each ASCII digit of `x`, exact for the lowest: with 0x30 flipped off, a
/// byte is below 10 exactly when it was a digit (a space becomes 0x10).
#[inline]
pub(crate) fn digit(x: u64) -> u64 {
    below(x ^ (ONES * 0x30), 10)
}

/// Each ASCII upper-case letter of `x` made lower case, exactly, byte by byte (no carry
/// crosses a byte: each sum stays below 0x100).
#[inline]
pub(crate) fn ascii_lower(x: u64) -> u64 {
    let low7 = x & !HIGHS;
    let from_a = low7.wrapping_add(ONES * (0x80 - b'A' as u64));
    let past_z = low7.wrapping_add(ONES * (0x7f - b'Z' as u64));
    let upper = from_a & !past_z & !x & HIGHS;
    x | (upper >> 2)
}

/// The high bit of each ASCII letter or digit of `x`, and of each upper-case letter among
/// them, exactly, byte by byte (as [`ascii_lower`], no carry crosses a byte).
#[inline]
pub(crate) fn ascii_alnum(x: u64) -> (u64, u64) {
    let low7 = x & !HIGHS;
    let from = |b: u8| low7.wrapping_add(ONES * (0x80 - b as u64));
    let past = |b: u8| low7.wrapping_add(ONES * (0x7f - b as u64));
    let ascii = !x & HIGHS;
    let upper = from(b'A') & !past(b'Z') & ascii;
    let lower = from(b'a') & !past(b'z');
    let digit = from(b'0') & !past(b'9');
    ((upper | ((lower | digit) & ascii)) & HIGHS, upper & HIGHS)
}

/// The end of the run of ASCII letters and digits at `from`: eight bytes at a time while
/// eight are left (most words end inside the first eight), then a byte at a time.
#[inline]
pub(crate) fn ascii_alnum_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let stop = !ascii_alnum(u64::from_le_bytes(eight)).0 & HIGHS;
        if stop != 0 {
            return i + stop.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
        i += 1;
    }
    i
}

/// The first byte at or after `from` that `hits` flags, or `bytes.len()`. `hits` maps eight
/// bytes (little-endian) to the high bits of the bytes it is looking for, exact for the
/// lowest. The last few bytes are read in the eight that end the slice when eight or more
/// were read before them (bytes passed match nothing, so they flag nothing); fewer than
/// eight bytes from `from` are padded with spaces, so `hits` must not flag a space.
#[inline]
pub(crate) fn find(bytes: &[u8], from: usize, hits: impl Fn(u64) -> u64) -> usize {
    let load = |at: usize| {
        u64::from_le_bytes(
            bytes
                .get(at..at + 8)
                .and_then(|c| c.try_into().ok())
                .unwrap_or([b' '; 8]),
        )
    };
    let mut k = from;
    while k + 8 <= bytes.len() {
        let h = hits(load(k));
        if h != 0 {
            return k + (h.trailing_zeros() / 8) as usize;
        }
        k += 8;
    }
    if k >= bytes.len() {
        return bytes.len();
    }
    let (at, x) = if k > from {
        // the last eight bytes: those before `k` were read above and match nothing
        let at = bytes.len() - 8;
        (at, load(at))
    } else {
        // fewer than eight bytes from `from`, padded with spaces
        let mut tail = [b' '; 8];
        tail[..bytes.len() - k].copy_from_slice(&bytes[k..]);
        (k, u64::from_le_bytes(tail))
    };
    match hits(x) {
        0 => bytes.len(),
        h => at + (h.trailing_zeros() / 8) as usize,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_lower_lower_cases_each_byte_as_u8_does() {
        // every byte value in every position, beside neighbours that could carry into it
        for b in 0..=255u8 {
            for pos in 0..8 {
                for fill in [0u8, b'A', b'Z', b'z', 0x7f, 0x80, 0xff] {
                    let mut bytes = [fill; 8];
                    bytes[pos] = b;
                    let want = bytes.map(|c| c.to_ascii_lowercase());
                    let got = ascii_lower(u64::from_le_bytes(bytes)).to_le_bytes();
                    assert_eq!(got, want, "byte {b:#x} at {pos} among {fill:#x}");
                }
            }
        }
    }

    #[test]
    fn ascii_alnum_flags_each_letter_digit_and_capital_as_u8_does() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                for fill in [0u8, b'0', b'9', b'A', b'Z', b'a', b'z', 0x7f, 0x80, 0xff] {
                    let mut bytes = [fill; 8];
                    bytes[pos] = b;
                    let (alnum, upper) = ascii_alnum(u64::from_le_bytes(bytes));
                    let (alnum, upper) = (alnum.to_le_bytes(), upper.to_le_bytes());
                    for k in 0..8 {
                        let c = bytes[k];
                        assert_eq!(alnum[k] == 0x80, c.is_ascii_alphanumeric(), "{c:#x} at {k}");
                        assert_eq!(upper[k] == 0x80, c.is_ascii_uppercase(), "{c:#x} at {k}");
                        assert_eq!(alnum[k] & 0x7f, 0);
                        assert_eq!(upper[k] & 0x7f, 0);
                    }
                }
            }
        }
    }

    #[test]
    fn ascii_alnum_end_stops_where_a_byte_loop_stops() {
        let slow = |b: &[u8], from: usize| {
            (from..b.len())
                .find(|&k| !b[k].is_ascii_alphanumeric())
                .unwrap_or(b.len())
        };
        let text =
            "Ministry2024 said: über-long wordsthatrunpasteightbytes, a \"quote\" é9 x".as_bytes();
        for from in 0..=text.len() {
            assert_eq!(ascii_alnum_end(text, from), slow(text, from), "from {from}");
        }
        // a stop byte of every value at every place of a run of every length up to 20
        for len in 0..20 {
            for b in 0..=255u8 {
                let mut bytes = vec![b'k'; len];
                bytes.push(b);
                bytes.extend_from_slice(b"tail");
                assert_eq!(
                    ascii_alnum_end(&bytes, 0),
                    slow(&bytes, 0),
                    "{b:#x} after {len}"
                );
            }
        }
    }

    #[test]
    fn each_test_flags_exactly_the_first_matching_byte() {
        // with the non-ASCII bytes (their high bit) as a third kind of match
        let mark = |x: u64| equal(x, b'"') | below(x, 0x20) | (x & HIGHS);
        let slow = |bytes: &[u8], from: usize| {
            (from..bytes.len())
                .find(|&k| bytes[k] == b'"' || bytes[k] < 0x20 || bytes[k] >= 0x80)
                .unwrap_or(bytes.len())
        };
        let text = "plain words, then \"a quote\"\tand “curly” ones, a\nline break, \
                    \u{1}control and the end"
            .as_bytes();
        for from in 0..=text.len() {
            assert_eq!(find(text, from, mark), slow(text, from), "from {from}");
        }
        // a match in every position of a word, with matches and non-matches above it
        for at in 0..8 {
            for b in [b'"', 0u8, 0x1f, 0x80, 0xff] {
                let mut w = *b"abcdefgh";
                w[at] = b;
                if at < 7 {
                    w[7] = b'"';
                }
                assert_eq!(find(&w, 0, mark), at);
            }
        }
        // digits: every byte value, alone and after a digit-free run
        for b in 0..=255u8 {
            let bytes = [b'a', b'b', b'c', b'd', b'e', b'f', b'g', b'h', b'i', b];
            let want = if b.is_ascii_digit() { 9 } else { 10 };
            assert_eq!(find(&bytes, 0, digit), want, "byte {b:#x}");
            assert_eq!(find(&bytes[9..], 0, digit), want - 9, "byte {b:#x} alone");
        }
        assert_eq!(find(b"in 2024, 4.5 percent", 0, digit), 3);
        assert_eq!(find(b"no figures here at all", 0, digit), 22);
        assert_eq!(find(b"", 0, mark), 0);
        assert_eq!(find(b"short", 0, mark), 5);
        // every length and start, a match at every place, and none: the short padded slice,
        // the last eight bytes read over ones already passed, and a whole number of words
        for len in 0..=20 {
            for at in (0..len).map(Some).chain([None]) {
                let mut bytes = vec![b'x'; len];
                if let Some(at) = at {
                    bytes[at] = b'"';
                }
                for from in 0..=len {
                    assert_eq!(
                        find(&bytes, from, mark),
                        slow(&bytes, from),
                        "len {len}, match at {at:?}, from {from}"
                    );
                }
            }
        }
    }
}
