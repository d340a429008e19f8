//! The servers' nonces (RFC 9449 §8, §9): which text is a nonce, the last one each server
//! gave, and when a request goes once more with it.

use super::super::web_url::{self, UrlParser};

use crate::prelude::*;

/// The error code a server answers with when it wants a nonce in the proof (RFC 9449 §8, §9).
pub const USE_DPOP_NONCE: &str = "use_dpop_nonce";

/// A nonce a server gave in its `DPoP-Nonce` header (RFC 9449 §8.1: `1*NQCHAR`, printable
/// ASCII without `"` and `\`); anything else is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DpopNonce(String);

impl DpopNonce {
    pub fn parse(text: &str) -> Option<Self> {
        let nqchar = |b: u8| matches!(b, 0x21 | 0x23..=0x5b | 0x5d..=0x7e);
        (!text.is_empty() && text.bytes().all(nqchar)).then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The last nonce each server gave, by origin (RFC 9449 §8.2: a server may ask for its own
/// nonce in every proof; sending the last one spares a refused request each time).
#[derive(Debug, Default)]
pub struct NonceBook(Vec<(String, DpopNonce)>);

impl NonceBook {
    /// The nonce of the server `url` is on, if it gave one.
    pub fn for_url(&self, urls: &dyn UrlParser, url: &str) -> Option<DpopNonce> {
        let origin = web_url::http(urls, url).ok()?.origin;
        self.0
            .iter()
            .find(|(o, _)| *o == origin)
            .map(|(_, n)| n.clone())
    }

    /// Keeps the `DPoP-Nonce` the server at `url` answered with, if it is a nonce.
    pub fn remember(&mut self, urls: &dyn UrlParser, url: &str, header: Option<&str>) {
        let (Some(nonce), Ok(url)) = (header.and_then(DpopNonce::parse), web_url::http(urls, url))
        else {
            return;
        };
        self.0.retain(|(o, _)| *o != url.origin);
        self.0.push((url.origin, nonce));
    }
}

/// RFC 9449 §8: the authorization server answered 400 with `use_dpop_nonce` and a
/// `DPoP-Nonce`: the request goes again, once, with a new proof carrying that nonce. A
/// second such answer, or one without a usable nonce, is the error it says.
pub fn token_endpoint_retry(
    status: u16,
    error: Option<&str>,
    nonce_header: Option<&str>,
    already_retried: bool,
) -> Option<DpopNonce> {
    if already_retried || status != 400 || error != Some(USE_DPOP_NONCE) {
        return None;
    }
    DpopNonce::parse(nonce_header?)
}

/// RFC 9449 §9: a resource server answered 401 with a `WWW-Authenticate` challenge of the
/// DPoP scheme whose `error` is `use_dpop_nonce`, and a `DPoP-Nonce`: tried again once.
pub fn resource_retry(
    status: u16,
    www_authenticate: Option<&str>,
    nonce_header: Option<&str>,
    already_retried: bool,
) -> Option<DpopNonce> {
    if already_retried || status != 401 {
        return None;
    }
    let asks = challenges(www_authenticate?)
        .iter()
        .any(|(scheme, params)| {
            scheme.eq_ignore_ascii_case("DPoP")
                && params.iter().any(|(name, value)| {
                    name.eq_ignore_ascii_case("error") && value == USE_DPOP_NONCE
                })
        });
    if !asks {
        return None;
    }
    DpopNonce::parse(nonce_header?)
}

/// A byte of an HTTP token (RFC 9110 §5.6.2's `tchar`): a method, an auth scheme, a
/// parameter's name.
pub(super) fn tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The challenges of a `WWW-Authenticate` value (RFC 9110 §11.6.1): each scheme with its
/// auth-params (names as sent, quoted values unescaped). A token68 is skipped.
#[allow(clippy::type_complexity)]
fn challenges(header: &str) -> Vec<(String, Vec<(String, String)>)> {
    let bytes = header.as_bytes();
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut i = 0;
    let skip = |i: &mut usize, what: &dyn Fn(u8) -> bool| {
        while *i < bytes.len() && what(bytes[*i]) {
            *i += 1;
        }
    };
    while i < bytes.len() {
        skip(&mut i, &|b| b == b' ' || b == b'\t' || b == b',');
        let start = i;
        skip(&mut i, &|b| tchar(b) || b == b'/');
        if i == start {
            // Not a token (a stray `=` of a token68): step over it.
            i += 1;
            continue;
        }
        let name = &header[start..i];
        let mut after = i;
        skip(&mut after, &|b| b == b' ' || b == b'\t');
        if after < bytes.len() && bytes[after] == b'=' {
            i = after + 1;
            skip(&mut i, &|b| b == b' ' || b == b'\t');
            let mut value = String::new();
            if i < bytes.len() && bytes[i] == b'"' {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' && i + 1 < bytes.len() {
                        i += 1;
                    }
                    value.push(char::from(bytes[i]));
                    i += 1;
                }
                i += 1;
            } else {
                let begin = i;
                skip(&mut i, &tchar);
                value.push_str(&header[begin..i]);
            }
            if let Some((_, params)) = out.last_mut() {
                params.push((name.to_owned(), value));
            }
        } else {
            out.push((name.to_owned(), Vec::new()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::web_url::Whatwg;

    #[test]
    fn a_token_request_is_tried_again_once_with_the_servers_nonce() {
        let retry = |status, error, nonce, retried| {
            token_endpoint_retry(status, error, nonce, retried).map(|n| n.0)
        };
        assert_eq!(
            retry(400, Some("use_dpop_nonce"), Some("n-1"), false),
            Some("n-1".into())
        );
        // Once only: the second answer of the kind is the error.
        assert_eq!(retry(400, Some("use_dpop_nonce"), Some("n-2"), true), None);
        // Another error, another status, or no (usable) nonce: no retry.
        assert_eq!(retry(400, Some("invalid_grant"), Some("n"), false), None);
        assert_eq!(retry(401, Some("use_dpop_nonce"), Some("n"), false), None);
        assert_eq!(retry(400, Some("use_dpop_nonce"), None, false), None);
        assert_eq!(retry(400, Some("use_dpop_nonce"), Some("a b"), false), None);
        assert_eq!(retry(400, Some("use_dpop_nonce"), Some(""), false), None);
        assert_eq!(
            retry(400, Some("use_dpop_nonce"), Some("a\"b"), false),
            None
        );
    }

    #[test]
    fn a_resource_request_is_tried_again_on_the_dpop_schemes_nonce_challenge() {
        let retry = |status, header, nonce, retried| {
            resource_retry(status, header, nonce, retried).map(|n| n.0)
        };
        let challenge = r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#;
        assert_eq!(
            retry(401, Some(challenge), Some("eyJ7S_zG"), false),
            Some("eyJ7S_zG".into())
        );
        assert_eq!(retry(401, Some(challenge), Some("eyJ7S_zG"), true), None);
        assert_eq!(retry(403, Some(challenge), Some("eyJ7S_zG"), false), None);
        assert_eq!(retry(401, Some(challenge), None, false), None);
        // Several challenges: only the DPoP scheme's error counts.
        assert_eq!(
            retry(
                401,
                Some(
                    r#"Bearer realm="api", error="use_dpop_nonce", dpop algs="ES256", Error=use_dpop_nonce"#
                ),
                Some("n"),
                false
            ),
            Some("n".into())
        );
        assert_eq!(
            retry(
                401,
                Some(r#"Bearer realm="api", error="use_dpop_nonce", DPoP algs="ES256""#),
                Some("n"),
                false
            ),
            None
        );
        assert_eq!(
            retry(401, Some(r#"DPoP error="invalid_token""#), Some("n"), false),
            None
        );
        assert_eq!(retry(401, Some("Basic abc=="), Some("n"), false), None);
        // A quoted value is one value, whatever it holds; bytes that are no token are stepped
        // over, never a panic.
        assert_eq!(
            retry(
                401,
                Some(r#"DPoP realm="\u{fc} error=\"use_dpop_nonce\"", algs="ES256""#),
                Some("n"),
                false
            ),
            None
        );
        assert_eq!(
            retry(
                401,
                Some("DPoP \u{e9}\u{1F600}, error=use_dpop_nonce"),
                Some("n"),
                false
            ),
            Some("n".into())
        );
    }

    #[test]
    fn a_servers_nonce_is_kept_for_its_origin_only() {
        let mut book = NonceBook::default();
        let token = "https://op.example.com/oauth/token";
        assert_eq!(book.for_url(&Whatwg, token), None);
        book.remember(&Whatwg, token, Some("n-1"));
        // The same server, another path: its nonce; another origin: none.
        assert_eq!(
            book.for_url(&Whatwg, "https://op.example.com/userinfo"),
            DpopNonce::parse("n-1")
        );
        assert_eq!(book.for_url(&Whatwg, "https://api.example.com/x"), None);
        assert_eq!(book.for_url(&Whatwg, "https://op.example.com:8443/t"), None);
        // A newer nonce replaces it; no header, or no nonce, changes nothing.
        book.remember(&Whatwg, token, Some("n-2"));
        book.remember(&Whatwg, token, None);
        book.remember(&Whatwg, token, Some("bad \"nonce\""));
        assert_eq!(book.for_url(&Whatwg, token), DpopNonce::parse("n-2"));
        // A header from a URL that is no http(s) URL is not kept.
        book.remember(&Whatwg, "javascript:1", Some("n-3"));
        assert_eq!(book.for_url(&Whatwg, "javascript:1"), None);
    }
}
