//! The widget's words. English by default; `languageDictionary` overrides any of them by
//! Lock's key names. Texts are always set as text, never parsed as HTML.

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
];

pub struct Dictionary<'a> {
    overrides: &'a [(String, String)],
}

impl<'a> Dictionary<'a> {
    pub fn new(overrides: &'a [(String, String)]) -> Self {
        Self { overrides }
    }

    pub fn get<'k>(&'k self, key: &'k str) -> &'k str {
        if let Some((_, s)) = self.overrides.iter().find(|(k, _)| k == key) {
            return s;
        }
        ENGLISH
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, v)| v)
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
    fn fill_replaces_once_and_keeps_markup_as_text() {
        let none = Vec::new();
        let d = Dictionary::new(&none);
        assert_eq!(
            d.fill("loginWithLabel", "<img src=x onerror=alert(1)> %s"),
            "Continue with <img src=x onerror=alert(1)> %s"
        );
    }
}
