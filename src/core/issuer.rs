//! Issuers that name their tenant in the path. Microsoft Entra ID's multi-tenant discovery
//! documents (`common`, `organizations`) give the issuer as the template
//! `https://login.microsoftonline.com/{tenantid}/v2.0`: each ID token comes from the user's
//! own tenant, names it in its `tid` claim, and carries the template with that `tid` put in
//! as its `iss` (as MSAL and Microsoft.IdentityModel validate it). Everything here compares
//! whole path segments and exact strings, never prefixes.

use super::encoding::pieces;

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

/// Whether `actual` is `issuer` exactly, or, when `issuer` is a template, the template with a
/// tenant in its `{tenantid}` segment (`tenant` itself, when given) and every other segment
/// the same. The template itself is no issuer. Used for a discovery document's template
/// against the URL it was fetched for, for the RFC 9207 `iss` response parameter, and with
/// the token's `tid` for the ID token's `iss`.
pub fn fits(issuer: &str, actual: &str, tenant: Option<&str>) -> bool {
    if !is_template(issuer) {
        return issuer == actual;
    }
    let (mut template, mut actual) = (pieces(issuer, b'/'), pieces(actual, b'/'));
    loop {
        match (template.next(), actual.next()) {
            (None, None) => return true,
            (Some(TENANT), Some(t)) if is_tenant(t) && tenant.is_none_or(|want| want == t) => {}
            (Some(a), Some(b)) if a == b && a != TENANT => {}
            _ => return false,
        }
    }
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
        assert!(!fits("https://{tenantid}", "https://op.example", None));
        assert!(!fits(
            "https://{tenantid}/v2.0",
            "https://evil/v2.0",
            Some("evil")
        ));
    }

    const TENANT_ISS: &str =
        "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0";

    #[test]
    fn the_token_issuer_is_the_template_with_the_tokens_own_tid() {
        assert!(fits(COMMON, TENANT_ISS, Some(TID)));
        assert!(!fits(
            COMMON,
            TENANT_ISS,
            Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
        ));
        assert!(
            !fits(COMMON, COMMON, Some(TENANT)),
            "the template is no issuer"
        );
        assert!(fits(
            "https://op.example.com/",
            "https://op.example.com/",
            Some("x")
        ));
        assert!(!fits(
            "https://op.example.com/",
            "https://op.example.com",
            None
        ));
    }

    #[test]
    fn a_tid_that_could_change_the_url_fills_no_template() {
        for tid in [
            "",
            "a/b",
            "..",
            "evil.example/x",
            "a?b",
            "a#b",
            "a%2Fb",
            "a@b",
        ] {
            let iss = ["https://login.microsoftonline.com/", tid, "/v2.0"].concat();
            assert!(!fits(COMMON, &iss, Some(tid)), "{tid:?}");
        }
    }

    #[test]
    fn a_discovery_template_fits_the_tenant_url_it_was_fetched_for() {
        for tenant in ["common", "organizations", TID, "contoso.onmicrosoft.com"] {
            let url = ["https://login.microsoftonline.com/", tenant, "/v2.0"].concat();
            assert!(fits(COMMON, &url, None), "{url}");
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
            assert!(!fits(COMMON, url, None), "{url}");
        }
        assert!(fits(
            "https://op.example.com",
            "https://op.example.com",
            None
        ));
        assert!(!fits(
            "https://op.example.com",
            "https://op.example.com/",
            None
        ));
    }
}
