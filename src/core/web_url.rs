//! Which URLs a login may use, decided on URLs parsed by the WHATWG URL Standard (the
//! browser's own `URL`), never by string prefixes: a prefix test
//! reads `http://127.op.example.com/`, `http://127.0.0.1@op.example.com/` and
//! `http://localhost:1@evil.example/` as loopback, and a parser does not.
//!
//! A URL that carries the login (the authorization server, its endpoints, the client
//! configuration, the issuer's keys) must use https, so nobody on the network can read or
//! change what goes over it ([RFC 9700 §2.6](https://www.rfc-editor.org/rfc/rfc9700#section-2.6),
//! OpenID Connect Discovery §3: endpoints "MUST use the https scheme"). Plain http is allowed
//! only for a loopback host, where the demo and the tests run, and which never leaves the
//! machine ([RFC 8252 §8.3](https://www.rfc-editor.org/rfc/rfc8252#section-8.3)).
//!
//! The parsing itself is the browser's (`URL`, see [`UrlParser`]): the core decides on what it
//! parsed.

use core::net::Ipv4Addr;
use core::str::FromStr;

use crate::prelude::*;

/// A URL as the WHATWG URL Standard parses it: the attributes of the browser's `URL` object,
/// as the browser (or, natively, the `url` crate's `quirks` getters) gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedUrl {
    /// `https:`
    pub protocol: String,
    pub username: String,
    pub password: String,
    /// `op.example.com`, `127.0.0.1` (IPv4 hosts in dotted decimal, whatever form was
    /// typed) or `[::1]` (IPv6 hosts compressed, in brackets).
    pub hostname: String,
    pub port: String,
    pub pathname: String,
    /// `?a=b`, or empty.
    pub search: String,
    /// `#x`, or empty.
    pub hash: String,
    /// `https://op.example.com:8443`
    pub origin: String,
}

/// Parses URLs the way the WHATWG URL Standard does. The browser layer hands the core the
/// browser's own `URL`; natively (tests, fuzzing) the `url` crate stands in, see [`Whatwg`].
/// The `url` crate is not in the shipped module: measured, it added 34.0 KB gzip to the
/// 56.3 KB widget with its ASCII-only IDNA back end, and 85 KB with ICU4X's.
pub trait UrlParser {
    /// None when `text` is no absolute URL.
    fn parse(&self, text: &str) -> Option<ParsedUrl>;
}

/// The `url` crate as the WHATWG parser, for native builds and the core's own tests.
#[cfg(any(test, not(target_arch = "wasm32")))]
pub struct Whatwg;

#[cfg(any(test, not(target_arch = "wasm32")))]
impl UrlParser for Whatwg {
    fn parse(&self, text: &str) -> Option<ParsedUrl> {
        use url::quirks;
        let url = url::Url::parse(text).ok()?;
        Some(ParsedUrl {
            protocol: quirks::protocol(&url).to_owned(),
            username: quirks::username(&url).to_owned(),
            password: quirks::password(&url).to_owned(),
            hostname: quirks::hostname(&url).to_owned(),
            port: quirks::port(&url).to_owned(),
            pathname: quirks::pathname(&url).to_owned(),
            search: quirks::search(&url).to_owned(),
            hash: quirks::hash(&url).to_owned(),
            origin: quirks::origin(&url),
        })
    }
}

/// Why a URL was refused; [`Refusal::reason`] says it in words for the error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not an absolute URL at all.
    NotAUrl,
    /// Neither http nor https (`javascript:`, `ftp:`, `data:`, ...).
    NotHttp,
    /// Plain http to a host that is not loopback.
    PlainHttp,
    /// A user name or password in the URL (`https://user:pass@host/`): it would be sent to
    /// the host, and it makes a URL read as another host than it goes to.
    Credentials,
}

impl Refusal {
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::NotAUrl => "must be an absolute URL",
            Refusal::NotHttp => "must be an http(s) URL",
            Refusal::PlainHttp => {
                "must use https (plain http only for localhost, 127.0.0.0/8 or [::1])"
            }
            Refusal::Credentials => "must not carry a user name or password",
        }
    }
}

/// `localhost`, an IPv4 address in 127.0.0.0/8 (the parser writes `127.1` and `0x7f.0.0.1`
/// as 127.0.0.1), or `[::1]`. A domain name that merely starts with `127.` or `localhost` is
/// a domain like any other.
pub fn is_loopback(url: &ParsedUrl) -> bool {
    let host = url.hostname.as_str();
    host == "localhost"
        || host == "[::1]"
        || Ipv4Addr::from_str(host).is_ok_and(|address| address.octets()[0] == 127)
}

/// An absolute http or https URL without credentials, whatever its host: where the page
/// itself may be (a redirect URL, a `returnTo`).
pub fn http(urls: &dyn UrlParser, text: &str) -> Result<ParsedUrl, Refusal> {
    let url = urls.parse(text.trim()).ok_or(Refusal::NotAUrl)?;
    if !matches!(url.protocol.as_str(), "http:" | "https:") {
        return Err(Refusal::NotHttp);
    }
    if !url.username.is_empty() || !url.password.is_empty() {
        return Err(Refusal::Credentials);
    }
    Ok(url)
}

/// An https URL, or plain http on a loopback host: a URL that may carry a login.
pub fn secure(urls: &dyn UrlParser, text: &str) -> Result<ParsedUrl, Refusal> {
    let url = http(urls, text)?;
    if url.protocol == "http:" && !is_loopback(&url) {
        return Err(Refusal::PlainHttp);
    }
    Ok(url)
}

/// Whether `text` is a URL that may carry a login (see [`secure`]).
pub fn is_secure(urls: &dyn UrlParser, text: &str) -> bool {
    secure(urls, text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secure(text: &str) -> Result<ParsedUrl, Refusal> {
        super::secure(&Whatwg, text)
    }

    fn is_secure(text: &str) -> bool {
        super::is_secure(&Whatwg, text)
    }

    fn http(text: &str) -> Result<ParsedUrl, Refusal> {
        super::http(&Whatwg, text)
    }

    #[test]
    fn https_is_secure_for_any_host() {
        for url in [
            "https://op.example.com/token",
            "https://127.op.example.com/token",
            "HTTPS://OP.EXAMPLE.COM:8443/a?b=c",
        ] {
            assert_eq!(secure(url).map(|_| ()), Ok(()), "{url}");
        }
    }

    #[test]
    fn plain_http_is_secure_only_on_loopback_hosts() {
        for url in [
            "http://localhost/x",
            "http://LOCALHOST:8080/x",
            "http://127.0.0.1:3000/token",
            "http://127.255.255.254/",
            "http://127.1/",
            "http://0x7f.0.0.1/",
            "http://[::1]:8080/",
            "http://[0:0:0:0:0:0:0:1]/",
        ] {
            assert!(is_secure(url), "{url} is loopback");
        }
    }

    #[test]
    fn hosts_that_only_look_like_loopback_are_refused() {
        for url in [
            // Issue 18: a discovery document's token endpoint on a public host.
            "http://127.op.example.com/token",
            "http://127.0.0.1.nip.io/token",
            "http://localhost.evil.com/x",
            "http://localhost.evil.com:3000/x",
            "http://128.0.0.1/",
            "http://[::2]/",
            "http://[::ffff:127.0.0.1]/",
            "http://10.0.0.1/",
        ] {
            assert_eq!(secure(url).map(|_| ()), Err(Refusal::PlainHttp), "{url}");
        }
    }

    #[test]
    fn userinfo_never_makes_a_host_loopback() {
        // The host of these is op.example.com and evil.example: the part before `@` is a
        // user name (and password), not where the request goes.
        for url in [
            "http://127.0.0.1@op.example.com/",
            "http://localhost:1@evil.example/",
            "http://localhost@evil.example:80/",
        ] {
            let parsed = Whatwg.parse(url).expect("a URL");
            assert!(!is_loopback(&parsed), "{url}");
            assert!(!is_secure(url), "{url}");
        }
        // Credentials are refused even on https and on loopback hosts.
        assert_eq!(
            secure("https://user:pass@op.example.com/").map(|_| ()),
            Err(Refusal::Credentials)
        );
        assert_eq!(
            secure("http://user@127.0.0.1/").map(|_| ()),
            Err(Refusal::Credentials)
        );
    }

    #[test]
    fn ports_do_not_change_the_verdict() {
        assert!(is_secure("http://127.0.0.1:1/"));
        assert!(is_secure("http://localhost:65535/"));
        assert!(!is_secure("http://op.example.com:80/"));
        assert!(!is_secure("http://op.example.com:443/"));
        assert_eq!(
            secure("http://localhost:65536/").map(|_| ()),
            Err(Refusal::NotAUrl),
            "an impossible port is no URL"
        );
    }

    #[test]
    fn other_schemes_and_relative_urls_are_refused() {
        assert_eq!(
            secure("javascript:alert(1)").map(|_| ()),
            Err(Refusal::NotHttp)
        );
        assert_eq!(
            secure("ftp://127.0.0.1/").map(|_| ()),
            Err(Refusal::NotHttp)
        );
        assert_eq!(secure("/token").map(|_| ()), Err(Refusal::NotAUrl));
        assert_eq!(secure("").map(|_| ()), Err(Refusal::NotAUrl));
        assert_eq!(http("http://op.example.com/cb").map(|_| ()), Ok(()));
    }
}
