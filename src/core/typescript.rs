//! The TypeScript declarations of what the widget accepts and hands back, written in
//! `declarations.d.ts` beside this file. They are published from here: the browser layer puts them in wasm-bindgen's generated declarations (a
//! `typescript_custom_section`), beside the `Latch` class wasm-bindgen declares from the
//! exported Rust itself. The tests below hold each interface to the serde type it describes
//! (the members serde reads or writes, which of them are optional, the strings an enum
//! takes), so the declarations cannot drift from the module.
//!
//! The format is kept simple so the tests can read it: one member per line, and an object
//! that has a serde type of its own is a named interface.

pub const DECLARATIONS: &str = include_str!("declarations.d.ts");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::client_config::ConfigurationFormat;
    use crate::core::connection::{Channel, DirectConnectionOptions};
    use crate::core::error::{Error, ErrorPayload};
    use crate::core::id_token::IdTokenClaims;
    use crate::core::options::{AuthButton, AuthOptions, Options, ThemeOptions, TokenStorage};
    use crate::core::payload::{
        AuthResult, CacheMode, ConnectionDescription, Event, FlashKind, FlashMessage,
        InitialScreen, LoginOptions, MethodOptions, ShowAuthOptions, ShowOptions, Tokens,
        AUTH_RESULT_SET_BY_THE_PAGE, LOGIN_OPTIONS_READ_AS_IS,
    };
    use crate::core::profile::Profile;
    use crate::core::version::Verdict;
    use serde::de::{self, value, Deserialize, Deserializer, Visitor};
    use std::collections::BTreeMap;

    /// One member of an interface: its name, whether it is optional, and its type's text.
    #[derive(Debug)]
    struct Member {
        optional: bool,
        ty: String,
    }

    /// The members of `export interface {name}`, as written in [`DECLARATIONS`].
    fn interface(name: &str) -> BTreeMap<String, Member> {
        let head = ["export interface ", name, " {"].concat();
        let start = DECLARATIONS
            .lines()
            .position(|l| l == head)
            .unwrap_or_else(|| panic!("no `{head}` in the declarations"));
        let mut members = BTreeMap::new();
        let mut in_comment = false;
        for line in DECLARATIONS.lines().skip(start + 1) {
            if line == "}" {
                return members;
            }
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if line.starts_with("/**") {
                in_comment = !line.ends_with("*/");
                continue;
            }
            if in_comment {
                in_comment = !line.ends_with("*/");
                continue;
            }
            let (key, ty) = line.split_once(':').expect("a member per line");
            let (key, optional) = match key.strip_suffix('?') {
                Some(k) => (k, true),
                None => (key, false),
            };
            let key = key.trim_matches('\'').to_owned();
            let ty = ty.trim().trim_end_matches(';').to_owned();
            assert!(members.insert(key, Member { optional, ty }).is_none());
        }
        panic!("`{head}` is not closed")
    }

    /// What serde's derive lists for a type: a struct's member names, or the strings of a
    /// unit-only enum.
    fn names_read<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
        struct Probe<'a>(&'a mut Vec<&'static str>);
        impl<'de> Deserializer<'de> for Probe<'_> {
            type Error = value::Error;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, value::Error> {
                Err(de::Error::custom("neither a struct nor an enum"))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, value::Error> {
                self.0.extend_from_slice(fields);
                Err(de::Error::custom("probed"))
            }
            fn deserialize_enum<V: Visitor<'de>>(
                self,
                _: &'static str,
                variants: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, value::Error> {
                self.0.extend_from_slice(variants);
                Err(de::Error::custom("probed"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
                identifier ignored_any
            }
        }
        let mut names = Vec::new();
        let _ = T::deserialize(Probe(&mut names));
        assert!(
            !names.is_empty(),
            "neither a struct with named members nor an enum"
        );
        names
    }

    /// An input type: the interface declares exactly the members serde reads, and a member is
    /// required in TypeScript exactly when `{}` lacks it for serde.
    fn check_input<T: for<'de> Deserialize<'de>>(name: &str) {
        check_input_besides::<T>(name, &[]);
    }

    /// [`check_input`] for an interface with members the browser layer reads itself
    /// (`besides`), which must be optional.
    fn check_input_besides<T: for<'de> Deserialize<'de>>(name: &str, besides: &[&str]) {
        let mut declared = interface(name);
        for member in besides {
            let removed = declared.remove(*member);
            assert!(
                removed.is_some_and(|m| m.optional),
                "`{name}.{member}` is declared, optional"
            );
        }
        let mut read = names_read::<T>();
        read.sort_unstable();
        let names: Vec<&str> = declared.keys().map(String::as_str).collect();
        assert_eq!(
            names, read,
            "`{name}` declares other members than serde reads"
        );
        // Fill every member TypeScript requires; serde must then need nothing more. Then
        // leave each out in turn: serde must refuse the object for lack of it.
        let required: Vec<&str> = declared
            .iter()
            .filter(|(_, m)| !m.optional)
            .map(|(k, _)| k.as_str())
            .collect();
        let object = |keys: &[&str]| {
            let members: Vec<String> = keys.iter().map(|k| format!("\"{k}\":\"x\"")).collect();
            format!("{{{}}}", members.join(","))
        };
        if let Err(e) = serde_json::from_str::<T>(&object(&required)) {
            panic!("`{name}` with its required members only: {e}");
        }
        for left_out in &required {
            let keys: Vec<&str> = required.iter().copied().filter(|k| k != left_out).collect();
            let e = serde_json::from_str::<T>(&object(&keys))
                .err()
                .unwrap_or_else(|| panic!("`{name}.{left_out}` is required in TypeScript only"));
            assert!(e.to_string().contains(left_out), "{e}");
        }
    }

    /// A member declared as a union of string literals: exactly the names serde reads for `T`.
    fn check_literals<T: for<'de> Deserialize<'de>>(name: &str, member: &str) {
        assert_eq!(
            literals(name, member),
            sorted(&names_read::<T>()),
            "`{name}.{member}`"
        );
    }

    /// An output value: every member it has is declared, and every member the interface
    /// requires is there (or one the page sets itself, `besides`).
    fn check_output(name: &str, value: &serde_json::Value, besides: &[&str]) {
        let declared = interface(name);
        let object = value.as_object().expect("an object");
        for key in object.keys() {
            assert!(
                declared.contains_key(key),
                "`{name}` lacks `{key}`, which the module writes"
            );
        }
        for (key, member) in &declared {
            let present = object.contains_key(key) || besides.contains(&key.as_str());
            assert!(
                member.optional || present,
                "`{name}.{key}` is required in TypeScript, and missing from {value}"
            );
            if object.get(key).is_some_and(serde_json::Value::is_null) {
                assert!(
                    member.ty.contains("null"),
                    "`{name}.{key}` is null in {value}, which its type `{}` does not allow",
                    member.ty
                );
            }
        }
    }

    /// `'a' | 'b'` of a member, as a sorted list.
    fn literals(name: &str, member: &str) -> Vec<String> {
        let declared = interface(name);
        let mut values: Vec<String> = declared[member]
            .ty
            .split('|')
            .map(|v| v.trim().trim_matches('\'').to_owned())
            .collect();
        values.sort();
        values
    }

    fn sorted(values: &[&str]) -> Vec<String> {
        let mut values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
        values.sort();
        values
    }

    /// The interfaces of the methods whose options are read as one [`MethodOptions`]: each
    /// declares only optional members, none declared twice, and together the members it reads.
    fn check_method_options(names: &[&str]) {
        let mut declared: Vec<String> = Vec::new();
        for name in names {
            for (member, m) in interface(name) {
                assert!(m.optional, "`{name}.{member}` is optional");
                assert!(!declared.contains(&member), "`{member}` is declared once");
                declared.push(member);
            }
        }
        declared.sort();
        let mut read = names_read::<MethodOptions>();
        read.sort_unstable();
        assert_eq!(
            declared, read,
            "the methods' options are what MethodOptions reads"
        );
    }

    #[test]
    fn the_options_are_declared_as_serde_reads_them() {
        check_input::<Options>("LatchOptions");
        // The default build reads `dpop` only to refuse it; what goes with it is the DPoP
        // build's.
        let dpop_build_only: &[&str] = match crate::core::settings::DPOP {
            true => &[],
            false => &["persistRefreshToken"],
        };
        check_input_besides::<AuthOptions>("AuthOptions", dpop_build_only);
        check_input::<ThemeOptions>("ThemeOptions");
        check_input::<AuthButton>("AuthButton");
        check_input::<DirectConnectionOptions>("DirectConnection");
        check_input::<ConnectionDescription>("ConnectionDescription");
        check_method_options(&[
            "CheckSessionOptions",
            "GetTokenSilentlyOptions",
            "LogoutOptions",
        ]);
        check_input::<ShowOptions>("ShowOptions");
        check_input_besides::<LoginOptions>("LoginOptions", LOGIN_OPTIONS_READ_AS_IS);
        check_input::<ShowAuthOptions>("ShowAuthOptions");
        check_input::<FlashMessage>("FlashMessage");
        check_literals::<InitialScreen>("ShowOptions", "initialScreen");
        check_literals::<FlashKind>("FlashMessage", "type");
        check_literals::<CacheMode>("GetTokenSilentlyOptions", "cacheMode");
        check_literals::<TokenStorage>("AuthOptions", "tokenStorage");
        check_literals::<ConfigurationFormat>("LatchOptions", "configurationFormat");
        check_literals::<Channel>("DirectConnection", "type");
    }

    fn a_profile() -> Profile {
        let claims = IdTokenClaims::for_tests(
            r#"{"iss":"https://op.example/","sub":"u1","aud":"app","exp":2,"iat":1,
                "email":"a@b.example","email_verified":true,"picture":"https://p.example/a.png",
                "name":"A B","updated_at":"2026-01-01T00:00:00Z"}"#,
        )
        .expect("claims");
        Profile::from_claims(&claims, None, "oidc", "acme", "app").expect("profile")
    }

    #[test]
    fn the_payloads_are_declared_as_serde_writes_them() {
        let profile = a_profile();
        let value = serde_json::to_value(&profile).expect("profile");
        check_output("Profile", &value, &[]);
        check_output("Identity", &value["identities"][0], &[]);
        let sparse = IdTokenClaims::for_tests(r#"{"iss":"i","sub":"u","aud":"a","exp":2,"iat":1}"#)
            .expect("claims");
        let sparse = Profile::from_claims(&sparse, None, "oidc", "acme", "app").expect("profile");
        check_output(
            "Profile",
            &serde_json::to_value(&sparse).expect("profile"),
            &[],
        );

        let full = AuthResult {
            tokens: Tokens {
                id_token: "h.p.s",
                access_token: Some("at"),
                token_type: Some("Bearer"),
                scope: Some("openid"),
                expires_at: 1.0,
            },
            expires_in: Some(60),
            profile: &profile,
            connection: "acme",
            state: "s",
        };
        let bare = AuthResult {
            tokens: Tokens {
                id_token: "h.p.s",
                access_token: None,
                token_type: None,
                scope: None,
                expires_at: 1.0,
            },
            expires_in: None,
            ..full
        };
        for result in [&full, &bare] {
            let value = serde_json::to_value(result).expect("result");
            check_output("AuthResult", &value, AUTH_RESULT_SET_BY_THE_PAGE);
        }
        for key in AUTH_RESULT_SET_BY_THE_PAGE {
            assert!(interface("AuthResult").contains_key(*key));
        }

        let tokens = Tokens {
            id_token: "h.p.s",
            access_token: Some("at"),
            token_type: Some("Bearer"),
            scope: Some("openid"),
            expires_at: 1.0,
        };
        check_output(
            "Tokens",
            &serde_json::to_value(&tokens).expect("tokens"),
            &[],
        );

        let error = ErrorPayload::from(&Error::StateMismatch);
        check_output(
            "LatchError",
            &serde_json::to_value(&error).expect("error"),
            &[],
        );
    }

    #[test]
    fn a_verdict_is_declared_supported_or_not() {
        use crate::core::connection::{requirement, Route};
        let ok = Verdict::new(
            "acme",
            &requirement("oidc", &Route::Broker, None, Vec::new()),
        );
        let no = Verdict::new(
            "acme",
            &requirement("oidc", &Route::Broker, Some("99.0".into()), Vec::new()),
        );
        assert!(ok.supported && !no.supported);
        for verdict in [ok, no] {
            check_output(
                "Verdict",
                &serde_json::to_value(&verdict).expect("verdict"),
                &[],
            );
        }
    }

    #[test]
    fn every_event_the_widget_fires_is_declared() {
        let mut declared: Vec<String> = interface("LatchEvents").into_keys().collect();
        declared.sort();
        let names: Vec<&str> = Event::ALL.iter().map(|e| e.name()).collect();
        assert_eq!(declared, sorted(&names));
    }
}
