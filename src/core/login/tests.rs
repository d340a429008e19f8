//! The tests of [`super`].

use super::*;
use crate::core::client_config::ClientConfiguration;
use crate::core::document::from_json;
use crate::core::options::Options;
use crate::core::types::IssuerUrl;
use crate::core::web_url::Whatwg;

fn settings(direct: &str) -> Settings {
    let options: Options = serde_json::from_str(direct).expect("options");
    Settings::new(
        "app",
        "tenant.example.com",
        options,
        "https://app.example.com/cb",
        &Whatwg,
    )
    .expect("settings")
}

fn endpoints(web_message: bool) -> Endpoints {
    Endpoints {
        issuer: IssuerUrl::new("https://tenant.example.com/"),
        authorization_endpoint: "https://tenant.example.com/authorize".into(),
        token_endpoint: Some("https://tenant.example.com/oauth/token".into()),
        jwks_uri: "https://tenant.example.com/.well-known/jwks.json".into(),
        end_session_endpoint: None,
        userinfo_endpoint: None,
        web_message,
        iss_parameter_supported: true,
        offline_access: true,
        dpop_es256: false,
    }
}

fn broker() -> Connection {
    let config: ClientConfiguration =
        from_json(r#"{"id":"app","strategies":[{"name":"oidc","connections":[{"name":"corp"}]}]}"#)
            .expect("config");
    config.connections("app").expect("connections").remove(0)
}

fn query(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    q.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn value<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

const ENTROPY: [Entropy; 3] = [[1; 32], [2; 32], [3; 32]];

#[test]
fn a_redirect_login_through_the_broker_binds_state_nonce_and_pkce() {
    let s = settings(r#"{"auth":{"params":{"audience":"api"}}}"#);
    let c = broker();
    let e = endpoints(true);
    let plan = Plan::new(&s, &c, &e, &s.params, Mode::Redirect).expect("plan");
    assert_eq!(plan.callback(), None);
    let started = plan.start(
        &ENTROPY,
        100,
        Some("{}".into()),
        Some("a@corp.example".into()),
        false,
    );
    let tx = &started.transaction;
    assert_eq!(tx.delivery, Delivery::Page);
    assert_eq!(tx.client_id.as_str(), "app");
    assert_eq!(tx.redirect_uri.as_str(), "https://app.example.com/cb");
    assert!(matches!(tx.flow, Flow::Back(_)));
    assert_eq!(tx.created_at, 100);
    let q = query(&started.url);
    assert_eq!(value(&q, "state"), Some(tx.state.as_str()));
    assert_eq!(value(&q, "nonce"), Some(tx.nonce.as_str()));
    assert_eq!(value(&q, "code_challenge_method"), Some("S256"));
    assert_eq!(value(&q, "connection"), Some("corp"));
    assert_eq!(value(&q, "audience"), Some("api"));
    assert_eq!(value(&q, "login_hint"), Some("a%40corp.example"));
    assert_eq!(value(&q, "prompt"), None);
    assert_eq!(value(&q, "response_mode"), None);
}

#[test]
fn the_apps_own_login_hint_wins_over_the_typed_email() {
    let s = settings(r#"{"auth":{"params":{"login_hint":"boss"}}}"#);
    let (c, e) = (broker(), endpoints(true));
    let plan = Plan::new(&s, &c, &e, &s.params, Mode::Redirect).expect("plan");
    let url = plan
        .start(&ENTROPY, 0, None, Some("a@b.c".into()), false)
        .url;
    let q = query(&url);
    let hints: Vec<_> = q.iter().filter(|(k, _)| k == "login_hint").collect();
    assert_eq!(hints.len(), 1, "{url}");
    assert_eq!(value(&q, "login_hint"), Some("boss"));
}

#[test]
fn a_silent_login_asks_prompt_none_by_web_message_and_is_read_by_its_opener() {
    let s = settings(r#"{"auth":{"params":{"prompt":"login"}}}"#);
    let (c, e) = (broker(), endpoints(true));
    let plan = Plan::new(&s, &c, &e, &s.params, Mode::Silent).expect("plan");
    let started = plan.start(&ENTROPY, 0, None, None, false);
    let q = query(&started.url);
    assert_eq!(value(&q, "prompt"), Some("none"));
    assert_eq!(value(&q, "response_mode"), Some("web_message"));
    assert_eq!(started.transaction.delivery, Delivery::Opener);
    let popup = Plan::new(&s, &c, &e, &s.params, Mode::Popup).expect("plan");
    let q = query(&popup.start(&ENTROPY, 0, None, None, false).url);
    assert_eq!(value(&q, "prompt"), Some("login"), "a popup may show pages");
}

#[test]
fn without_web_message_the_answer_comes_to_the_silent_callback_page() {
    let s = settings(r#"{"auth":{"silentRedirectUrl":"https://app.example.com/silent"}}"#);
    let (c, e) = (broker(), endpoints(false));
    let plan = Plan::new(&s, &c, &e, &s.params, Mode::Silent).expect("plan");
    assert_eq!(
        plan.callback().map(RedirectUrl::as_str),
        Some("https://app.example.com/silent")
    );
    let started = plan.start(&ENTROPY, 0, None, None, false);
    assert_eq!(
        started.transaction.redirect_uri.as_str(),
        "https://app.example.com/silent"
    );
    assert_eq!(value(&query(&started.url), "response_mode"), None);
    let redirect = Plan::new(&s, &c, &e, &s.params, Mode::Redirect).expect("plan");
    assert_eq!(redirect.callback(), None);
}

#[test]
fn a_front_channel_connection_only_logs_in_by_leaving_the_page() {
    let s = settings(
        r#"{"connections":[{"name":"front","type":"front_channel","issuer":"https://op.example.com","client_id":"direct-app"}]}"#,
    );
    let c = s.direct[0].clone();
    let e = endpoints(true);
    for mode in [Mode::Silent, Mode::Popup] {
        assert_eq!(
            Plan::new(&s, &c, &e, &s.params, mode).map(|_| ()),
            Err(Error::SilentAuthUnsupported("front".into()))
        );
    }
    let plan = Plan::new(&s, &c, &e, &s.params, Mode::Redirect).expect("plan");
    assert_eq!(plan.channel(), Channel::Front);
    let started = plan.start(&ENTROPY, 0, None, None, false);
    assert_eq!(started.transaction.flow, Flow::Front);
    assert_eq!(started.transaction.client_id.as_str(), "direct-app");
    assert_eq!(value(&query(&started.url), "connection"), None);
}

#[cfg(feature = "dpop")]
#[test]
fn a_dpop_login_sends_the_keys_thumbprint_and_is_kept_as_bound() {
    let jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    let start = |options: &str, requires: &[&str], es256: bool| {
        let s = settings(options);
        let mut c = broker();
        c.requirement
            .requires
            .extend(requires.iter().map(|r| (*r).to_owned()));
        let mut e = endpoints(true);
        e.dpop_es256 = es256;
        Plan::new(&s, &c, &e, &s.params, Mode::Redirect).map(|plan| {
            let mut started = plan.start(&ENTROPY, 0, None, None, false);
            started.bind_to_key(jkt);
            started
        })
    };
    // auth.dpop: the link carries dpop_jkt (RFC 9449 §10), the transaction says the
    // exchange carries proofs.
    let bound = start(r#"{"auth":{"dpop":true}}"#, &[], true).expect("a plan");
    assert_eq!(value(&query(&bound.url), "dpop_jkt"), Some(jkt));
    assert!(bound.transaction.dpop());
    // A connection that requires dpop is bound without the option.
    let required = start("{}", &["dpop"], true).expect("a plan");
    assert_eq!(value(&query(&required.url), "dpop_jkt"), Some(jkt));
    assert!(required.transaction.dpop());
    // Neither: no thumbprint goes out, even if one is at hand.
    let plain = start("{}", &[], true).expect("a plan");
    assert_eq!(value(&query(&plain.url), "dpop_jkt"), None);
    assert!(!plain.transaction.dpop());
    // A provider that takes no ES256 proof is refused before anything is stored.
    for (options, requires) in [
        (r#"{"auth":{"dpop":true}}"#, &[][..]),
        ("{}", &["dpop"][..]),
    ] {
        let refused = start(options, requires, false).expect_err("no ES256");
        assert_eq!(refused.code(), "invalid_dpop");
        assert!(refused
            .to_string()
            .contains("dpop_signing_alg_values_supported"));
    }
    // Without DPoP such a provider is fine.
    assert!(start("{}", &[], false).is_ok());
}

#[test]
fn a_direct_connection_asks_offline_access_under_use_refresh_tokens_where_the_provider_has_it() {
    let direct = r#""connections":[{"name":"d","issuer":"https://op.example.com","client_id":"c","scopes":"openid profile"}]"#;
    let scope_of = |options: &str, offline_access: bool| {
        let s = settings(options);
        let c = s.direct[0].clone();
        let mut e = endpoints(true);
        e.offline_access = offline_access;
        let plan = Plan::new(&s, &c, &e, &s.params, Mode::Redirect).expect("plan");
        let started = plan.start(&ENTROPY, 0, None, None, false);
        let scope = value(&query(&started.url), "scope").map(str::to_owned);
        assert_eq!(
            started
                .transaction
                .scope
                .as_deref()
                .map(|s| s.replace(' ', "%20")),
            scope,
            "the transaction keeps the scope asked for"
        );
        scope
    };
    let refresh = ["{", direct, r#","auth":{"useRefreshTokens":true}}"#].concat();
    assert_eq!(
        scope_of(&refresh, true).as_deref(),
        Some("openid%20profile%20offline_access")
    );
    assert_eq!(
        scope_of(&refresh, false).as_deref(),
        Some("openid%20profile"),
        "Google lists no offline_access"
    );
    assert_eq!(
        scope_of(&["{", direct, "}"].concat(), true).as_deref(),
        Some("openid%20profile")
    );
}

#[test]
fn the_userinfo_endpoint_goes_with_a_direct_back_channel_login_that_takes_the_profile_from_it() {
    let userinfo_of = |connection: &str, route_broker: bool| {
        let s = settings(&[r#"{"connections":["#, connection, "]}"].concat());
        let c = if route_broker {
            broker()
        } else {
            s.direct[0].clone()
        };
        let mut e = endpoints(true);
        e.userinfo_endpoint = Some("https://op.example.com/userinfo".into());
        Plan::new(&s, &c, &e, &s.params, Mode::Redirect)
            .expect("plan")
            .start(&ENTROPY, 0, None, None, false)
            .transaction
            .userinfo
    };
    let on = r#"{"name":"d","issuer":"https://op.example.com","client_id":"c"}"#;
    let off = r#"{"name":"d","issuer":"https://op.example.com","client_id":"c","profile_from_userinfo":false}"#;
    assert_eq!(
        userinfo_of(on, false).as_deref(),
        Some("https://op.example.com/userinfo")
    );
    assert_eq!(userinfo_of(off, false), None);
    assert_eq!(
        userinfo_of(on, true),
        None,
        "the broker's ID token is whole"
    );
}

#[test]
fn check_session_asks_about_the_requested_then_the_last_then_the_first_connection() {
    let offered = vec![broker(), {
        let mut c = broker();
        c.name = crate::core::types::ConnectionName::new("other");
        c
    }];
    let pick = |asked: Option<&str>, last: Option<&str>| {
        connection_to_check(asked.map(Into::into), last.map(Into::into), &offered)
    };
    assert_eq!(pick(Some("other"), Some("corp")).as_deref(), Ok("other"));
    assert_eq!(pick(None, Some("other")).as_deref(), Ok("other"));
    assert_eq!(pick(None, None).as_deref(), Ok("corp"));
    assert_eq!(pick(Some("gone"), None).as_deref(), Ok("corp"));
    assert_eq!(
        connection_to_check(None, None, &[]),
        Err(Error::NoConnections)
    );
}

#[test]
fn a_sign_up_asks_the_hosted_page_for_its_sign_up_form() {
    let s = settings("{}");
    let c = broker();
    let e = endpoints(true);
    let plan = Plan::new(&s, &c, &e, &s.params, Mode::Redirect).expect("plan");
    let q = query(
        &plan
            .start(&ENTROPY, 0, None, Some("new@x.example".into()), true)
            .url,
    );
    assert_eq!(value(&q, "screen_hint"), Some("signup"));
    assert_eq!(value(&q, "login_hint"), Some("new%40x.example"));
}

#[test]
fn a_code_for_the_apps_server_carries_its_state_and_no_pkce_or_nonce() {
    let s = settings(r#"{"auth":{"params":{"state":"auth_state","audience":"api"}}}"#);
    let c = broker();
    let e = endpoints(true);
    let plan = Plan::new(&s, &c, &e, &s.params, Mode::Redirect).expect("plan");
    let (state, url) = plan.server_link(&[9; 32], None, false);
    assert_eq!(state.as_str(), "auth_state");
    let q = query(&url);
    assert_eq!(value(&q, "state"), Some("auth_state"));
    assert_eq!(value(&q, "response_type"), Some("code"));
    assert_eq!(value(&q, "connection"), Some("corp"));
    assert_eq!(value(&q, "audience"), Some("api"));
    for absent in ["code_challenge", "code_challenge_method", "nonce"] {
        assert_eq!(value(&q, absent), None, "{absent}");
    }
    // Without the app's state, a fresh one.
    let s = settings("{}");
    let plan = Plan::new(&s, &c, &e, &s.params, Mode::Redirect).expect("plan");
    let (state, _) = plan.server_link(&[9; 32], None, false);
    assert_eq!(state.as_str().len(), 43);
}

#[test]
fn the_apps_state_is_kept_and_the_widget_still_sends_its_own() {
    let s = settings(r#"{"auth":{"params":{"state":"auth_state"}}}"#);
    let c = broker();
    let e = endpoints(true);
    let plan = Plan::new(&s, &c, &e, &s.params, Mode::Redirect).expect("plan");
    let started = plan.start(&ENTROPY, 0, None, None, false);
    assert_eq!(
        started.transaction.given_state.as_deref(),
        Some("auth_state")
    );
    let q = query(&started.url);
    assert_eq!(value(&q, "state"), Some(started.transaction.state.as_str()));
    assert_ne!(value(&q, "state"), Some("auth_state"));
}
