//! The normalized user profile of the seed documents: the claims a user expects, plus
//! `user_id = {strategy}|{connection}|{sub}` and one identity `{connection}|{sub}`.

use super::id_token::{IdTokenClaims, UpdatedAt};
use super::strategy::{self, ConnectionKind};
use super::Error;

use super::encoding::{cat, pieces};
use crate::prelude::*;
use serde::{Deserialize, Serialize};

/// The claims of a userinfo response (OpenID Connect Core §5.3.2) that the profile reads.
/// `sub` is required: the response is used only when it names the ID token's subject.
#[derive(Debug, Clone, Deserialize)]
pub struct UserInfo {
    sub: String,
    name: Option<String>,
    nickname: Option<String>,
    preferred_username: Option<String>,
    email: Option<String>,
    email_verified: Option<bool>,
    picture: Option<String>,
    updated_at: Option<UpdatedAt>,
}

impl UserInfo {
    /// Core §5.3.2: the response's `sub` must be the ID token's, "if these do not match, the
    /// UserInfo Response values MUST NOT be used". The login then fails: the access token it
    /// was asked with speaks for someone else, and the app would hold it.
    pub fn for_subject(self, sub: Option<&str>) -> Result<Self, Error> {
        match sub == Some(self.sub.as_str()) {
            true => Ok(self),
            false => Err(Error::UserInfoSubjectMismatch),
        }
    }
}

/// Whether a login's profile needs the userinfo endpoint: its `scope` asked for `profile` and
/// the ID token has no `name`, or for `email` and it has no `email`. Many providers put these
/// claims only in the userinfo response of the code flow (Core §5.4).
pub fn wants_userinfo(claims: &IdTokenClaims, scope: &str) -> bool {
    pieces(scope, b' ').any(|s| match s {
        "profile" => claims.name().is_none(),
        "email" => claims.email().is_none(),
        _ => false,
    })
}

/// One identity of the profile; in JSON `is_social` is `isSocial`, as Auth0 writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub user_id: String,
    pub provider: String,
    pub connection: String,
    #[serde(rename = "isSocial")]
    pub is_social: bool,
}

/// The profile; in JSON `client_id` is `clientID`, as Auth0 writes it, and absent members
/// are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    pub nickname: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    #[serde(rename = "clientID")]
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    pub user_id: String,
    pub sub: String,
    pub identities: Vec<Identity>,
}

impl Profile {
    /// Builds the profile from validated claims, each claim the ID token lacks taken from
    /// `userinfo` (already checked to be the same subject's: [`UserInfo::for_subject`]);
    /// `name` and `nickname` fall back the way the seed's example shows (name from email,
    /// nickname from the email's local part).
    pub fn from_claims(
        claims: &IdTokenClaims,
        userinfo: Option<&UserInfo>,
        strategy: &str,
        connection: &str,
        client_id: &str,
    ) -> Result<Self, Error> {
        let sub = claims.sub().ok_or(Error::MissingSubject)?.to_owned();
        let extra =
            |read: fn(&UserInfo) -> &Option<String>| userinfo.and_then(|u| read(u).as_deref());
        let email = claims.email().or(extra(|u| &u.email));
        let email_local = email
            .and_then(|e| pieces(e, b'@').next())
            .filter(|l| !l.is_empty());
        let name = claims
            .name()
            .or(extra(|u| &u.name))
            .or(email)
            .map(str::to_owned)
            .unwrap_or_else(|| sub.clone());
        let nickname = claims
            .nickname()
            .or(claims.preferred_username())
            .or(extra(|u| &u.nickname))
            .or(extra(|u| &u.preferred_username))
            .or(email_local)
            .map(str::to_owned)
            .unwrap_or_else(|| name.clone());
        let updated_at = claims
            .updated_at()
            .or(userinfo.and_then(|u| u.updated_at.as_ref()))
            .map(|u| match u {
                UpdatedAt::Seconds(s) => iso8601(*s),
                UpdatedAt::Text(t) => t.clone(),
            });
        Ok(Self {
            name,
            email: email.map(str::to_owned),
            email_verified: claims
                .email_verified()
                .or(userinfo.and_then(|u| u.email_verified)),
            nickname,
            picture: claims
                .picture()
                .or(extra(|u| &u.picture))
                .map(str::to_owned),
            client_id: client_id.to_owned(),
            updated_at,
            user_id: cat(&[strategy, "|", connection, "|", &sub]),
            identities: vec![Identity {
                user_id: cat(&[connection, "|", &sub]),
                provider: strategy.to_owned(),
                connection: connection.to_owned(),
                is_social: strategy::kind(strategy) == ConnectionKind::Social,
            }],
            sub,
        })
    }
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form of the seed's
/// `updated_at`. Civil-from-days after Howard Hinnant's public-domain algorithm.
fn iso8601(seconds: f64) -> String {
    // Rounded half away from zero, as `f64::round` (std's) would.
    let millis = seconds * 1000.0;
    let millis = if millis < 0.0 {
        millis - 0.5
    } else {
        millis + 0.5
    } as i64;
    let (days, ms_of_day) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Written digit by digit: integer formatting with padding would pull in `core::fmt`.
    let mut out = String::with_capacity(24);
    let mut digits = |value: i64, width: u32, after: char| {
        for place in (0..width).rev() {
            let digit = (value / 10i64.pow(place)).rem_euclid(10);
            out.push(char::from(b'0' + digit as u8));
        }
        out.push(after);
    };
    digits(year, 4, '-');
    digits(month, 2, '-');
    digits(day, 2, 'T');
    digits(ms_of_day / 3_600_000, 2, ':');
    digits(ms_of_day / 60_000 % 60, 2, ':');
    digits(ms_of_day / 1000 % 60, 2, '.');
    digits(ms_of_day % 1000, 3, 'Z');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: &str) -> IdTokenClaims {
        IdTokenClaims::for_tests(json).expect("claims")
    }

    #[test]
    fn builds_the_seed_profile_for_auth0_oidc() {
        // The auth0-oidc seed's example user.
        let c = claims(
            r#"{"iss":"https://oidc-provider.auth0.com/","sub":"auth0|563b9b6cf50bc24402a69b80",
                "aud":"app","exp":1446783017,"iat":1446747017,"email":"user-in-child@mail.com",
                "email_verified":false,"updated_at":1446747017.813}"#,
        );
        let p = Profile::from_claims(&c, None, "auth0-oidc", "your-auth0-oidc-conn-name", "app")
            .expect("profile");
        assert_eq!(p.name, "user-in-child@mail.com");
        assert_eq!(p.nickname, "user-in-child");
        assert_eq!(p.email_verified, Some(false));
        assert_eq!(
            p.user_id,
            "auth0-oidc|your-auth0-oidc-conn-name|auth0|563b9b6cf50bc24402a69b80"
        );
        assert_eq!(
            p.identities,
            vec![Identity {
                user_id: "your-auth0-oidc-conn-name|auth0|563b9b6cf50bc24402a69b80".into(),
                provider: "auth0-oidc".into(),
                connection: "your-auth0-oidc-conn-name".into(),
                is_social: true,
            }]
        );
        assert_eq!(p.updated_at.as_deref(), Some("2015-11-05T18:10:17.813Z"));
        let json = serde_json::to_value(&p).expect("json");
        assert_eq!(json["clientID"], "app");
        assert_eq!(json["identities"][0]["isSocial"], true);
    }

    #[test]
    fn oidc_connections_are_enterprise_identities() {
        let c = claims(
            r#"{"iss":"i","sub":"alice","aud":"a","exp":1,"iat":1,"name":"Alice","nickname":"al"}"#,
        );
        let p = Profile::from_claims(&c, None, "oidc", "corp", "a").expect("profile");
        assert_eq!(p.user_id, "oidc|corp|alice");
        assert_eq!((p.name.as_str(), p.nickname.as_str()), ("Alice", "al"));
        assert!(!p.identities[0].is_social);
        assert!(p.email.is_none());
    }

    fn userinfo(json: &str) -> UserInfo {
        serde_json::from_str(json).expect("userinfo")
    }

    #[test]
    fn the_profile_takes_what_the_id_token_lacks_from_userinfo() {
        let c = claims(r#"{"iss":"i","sub":"1","aud":"a","exp":1,"iat":1,"nickname":"own"}"#);
        let alone = Profile::from_claims(&c, None, "oidc", "corp", "a").expect("profile");
        assert_eq!(
            alone.name, "1",
            "the sub: django-oidc-provider's ID token alone"
        );
        assert_eq!(alone.email, None);
        let info = userinfo(
            r#"{"sub":"1","name":"Jo Doe","nickname":"theirs","email":"jo@example.com",
                "email_verified":true,"picture":"https://p.example/jo","updated_at":0}"#,
        )
        .for_subject(c.sub())
        .expect("same subject");
        let p = Profile::from_claims(&c, Some(&info), "oidc", "corp", "a").expect("profile");
        assert_eq!(p.name, "Jo Doe");
        assert_eq!(p.nickname, "own", "the ID token's claim wins");
        assert_eq!(p.email.as_deref(), Some("jo@example.com"));
        assert_eq!(p.email_verified, Some(true));
        assert_eq!(p.picture.as_deref(), Some("https://p.example/jo"));
        assert_eq!(p.updated_at.as_deref(), Some("1970-01-01T00:00:00.000Z"));
        assert_eq!(p.user_id, "oidc|corp|1");
    }

    #[test]
    fn a_userinfo_response_for_another_subject_is_refused() {
        let info = || userinfo(r#"{"sub":"2","name":"Mallory"}"#);
        assert_eq!(
            info().for_subject(Some("1")).map(|_| ()),
            Err(Error::UserInfoSubjectMismatch)
        );
        assert_eq!(
            info().for_subject(None).map(|_| ()),
            Err(Error::UserInfoSubjectMismatch)
        );
        assert!(serde_json::from_str::<UserInfo>(r#"{"name":"no sub"}"#).is_err());
    }

    #[test]
    fn userinfo_is_wanted_only_for_the_asked_claims_the_id_token_lacks() {
        let bare = claims(r#"{"iss":"i","sub":"1","aud":"a","exp":1,"iat":1}"#);
        let full =
            claims(r#"{"iss":"i","sub":"1","aud":"a","exp":1,"iat":1,"name":"Jo","email":"j@x"}"#);
        assert!(wants_userinfo(&bare, "openid profile"));
        assert!(wants_userinfo(&bare, "openid email"));
        assert!(!wants_userinfo(&bare, "openid"));
        assert!(!wants_userinfo(&bare, "openid offline_access"));
        assert!(!wants_userinfo(
            &full,
            "openid profile email offline_access"
        ));
    }

    #[test]
    fn iso8601_handles_epoch_and_leap_days() {
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(-1.0), "1969-12-31T23:59:59.000Z");
        assert_eq!(iso8601(253_402_300_799.999), "9999-12-31T23:59:59.999Z");
    }
}
