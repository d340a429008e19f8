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
    /// (these errors name their document instead).
    fn read<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError>;
    /// A document whose errors a person fixes by hand (the client configuration): the
    /// member that was wrong is named by its path, see [`read_document`].
    fn read_named<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError>;
}

/// A member of a document: an object's by its name, an array's by its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    Name(String),
    Index(usize),
}

/// A parsed document that can be copied in part, so that the member a reader refused can be
/// found by reading parts of it again (see [`locate`]): the browser's JS values, serde_json's
/// natively. Every method returns a copy: the document itself is never changed.
pub trait Tree: Sized + Clone {
    /// An object's members or an array's elements, in the order the layer gives them; none
    /// for anything else (a string, a number, null, a function).
    fn members(&self) -> Option<Vec<(Member, Self)>>;
    /// This object or array with only its first `n` members.
    fn first(&self, n: usize) -> Self;
    /// This object or array with member `index` (of [`Tree::members`]) replaced by `value`.
    fn with(&self, index: usize, value: Self) -> Self;
    /// This object with its member `name` set to `value` (added last when it has none).
    fn with_member(&self, name: &str, value: Self) -> Self;
    /// null.
    fn null() -> Self;
}

/// Reads a `T` from `document` with `read`; when it cannot, the error names the member that
/// was wrong (`strategies[0].name`), found by [`locate`]. `read` says what was wrong.
pub fn read_document<T, V: Tree>(
    document: V,
    read: impl Fn(&V) -> Result<T, String>,
) -> Result<T, ReadError> {
    read(&document).map_err(|message| {
        let path = locate(document, &message, &|part| read(part).err());
        ReadError::new(path, message)
    })
}

/// Where in `document` reading failed with `error`: the path of the member that was wrong
/// (`strategies[0].name`), empty for the document itself. For a missing member, the object
/// that lacks it.
///
/// Found by reading parts of the document again with `read` (the error of a part, none when
/// it reads): only on failure, so reading a good document costs nothing more. A reader stops
/// at the first member it refuses, and only notices a missing member once it has read the
/// others; so among the copies of an object that keep its first 0, 1, 2, … members, the first
/// that fails with the same error is the one that ends with the member that was wrong (the
/// shorter ones fail otherwise, or read). The search goes on inside that member, each level
/// above it cut after it (the reader never got further), and stops at a member that has no
/// members of its own, or whose shortest copy already fails the same way (of the wrong type,
/// or lacking a member).
///
/// A missing member's error names it (serde's ``missing field `name` ``), and a shorter copy
/// of an object can lack that member too: so a copy keeps the member so named when the
/// object has it, and an object that lacks it is the one that was wrong only if adding it,
/// null, changes the error. A member refused for its name rather than its value (an enum's
/// unknown variant: the same error with null or `{}` in its place) is named by its object,
/// as serde_path_to_error names it.
pub fn locate<V: Tree>(document: V, error: &str, read: &dyn Fn(&V) -> Option<String>) -> String {
    // After the layer's own prefix, if any (serde-wasm-bindgen's `Error: `).
    let missing = error
        .split_once("missing field `")
        .and_then(|(_, rest)| rest.strip_suffix('`'));
    // The levels above the member searched: each cut after the member taken, and its index.
    let mut above: Vec<(V, usize)> = Vec::new();
    let mut path: Vec<Member> = Vec::new();
    let mut node = document;
    while let Some(members) = node.members() {
        let whole = |part: V| {
            above
                .iter()
                .rev()
                .fold(part, |inner, (outer, index)| outer.with(*index, inner))
        };
        let fails = |part: V| read(&whole(part)).as_deref() == Some(error);
        let named = |name: &str| {
            members
                .iter()
                .position(|(member, _)| matches!(member, Member::Name(n) if n == name))
        };
        // The member the error names, when this object has it: kept in every copy.
        let kept = missing.and_then(named);
        let part = |n: usize| {
            let copy = node.first(n);
            let named = kept.filter(|&k| k >= n).and_then(|k| members.get(k));
            match (missing, named) {
                (Some(name), Some((_, value))) => copy.with_member(name, value.clone()),
                _ => copy,
            }
        };
        let Some(n) = (0..=members.len()).find(|&n| fails(part(n))) else {
            break;
        };
        // The member taken: its index among the members, and in the copy kept above (where
        // the copy that already fails is the named member alone, that member).
        let (taken, index) = match (n, kept) {
            (0, Some(k)) => (k, 0),
            (0, None) => break,
            (n, _) => (n - 1, n - 1),
        };
        if let (Some(name), None) = (missing, kept) {
            if !fails(node.first(n).with_member(name, V::null())) {
                break;
            }
        }
        let Some((member, value)) = members.get(taken).cloned() else {
            break;
        };
        // A member whose value does not matter was refused for its name.
        let ancestor = part(n);
        let refused_for = |other: V| fails(ancestor.with(index, other));
        if matches!(member, Member::Name(_)) && refused_for(V::null()) && refused_for(node.first(0))
        {
            break;
        }
        above.push((ancestor, index));
        path.push(member);
        node = value;
    }
    display(&path)
}

/// `strategies[0].name`, as serde_path_to_error writes a path.
fn display(path: &[Member]) -> String {
    let mut text = String::new();
    for member in path {
        match member {
            Member::Name(name) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(name);
            }
            Member::Index(index) => {
                text.push('[');
                text.push_str(&index.to_string());
                text.push(']');
            }
        }
    }
    text
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

/// serde_json as the [`JsonReader`], natively (tests, fuzzing): the text is parsed into a
/// `serde_json::Value` first, as the browser's `JSON.parse` makes a JS value, and the
/// document read from that.
#[cfg(any(test, not(target_arch = "wasm32")))]
pub struct SerdeJson;

#[cfg(any(test, not(target_arch = "wasm32")))]
impl JsonReader for SerdeJson {
    fn read<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError> {
        serde_json::from_str(text).map_err(|e| ReadError::new("", e.to_string()))
    }

    fn read_named<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, ReadError> {
        from_json(text)
    }
}

/// A `T` from JSON text, naming the member that was wrong: as the native tests and fuzzing
/// read documents.
#[cfg(any(test, not(target_arch = "wasm32")))]
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ReadError::new("", e.to_string()))?;
    read_document(value, |value| {
        T::deserialize(value).map_err(|e| e.to_string())
    })
}

#[cfg(any(test, not(target_arch = "wasm32")))]
impl Tree for serde_json::Value {
    fn members(&self) -> Option<Vec<(Member, Self)>> {
        match self {
            Self::Object(map) => Some(
                map.iter()
                    .map(|(name, value)| (Member::Name(name.clone()), value.clone()))
                    .collect(),
            ),
            Self::Array(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, value)| (Member::Index(index), value.clone()))
                    .collect(),
            ),
            _ => None,
        }
    }

    fn first(&self, n: usize) -> Self {
        match self {
            Self::Object(map) => Self::Object(
                map.iter()
                    .take(n)
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect(),
            ),
            Self::Array(items) => Self::Array(items.iter().take(n).cloned().collect()),
            other => other.clone(),
        }
    }

    fn with(&self, index: usize, value: Self) -> Self {
        let mut copy = self.clone();
        match &mut copy {
            Self::Object(map) => {
                if let Some((_, slot)) = map.iter_mut().nth(index) {
                    *slot = value;
                }
            }
            Self::Array(items) => {
                if let Some(slot) = items.get_mut(index) {
                    *slot = value;
                }
            }
            _ => {}
        }
        copy
    }

    fn with_member(&self, name: &str, value: Self) -> Self {
        let mut copy = self.clone();
        if let Self::Object(map) = &mut copy {
            map.insert(name.to_owned(), value);
        }
        copy
    }

    fn null() -> Self {
        Self::Null
    }
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

    use serde_json::{json, Value};

    /// The path serde_path_to_error gives for `value` (empty for the document itself), and
    /// the one [`read_document`] finds, when `value` is not a `T`.
    fn both<T: serde::de::DeserializeOwned>(value: &Value) -> Option<(String, String)> {
        let expected = match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(_) => return None,
            Err(e) => e.path().to_string(),
        };
        let expected = if expected == "." {
            String::new()
        } else {
            expected
        };
        let found = read_document(value.clone(), |v| {
            T::deserialize(v).map_err(|e| e.to_string())
        })
        .err()
        .map(|e| e.path)?;
        // The same where the layer puts its own prefix before serde's message, as
        // serde-wasm-bindgen does (a JS Error as text: `Error: missing field ...`).
        let prefixed = read_document(value.clone(), |v| {
            T::deserialize(v).map_err(|e| ["Error: ", &e.to_string()].concat())
        })
        .err()
        .map(|e| e.path);
        assert_eq!(prefixed.as_ref(), Some(&found), "in {value}");
        Some((expected, found))
    }

    /// Every object member and array element of `value`, as the steps to it.
    fn nodes(value: &Value, at: &mut Vec<Member>, out: &mut Vec<Vec<Member>>) {
        out.push(at.clone());
        for (member, child) in value.members().unwrap_or_default() {
            at.push(member);
            nodes(&child, at, out);
            at.pop();
        }
    }

    /// `value` with the node at `path` replaced by `with`, or removed when `with` is none.
    fn mutate(value: &Value, path: &[Member], with: Option<&Value>) -> Value {
        let Some((step, rest)) = path.split_first() else {
            return with.cloned().unwrap_or(Value::Null);
        };
        let mut copy = value.clone();
        match (&mut copy, step) {
            (Value::Object(map), Member::Name(name)) => match (rest.is_empty(), with) {
                (true, None) => {
                    map.remove(name);
                }
                _ => {
                    let inner = mutate(&map[name], rest, with);
                    map.insert(name.clone(), inner);
                }
            },
            (Value::Array(items), Member::Index(i)) => {
                items[*i] = mutate(&items[*i], rest, with.or(Some(&Value::Null)));
            }
            _ => unreachable!("a path of nodes() leads somewhere"),
        }
        copy
    }

    /// Each seed of the fuzzer broken at every member, one at a time (each member replaced by
    /// a value of every JSON type, or removed) and two at a time: the member named is the one
    /// serde_path_to_error names, on every broken document.
    fn paths_agree<T: serde::de::DeserializeOwned>(seed: &str) -> usize {
        let seed: Value = serde_json::from_str(seed).expect("seed");
        let mut all = Vec::new();
        nodes(&seed, &mut Vec::new(), &mut all);
        let replacements = [
            json!(null),
            json!(true),
            json!(7),
            json!(-1.5),
            json!(""),
            json!("x"),
            json!([]),
            json!([1]),
            json!({}),
            json!({"x": 1}),
        ];
        let mut broken = Vec::new();
        for path in &all {
            broken.push(mutate(&seed, path, None));
            for r in &replacements {
                broken.push(mutate(&seed, path, Some(r)));
            }
        }
        for (i, a) in all.iter().enumerate() {
            for b in all.iter().skip(i + 1) {
                for r in [&replacements[2], &replacements[8]] {
                    let once = mutate(&seed, a, Some(r));
                    if b.starts_with(a) {
                        continue;
                    }
                    broken.push(mutate(&once, b, Some(&replacements[5])));
                }
            }
        }
        let mut compared = 0;
        for doc in &broken {
            if let Some((expected, found)) = both::<T>(doc) {
                assert_eq!(found, expected, "in {doc}");
                compared += 1;
            }
        }
        compared
    }

    #[test]
    fn the_path_found_is_serde_path_to_errors_on_every_broken_seed() {
        use crate::core::{
            claims::Claims, client_config::ClientConfiguration,
            connection::DirectConnectionOptions, discovery::ProviderMetadata, jwks::JwkSet,
            options::Options, transaction::Transaction,
        };
        let compared = paths_agree::<ClientConfiguration>(include_str!(
            "../../fuzz/seeds/client_configuration/lock-shape.json"
        )) + paths_agree::<Options>(include_str!(
            "../../fuzz/seeds/options/full.json"
        )) + paths_agree::<ProviderMetadata>(include_str!(
            "../../fuzz/seeds/discovery/complete.json"
        )) + paths_agree::<JwkSet>(include_str!(
            "../../fuzz/seeds/jwks/rsa-and-ec.json"
        )) + paths_agree::<Transaction>(include_str!(
            "../../fuzz/seeds/transaction/stored.json"
        )) + paths_agree::<DirectConnectionOptions>(include_str!(
            "../../fuzz/seeds/direct_connection/discovery.json"
        )) + paths_agree::<Claims>(include_str!(
            "../../fuzz/seeds/id_token_parts/claims.json"
        ));
        eprintln!("{compared} broken documents: the same path");
        assert!(compared > 1000, "{compared} broken documents compared");
    }
}
