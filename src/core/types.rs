//! Every protocol value is its own type, so a state can never be passed where a nonce is
//! wanted. Secrets print as `[redacted]` and are read only through `secret()`.

use core::fmt;

use super::encoding::base64url;
use sha2::{Digest, Sha256};

use crate::prelude::*;
use serde::{Deserialize, Serialize};

/// Random bytes for one login: 32 bytes (256 bits) each, from `crypto.getRandomValues`.
pub type Entropy = [u8; 32];

macro_rules! public_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

macro_rules! secret_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            /// The secret itself; every read is explicit.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

public_value!(
    /// The application's `client_id` ([RFC 6749 §2.2](https://www.rfc-editor.org/rfc/rfc6749#section-2.2)).
    ClientId
);
public_value!(
    /// Where the provider sends the user back ([RFC 6749 §3.1.2](https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2)).
    RedirectUrl
);
public_value!(
    /// The opaque CSRF value of one login ([RFC 6749 §10.12](https://www.rfc-editor.org/rfc/rfc6749#section-10.12)).
    State
);
public_value!(
    /// Binds the ID token to this login ([OpenID Connect Core §3.1.2.1](https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest)).
    Nonce
);
public_value!(
    /// `BASE64URL(SHA256(verifier))` ([RFC 7636 §4.2](https://www.rfc-editor.org/rfc/rfc7636#section-4.2)).
    PkceCodeChallenge
);
public_value!(
    /// An issuer identifier, compared as an exact string ([OpenID Connect Discovery §3](https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata)).
    IssuerUrl
);
public_value!(
    /// A connection's name, as the broker knows it (`connection=NAME`).
    ConnectionName
);

secret_value!(
    /// The PKCE code verifier ([RFC 7636 §4.1](https://www.rfc-editor.org/rfc/rfc7636#section-4.1)).
    /// Deliberately not `Clone`: one login, one verifier.
    PkceCodeVerifier
);
secret_value!(
    /// A refresh token ([RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6)):
    /// kept in the wasm's memory only, never in storage.
    RefreshToken
);

secret_value!(
    /// The authorization code ([RFC 6749 §4.1.2](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2)).
    AuthorizationCode
);

impl State {
    pub fn from_entropy(bytes: &Entropy) -> Self {
        Self(base64url::encode(bytes))
    }
}

impl Nonce {
    pub fn from_entropy(bytes: &Entropy) -> Self {
        Self(base64url::encode(bytes))
    }
}

impl PkceCodeVerifier {
    /// 32 random octets, base64url-encoded: 43 characters from the unreserved set, as
    /// RFC 7636 §4.1 recommends.
    pub fn from_entropy(bytes: &Entropy) -> Self {
        Self(base64url::encode(bytes))
    }

    /// The S256 challenge. `plain` is never offered (RFC 9700 §2.1.1).
    pub fn challenge_s256(&self) -> PkceCodeChallenge {
        PkceCodeChallenge(base64url::encode(&Sha256::digest(self.0.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 Appendix B.
    const RFC7636_OCTETS: Entropy = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];

    #[test]
    fn pkce_matches_rfc7636_appendix_b() {
        let verifier = PkceCodeVerifier::from_entropy(&RFC7636_OCTETS);
        assert_eq!(
            verifier.secret(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            verifier.challenge_s256().as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_is_43_unreserved_characters() {
        let v = PkceCodeVerifier::from_entropy(&[0xff; 32]);
        assert_eq!(v.secret().len(), 43);
        assert!(v
            .secret()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)));
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let v = PkceCodeVerifier::new("super-secret");
        assert_eq!(format!("{v:?}"), "PkceCodeVerifier([redacted])");
        let c = AuthorizationCode::new("abc");
        assert!(!format!("{c:?}").contains("abc"));
    }

    #[test]
    fn state_and_nonce_carry_256_bits() {
        let s = State::from_entropy(&[1; 32]);
        let n = Nonce::from_entropy(&[2; 32]);
        assert_eq!(s.as_str().len(), 43);
        assert_ne!(s.as_str(), n.as_str());
    }
}
