//! The tests of [`super`].

use super::*;
use crate::core::document::from_json;
use crate::core::web_url::Whatwg;

/// The settings of a widget for `tenant.example.com` on `https://app.example.com/`.
pub(crate) fn tenant_settings(options: Options) -> Result<Settings, Error> {
    Settings::new(
        "abc",
        "tenant.example.com",
        options,
        "https://app.example.com/",
        &Whatwg,
    )
}

fn options(json: &str) -> Options {
    from_json(json).expect("options json")
}

#[test]
fn defaults_follow_lock() {
    let s = tenant_settings(Options::default()).expect("settings");
    assert_eq!(s.redirect_url.as_str(), "https://app.example.com/");
    assert_eq!(
        s.client_configuration_url().as_deref(),
        Some("https://tenant.example.com/client/abc.js")
    );
    assert_eq!(s.params.scope.as_str(), "openid profile email");
    assert!(s.closable);
    assert_eq!(s.leeway, 60);
    assert!(!s.auto_renew);
}

#[test]
fn the_silent_redirect_url_is_the_redirect_url_unless_a_page_of_this_origin_is_named() {
    let with = |auth: &str| {
        tenant_settings(from_json(&["{\"auth\":", auth, "}"].concat()).expect("options"))
    };
    let s = with(r#"{"redirectUrl":"https://app.example.com/cb"}"#).expect("settings");
    assert_eq!(s.silent_redirect_url.as_str(), "https://app.example.com/cb");
    let s =
        with(r#"{"silentRedirectUrl":"https://app.example.com/silent.html"}"#).expect("settings");
    assert_eq!(
        s.silent_redirect_url.as_str(),
        "https://app.example.com/silent.html"
    );
    for (bad, why) in [
        (
            "https://other.example.com/silent.html",
            "this page's origin",
        ),
        ("http://app.example.com/silent.html", "this page's origin"),
        ("https://app.example.com/silent.html#x", "fragment"),
        ("javascript:alert(1)", ""),
    ] {
        match with(&["{\"silentRedirectUrl\":\"", bad, "\"}"].concat()) {
            Err(Error::InvalidOption { option, reason }) => {
                assert_eq!(option, "auth.silentRedirectUrl", "{bad}");
                assert!(reason.contains(why), "{bad}: {reason}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn the_request_timeout_sets_every_deadline_and_is_above_zero() {
    use crate::core::request::Kind;
    let with = |auth: &str| {
        tenant_settings(from_json(&["{\"auth\":", auth, "}"].concat()).expect("options"))
    };
    let s = with("{}").expect("settings");
    assert_eq!(s.deadline(Kind::Token), 20_000);
    assert_eq!(s.deadline(Kind::Document), 10_000);
    let s = with(r#"{"requestTimeout":750}"#).expect("settings");
    assert_eq!(s.deadline(Kind::Token), 750);
    assert_eq!(s.deadline(Kind::UserInfo), 750);
    match with(r#"{"requestTimeout":0}"#) {
        Err(Error::InvalidOption { option, .. }) => assert_eq!(option, "auth.requestTimeout"),
        other => panic!("{other:?}"),
    }
    assert!(from_json::<Options>(r#"{"auth":{"requestTimeout":"5s"}}"#).is_err());
}

#[test]
fn a_leeway_over_five_minutes_is_refused_as_lock_refuses_it() {
    let with = |leeway: u64| {
        tenant_settings(Options {
            leeway: Some(leeway),
            ..Options::default()
        })
    };
    assert_eq!(with(300).map(|s| s.leeway).ok(), Some(300));
    match with(301) {
        Err(Error::InvalidOption { option, reason }) => {
            assert_eq!(option, "leeway");
            assert!(reason.contains("at most 300"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn reads_lock_option_names() {
    let o = options(
        r##"{"container":"root","allowedConnections":["a","b"],
                "auth":{"redirectUrl":"https://app/cb","responseType":"code",
                        "params":{"scope":"openid email","max_age":3600,"prompt":"login"}},
                "configurationBaseUrl":"https://cdn.example.com/","theme":{"primaryColor":"#123456"},
                "languageDictionary":{"title":"Hi"},"closable":false}"##,
    );
    let s =
        Settings::new("abc", "tenant.example.com", o, "https://app/", &Whatwg).expect("settings");
    assert_eq!(s.container.as_deref(), Some("root"));
    assert_eq!(s.redirect_url.as_str(), "https://app/cb");
    assert_eq!(s.params.scope.as_str(), "openid email");
    assert_eq!(
        s.params
            .extra
            .iter()
            .find(|(k, _)| k == "max_age")
            .map(|(_, v)| v.as_str()),
        Some("3600")
    );
    assert_eq!(s.params.max_age, Some(3600));
    assert_eq!(
        s.configuration_base_url.as_deref(),
        Some("https://cdn.example.com")
    );
    assert_eq!(s.theme.primary_color.as_deref(), Some("#123456"));
    assert!(!s.closable);
}

#[test]
fn direct_connections_work_without_a_broker() {
    let o = options(
        r#"{"connections":[{"name":"corp","issuer":"https://idp.example.com","client_id":"x"}]}"#,
    );
    let s = Settings::new("app", "", o, "https://app/", &Whatwg).expect("settings");
    assert!(s.broker.is_none());
    assert_eq!(s.client_configuration_url(), None);
    assert_eq!(s.direct.len(), 1);
    assert_eq!(s.direct[0].name.as_str(), "corp");
}

#[test]
fn needs_a_broker_or_a_direct_connection() {
    assert_eq!(
        Settings::new("app", " ", Options::default(), "https://app/", &Whatwg).unwrap_err(),
        Error::NoProvider
    );
}

#[test]
fn refuses_a_client_secret_in_the_options() {
    let o = options(
        r#"{"connections":[{"name":"corp","issuer":"https://idp.example.com","client_id":"x","client_secret":"s"}]}"#,
    );
    assert_eq!(
        Settings::new("app", "t.example.com", o, "https://app/", &Whatwg).unwrap_err(),
        Error::ClientSecretInBrowser("corp".into())
    );
}

#[test]
fn lock_response_types_are_carried_out_as_code_with_pkce_or_by_the_server() {
    let with = |json: &str, lock: bool| {
        let mut o = options(json);
        o.lock_names = lock;
        tenant_settings(o).expect("settings")
    };
    for implicit in ["token", "id_token", "token id_token"] {
        let s = with(
            &["{\"auth\":{\"responseType\":\"", implicit, "\"}}"].concat(),
            true,
        );
        assert!(!s.server_exchange, "{implicit}");
        assert_eq!(s.notes.len(), 1, "one line says so");
    }
    let lock_code =
        r#"{"auth":{"responseType":"code","redirectUrl":"https://app.example.com/callback"}}"#;
    assert!(
        with(lock_code, true).server_exchange,
        "Lock: the server's code"
    );
    assert!(
        !with(lock_code, false).server_exchange,
        "Latch: code + PKCE"
    );
    assert!(
        with(
            r#"{"auth":{"redirectUrl":"https://app.example.com/cb"}}"#,
            true
        )
        .server_exchange,
        "Lock's default with a redirectUrl is code"
    );
    assert!(
        !with("{}", true).server_exchange,
        "Lock's default without is token"
    );
    assert!(with(r#"{"auth":{"codeExchange":"server"}}"#, false).server_exchange);
    let s = with(
        r#"{"auth":{"audience":"https://api","state":"mine"}}"#,
        true,
    );
    assert_eq!(
        s.params.extra,
        [("audience".to_owned(), "https://api".to_owned())]
    );
    assert_eq!(s.params.state.as_deref(), Some("mine"));
}

#[test]
fn names_the_bad_option() {
    let err =
        |o: Options| Settings::new("abc", "t.example.com", o, "https://app/", &Whatwg).unwrap_err();
    assert!(matches!(
        err(options(r#"{"auth":{"responseType":"banana"}}"#)),
        Error::InvalidOption { option, .. } if option == "auth.responseType"
    ));
    assert!(matches!(
        err(options(r#"{"auth":{"redirectUrl":"/relative"}}"#)),
        Error::InvalidOption { option, .. } if option == "auth.redirectUrl"
    ));
    assert!(matches!(
        err(options(r#"{"auth":{"params":{"nonce":"mine"}}}"#)),
        Error::ReservedParameter(p) if p == "nonce"
    ));
    assert!(matches!(
        Settings::new("", "t.example.com", Options::default(), "https://app/", &Whatwg),
        Err(Error::InvalidOption { option, .. }) if option == "clientId"
    ));
}

#[test]
fn language_is_a_built_in_one_or_a_named_error() {
    let with = |json: &str| {
        Settings::new(
            "app",
            "tenant.example",
            from_json::<Options>(json).expect("options"),
            "https://app.example/",
            &Whatwg,
        )
    };
    assert_eq!(with(r#"{}"#).expect("default").language, Language::ENGLISH);
    assert_eq!(
        with(r#"{"language":"ar"}"#).expect("arabic").language,
        Language::parse("ar").unwrap()
    );
    match with(r#"{"language":"tlh"}"#) {
        Err(Error::InvalidOption { option, .. }) => assert_eq!(option, "language"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_language_base_url_is_held_to_the_domains_rule() {
    let with = |base: &str| {
        let o = options(&format!(
            r#"{{"language":"fr","languageBaseUrl":"{base}"}}"#
        ));
        Settings::new(
            "abc",
            "tenant.example.com",
            o,
            "https://app.example/",
            &Whatwg,
        )
    };
    let beside = || Some("https://app.example/pkg/lang/fr.json?no-inline".to_owned());
    for (base, url) in [
        (
            "https://cdn.example.com/packs/",
            "https://cdn.example.com/packs/fr.json",
        ),
        ("https://cdn.example.com", "https://cdn.example.com/fr.json"),
        (
            "http://127.0.0.1:3000/packs",
            "http://127.0.0.1:3000/packs/fr.json",
        ),
        ("http://localhost/p//", "http://localhost/p/fr.json"),
    ] {
        let settings = with(base).expect(base);
        assert_eq!(
            settings.language_pack_url(beside()).as_deref(),
            Some(url),
            "{base}"
        );
    }
    for bad in [
        "http://cdn.example.com/packs",
        "http://127.cdn.example.com/packs",
        "http://127.0.0.1@cdn.example.com/packs",
        "https://user:pass@cdn.example.com/packs",
        "javascript:alert(1)//",
        "data:text/javascript,alert(1)//",
        "/packs",
        "",
        "https://cdn.example.com/packs?v=1",
        "https://cdn.example.com/packs#x",
    ] {
        assert!(
            matches!(with(bad), Err(Error::InvalidOption { ref option, .. }) if option == "languageBaseUrl"),
            "{bad}"
        );
    }
    // Without it, the pack next to the widget; English needs none.
    let o = options(r#"{"language":"fr"}"#);
    let settings =
        Settings::new("abc", "tenant.example.com", o, "https://app/", &Whatwg).expect("settings");
    assert_eq!(settings.language_pack_url(beside()), beside());
    let o = options(r#"{"languageBaseUrl":"https://cdn.example.com"}"#);
    let english =
        Settings::new("abc", "tenant.example.com", o, "https://app/", &Whatwg).expect("settings");
    assert_eq!(english.language_pack_url(beside()), None);
}

#[cfg(not(feature = "dpop"))]
#[test]
fn the_default_build_refuses_dpop_and_names_the_build_that_has_it() {
    for json in [
        r#"{"auth":{"dpop":true}}"#,
        r#"{"auth":{"dpop":true,"persistRefreshToken":true}}"#,
    ] {
        match tenant_settings(options(json)) {
            Err(Error::InvalidOption { option, reason }) => {
                assert_eq!(option, "auth.dpop");
                assert!(reason.contains("latch-login/dpop"), "{reason}");
            }
            other => panic!("{json}: {other:?}"),
        }
    }
    let off = tenant_settings(options(r#"{"auth":{"dpop":false}}"#)).expect("settings");
    assert!(!off.dpop && !off.token_worker());
}

#[cfg(feature = "dpop")]
#[test]
fn a_kept_refresh_token_must_be_bound_and_dpop_needs_the_page_to_exchange() {
    let with = |json: &str| tenant_settings(options(json));
    let kept = with(r#"{"auth":{"dpop":true,"persistRefreshToken":true}}"#).expect("settings");
    assert!(kept.dpop && kept.persist_refresh_token);
    // Keeping one implies having one: offline_access is asked, token requests go from
    // the worker.
    assert!(kept.use_refresh_tokens && kept.token_worker());
    assert!(kept.params.scope.as_str().contains("offline_access"));
    let refused = |json: &str, option: &str| match with(json) {
        Err(Error::InvalidOption { option: o, .. }) => assert_eq!(o, option, "{json}"),
        other => panic!("{json}: {other:?}"),
    };
    // An unbound refresh token in IndexedDB would be usable by any script that reads it.
    refused(
        r#"{"auth":{"persistRefreshToken":true}}"#,
        "auth.persistRefreshToken",
    );
    refused(
        r#"{"auth":{"persistRefreshToken":true,"dpop":false,"useRefreshTokens":true}}"#,
        "auth.persistRefreshToken",
    );
    refused(
        r#"{"auth":{"dpop":true,"codeExchange":"server"}}"#,
        "auth.dpop",
    );
    let plain = with("{}").expect("settings");
    assert!(!plain.dpop && !plain.persist_refresh_token && !plain.token_worker());
    assert!(with(r#"{"auth":{"dpop":true}}"#)
        .expect("dpop")
        .token_worker());
}
