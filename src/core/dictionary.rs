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

/// A language the widget speaks, named by its BCP 47 primary tag as Lock's `language` option does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Language {
    #[default]
    English,
    Spanish,
    French,
    German,
    Japanese,
    Arabic,
}

impl Language {
    pub const ALL: [Language; 6] = [
        Language::English,
        Language::Spanish,
        Language::French,
        Language::German,
        Language::Japanese,
        Language::Arabic,
    ];

    /// `es`, `es-MX` or `ES` name Spanish; a language the widget has no words for is none
    /// (the caller reports it as a bad option rather than showing English silently).
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Self::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
            Language::French => "fr",
            Language::German => "de",
            Language::Japanese => "ja",
            Language::Arabic => "ar",
        }
    }

    /// The `dir` attribute of the widget's root.
    pub fn direction(self) -> &'static str {
        match self {
            Language::Arabic => "rtl",
            _ => "ltr",
        }
    }

    /// Whether its words come in a language pack (every language but English).
    pub fn needs_pack(self) -> bool {
        self != Language::English
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

pub struct Dictionary<'a> {
    language: Language,
    /// The language's pack, when it has one and it was read.
    pack: &'a [(String, String)],
    overrides: &'a [(String, String)],
}

impl<'a> Dictionary<'a> {
    /// English with the app's overrides.
    pub fn new(overrides: &'a [(String, String)]) -> Self {
        Self::with_language(Language::English, &[], overrides)
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
                true => Language::English,
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

    /// The packs scripts/build.sh ships in pkg/lang/, as the wrapper hands them over.
    fn pack_of(language: Language) -> &'static str {
        match language {
            Language::English => "{}",
            Language::Spanish => include_str!("../lang/es.json"),
            Language::French => include_str!("../lang/fr.json"),
            Language::German => include_str!("../lang/de.json"),
            Language::Japanese => include_str!("../lang/ja.json"),
            Language::Arabic => include_str!("../lang/ar.json"),
        }
    }

    #[test]
    fn every_language_pack_has_every_text_with_its_placeholders() {
        for language in Language::ALL.into_iter().filter(|l| l.needs_pack()) {
            let pack = read_pack(pack_of(language)).unwrap();
            assert_eq!(pack.len(), ENGLISH.len(), "{language:?} lacks texts");
            let d = Dictionary::with_language(language, &pack, &[]);
            for (key, english) in ENGLISH {
                let text = d.get(key);
                assert!(!text.trim().is_empty());
                assert_ne!(text, *english, "{language:?} {key} is translated");
                assert_eq!(
                    text.matches("%s").count(),
                    english.matches("%s").count(),
                    "{language:?} {key} keeps the placeholder"
                );
            }
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
        let d = Dictionary::with_language(Language::French, &[], &[]);
        assert_eq!(
            (d.language(), d.get("title")),
            (Language::English, "Log in")
        );
        let partial = read_pack(r#"{"title":"Se connecter"}"#).unwrap();
        let d = Dictionary::with_language(Language::French, &partial, &[]);
        assert_eq!(
            (d.get("title"), d.get("retryLabel")),
            ("Se connecter", "Try again")
        );
    }

    #[test]
    fn languages_are_chosen_by_primary_tag_and_arabic_is_right_to_left() {
        assert_eq!(Language::parse("es-MX"), Some(Language::Spanish));
        assert_eq!(Language::parse("FR"), Some(Language::French));
        assert_eq!(Language::parse("ja_JP"), Some(Language::Japanese));
        assert_eq!(Language::parse("tlh"), None);
        assert_eq!(Language::parse(""), None);
        assert_eq!(Language::Arabic.direction(), "rtl");
        assert_eq!(Language::German.direction(), "ltr");
        assert!(!Language::English.needs_pack() && Language::Japanese.needs_pack());
        let pack = read_pack(pack_of(Language::German)).unwrap();
        let d = Dictionary::with_language(Language::German, &pack, &[]);
        assert_eq!(d.fill("loginWithLabel", "Acme"), "Weiter mit Acme");
        let mine = vec![("title".to_owned(), "Hallo".to_owned())];
        let d = Dictionary::with_language(Language::German, &pack, &mine);
        assert_eq!(
            d.get("title"),
            "Hallo",
            "the app's words win over the language's"
        );
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
