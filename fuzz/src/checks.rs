// Each check feeds one parser arbitrary bytes. A parser must return a value or a typed
// error and never panic; where a parse has a property worth holding, it is asserted too.
// Shared by the fuzz targets (fuzz/fuzz_targets/) and tests/fuzz_regressions.rs.

use latch_login::core::broker::BrokerOrigin;
use latch_login::core::callback::{strip_response_params, AuthorizationResponse};
use latch_login::core::client_config::{ClientConfiguration, ConfigurationFormat};
use latch_login::core::connection::{Channel, DirectConnectionOptions};
use latch_login::core::discovery::ProviderMetadata;
use latch_login::core::document::{self, JsonReader, ReadError};
use latch_login::core::encoding::parse_params;
use latch_login::core::id_token::UnverifiedIdToken;
use latch_login::core::issuer;
use latch_login::core::jwks::JwkSet;
use latch_login::core::jws::{CompactJws, JoseHeader};
use latch_login::core::options::Options;
use latch_login::core::settings::Settings;
use latch_login::core::token::{TokenErrorResponse, TokenResponse, TokenType};
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
    ("client_configuration_script", client_configuration_script),
    ("discovery", discovery),
    ("jwks", jwks),
    ("id_token_parts", id_token_parts),
    ("token_response", token_response),
    ("options", options),
    ("transaction", transaction),
    ("direct_connection", direct_connection),
];

/// A document as the widget reads one, naming the member that was wrong; natively with
/// serde_json where the browser uses `JSON.parse` and serde-wasm-bindgen.
fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    document::from_json(text)
}

/// serde_json as the reader the core's parsers take, as the browser's JSON.parse is there.
struct Native;

impl JsonReader for Native {
    fn read<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError> {
        read(text)
    }
    fn read_named<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError> {
        read(text)
    }
}

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

/// Any JSON the widget reads, as every document it reads: when one is refused for a member,
/// the path that names it leads, in the input itself, to that member or to the object that
/// lacks it, so the error points at something the user wrote.
pub fn json_value(data: &[u8]) {
    let input = text(data);
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&input) else {
        return;
    };
    let errors = [
        read::<ClientConfiguration>(&input).err(),
        read::<Options>(&input).err(),
        read::<ProviderMetadata>(&input).err(),
        read::<JwkSet>(&input).err(),
        read::<Transaction>(&input).err(),
    ];
    for e in errors.into_iter().flatten() {
        assert!(
            follow(&value, &e.path).is_some(),
            "{:?} names {:?}, which is not in {input}",
            e.message,
            e.path
        );
    }
}

/// The value at `path` (`a.b[2].c`, as serde_path_to_error writes it), or the parent of the
/// last segment when only that one is missing (a missing member).
fn follow<'v>(value: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    let mut at = value;
    let mut segments = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        if !name.is_empty() {
            segments.push((Some(name.to_owned()), None));
        }
        for index in rest.split('[').filter(|r| !r.is_empty()) {
            segments.push((None, index.trim_end_matches(']').parse::<usize>().ok()));
        }
    }
    for (name, index) in segments {
        at = match (name, index) {
            (Some(name), _) => at.get(name)?,
            (None, Some(i)) => at.get(i)?,
            _ => return None,
        };
    }
    Some(at)
}

/// `{clientBaseUrl}/client/{clientId}.json`, then the connections made from it.
pub fn client_configuration(data: &[u8]) {
    if let Ok(config) = read::<ClientConfiguration>(&text(data)) {
        let _ = config.connections("latch-spa");
    }
}

/// `/client/{clientId}.js` as Auth0 serves it: whatever is accepted is the one call
/// `Auth0.setClient(...)` around one object, read as data; then the document, as above.
pub fn client_configuration_script(data: &[u8]) {
    let input = text(data);
    let Ok(argument) = ConfigurationFormat::Script.document(&input) else {
        return;
    };
    let body = input.trim();
    let call = body
        .strip_prefix("Auth0.setClient(")
        .expect("accepted without the call");
    let start = body.len() - call.len();
    let at = argument.as_ptr() as usize - body.as_ptr() as usize;
    assert!(at >= start, "the argument starts inside the call's name");
    let rest = body[at + argument.len()..].trim_start();
    assert!(
        rest == ")" || rest == ");" || rest.strip_prefix(')').is_some_and(|r| r.trim() == ";"),
        "accepted with more than the call's end after the argument: {rest:?}"
    );
    assert!(argument.starts_with('{') && argument.ends_with('}'));
    client_configuration(argument.as_bytes());
}

/// A discovery document, judged for both channels.
pub fn discovery(data: &[u8]) {
    let input = text(data);
    for channel in [Channel::Back, Channel::Front] {
        if let Ok(metadata) = read::<ProviderMetadata>(&input) {
            let issuers = ["https://op.example".to_owned()];
            if let Ok(endpoints) = metadata.for_channel(&issuers, channel, false, &Whatwg) {
                // Accepted only for the issuer that was asked for (or a template of it whose
                // tenant stands in the path: see core::issuer).
                assert!(issuer::fits(
                    endpoints.issuer.as_str(),
                    "https://op.example",
                    None
                ));
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
    if let Ok(set) = read::<JwkSet>(&text(data)) {
        for alg in ["RS256", "PS256", "ES256"] {
            if let Ok(alg) = latch_login::core::jws::Algorithm::parse(alg) {
                for kid in [None, Some("k1")] {
                    if let Ok(key) = set.select(alg, kid) {
                        let _ = serde_json::to_string(&key.public());
                    }
                }
            }
        }
    }
}

/// An ID token's header and claims, once split: the claims are read only as a token's
/// payload, through the parser the login uses.
pub fn id_token_parts(data: &[u8]) {
    let input = text(data);
    if let Ok(header) = read::<JoseHeader>(&input) {
        let _ = header.algorithm();
    }
    let payload = latch_login::core::encoding::base64url::encode(input.as_bytes());
    let token = ["eyJhbGciOiJSUzI1NiJ9.", &payload, ".c2ln"].concat();
    let _ = UnverifiedIdToken::parse(token, &Native);
}

/// A token endpoint's answer, good or bad.
pub fn token_response(data: &[u8]) {
    let input = text(data);
    if let Ok(tokens) = read::<TokenResponse>(&input) {
        for expected in [TokenType::Bearer, TokenType::DPoP] {
            let _ = tokens.checked_id_token(expected);
        }
    }
    let _ = read::<TokenErrorResponse>(&input);
}

/// `new Latch(clientId, domain, options)`'s options, as the wrapper hands them over.
pub fn options(data: &[u8]) {
    if let Ok(options) = read::<Options>(&text(data)) {
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
    if let Ok(tx) = read::<Transaction>(&text(data)) {
        // What is read writes back as something that reads the same.
        let written = serde_json::to_string(&tx).expect("a transaction writes");
        let again = read::<Transaction>(&written).expect("a written transaction reads back");
        assert_eq!(serde_json::to_string(&again).expect("writes"), written);
    }
}

/// A direct connection from `options.connections`.
pub fn direct_connection(data: &[u8]) {
    if let Ok(options) = read::<DirectConnectionOptions>(&text(data)) {
        let _ = options.parse(&Whatwg);
    }
}
