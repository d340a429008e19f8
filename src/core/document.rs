//! Reading the documents the widget is given (options, client configuration, discovery,
//! JWKS, token responses, the ID token's header and claims, stored transactions, language
//! packs): each is a serde type, read from whatever the layer has. In the browser that is the
//! value of the browser's own `JSON.parse` (serde-wasm-bindgen); natively, in tests and
//! fuzzing, serde_json. A document that cannot be read names the member that was wrong, as a
//! path like `strategies[0].name`.

use core::fmt::Display;

use serde::de::{Deserialize, Deserializer};

use crate::prelude::*;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The member that was wrong (`auth.redirectUrl`, `strategies[0].name`); empty for the
    /// document itself. For a missing member, the object that lacks it (the message names
    /// the member).
    pub path: String,
    pub message: String,
}

impl ReadError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }

    /// `` `strategies[0].name`: invalid type: integer `1`, expected a string ``, or the
    /// message alone when the document itself was wrong.
    pub fn describe(&self) -> String {
        match self.path.is_empty() {
            true => self.message.clone(),
            false => ["`", &self.path, "`: ", &self.message].concat(),
        }
    }
}

/// Reads JSON text: the browser's `JSON.parse` in the shipped module, serde_json natively.
pub trait JsonReader {
    /// A document from the network: what was wrong is said, without the member's path
    /// (tracking it costs code per type; these errors name their document instead).
    fn read<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError>;
    /// A document whose errors a person fixes by hand (the client configuration): the
    /// member that was wrong is named by its path, see [`read`].
    fn read_named<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError>;
}

/// serde_json as the [`JsonReader`], for the native tests.
#[cfg(test)]
pub struct SerdeJson;

#[cfg(test)]
impl JsonReader for SerdeJson {
    fn read<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError> {
        serde_json::from_str(text).map_err(|e| ReadError::new("", e.to_string()))
    }

    fn read_named<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError> {
        from_json(text)
    }
}

/// Reads a `T` from `deserializer`, naming the member that was wrong.
pub fn read<'de, T, D>(deserializer: D) -> Result<T, ReadError>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
    D::Error: Display,
{
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        ReadError::new(path, e.inner().to_string())
    })
}

/// Reads a `T` from `deserializer`, saying what was wrong but not where.
pub fn read_plain<'de, T, D>(deserializer: D) -> Result<T, ReadError>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
    D::Error: Display,
{
    T::deserialize(deserializer).map_err(|e| ReadError::new("", e.to_string()))
}

/// A `T` from JSON text, as the native tests and fuzzing read documents.
#[cfg(test)]
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = read(&mut deserializer)?;
    deserializer
        .end()
        .map_err(|e| ReadError::new("", e.to_string()))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Doc {
        #[allow(dead_code)]
        strategies: Vec<Strategy>,
    }

    #[derive(Debug, Deserialize)]
    struct Strategy {
        #[allow(dead_code)]
        name: String,
    }

    #[test]
    fn a_wrong_member_is_named_by_its_path() {
        let e = from_json::<Doc>(r#"{"strategies":[{"name":"a"},{"name":1}]}"#).unwrap_err();
        assert_eq!(e.path, "strategies[1].name");
        assert!(e.describe().starts_with("`strategies[1].name`: "), "{e:?}");
        let missing = from_json::<Doc>("{}").unwrap_err();
        assert_eq!(missing.path, "");
        assert!(missing.describe().contains("strategies"), "{missing:?}");
        assert!(from_json::<Doc>(r#"{"strategies":[]} x"#).is_err());
    }
}
