// Each check feeds one parser arbitrary bytes. A parser must return a value or a typed
// error and never panic; where a parse has a property worth holding, it is asserted too.
// Shared by the fuzz targets (fuzz/fuzz_targets/) and tests/fuzz_regressions.rs.

use latch_login::core::callback::{strip_response_params, AuthorizationResponse};
use latch_login::core::encoding::parse_params;
use latch_login::core::id_token::CompactJws;
use latch_login::core::options::BrokerOrigin;
use latch_login::core::version::Version;

/// A check: arbitrary bytes in, a panic only when the parser broke its promise.
pub type Check = fn(&[u8]);

/// The targets by name, as fuzz/regressions/{name}/ and scripts/fuzz.sh call them.
pub const TARGETS: &[(&str, Check)] = &[
    ("authorization_response", authorization_response),
    ("compact_jws", compact_jws),
    ("version", version),
    ("domain", domain),
];

fn text(data: &[u8]) -> String {
    // The address bar and form bodies reach the core as JS strings: lossy UTF-8 is what a
    // page can hand over.
    String::from_utf8_lossy(data).into_owned()
}

/// A query, fragment or form_post body, as the widget finds it on return.
pub fn authorization_response(data: &[u8]) {
    let input = text(data);
    let _ = parse_params(&input);
    let _ = AuthorizationResponse::parse(&input);
    // What stays in the address bar after the widget took the response is never a response.
    let left = strip_response_params(&input);
    if let Some(Ok(response)) = AuthorizationResponse::parse(&left) {
        panic!("{left:?} still holds a response: {response:?}");
    }
}

/// An ID token's compact serialization.
pub fn compact_jws(data: &[u8]) {
    let input = text(data);
    if let Ok(jws) = CompactJws::split(&input) {
        // The signed bytes are the token's first two segments, exactly.
        assert!(input.starts_with(jws.signing_input));
        assert_eq!(jws.signing_input.matches('.').count(), 1);
    }
}

/// `min_widget_version` from a client configuration.
pub fn version(data: &[u8]) {
    let input = text(data);
    if let Ok(v) = Version::parse(&input) {
        // What is read prints back as itself (build metadata aside).
        assert_eq!(Version::parse(&v.to_string()), Ok(v));
    }
}

/// The `domain` argument and issuer origins.
pub fn domain(data: &[u8]) {
    let input = text(data);
    if let Ok(origin) = BrokerOrigin::parse(&input) {
        assert_eq!(BrokerOrigin::parse(origin.as_str()).as_ref(), Ok(&origin));
    }
}
