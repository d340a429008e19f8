// Each check feeds one parser arbitrary bytes. A parser must return a value or a typed
// error and never panic; where a parse has a property worth holding, it is asserted too.
// Shared by the fuzz targets (fuzz/fuzz_targets/) and tests/fuzz_regressions.rs.

use latch_login::core::callback::{strip_response_params, AuthorizationResponse};
use latch_login::core::client_config::ClientConfiguration;
use latch_login::core::connection::{Channel, DirectConnectionOptions};
use latch_login::core::discovery::ProviderMetadata;
use latch_login::core::encoding::parse_params;
use latch_login::core::id_token::{CompactJws, IdTokenClaims, JoseHeader};
use latch_login::core::json;
use latch_login::core::jwks::JwkSet;
use latch_login::core::options::{BrokerOrigin, Options, Settings};
use latch_login::core::token::{TokenErrorResponse, TokenResponse};
use latch_login::core::transaction::Transaction;
use latch_login::core::version;
use latch_login::core::web_url::{self, Whatwg};

/// A check: arbitrary bytes in, a panic only when the parser broke its promise.
pub type Check = fn(&[u8]);

/// The targets by name, as fuzz/regressions/{name}/ and scripts/fuzz.sh call them.
pub const TARGETS: &[(&str, Check)] = &[
    ("authorization_response", authorization_response),
    ("compact_jws", compact_jws),
    ("version", version),
    ("domain", domain),
    ("json", json_value),
    ("client_configuration", client_configuration),
    ("discovery", discovery),
    ("jwks", jwks),
    ("id_token_parts", id_token_parts),
    ("token_response", token_response),
    ("options", options),
    ("transaction", transaction),
    ("direct_connection", direct_connection),
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
    if let Ok(v) = version::parse(&input) {
        // What is read prints back as itself (build metadata aside), and the crate's own
        // printing agrees with the widget's.
        assert_eq!(version::parse(&version::text(&v)), Ok(v.clone()));
        assert_eq!(version::text(&v), v.to_string());
    }
}

/// The `domain` argument and issuer origins.
pub fn domain(data: &[u8]) {
    let input = text(data);
    if let Ok(origin) = BrokerOrigin::parse(&input, &Whatwg) {
        assert_eq!(
            BrokerOrigin::parse(origin.as_str(), &Whatwg).as_ref(),
            Ok(&origin)
        );
        // What is accepted is https, or plain http on a loopback host, and nothing else.
        assert!(web_url::is_secure(&Whatwg, origin.as_str()), "{origin:?}");
    }
}

/// Any JSON the widget reads, as bytes (non-UTF-8 included), against serde_json: what one
/// reads the other reads the same, and where they disagree it is for a reason the reader
/// states (latch-login's is the stricter: duplicate names, nesting, size; serde_json refuses
/// numbers beyond f64, which latch-login keeps as text).
pub fn json_value(data: &[u8]) {
    let ours = json::parse_bytes(data);
    let theirs = serde_json::from_slice::<serde_json::Value>(data);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert!(same(a, b), "{a:?} read as {b:?}"),
        (Ok(a), Err(e)) => assert!(
            e.to_string().contains("number out of range"),
            "latch-login reads {a:?} where serde_json refuses it: {e}"
        ),
        (Err(e), Ok(b)) => assert!(
            matches!(
                e,
                json::JsonError::TooDeep
                    | json::JsonError::TooLong
                    | json::JsonError::TooManyMembers
                    | json::JsonError::DuplicateKey(_)
            ),
            "latch-login refuses JSON serde_json reads as {b:?}: {e:?}"
        ),
        (Err(_), Err(_)) => {}
    }
}

/// The same value in both readers: numbers as serde_json reads their text, members by name.
fn same(ours: &json::Value, theirs: &serde_json::Value) -> bool {
    use json::Value as V;
    use serde_json::Value as S;
    match (ours, theirs) {
        (V::Null, S::Null) => true,
        (V::Bool(a), S::Bool(b)) => a == b,
        (V::String(a), S::String(b)) => a == b,
        (V::Number(text), S::Number(_)) => {
            serde_json::from_str::<S>(text).is_ok_and(|read| &read == theirs)
        }
        (V::Array(a), S::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (V::Object(a), S::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        _ => false,
    }
}

/// `{configurationBaseUrl}/client/{clientId}.json`, then the connections made from it.
pub fn client_configuration(data: &[u8]) {
    if let Ok(config) = ClientConfiguration::from_json(&text(data)) {
        let _ = config.connections("latch-spa");
    }
}

/// A discovery document, judged for both channels.
pub fn discovery(data: &[u8]) {
    let input = text(data);
    for channel in [Channel::Back, Channel::Front] {
        if let Ok(metadata) = ProviderMetadata::from_json(&input) {
            let issuers = ["https://op.example".to_owned()];
            if let Ok(endpoints) = metadata.for_channel(&issuers, channel, &Whatwg) {
                // Accepted only for the issuer that was asked for.
                assert_eq!(endpoints.issuer.as_str(), "https://op.example");
                // Every endpoint it hands on may carry a login.
                for url in [&endpoints.authorization_endpoint, &endpoints.jwks_uri]
                    .into_iter()
                    .chain(endpoints.token_endpoint.as_ref())
                {
                    assert!(web_url::is_secure(&Whatwg, url), "{url}");
                }
            }
        }
    }
}

/// A JWKS, and a key picked from it for each accepted algorithm.
pub fn jwks(data: &[u8]) {
    if let Ok(set) = JwkSet::from_json(&text(data)) {
        for alg in ["RS256", "PS256", "ES256"] {
            if let Ok(alg) = latch_login::core::id_token::Algorithm::parse(alg) {
                for kid in [None, Some("k1")] {
                    if let Ok(key) = set.select(alg, kid) {
                        let _ = key.public().to_json();
                    }
                }
            }
        }
    }
}

/// An ID token's header and claims, once split.
pub fn id_token_parts(data: &[u8]) {
    let input = text(data);
    if let Ok(header) = JoseHeader::from_json(&input) {
        let _ = header.algorithm();
    }
    let _ = IdTokenClaims::from_json(&input);
}

/// A token endpoint's answer, good or bad.
pub fn token_response(data: &[u8]) {
    let input = text(data);
    if let Ok(tokens) = TokenResponse::from_json(&input) {
        let _ = tokens.checked_id_token();
    }
    let _ = TokenErrorResponse::from_json(&input);
}

/// `new Latch(clientId, domain, options)`'s options, as the wrapper hands them over.
pub fn options(data: &[u8]) {
    if let Ok(options) = Options::from_json(&text(data)) {
        let _ = Settings::new(
            "latch-spa",
            "tenant.example",
            options,
            "https://app.example/",
            &Whatwg,
        );
    }
}

/// A stored transaction: what sessionStorage gives back may have been edited by anything.
pub fn transaction(data: &[u8]) {
    if let Ok(tx) = Transaction::from_json(&text(data)) {
        // What is read writes back as something that reads the same.
        let again =
            Transaction::from_json(&tx.to_json()).expect("a written transaction reads back");
        assert_eq!(again.to_json(), tx.to_json());
    }
}

/// A direct connection from `options.connections`.
pub fn direct_connection(data: &[u8]) {
    if let Ok(options) = DirectConnectionOptions::from_json(&text(data)) {
        let _ = options.parse(&Whatwg);
    }
}
