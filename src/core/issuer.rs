//! Issuers that name their tenant in the path. Microsoft Entra ID's multi-tenant discovery
//! documents (`common`, `organizations`) give the issuer as the template
//! `https://login.microsoftonline.com/{tenantid}/v2.0`: each ID token comes from the user's
//! own tenant, names it in its `tid` claim, and carries the template with that `tid` put in
//! as its `iss` (as MSAL and Microsoft.IdentityModel validate it). Everything here compares
//! whole path segments and exact strings, never prefixes.

use super::encoding::{join, pieces};

use crate::prelude::*;

/// The segment of a template issuer that stands for the tenant.
pub const TENANT: &str = "{tenantid}";

/// A tenant as it may stand in the template's place: a tenant id (a GUID), or in a
/// configured URL `common`, `organizations` or a tenant's domain. Never empty, a dot
/// segment, or anything that would change the URL's shape (`/`, `?`, `#`, `%`, `@`).
fn is_tenant(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.starts_with('.')
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// Whether `issuer` is a template: exactly one of its `/`-separated segments is `{tenantid}`,
/// and it is in the path (after `https:`, the empty segment and the host), so the host is
/// never a tenant's to choose.
pub fn is_template(issuer: &str) -> bool {
    let mut at = pieces(issuer, b'/')
        .enumerate()
        .filter(|(_, s)| *s == TENANT);
    matches!((at.next(), at.next()), (Some((i, _)), None) if i > 2)
}

/// Whether `actual` is `issuer`, or, when `issuer` is a template, the template with a tenant
/// in its `{tenantid}` segment and every other segment the same. Used for a discovery
/// document's template against the URL it was fetched for, and for the RFC 9207 `iss`
/// response parameter, whose exact tenant the ID token's `iss` and `tid` then bind.
pub fn fits(issuer: &str, actual: &str) -> bool {
    if issuer == actual {
        return true;
    }
    if !is_template(issuer) {
        return false;
    }
    let (mut template, mut actual) = (pieces(issuer, b'/'), pieces(actual, b'/'));
    loop {
        match (template.next(), actual.next()) {
            (None, None) => return true,
            (Some(TENANT), Some(tenant)) if is_tenant(tenant) => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// The `iss` an ID token must carry for the expected `issuer`: the issuer itself, or for a
/// template the template with the token's own `tid` in place of `{tenantid}`. None when a
/// template's token has no `tid` that can stand there: such a token is refused.
pub fn expected_for_token(issuer: &str, tid: Option<&str>) -> Option<String> {
    if !is_template(issuer) {
        return Some(issuer.to_owned());
    }
    let tid = tid.filter(|t| is_tenant(t))?;
    let segments: Vec<&str> = pieces(issuer, b'/')
        .map(|s| if s == TENANT { tid } else { s })
        .collect();
    Some(join(&segments, "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMON: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";
    const TID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

    #[test]
    fn a_template_is_one_whole_tenantid_segment() {
        assert!(is_template(COMMON));
        assert!(!is_template(
            "https://login.microsoftonline.com/common/v2.0"
        ));
        assert!(!is_template(
            "https://login.microsoftonline.com/x{tenantid}/v2.0"
        ));
        assert!(!is_template(
            "https://login.microsoftonline.com/{tenantid}/{tenantid}/v2.0"
        ));
        assert!(!is_template("https://{tenantid}/v2.0"), "never the host");
        assert!(!fits("https://{tenantid}", "https://op.example"));
        assert_eq!(
            expected_for_token("https://{tenantid}/v2.0", Some("evil")).as_deref(),
            Some("https://{tenantid}/v2.0")
        );
    }

    #[test]
    fn the_token_issuer_is_the_template_with_the_tokens_own_tid() {
        assert_eq!(
            expected_for_token(COMMON, Some(TID)).as_deref(),
            Some("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0")
        );
        assert_eq!(
            expected_for_token("https://op.example.com/", None).as_deref(),
            Some("https://op.example.com/"),
            "a plain issuer needs no tid"
        );
    }

    #[test]
    fn a_template_token_without_a_usable_tid_has_no_issuer() {
        for tid in [
            None,
            Some(""),
            Some("a/b"),
            Some(".."),
            Some("evil.example/x"),
            Some("a?b"),
            Some("a#b"),
            Some("a%2Fb"),
            Some("a@b"),
        ] {
            assert_eq!(expected_for_token(COMMON, tid), None, "{tid:?}");
        }
    }

    #[test]
    fn a_discovery_template_fits_the_tenant_url_it_was_fetched_for() {
        for tenant in ["common", "organizations", TID, "contoso.onmicrosoft.com"] {
            let url = ["https://login.microsoftonline.com/", tenant, "/v2.0"].concat();
            assert!(fits(COMMON, &url), "{url}");
        }
        for url in [
            "https://login.microsoftonline.com/common/v2.0/",
            "https://login.microsoftonline.com/common",
            "https://login.microsoftonline.com/a/b/v2.0",
            "https://login.microsoftonline.com//v2.0",
            "https://login.microsoftonline.com/../v2.0",
            "https://login.microsoftonline.com.evil.example/common/v2.0",
            "https://evil.example/common/v2.0",
            "http://login.microsoftonline.com/common/v2.0",
            "https://login.microsoftonline.com/common/v2.0?x",
        ] {
            assert!(!fits(COMMON, url), "{url}");
        }
        assert!(fits("https://op.example.com", "https://op.example.com"));
        assert!(!fits("https://op.example.com", "https://op.example.com/"));
    }
}
