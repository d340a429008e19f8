//! A small JSON reader and writer ([RFC 8259](https://www.rfc-editor.org/rfc/rfc8259)) for the
//! few documents the widget reads (options, client configuration, discovery, JWKS, token
//! responses, ID token header and claims, stored transactions) and the few it writes.
//!
//! Why not serde: serde's derives and serde-wasm-bindgen monomorphise one deserializer per
//! type, which made up most of the .wasm (issue 7's size budget). One untyped tree plus typed
//! accessors costs a few KB for every document at once.
//!
//! The reader is strict where strictness is safety: input must be UTF-8, nesting is limited
//! (a hostile document cannot exhaust the stack), duplicate member names are refused (two
//! parsers reading the same claims differently is an attack, RFC 7519 §4 and RFC 8259 §4),
//! lone surrogates are refused, and nothing may follow the value. It never panics.

use core::cell::Cell;
use core::fmt;

use super::encoding::{cat, decimal, split_once};
use crate::prelude::*;

/// Deeper nesting is refused. The documents the widget reads nest four or five levels;
/// custom claims get room to spare, a stack overflow does not.
pub const MAX_DEPTH: usize = 64;

/// Longer input is refused before it is read.
pub const MAX_LEN: usize = 1024 * 1024;

/// Members per object. Duplicate names are found by comparing each new name with the
/// names before it, so this bounds that work; real documents have a few dozen.
pub const MAX_MEMBERS: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written (checked against the RFC 8259 §6 grammar): read as an integer or
    /// a float only when a field asks for it, so no precision is lost on the way.
    Number(String),
    String(String),
    Array(Vec<Value>),
    /// Members in document order, names unique.
    Object(Vec<(String, Value)>),
}

/// Why a document could not be read. `field` is the path of the member, like
/// `strategies[0].name` or `auth.redirectUrl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    NotUtf8,
    TooLong,
    /// Not JSON: the byte offset where reading stopped.
    Syntax(usize),
    TooDeep,
    TooManyMembers,
    DuplicateKey(String),
    Missing(String),
    WrongType {
        field: String,
        expected: &'static str,
    },
}

impl JsonError {
    /// The same error, for a member of the object this error's document sits in.
    pub fn message(&self) -> String {
        match self {
            JsonError::NotUtf8 => "the document is not UTF-8".into(),
            JsonError::TooLong => "the document is longer than 1 MiB".into(),
            JsonError::Syntax(at) => cat(&["not JSON (at byte ", &decimal(*at as u64), ")"]),
            JsonError::TooDeep => "the document nests too deeply".into(),
            JsonError::TooManyMembers => "an object has too many members".into(),
            JsonError::DuplicateKey(k) => cat(&["the member `", k, "` appears twice"]),
            JsonError::Missing(f) => cat(&["`", f, "` is missing"]),
            JsonError::WrongType { field, expected } => cat(&["`", field, "` must be ", expected]),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Reads one JSON text.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    if text.len() > MAX_LEN {
        return Err(JsonError::TooLong);
    }
    let mut reader = Reader { text, at: 0 };
    let value = reader.value(0)?;
    reader.skip_space();
    if reader.at != text.len() {
        return Err(JsonError::Syntax(reader.at));
    }
    Ok(value)
}

/// Reads one JSON text from bytes, which must be UTF-8 (RFC 8259 §8.1).
pub fn parse_bytes(bytes: &[u8]) -> Result<Value, JsonError> {
    parse(core::str::from_utf8(bytes).map_err(|_| JsonError::NotUtf8)?)
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn syntax<T>(&self) -> Result<T, JsonError> {
        Err(JsonError::Syntax(self.at))
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.skip_space();
        match self.peek() {
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => Err(JsonError::TooDeep),
            Some(b'{') => {
                self.at += 1;
                let mut members: Vec<(String, Value)> = Vec::new();
                if self.eat(b'}') {
                    return Ok(Value::Object(members));
                }
                loop {
                    self.skip_space();
                    if self.peek() != Some(b'"') {
                        return self.syntax();
                    }
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return self.syntax();
                    }
                    if members.iter().any(|(k, _)| *k == key) {
                        return Err(JsonError::DuplicateKey(key));
                    }
                    if members.len() == MAX_MEMBERS {
                        return Err(JsonError::TooManyMembers);
                    }
                    let value = self.value(depth + 1)?;
                    members.push((key, value));
                    if self.eat(b'}') {
                        return Ok(Value::Object(members));
                    }
                    if !self.eat(b',') {
                        return self.syntax();
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Ok(Value::Array(items));
                    }
                    if !self.eat(b',') {
                        return self.syntax();
                    }
                }
            }
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'n') => self.word("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.syntax(),
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        if self
            .text
            .get(self.at..)
            .is_some_and(|t| t.starts_with(word))
        {
            self.at += word.len();
            Ok(value)
        } else {
            self.syntax()
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` (RFC 8259 §6).
    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let leading_zero = self.peek() == Some(b'0');
        match self.digits() {
            0 => return self.syntax(),
            n if leading_zero && n > 1 => return Err(JsonError::Syntax(start)),
            _ => {}
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return self.syntax();
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return self.syntax();
            }
        }
        match self.text.get(start..self.at) {
            Some(n) => Ok(Value::Number(n.to_owned())),
            None => self.syntax(),
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let code = self
            .text
            .get(self.at..self.at + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match code {
            Some(code) => {
                self.at += 4;
                Ok(code)
            }
            None => self.syntax(),
        }
    }

    /// A string, its opening quote at `self.at` (RFC 8259 §7).
    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            // Both ends sit next to ASCII bytes (or the end), so this is a char boundary.
            match self.text.get(start..self.at) {
                Some(run) => out.push_str(run),
                None => return self.syntax(),
            }
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escape = self.peek();
                    self.at += 1;
                    let c = match escape {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(JsonError::Syntax(self.at - 1)),
                    };
                    out.push(c);
                }
                // A raw control character, or the end of the input inside a string.
                _ => return self.syntax(),
            }
        }
    }

    /// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`. A lone surrogate is no character
    /// (RFC 8259 §8.2) and is refused rather than replaced.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                if self
                    .text
                    .get(self.at..)
                    .is_some_and(|t| t.starts_with("\\u"))
                {
                    self.at += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return self.syntax();
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    return self.syntax();
                }
            }
            0xDC00..=0xDFFF => return self.syntax(),
            code => code,
        };
        match char::from_u32(code) {
            Some(c) => Ok(c),
            None => self.syntax(),
        }
    }
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A whole number. `3600` and `3600.0` both are; `3.5`, `1e3` and anything past the
    /// type's range are not.
    pub fn as_u64(&self) -> Option<u64> {
        let Value::Number(text) = self else {
            return None;
        };
        let whole = match split_once(text, ".") {
            Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => whole,
            Some(_) => return None,
            None => text,
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        whole.bytes().try_fold(0u64, |n, d| {
            n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(text) => match text.strip_prefix('-') {
                Some(rest) => {
                    let n = Value::Number(rest.to_owned()).as_u64()?;
                    0i64.checked_sub_unsigned(n)
                }
                None => i64::try_from(self.as_u64()?).ok(),
            },
            _ => None,
        }
    }

    /// Any number, to within a rounding step or two (enough for timestamps); written by
    /// hand because the standard float parser is several KB of wasm.
    pub fn as_f64(&self) -> Option<f64> {
        let Value::Number(text) = self else {
            return None;
        };
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (mantissa, exponent) = match text.split_once(['e', 'E']) {
            Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e)),
            None => (text, "0"),
        };
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(d) => (-1, d),
            None => (1, exponent),
        };
        // Saturates: 1e999 is infinite and 1e-999 zero either way.
        let mut exponent: i32 = sign
            * digits
                .bytes()
                .fold(0i32, |n, d| (n * 10 + i32::from(d - b'0')).min(10_000));
        let mut value: u64 = 0;
        let mut fraction = false;
        for b in mantissa.bytes() {
            match b {
                b'.' => fraction = true,
                // Past 18 digits the rest only moves the exponent.
                b'0'..=b'9' if value < 100_000_000_000_000_000 => {
                    value = value * 10 + u64::from(b - b'0');
                    exponent -= i32::from(fraction);
                }
                b'0'..=b'9' => exponent += i32::from(!fraction),
                _ => return None,
            }
        }
        let exponent = exponent.clamp(-400, 400);
        // `powi` is std's (libm); this is exact up to 1e22 and ample for what JSON carries here.
        let mut scale = 1f64;
        for _ in 0..exponent.unsigned_abs() {
            scale *= 10.0;
        }
        let mut value = value as f64;
        if exponent < 0 {
            value /= scale;
        } else {
            value *= scale;
        }
        Some(if negative { -value } else { value })
    }
}

/// Reads a document that must be an object with `build`, which reads its members through
/// an [`Obj`]. Reads never stop early: a missing or mistyped member is noted and a default
/// stands in, and the first such error is what this returns. (Early returns from every
/// member would cost a ladder of drops per document in the wasm.)
pub fn read<T>(text: &str, build: impl FnOnce(&Obj<'_>) -> T) -> Result<T, JsonError> {
    let value = parse(text)?;
    let error = Cell::new(None);
    let out = build(&Obj::new(&value, String::new(), &error));
    match error.take() {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// An object being read, with its path for errors. A member that is `null` reads as absent,
/// as an unset option does.
///
/// Its accessors (and the writer's) are `#[inline(never)]`: each is called from dozens of
/// places, and copies inlined into every one of them cost the wasm more than the calls.
pub struct Obj<'a> {
    members: &'a [(String, Value)],
    path: String,
    error: &'a Cell<Option<JsonError>>,
}

impl<'a> Obj<'a> {
    fn new(value: &'a Value, path: String, error: &'a Cell<Option<JsonError>>) -> Self {
        let members = match value {
            Value::Object(members) => members.as_slice(),
            _ => {
                let field = path.clone();
                let o = Obj {
                    members: &[],
                    path,
                    error,
                };
                o.fail(JsonError::WrongType {
                    field,
                    expected: "an object",
                });
                return o;
            }
        };
        Obj {
            members,
            path,
            error,
        }
    }

    /// Notes an error (the first one wins).
    #[inline(never)]
    pub fn fail(&self, e: JsonError) {
        let first = self.error.take().unwrap_or(e);
        self.error.set(Some(first));
    }

    #[inline(never)]
    fn wrong(&self, key: &str, expected: &'static str) {
        self.fail(JsonError::WrongType {
            field: self.path(key),
            expected,
        });
    }

    /// The path of member `key`: `auth.redirectUrl`, or `redirectUrl` at the top.
    #[inline(never)]
    pub fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            cat(&[&self.path, ".", key])
        }
    }

    /// The member, unless absent or `null`.
    #[inline(never)]
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.members
            .iter()
            .find(|(k, v)| k == key && !matches!(v, Value::Null))
            .map(|(_, v)| v)
    }

    fn typed<T>(
        &self,
        key: &str,
        expected: &'static str,
        pick: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Option<T> {
        let value = self.get(key)?;
        let found = pick(value);
        if found.is_none() {
            self.wrong(key, expected);
        }
        found
    }

    fn required<T: Default>(&self, key: &str, found: Option<T>) -> T {
        if found.is_none() && self.get(key).is_none() {
            self.fail(JsonError::Missing(self.path(key)));
        }
        found.unwrap_or_default()
    }

    #[inline(never)]
    pub fn str(&self, key: &str) -> Option<String> {
        self.typed(key, "a string", |v| v.as_str().map(str::to_owned))
    }

    #[inline(never)]
    pub fn req_str(&self, key: &str) -> String {
        let found = self.str(key);
        self.required(key, found)
    }

    #[inline(never)]
    pub fn bool(&self, key: &str) -> Option<bool> {
        self.typed(key, "true or false", |v| match v {
            Value::Bool(b) => Some(*b),
            _ => None,
        })
    }

    #[inline(never)]
    pub fn u64(&self, key: &str) -> Option<u64> {
        self.typed(key, "a whole number", Value::as_u64)
    }

    pub fn req_u64(&self, key: &str) -> u64 {
        let found = self.u64(key);
        self.required(key, found)
    }

    pub fn i64(&self, key: &str) -> Option<i64> {
        self.typed(key, "a whole number", Value::as_i64)
    }

    pub fn req_i64(&self, key: &str) -> i64 {
        let found = self.i64(key);
        self.required(key, found)
    }

    #[inline(never)]
    pub fn obj(&self, key: &str) -> Option<Obj<'a>> {
        self.get(key)
            .map(|v| Obj::new(v, self.path(key), self.error))
    }

    pub fn array(&self, key: &str) -> Option<&'a [Value]> {
        self.typed(key, "an array", |v| match v {
            Value::Array(items) => Some(items.as_slice()),
            _ => None,
        })
    }

    /// A required array, present even when empty.
    pub fn req_array(&self, key: &str) -> &'a [Value] {
        let found = self.array(key);
        self.required(key, found)
    }

    /// An array of objects, each with its path (`connections[2]`).
    pub fn objects(&self, key: &str) -> Vec<Obj<'a>> {
        self.items(self.array(key).unwrap_or_default(), key)
    }

    /// The objects of `items`, the array at member `key`.
    pub fn items(&self, items: &'a [Value], key: &str) -> Vec<Obj<'a>> {
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                Obj::new(
                    item,
                    cat(&[&self.path(key), "[", &decimal(i as u64), "]"]),
                    self.error,
                )
            })
            .collect()
    }

    #[inline(never)]
    pub fn strings(&self, key: &str) -> Option<Vec<String>> {
        self.typed(key, "an array of strings", |v| match v {
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        })
    }

    /// Every member, for maps like `languageDictionary`.
    pub fn members(&self) -> impl Iterator<Item = &'a (String, Value)> {
        self.members.iter()
    }
}

/// Writes `s` as a JSON string (RFC 8259 §7): quotes, backslashes and control characters
/// escaped, everything else as is.
pub fn write_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    // Runs that need no escape are copied whole; every split point is an ASCII byte.
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// A JSON array of strings.
pub fn string_array(items: &[String]) -> String {
    let mut out = String::from("[");
    for item in items {
        if out.len() > 1 {
            out.push(',');
        }
        write_str(&mut out, item);
    }
    out.push(']');
    out
}

/// Builds one JSON object, members in the order written. `None` members are left out.
pub struct ObjectWriter {
    out: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        Self { out: "{".into() }
    }
}

impl ObjectWriter {
    #[inline(never)]
    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_str(&mut self.out, key);
        self.out.push(':');
    }

    #[inline(never)]
    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        self.key(key);
        write_str(&mut self.out, value);
        self
    }

    #[inline(never)]
    pub fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.str(key, value);
        }
        self
    }

    #[inline(never)]
    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.raw(key, if value { "true" } else { "false" })
    }

    pub fn u64(&mut self, key: &str, value: u64) -> &mut Self {
        self.raw(key, &decimal(value))
    }

    pub fn opt_u64(&mut self, key: &str, value: Option<u64>) -> &mut Self {
        if let Some(value) = value {
            self.u64(key, value);
        }
        self
    }

    /// A member whose value is already JSON (a nested object or array).
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key);
        self.out.push_str(json);
        self
    }

    pub fn finish(&mut self) -> String {
        let mut out = core::mem::take(&mut self.out);
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn reads_nested_documents() {
        let text = r#" {"a": [1, -2.5e3, true, false, null, {"b": "c"}], "d": {}} "#;
        let v = parse(text).expect("json");
        let Value::Object(members) = &v else {
            panic!("not an object")
        };
        let Value::Array(a) = &members[0].1 else {
            panic!("not an array")
        };
        assert_eq!(a.len(), 6);
        assert_eq!(a[0].as_u64(), Some(1));
        assert_eq!(a[1], Value::Number("-2.5e3".into()));
        assert_eq!(a[1].as_f64(), Some(-2500.0));
        assert_eq!(a[2], Value::Bool(true));
        assert_eq!(a[4], Value::Null);
        assert_eq!(
            a[5],
            Value::Object(vec![("b".into(), Value::String("c".into()))])
        );
        let b = read(r#"{"list":[{"b":"c"}],"d":{}}"#, |o| {
            let list = o.req_array("list");
            let empty = o.obj("d").map(|d| d.members().count());
            (o.items(list, "list")[0].req_str("b"), empty)
        });
        assert_eq!(b, Ok(("c".into(), Some(0))));
    }

    #[test]
    fn decodes_every_escape_and_surrogate_pairs() {
        assert_eq!(
            parse(r#""\" \\ \/ \b \f \n \r \t \u00e9 \u20AC""#),
            Ok(string("\" \\ / \u{8} \u{c} \n \r \t é €"))
        );
        assert_eq!(parse(r#""\ud83d\ude00""#), Ok(string("😀")));
        assert_eq!(parse(r#""raw é 😀""#), Ok(string("raw é 😀")));
    }

    #[test]
    fn refuses_lone_surrogates_and_bad_escapes() {
        for bad in [
            r#""\ud83d""#,
            r#""\ud83d\u0041""#,
            r#""\ude00""#,
            r#""\ud83d\x""#,
            r#""\u12""#,
            r#""\u12G4""#,
            r#""\q""#,
            "\"tab\there\"",
            "\"unterminated",
            "\"\\",
        ] {
            assert!(matches!(parse(bad), Err(JsonError::Syntax(_))), "{bad}");
        }
    }

    #[test]
    fn reads_numbers_by_the_grammar() {
        for ok in [
            "0",
            "-0",
            "12",
            "1.5",
            "1e9",
            "1E+9",
            "-1.25e-3",
            "1446747017.813",
        ] {
            assert_eq!(parse(ok), Ok(Value::Number(ok.into())), "{ok}");
        }
        for bad in [
            "01", "-", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "-01",
        ] {
            assert!(matches!(parse(bad), Err(JsonError::Syntax(_))), "{bad}");
        }
    }

    #[test]
    fn reads_whole_numbers_within_range_only() {
        let n = |t: &str| Value::Number(t.into());
        assert_eq!(n("3600").as_u64(), Some(3600));
        assert_eq!(n("3600.00").as_u64(), Some(3600));
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("3.5").as_u64(), None);
        assert_eq!(n("1e3").as_u64(), None);
        assert_eq!(n("-1").as_u64(), None);
        assert_eq!(n("-1").as_i64(), Some(-1));
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("1446747017.813").as_f64(), Some(1_446_747_017.813));
        assert_eq!(n("0.5e1").as_f64(), Some(5.0));
        assert_eq!(n("1e999").as_f64(), Some(f64::INFINITY));
        assert_eq!(string("1").as_u64(), None);
    }

    #[test]
    fn refuses_duplicate_member_names() {
        assert_eq!(
            parse(r#"{"sub":"alice","sub":"mallory"}"#),
            Err(JsonError::DuplicateKey("sub".into()))
        );
        assert_eq!(
            parse(r#"{"a":{"x":1,"x":1}}"#),
            Err(JsonError::DuplicateKey("x".into()))
        );
        // The same name in different objects is fine.
        assert!(parse(r#"{"a":{"x":1},"b":{"x":1}}"#).is_ok());
    }

    #[test]
    fn refuses_trailing_garbage_and_broken_structure() {
        for bad in [
            "",
            " ",
            "{} {}",
            "{}x",
            "[1,]",
            "[1 2]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":}",
            "[",
            "{",
            "tru",
            "nul",
            "'a'",
        ] {
            assert!(matches!(parse(bad), Err(JsonError::Syntax(_))), "{bad:?}");
        }
        assert_eq!(parse(" [ ] \n"), Ok(Value::Array(vec![])));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep), Err(JsonError::TooDeep));
        let hostile = "{\"a\":".repeat(100_000);
        assert_eq!(parse(&hostile), Err(JsonError::TooDeep));
        let open = "[".repeat(500_000);
        assert_eq!(parse(&open), Err(JsonError::TooDeep));
    }

    #[test]
    fn refuses_non_utf8_and_oversized_input() {
        assert_eq!(parse_bytes(b"\"\xff\""), Err(JsonError::NotUtf8));
        assert_eq!(parse_bytes(b"\"\xc3\xa9\""), Ok(string("é")));
        let big = "\"".to_owned() + &"a".repeat(MAX_LEN) + "\"";
        assert_eq!(parse(&big), Err(JsonError::TooLong));
    }

    #[test]
    fn typed_reads_name_the_field_and_the_first_error_wins() {
        let doc = r#"{"auth":{"redirectUrl":5,"list":["a",1]},"n":null,"xs":[{"k":1}]}"#;
        let field = |build: fn(&Obj<'_>)| match read(doc, build) {
            Err(JsonError::WrongType { field, .. }) | Err(JsonError::Missing(field)) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(|o| {
                o.obj("auth").map(|a| a.str("redirectUrl"));
            }),
            "auth.redirectUrl"
        );
        assert_eq!(
            field(|o| {
                o.obj("auth").map(|a| a.strings("list"));
            }),
            "auth.list"
        );
        assert_eq!(
            field(|o| {
                o.req_str("gone");
            }),
            "gone"
        );
        assert_eq!(
            field(|o| {
                o.objects("xs")[0].str("k");
            }),
            "xs[0].k"
        );
        assert_eq!(
            field(|o| {
                o.req_u64("n");
                o.req_str("auth");
            }),
            "n",
            "null reads as absent, and the first error is the one reported"
        );
        assert_eq!(read(doc, |o| o.str("n")), Ok(None));
        assert_eq!(
            read("[]", |o| o.str("x")),
            Err(JsonError::WrongType {
                field: String::new(),
                expected: "an object"
            })
        );
        assert_eq!(
            JsonError::Missing("strategies".into()).message(),
            "`strategies` is missing"
        );
    }

    #[test]
    fn bounds_the_members_of_an_object() {
        let members: Vec<String> = (0..MAX_MEMBERS).map(|i| format!("\"k{i}\":0")).collect();
        let ok = "{".to_owned() + &members.join(",") + "}";
        assert!(parse(&ok).is_ok());
        let over = "{".to_owned() + &members.join(",") + ",\"last\":0}";
        assert_eq!(parse(&over), Err(JsonError::TooManyMembers));
    }

    #[test]
    fn writes_objects_that_read_back() {
        let text = ObjectWriter::default()
            .str("s", "quote \" slash \\ nl \n ctl \u{1} é")
            .opt_str("none", None)
            .bool("b", true)
            .u64("n", 42)
            .raw("o", "[1]")
            .finish();
        assert_eq!(
            text,
            r#"{"s":"quote \" slash \\ nl \n ctl \u0001 é","b":true,"n":42,"o":[1]}"#
        );
        assert_eq!(
            read(&text, |o| (o.req_str("s"), o.u64("n"))),
            Ok(("quote \" slash \\ nl \n ctl \u{1} é".into(), Some(42)))
        );
        assert_eq!(ObjectWriter::default().finish(), "{}");
        for tricky in ["", "\"", "😀\u{1f}é\"", "\u{7f}\u{0}end", "a\\"] {
            let text = ObjectWriter::default().str("s", tricky).finish();
            assert_eq!(
                read(&text, |o| o.req_str("s")),
                Ok(tricky.to_owned()),
                "{text}"
            );
        }
    }
}
