//! Encodings the protocol needs: base64url without padding (RFC 7515 §2, the base64 crate) and the
//! `application/x-www-form-urlencoded` form of query strings and POST bodies.

use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::Error;

use crate::prelude::*;

/// Base64url without padding (RFC 4648 §5, as RFC 7515 §2 uses it), by the base64 crate.
/// Decoding is strict: no padding, no standard-alphabet characters, no trailing bits (RFC 4648
/// §3.5), so each byte string has exactly one accepted encoding.
pub mod base64url {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    use crate::prelude::*;

    pub fn encode(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn decode(text: &str) -> Option<Vec<u8>> {
        URL_SAFE_NO_PAD.decode(text).ok()
    }
}

/// ASCII digits only (no sign, no space) as a `u64`; None when empty, anything else, or too
/// large. By hand: `str::parse` brings its generic integer parser into the wasm.
pub fn parse_decimal(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// `n` in decimal. By hand: `to_string` goes through `core::fmt` and its padding code.
pub fn decimal(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|d| char::from(*d)).collect()
}

/// `parts` with `separator` between them; `[&str]::join` is a generic copy loop several
/// times this size in wasm.
pub fn join<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

/// The concatenation of `parts`, allocated once: each `String + &str` of a message costs the
/// wasm its own capacity check and copy at every use, one call of this does not.
#[inline(never)]
pub fn cat(parts: &[&str]) -> String {
    join(parts, "")
}

/// `text` split around the first `needle`. A plain scan on purpose: `str::split_once` with a
/// string pattern brings in the Two-Way searcher, about 2 KB of wasm, for the two short
/// needles the core looks for.
pub fn split_once<'a>(text: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = (0..text.len()).find(|&i| text.as_bytes()[i..].starts_with(needle.as_bytes()))?;
    Some((text.get(..at)?, text.get(at + needle.len()..)?))
}

/// `text` split at every `sep` (an ASCII byte). One byte-wise splitter for every caller: a
/// `char` pattern brings in std's memchr-based searcher.
pub fn pieces(text: &str, sep: u8) -> impl Iterator<Item = &str> + '_ {
    text.split(move |c: char| c as u32 == u32::from(sep))
}

/// `text` without the ASCII byte `b` repeated at its end.
pub fn trim_end_byte(text: &str, b: u8) -> &str {
    let end = text.len() - text.bytes().rev().take_while(|&x| x == b).count();
    text.get(..end).unwrap_or(text)
}

/// Whether `text` contains the ASCII byte `b`.
pub fn has(text: &str, b: u8) -> bool {
    text.bytes().any(|x| x == b)
}

/// The first `n` characters of `text`. A plain scan on purpose: `chars().take(n).collect()`
/// brings in std's character counting, about 1 KB of wasm.
pub fn prefix_chars(text: &str, n: usize) -> &str {
    match text
        .char_indices()
        .map(|(i, _)| i)
        .enumerate()
        .find(|&(k, _)| k == n)
    {
        Some((_, end)) => text.get(..end).unwrap_or(text),
        None => text,
    }
}

/// Longest query, fragment or form body the widget will read. Real responses are a few KiB;
/// anything larger is hostile or broken.
pub const MAX_PARAMS_LEN: usize = 64 * 1024;

/// Everything but RFC 3986 unreserved characters (ALPHA / DIGIT / "-" / "." / "_" / "~").
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value survives any
/// server's query parser byte for byte (space is `%20`, never `+`).
pub fn encode_component(value: &str, out: &mut String) {
    out.extend(utf8_percent_encode(value, NOT_UNRESERVED));
}

/// Builds `k=v&k=v` in insertion order.
#[derive(Default)]
pub struct FormEncoder {
    out: String,
}

impl FormEncoder {
    pub fn with_prefix(prefix: &str) -> Self {
        Self {
            out: prefix.to_owned(),
        }
    }

    pub fn pair(&mut self, key: &str, value: &str) -> &mut Self {
        if !self.out.is_empty() && !self.out.ends_with(['?', '&']) {
            self.out.push('&');
        }
        encode_component(key, &mut self.out);
        self.out.push('=');
        encode_component(value, &mut self.out);
        self
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Parses `a=1&b=2` (a query without its `?`, a fragment without its `#`, or a form body).
/// `+` is a space; malformed escapes and non-UTF-8 bytes are errors, not guesses.
pub fn parse_params(input: &str) -> Result<Vec<(String, String)>, Error> {
    if input.len() > MAX_PARAMS_LEN {
        return Err(Error::MalformedResponse(cat(&[
            "parameters are longer than ",
            &decimal(MAX_PARAMS_LEN as u64),
            " bytes",
        ])));
    }
    pieces(input, b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = split_once(pair, "=").unwrap_or((pair, ""));
            Ok((decode_component(k)?, decode_component(v)?))
        })
        .collect()
}

/// One name or value of a query, fragment or form body: `+` is a space (the form encoding's
/// rule), then the percent-encoding crate decodes the escapes. An escape that is not two hex
/// digits, which that crate would pass through as text, is an error here, as are bytes that
/// are not UTF-8.
pub(crate) fn decode_component(text: &str) -> Result<String, Error> {
    let bytes = text.as_bytes();
    let broken_escape = bytes.iter().enumerate().any(|(i, b)| {
        *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if broken_escape {
        return Err(Error::MalformedResponse(
            "a percent escape is not two hex digits".into(),
        ));
    }
    let spaced: Vec<u8> = bytes
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let decoded: Vec<u8> = percent_decode(&spaced).collect();
    utf8(&decoded).ok_or_else(|| Error::MalformedResponse("a parameter is not valid UTF-8".into()))
}

/// The text of `bytes` when they are UTF-8 (RFC 3629: shortest forms only, no surrogates,
/// nothing past U+10FFFF), as core's validator reads it.
pub fn utf8(bytes: &[u8]) -> Option<String> {
    core::str::from_utf8(bytes).ok().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_escapes_and_non_utf8_are_errors() {
        assert_eq!(decode_component("a+b%20c%C3%A9"), Ok("a b cé".to_owned()));
        for bad in ["%", "%2", "%ZZ", "a%2Gb", "%FF", "%C3"] {
            assert!(decode_component(bad).is_err(), "{bad}");
        }
    }

    fn encoded(value: &str) -> String {
        let mut s = String::new();
        encode_component(value, &mut s);
        s
    }

    #[test]
    fn encodes_everything_but_unreserved_characters() {
        assert_eq!(encoded("aZ09-._~"), "aZ09-._~");
        assert_eq!(encoded("a b+c&d=e/f?g#h"), "a%20b%2Bc%26d%3De%2Ff%3Fg%23h");
        assert_eq!(encoded("https://x/cb"), "https%3A%2F%2Fx%2Fcb");
        assert_eq!(encoded("é"), "%C3%A9");
        assert_eq!(encoded("é ü😀x"), "%C3%A9%20%C3%BC%F0%9F%98%80x");
        assert_eq!(encoded("😀"), "%F0%9F%98%80");
        assert_eq!(encoded(""), "");
        assert_eq!(encoded("a%"), "a%25");
    }

    #[test]
    fn form_encoder_joins_pairs_after_a_prefix() {
        let mut f = FormEncoder::with_prefix("https://a/authorize?");
        f.pair("a", "1").pair("b", "x y");
        assert_eq!(f.finish(), "https://a/authorize?a=1&b=x%20y");
        let mut body = FormEncoder::default();
        body.pair("grant_type", "authorization_code");
        assert_eq!(body.finish(), "grant_type=authorization_code");
    }

    #[test]
    fn parses_plus_and_percent_escapes() {
        let p = parse_params("a=x+y&b=%C3%A9%26&c&=v").expect("valid");
        assert_eq!(
            p,
            vec![
                ("a".into(), "x y".into()),
                ("b".into(), "é&".into()),
                ("c".into(), "".into()),
                ("".into(), "v".into()),
            ]
        );
    }

    #[test]
    fn rejects_bad_escapes_non_utf8_and_oversized_input() {
        assert!(matches!(
            parse_params("a=%G1"),
            Err(Error::MalformedResponse(_))
        ));
        assert!(matches!(
            parse_params("a=%4"),
            Err(Error::MalformedResponse(_))
        ));
        assert!(matches!(
            parse_params("a=%FF"),
            Err(Error::MalformedResponse(_))
        ));
        let big = "a=".to_owned() + &"x".repeat(MAX_PARAMS_LEN);
        assert!(matches!(
            parse_params(&big),
            Err(Error::MalformedResponse(_))
        ));
    }

    #[test]
    fn base64url_is_strict() {
        assert_eq!(base64url::encode(b"\xfb\xff"), "-_8");
        assert_eq!(base64url::decode("-_8").as_deref(), Some(&b"\xfb\xff"[..]));
        assert_eq!(base64url::decode("+/8"), None);
        assert_eq!(base64url::decode("-_8="), None);
        assert_eq!(base64url::decode("QQ"), Some(vec![0x41]));
        // Padding, trailing bits, a lone character, a space: RFC 4648 §3.5's one encoding.
        for bad in ["QQ==", "QR", "Q", "QQ QQ"] {
            assert_eq!(base64url::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_decimal_takes_digits_only() {
        assert_eq!(parse_decimal("0"), Some(0));
        assert_eq!(parse_decimal("3600"), Some(3600));
        assert_eq!(parse_decimal("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "+5",
            "-1",
            " 5",
            "5 ",
            "1e3",
            "1.0",
            "18446744073709551616",
            "٣",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn prefix_chars_counts_characters_not_bytes() {
        assert_eq!(prefix_chars("", 3), "");
        assert_eq!(prefix_chars("abc", 0), "");
        assert_eq!(prefix_chars("abc", 5), "abc");
        assert_eq!(prefix_chars("éclair", 1), "é");
        assert_eq!(prefix_chars("日本語テキスト", 3), "日本語");
        assert_eq!(prefix_chars("a😀b", 2), "a😀");
    }

    #[test]
    fn joins_with_a_separator() {
        assert_eq!(join::<&str>(&[], "&"), "");
        assert_eq!(join(&["a"], "&"), "a");
        assert_eq!(join(&["a", "", "c"], "&"), "a&&c");
        assert_eq!(join(&["x", "y"], ""), "xy");
    }

    #[test]
    fn writes_decimals() {
        for n in [0, 7, 10, 3600, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn split_once_finds_the_first_needle_only() {
        assert_eq!(split_once("a://b://c", "://"), Some(("a", "b://c")));
        assert_eq!(split_once("%s", "%s"), Some(("", "")));
        assert_eq!(split_once("é%sé", "%s"), Some(("é", "é")));
        assert_eq!(split_once("abc", "://"), None);
        assert_eq!(split_once("", "x"), None);
    }

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        // RFC 4648 §10, without the padding.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url::encode(plain.as_bytes()), encoded);
            assert_eq!(
                base64url::decode(encoded).as_deref(),
                Some(plain.as_bytes())
            );
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(base64url::decode(&base64url::encode(&all)), Some(all));
    }

    #[test]
    fn base64url_refuses_trailing_bits_and_impossible_lengths() {
        // "Zh" would decode to "f" too, but its last character carries bits that are not zero.
        assert_eq!(base64url::decode("Zh"), None);
        assert_eq!(base64url::decode("Zm9"), None, "the canonical form is Zm8");
        assert_eq!(base64url::decode("Zm9w"), Some(b"fop".to_vec()));
        assert_eq!(base64url::decode("Zm8x1"), None);
        assert_eq!(base64url::decode("Z"), None);
        assert_eq!(base64url::decode("Zm 9"), None);
        assert_eq!(base64url::decode("Zé"), None);
    }
}
