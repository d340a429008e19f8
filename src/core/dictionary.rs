//! The widget's words. English (the default) is built in; Spanish, French, German, Japanese
//! and Arabic (right to left) are language packs (src/lang/, shipped as `lang/{tag}.json` next
//! to the widget) that the widget fetches only for a page that chooses one with `language` (as
//! Lock loads its dictionaries): a page in English downloads none of them. A pack is data, a
//! JSON object of texts read as a [`Pack`]: whoever serves it can change words, never run
//! code. `languageDictionary` overrides any text by Lock's key names. Texts are always set as
//! text, never parsed as HTML.

use crate::prelude::*;
use serde::de::{Deserialize, IgnoredAny, MapAccess, Visitor};

const ENGLISH: &[(&str, &str)] = &[
    ("title", "Log in"),
    ("loginWithLabel", "Continue with %s"),
    ("loadingLabel", "Loading…"),
    ("redirectingLabel", "Redirecting to %s…"),
    ("errorTitle", "Something went wrong"),
    ("retryLabel", "Try again"),
    ("closeLabel", "Close"),
    ("socialGroupLabel", "Social"),
    ("enterpriseGroupLabel", "Enterprise"),
    ("signingInLabel", "Signing you in…"),
    ("lastLoginLabel", "Last time you logged in with %s"),
    ("emailLabel", "Email"),
    ("continueLabel", "Continue"),
    ("signUpLabel", "Sign up"),
    ("unsupportedVersionLabel", "Needs latch-login %s or newer"),
    ("unsupportedCapabilityLabel", "Needs %s support"),
    (
        "hrdNoMatchLabel",
        "No connection for this email domain: choose one below",
    ),
];

/// Every language Lock 14 ships a dictionary for (auth0-lock's lib/i18n), by the code its
/// `language` option takes, English first. English is built in; each other has a pack
/// `lang/{code}.json` written for this widget. One text rather than a table of `&str`s, for
/// the module's bytes.
const LANGUAGES: &str = "en af ar az bg ca cs da de el es et fa fi fr he hr hu id it ja ko lt lv ms nb nl nn pl pt pt-br ro ru sk sl sr sv tr uk vi zh zh-tw";

/// The languages of [`LANGUAGES`] written right to left.
const RIGHT_TO_LEFT: &[&str] = &["ar", "fa", "he"];

/// Lock's codes that name a language listed above under another code (Lock's `ua` and `no`
/// are the same languages as `uk` and `nb`, and share their packs).
const ALIASES: &[(&str, &str)] = &[("ua", "uk"), ("no", "nb")];

/// A language the widget speaks, named by the code Lock's `language` option takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Language(u8);

impl Language {
    pub const ENGLISH: Language = Language(0);

    /// Every language, English first.
    pub fn all() -> impl Iterator<Item = Language> {
        (0..LANGUAGES.split(' ').count() as u8).map(Language)
    }

    /// `pt-br`, `pt-BR` and `pt_BR` name Brazilian Portuguese; `es-MX`, `ES` Spanish (a
    /// region the widget has no pack of its own for falls back to its language); Lock's `ua`
    /// Ukrainian. A language the widget has no words for is none (the caller reports it as a
    /// bad option rather than showing English silently).
    pub fn parse(tag: &str) -> Option<Self> {
        let tag = tag.trim();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        // `code` as Lock writes it (lower case, `-`) is `text` in any case, with `-` or `_`.
        let same = |code: &str, text: &str| {
            code.len() == text.len()
                && code
                    .bytes()
                    .zip(text.bytes())
                    .all(|(c, t)| c == t.to_ascii_lowercase() || (c == b'-' && t == b'_'))
        };
        let named = |text: &str| {
            let code = ALIASES
                .iter()
                .find(|(alias, _)| same(alias, text))
                .map(|(_, code)| *code);
            LANGUAGES
                .split(' ')
                .position(|c| code.map_or_else(|| same(c, text), |code| c == code))
        };
        named(tag)
            .or_else(|| named(primary))
            .map(|i| Language(i as u8))
    }

    pub fn tag(self) -> &'static str {
        LANGUAGES.split(' ').nth(self.0 as usize).unwrap_or("en")
    }

    /// The `dir` attribute of the widget's root.
    pub fn direction(self) -> &'static str {
        match RIGHT_TO_LEFT.contains(&self.tag()) {
            true => "rtl",
            false => "ltr",
        }
    }

    /// Whether its words come in a language pack (every language but English).
    pub fn needs_pack(self) -> bool {
        self != Language::ENGLISH
    }

    /// The file name of its pack, `{tag}.json`.
    pub fn pack_file(self) -> String {
        super::encoding::cat(&[self.tag(), ".json"])
    }
}

/// A language pack: an object of texts by Lock's key names. Keys the widget does not use
/// are left out (a newer pack may carry more); a text that is not a string refuses the whole
/// pack, so a page never shows half of a broken one.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pack(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Pack {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Texts;
        impl<'de> Visitor<'de> for Texts {
            type Value = Pack;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("an object of texts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pack, A::Error> {
                let mut texts = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    match ENGLISH.iter().any(|(known, _)| *known == key) {
                        true => {
                            if let Some(text) = map.next_value::<Option<String>>()? {
                                texts.push((key, text));
                            }
                        }
                        false => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Pack(texts))
            }
        }
        deserializer.deserialize_map(Texts)
    }
}

/// Lock's texts that say what one of the widget's says, by Lock's key (a nested key by its
/// path, joined with dots: `error.login.lock.fallback`), with the widget's key and what
/// follows Lock's text in the widget's (Lock's `lastLoginInstructions` is followed by the
/// connection's name, which the widget's text places with `%s`).
const LOCK_TEXTS: &[(&str, &str, &str)] = &[
    ("loginSubmitLabel", "continueLabel", ""),
    ("lastLoginInstructions", "lastLoginLabel", " %s"),
    ("error.login.lock.fallback", "errorTitle", ""),
    ("error.login.hrd.not_matching_email", "hrdNoMatchLabel", ""),
];

/// Lock's `languageDictionary` as the widget reads it: the widget's own keys, and Lock's
/// keys (nested ones too: `error: { login: { ... } }`) where one of the widget's texts says
/// the same ([`LOCK_TEXTS`]). Every other key is `ignored`, by its path, for one console
/// warning: a dictionary written for Lock never stops the widget. The widget's own key wins
/// over Lock's for the same text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LanguageDictionary {
    pub texts: Vec<(String, String)>,
    pub ignored: Vec<String>,
}

impl LanguageDictionary {
    fn take(&mut self, path: String, text: String) {
        if ENGLISH.iter().any(|(known, _)| *known == path) {
            self.texts.retain(|(k, _)| *k != path);
            self.texts.push((path, text));
        } else if let Some((_, key, after)) = LOCK_TEXTS.iter().find(|(lock, ..)| *lock == path) {
            if !self.texts.iter().any(|(k, _)| k == key) {
                self.texts
                    .push(((*key).to_owned(), super::encoding::cat(&[&text, after])));
            }
        } else {
            self.ignored.push(path);
        }
    }
}

/// The console's one line about the keys of a `languageDictionary` that name none of the
/// widget's texts; none when every key did.
pub fn ignored_texts_warning(ignored: &[String]) -> Option<String> {
    if ignored.is_empty() {
        return None;
    }
    let mut warning = String::from("latch-login: languageDictionary: no text of this widget for ");
    for (i, key) in ignored.iter().enumerate() {
        warning.push_str(if i == 0 { "`" } else { ", `" });
        warning.push_str(key);
        warning.push('`');
    }
    warning.push_str("; ignored");
    Some(warning)
}

/// One level of the dictionary: the keys under `prefix`.
struct Level<'a> {
    prefix: &'a str,
    into: &'a mut LanguageDictionary,
}

impl<'de> Visitor<'de> for Level<'_> {
    type Value = ();
    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("an object of texts")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let path = match self.prefix.is_empty() {
                true => key,
                false => super::encoding::cat(&[self.prefix, ".", &key]),
            };
            map.next_value_seed(Entry {
                path,
                into: &mut *self.into,
            })?;
        }
        Ok(())
    }
}

/// One value of the dictionary: a text, an object of more texts, or null (no text). Anything
/// else is no text at all, and refused by its path, as a bad option.
struct Entry<'a> {
    path: String,
    into: &'a mut LanguageDictionary,
}

impl<'de> serde::de::DeserializeSeed<'de> for Entry<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Entry<'_> {
    type Value = ();
    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a text or an object of texts")
    }
    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<(), E> {
        self.into.take(self.path, text.to_owned());
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Level {
            prefix: &self.path,
            into: self.into,
        }
        .visit_map(map)
    }
}

impl<'de> Deserialize<'de> for LanguageDictionary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut read = LanguageDictionary::default();
        deserializer.deserialize_map(Level {
            prefix: "",
            into: &mut read,
        })?;
        Ok(read)
    }
}

pub struct Dictionary<'a> {
    language: Language,
    /// The language's pack, when it has one and it was read.
    pack: &'a [(String, String)],
    overrides: &'a [(String, String)],
}

impl<'a> Dictionary<'a> {
    /// English with the app's overrides.
    pub fn new(overrides: &'a [(String, String)]) -> Self {
        Self::with_language(Language::ENGLISH, &[], overrides)
    }

    /// `language` with the words of its `pack` and the app's overrides. Without its pack (not
    /// read, or unreadable) the widget speaks English, and says so to screen readers.
    pub fn with_language(
        language: Language,
        pack: &'a [(String, String)],
        overrides: &'a [(String, String)],
    ) -> Self {
        Self {
            language: match pack.is_empty() {
                true => Language::ENGLISH,
                false => language,
            },
            pack,
            overrides,
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The app's override, else the language's text, else English's (never a missing text).
    pub fn get<'k>(&'k self, key: &'k str) -> &'k str {
        let mine = |list: &'k [(String, String)]| list.iter().find(|(k, _)| k == key);
        match mine(self.overrides).or_else(|| mine(self.pack)) {
            Some((_, text)) => text,
            None => ENGLISH
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(key, |(_, text)| text),
        }
    }

    /// The text for `key` with its `%s` replaced by `value`.
    pub fn fill(&self, key: &str, value: &str) -> String {
        let text = self.get(key);
        match super::encoding::split_once(text, "%s") {
            Some((before, after)) => super::encoding::cat(&[before, value, after]),
            None => text.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::document::{from_json, ReadError};

    fn read_pack(text: &str) -> Result<Vec<(String, String)>, ReadError> {
        from_json::<Pack>(text).map(|p| p.0)
    }

    #[test]
    fn english_by_default_and_overridable_by_lock_keys() {
        let none = Vec::new();
        let d = Dictionary::new(&none);
        assert_eq!(d.get("title"), "Log in");
        assert_eq!(d.fill("loginWithLabel", "Acme"), "Continue with Acme");
        let mine = vec![("title".to_owned(), "Welcome".to_owned())];
        let d = Dictionary::new(&mine);
        assert_eq!(d.get("title"), "Welcome");
        assert_eq!(d.get("retryLabel"), "Try again");
    }

    /// A file of the repository, read as the tests run (native only).
    fn repository_file(path: &str) -> String {
        let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
    }

    /// The pack scripts/bundle.mjs ships in pkg/lang/ for `language`, as the wasm reads it.
    fn pack_of(language: Language) -> Vec<(String, String)> {
        let file = ["src/lang/", &language.pack_file()].concat();
        read_pack(&repository_file(&file)).unwrap()
    }

    #[test]
    fn every_language_pack_has_every_text_with_its_placeholders() {
        for language in Language::all().filter(|l| l.needs_pack()) {
            let pack = pack_of(language);
            assert_eq!(pack.len(), ENGLISH.len(), "{language:?} lacks texts");
            let d = Dictionary::with_language(language, &pack, &[]);
            for (key, english) in ENGLISH {
                let text = d.get(key);
                assert!(!text.trim().is_empty());
                assert_eq!(
                    text.matches("%s").count(),
                    english.matches("%s").count(),
                    "{language:?} {key} keeps the placeholder"
                );
            }
            // Most texts differ from English (a word such as "Email" may not).
            let translated = ENGLISH.iter().filter(|(k, e)| d.get(k) != *e).count();
            assert!(
                translated * 4 >= ENGLISH.len() * 3,
                "{language:?} is translated"
            );
        }
    }

    #[test]
    fn every_pack_file_has_exactly_the_keys_of_the_english_texts() {
        let mut files: Vec<String> =
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lang"))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
        files.sort();
        let mut wanted: Vec<String> = Language::all()
            .filter(|l| l.needs_pack())
            .map(Language::pack_file)
            .collect();
        wanted.sort();
        assert_eq!(files, wanted, "one pack per language, and no other file");
        let mut english: Vec<&str> = ENGLISH.iter().map(|(k, _)| *k).collect();
        english.sort_unstable();
        for file in files {
            let text = repository_file(&["src/lang/", &file].concat());
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&text).unwrap();
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, english, "{file}");
            assert!(object.values().all(serde_json::Value::is_string), "{file}");
        }
    }

    #[test]
    fn every_language_code_lock_14_ships_is_accepted() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("node_modules/auth0-lock/lib/i18n");
        let codes: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter_map(|name| name.strip_suffix(".js").map(str::to_owned))
            .collect();
        assert_eq!(codes.len(), 44, "auth0-lock 14 ships 44 dictionaries");
        for code in &codes {
            let language = Language::parse(code).unwrap_or_else(|| panic!("{code}"));
            let aliased = ALIASES.iter().any(|(alias, _)| alias == code);
            assert!(
                language.tag() == code || aliased,
                "{code} is its own language"
            );
        }
    }

    #[test]
    fn a_pack_keeps_only_known_texts_and_refuses_anything_but_strings() {
        let pack = read_pack(r#"{"title":"Hola","madeUpLabel":"x","retryLabel":null}"#).unwrap();
        assert_eq!(pack, vec![("title".to_owned(), "Hola".to_owned())]);
        let e = read_pack(r#"{"title":"Hola","retryLabel":{"html":"<b>x</b>"}}"#).unwrap_err();
        assert_eq!(e.path, "retryLabel");
        assert!(read_pack("[]").is_err());
        assert!(read_pack("<html>Not Found</html>").is_err());
        // Before its pack is read, or when it could not be, a language shows English.
        let french = Language::parse("fr").unwrap();
        let d = Dictionary::with_language(french, &[], &[]);
        assert_eq!(
            (d.language(), d.get("title")),
            (Language::ENGLISH, "Log in")
        );
        let partial = read_pack(r#"{"title":"Se connecter"}"#).unwrap();
        let d = Dictionary::with_language(french, &partial, &[]);
        assert_eq!(
            (d.get("title"), d.get("retryLabel")),
            ("Se connecter", "Try again")
        );
    }

    #[test]
    fn the_declared_language_codes_are_the_languages_and_lock_s_aliases() {
        let declarations = include_str!("declarations.d.ts");
        let line = declarations
            .lines()
            .find(|l| l.trim_start().starts_with("language?:"))
            .expect("`language` is declared");
        let mut declared: Vec<&str> = line.split('\'').skip(1).step_by(2).collect::<Vec<_>>();
        declared.sort_unstable();
        let mut codes: Vec<&str> = Language::all()
            .map(Language::tag)
            .chain(ALIASES.iter().map(|(alias, _)| *alias))
            .collect();
        codes.sort_unstable();
        assert_eq!(declared, codes);
    }

    #[test]
    fn languages_are_chosen_by_lock_code_or_primary_tag_and_some_are_right_to_left() {
        let tag = |code: &str| Language::parse(code).map(Language::tag);
        assert_eq!(tag("es-MX"), Some("es"));
        assert_eq!(tag("FR"), Some("fr"));
        assert_eq!(tag("ja_JP"), Some("ja"));
        assert_eq!(tag("pt-br"), Some("pt-br"));
        assert_eq!(tag("pt_BR"), Some("pt-br"));
        assert_eq!(tag("pt-PT"), Some("pt"));
        assert_eq!(tag("zh-TW"), Some("zh-tw"));
        assert_eq!(tag("zh-CN"), Some("zh"));
        assert_eq!(tag("ua"), Some("uk"), "Lock's code for Ukrainian");
        assert_eq!(tag("no"), Some("nb"));
        assert_eq!(tag("nn"), Some("nn"));
        assert_eq!(tag("tlh"), None);
        assert_eq!(tag(""), None);
        assert_eq!(tag("-"), None);
        let direction = |code: &str| Language::parse(code).map(Language::direction);
        for rtl in ["ar", "he", "fa"] {
            assert_eq!(direction(rtl), Some("rtl"), "{rtl}");
        }
        for ltr in ["en", "de", "pt-br", "zh-tw", "ru"] {
            assert_eq!(direction(ltr), Some("ltr"), "{ltr}");
        }
        let german = Language::parse("de").unwrap();
        assert!(!Language::ENGLISH.needs_pack() && german.needs_pack());
        assert_eq!(german.pack_file(), "de.json");
        let pack = pack_of(german);
        let d = Dictionary::with_language(german, &pack, &[]);
        assert_eq!(d.fill("loginWithLabel", "Acme"), "Weiter mit Acme");
        let mine = vec![("title".to_owned(), "Hallo".to_owned())];
        let d = Dictionary::with_language(german, &pack, &mine);
        assert_eq!(
            d.get("title"),
            "Hallo",
            "the app's words win over the language's"
        );
    }

    fn lock_dictionary(text: &str) -> LanguageDictionary {
        from_json::<LanguageDictionary>(text).unwrap()
    }

    #[test]
    fn a_dictionary_written_for_lock_maps_its_texts_and_names_the_rest() {
        let read = lock_dictionary(
            r#"{"title":"Acme","signUpTitle":"Join","loginSubmitLabel":"Go",
                "lastLoginInstructions":"Last time:",
                "databaseEnterpriseAlternativeLoginInstructions":"or",
                "error":{"login":{"blocked_user":"Blocked","lock.fallback":"Oops",
                    "hrd.not_matching_email":"Use your work email"}},
                "passwordStrength":{"nonEmpty":"x"},"retryLabel":null,"welcome":"Hi %s"}"#,
        );
        let d = Dictionary::new(&read.texts);
        assert_eq!(d.get("title"), "Acme");
        assert_eq!(d.get("continueLabel"), "Go");
        assert_eq!(d.fill("lastLoginLabel", "Google"), "Last time: Google");
        assert_eq!(d.get("errorTitle"), "Oops");
        assert_eq!(d.get("hrdNoMatchLabel"), "Use your work email");
        assert_eq!(d.get("retryLabel"), "Try again");
        assert_eq!(
            ignored_texts_warning(&read.ignored[..2]).as_deref(),
            Some("latch-login: languageDictionary: no text of this widget for `databaseEnterpriseAlternativeLoginInstructions`, `error.login.blocked_user`; ignored")
        );
        assert_eq!(ignored_texts_warning(&[]), None);
        let mut ignored = read.ignored.clone();
        ignored.sort();
        assert_eq!(
            ignored,
            [
                "databaseEnterpriseAlternativeLoginInstructions",
                "error.login.blocked_user",
                "passwordStrength.nonEmpty",
                "signUpTitle",
                "welcome"
            ]
        );
    }

    #[test]
    fn the_widgets_own_key_wins_over_lock_s_for_the_same_text() {
        for text in [
            r#"{"continueLabel":"Mine","loginSubmitLabel":"Lock's"}"#,
            r#"{"loginSubmitLabel":"Lock's","continueLabel":"Mine"}"#,
        ] {
            let read = lock_dictionary(text);
            assert_eq!(Dictionary::new(&read.texts).get("continueLabel"), "Mine");
            assert!(read.ignored.is_empty());
        }
        assert!(from_json::<LanguageDictionary>(r#""title""#).is_err());
        assert!(from_json::<LanguageDictionary>(r#"["title"]"#).is_err());
        let e = from_json::<LanguageDictionary>(r#"{"error":{"login":{"x":1}}}"#).unwrap_err();
        assert_eq!(e.path, "error.login.x", "a value that is no text is named");
    }

    #[test]
    fn lock_s_own_english_dictionary_is_read_whole_and_never_refused() {
        // auth0-lock 14's lib/i18n/en.js, its object as JSON (the same words Lock shows).
        let source = repository_file("node_modules/auth0-lock/lib/i18n/en.js");
        let start = source.find("exports.default = {").unwrap() + "exports.default = ".len();
        let end = source.rfind("};").unwrap() + 1;
        let object = source[start..end].to_owned();
        // A JavaScript object literal: quote its keys, turn its quotes and comments to JSON's.
        let json = js_object_to_json(&object);
        let read = lock_dictionary(&json);
        let d = Dictionary::new(&read.texts);
        assert_eq!(d.get("title"), "Auth0");
        assert_eq!(d.fill("loginWithLabel", "Google"), "Sign in with Google");
        assert_eq!(d.get("continueLabel"), "Log In");
        assert!(read.ignored.len() > 50, "{}", read.ignored.len());
        assert!(read.ignored.iter().any(|k| k == "error.login.blocked_user"));
    }

    /// The object literal of a Lock dictionary as JSON: keys quoted, strings in double
    /// quotes, `//` comments dropped (enough for lib/i18n's files, which are data).
    fn js_object_to_json(source: &str) -> String {
        let mut out = String::new();
        let mut chars = source.chars().peekable();
        let mut key = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\'' | '"' => {
                    let mut text = String::new();
                    while let Some(d) = chars.next() {
                        match d {
                            '\\' => {
                                if let Some(e) = chars.next() {
                                    if e != '\'' {
                                        text.push('\\');
                                    }
                                    text.push(e);
                                }
                            }
                            d if d == c => break,
                            '"' => text.push_str("\\\""),
                            d => text.push(d),
                        }
                    }
                    out.push('"');
                    out.push_str(&text);
                    out.push('"');
                }
                '/' if chars.peek() == Some(&'/') => {
                    for d in chars.by_ref() {
                        if d == '\n' {
                            break;
                        }
                    }
                }
                c if c.is_alphanumeric() || c == '_' || c == '.' => key.push(c),
                c => {
                    if !key.is_empty() {
                        out.push('"');
                        out.push_str(&key);
                        out.push('"');
                        key.clear();
                    }
                    out.push(c);
                }
            }
        }
        // Trailing commas are not JSON.
        out.replace(",\n}", "\n}").replace(", }", " }")
    }

    #[test]
    fn fill_replaces_once_and_keeps_markup_as_text() {
        let none = Vec::new();
        let d = Dictionary::new(&none);
        assert_eq!(
            d.fill("loginWithLabel", "<img src=x onerror=alert(1)> %s"),
            "Continue with <img src=x onerror=alert(1)> %s"
        );
    }
}
