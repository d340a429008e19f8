//! The widget's words. Built in: English (the default), Spanish, French, German, Japanese and
//! Arabic (right to left), chosen by `language`; `languageDictionary` overrides any of them
//! by Lock's key names. Texts are always set as text, never parsed as HTML.

use crate::prelude::*;

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
    ("unsupportedVersionLabel", "Needs latch-login %s or newer"),
    ("unsupportedCapabilityLabel", "Needs %s support"),
    (
        "hrdNoMatchLabel",
        "No connection for this email domain: choose one below",
    ),
];

const SPANISH: &[(&str, &str)] = &[
    ("title", "Iniciar sesión"),
    ("loginWithLabel", "Continuar con %s"),
    ("loadingLabel", "Cargando…"),
    ("redirectingLabel", "Redirigiendo a %s…"),
    ("errorTitle", "Algo salió mal"),
    ("retryLabel", "Reintentar"),
    ("closeLabel", "Cerrar"),
    ("socialGroupLabel", "Redes sociales"),
    ("enterpriseGroupLabel", "Empresa"),
    ("signingInLabel", "Iniciando sesión…"),
    ("lastLoginLabel", "La última vez iniciaste sesión con %s"),
    ("emailLabel", "Correo electrónico"),
    ("continueLabel", "Continuar"),
    (
        "unsupportedVersionLabel",
        "Requiere latch-login %s o posterior",
    ),
    (
        "unsupportedCapabilityLabel",
        "Requiere compatibilidad con %s",
    ),
    (
        "hrdNoMatchLabel",
        "Ninguna conexión para el dominio de este correo: elija una abajo",
    ),
];

const FRENCH: &[(&str, &str)] = &[
    ("title", "Se connecter"),
    ("loginWithLabel", "Continuer avec %s"),
    ("loadingLabel", "Chargement…"),
    ("redirectingLabel", "Redirection vers %s…"),
    ("errorTitle", "Une erreur s’est produite"),
    ("retryLabel", "Réessayer"),
    ("closeLabel", "Fermer"),
    ("socialGroupLabel", "Réseaux sociaux"),
    ("enterpriseGroupLabel", "Entreprise"),
    ("signingInLabel", "Connexion en cours…"),
    (
        "lastLoginLabel",
        "La dernière fois, vous vous êtes connecté avec %s",
    ),
    ("emailLabel", "Adresse e-mail"),
    ("continueLabel", "Continuer"),
    (
        "unsupportedVersionLabel",
        "Nécessite latch-login %s ou plus récent",
    ),
    (
        "unsupportedCapabilityLabel",
        "Nécessite la prise en charge de %s",
    ),
    (
        "hrdNoMatchLabel",
        "Aucune connexion pour le domaine de cette adresse : choisissez-en une ci-dessous",
    ),
];

const GERMAN: &[(&str, &str)] = &[
    ("title", "Anmelden"),
    ("loginWithLabel", "Weiter mit %s"),
    ("loadingLabel", "Wird geladen…"),
    ("redirectingLabel", "Weiterleitung zu %s…"),
    ("errorTitle", "Etwas ist schiefgelaufen"),
    ("retryLabel", "Erneut versuchen"),
    ("closeLabel", "Schließen"),
    ("socialGroupLabel", "Soziale Netzwerke"),
    ("enterpriseGroupLabel", "Unternehmen"),
    ("signingInLabel", "Anmeldung läuft…"),
    ("lastLoginLabel", "Zuletzt haben Sie sich mit %s angemeldet"),
    ("emailLabel", "E-Mail-Adresse"),
    ("continueLabel", "Weiter"),
    (
        "unsupportedVersionLabel",
        "Erfordert latch-login %s oder neuer",
    ),
    (
        "unsupportedCapabilityLabel",
        "Erfordert Unterstützung für %s",
    ),
    (
        "hrdNoMatchLabel",
        "Keine Verbindung für die Domain dieser E-Mail-Adresse: Wählen Sie unten eine aus",
    ),
];

const JAPANESE: &[(&str, &str)] = &[
    ("title", "ログイン"),
    ("loginWithLabel", "%s で続行"),
    ("loadingLabel", "読み込み中…"),
    ("redirectingLabel", "%s にリダイレクトしています…"),
    ("errorTitle", "問題が発生しました"),
    ("retryLabel", "再試行"),
    ("closeLabel", "閉じる"),
    ("socialGroupLabel", "ソーシャル"),
    ("enterpriseGroupLabel", "エンタープライズ"),
    ("signingInLabel", "ログインしています…"),
    ("lastLoginLabel", "前回は %s でログインしました"),
    ("emailLabel", "メールアドレス"),
    ("continueLabel", "続行"),
    ("unsupportedVersionLabel", "latch-login %s 以降が必要です"),
    ("unsupportedCapabilityLabel", "%s のサポートが必要です"),
    (
        "hrdNoMatchLabel",
        "このメールのドメインに対応する接続はありません。下から選んでください",
    ),
];

const ARABIC: &[(&str, &str)] = &[
    ("title", "تسجيل الدخول"),
    ("loginWithLabel", "المتابعة باستخدام %s"),
    ("loadingLabel", "جارٍ التحميل…"),
    ("redirectingLabel", "جارٍ إعادة التوجيه إلى %s…"),
    ("errorTitle", "حدث خطأ ما"),
    ("retryLabel", "إعادة المحاولة"),
    ("closeLabel", "إغلاق"),
    ("socialGroupLabel", "الشبكات الاجتماعية"),
    ("enterpriseGroupLabel", "المؤسسات"),
    ("signingInLabel", "جارٍ تسجيل دخولك…"),
    ("lastLoginLabel", "آخر مرة سجّلت الدخول باستخدام %s"),
    ("emailLabel", "البريد الإلكتروني"),
    ("continueLabel", "متابعة"),
    ("unsupportedVersionLabel", "يتطلب latch-login %s أو أحدث"),
    ("unsupportedCapabilityLabel", "يتطلب دعم %s"),
    (
        "hrdNoMatchLabel",
        "لا يوجد اتصال لنطاق هذا البريد الإلكتروني: اختر واحدًا أدناه",
    ),
];

/// A built-in language, named by its BCP 47 primary tag as Lock's `language` option does.
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

    /// `es`, `es-MX` or `ES` name Spanish; a language that is not built in is none (the
    /// caller reports it as a bad option rather than showing English silently).
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

    fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Language::English => ENGLISH,
            Language::Spanish => SPANISH,
            Language::French => FRENCH,
            Language::German => GERMAN,
            Language::Japanese => JAPANESE,
            Language::Arabic => ARABIC,
        }
    }
}

fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

pub struct Dictionary<'a> {
    language: Language,
    overrides: &'a [(String, String)],
}

impl<'a> Dictionary<'a> {
    /// English with the app's overrides.
    pub fn new(overrides: &'a [(String, String)]) -> Self {
        Self::with_language(Language::English, overrides)
    }

    pub fn with_language(language: Language, overrides: &'a [(String, String)]) -> Self {
        Self {
            language,
            overrides,
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The app's override, else the language's text, else English's (never a missing text).
    pub fn get<'k>(&'k self, key: &'k str) -> &'k str {
        if let Some((_, s)) = self.overrides.iter().find(|(k, _)| k == key) {
            return s;
        }
        lookup(self.language.table(), key)
            .or_else(|| lookup(ENGLISH, key))
            .unwrap_or(key)
    }

    /// The text for `key` with its `%s` replaced by `value`.
    pub fn fill(&self, key: &str, value: &str) -> String {
        let text = self.get(key);
        match super::encoding::split_once(text, "%s") {
            Some((before, after)) => before.to_owned() + value + after,
            None => text.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn every_built_in_language_has_every_text_with_its_placeholders() {
        for language in Language::ALL {
            let table = language.table();
            assert_eq!(
                table.len(),
                ENGLISH.len(),
                "{language:?} has extra or missing keys"
            );
            for (key, english) in ENGLISH {
                let text = lookup(table, key).unwrap_or_else(|| panic!("{language:?} lacks {key}"));
                assert!(!text.trim().is_empty());
                assert_eq!(
                    text.matches("%s").count(),
                    english.matches("%s").count(),
                    "{language:?} {key} keeps the placeholder"
                );
            }
        }
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
        let none = Vec::new();
        let d = Dictionary::with_language(Language::German, &none);
        assert_eq!(d.fill("loginWithLabel", "Acme"), "Weiter mit Acme");
        let mine = vec![("title".to_owned(), "Hallo".to_owned())];
        let d = Dictionary::with_language(Language::German, &mine);
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
