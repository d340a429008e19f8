//! What one showing of the widget changes (Lock's `show(options)`): its authorize parameters
//! and its texts, over the widget's own, for as long as it is on screen.

use super::authorize::AuthParams;
use super::dictionary::LanguageDictionary;
use super::options::ParamText;
use super::settings::{auth_params, texts, Settings};
use super::Error;

use crate::prelude::*;
use alloc::collections::BTreeMap;

impl Settings {
    /// The authorize parameters of one showing (Lock's `show({ auth: { params } })`): the
    /// widget's `auth.params` with these over them, by name; their `scope`, if any, in place
    /// of the widget's. The same rules hold: the widget's own parameters are refused.
    pub fn params_for_show(&self, show: BTreeMap<String, ParamText>) -> Result<AuthParams, Error> {
        let mut merged = self.params.extra.clone();
        for (name, text) in texts(show) {
            match merged.iter_mut().find(|(k, _)| *k == name) {
                Some(existing) => existing.1 = text,
                None => merged.push((name, text)),
            }
        }
        auth_params(merged, self.params.scope.as_str(), self.use_refresh_tokens)
    }

    /// The texts of one showing (Lock's `show({ languageDictionary })`) over the widget's.
    pub fn dictionary_for_show(&self, show: LanguageDictionary) -> Vec<(String, String)> {
        let mut merged = show.texts;
        for (key, text) in &self.language_dictionary {
            if !merged.iter().any(|(k, _)| k == key) {
                merged.push((key.clone(), text.clone()));
            }
        }
        merged
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::document::from_json;
    use crate::core::options::Options;
    use crate::core::settings::tests::tenant_settings;

    #[test]
    fn a_showing_puts_its_params_and_texts_over_the_widgets() {
        let options: Options = from_json(
            r#"{"auth":{"params":{"prompt":"login","audience":"api","scope":"openid email"},
                "useRefreshTokens":true},
                "languageDictionary":{"title":"Mine","closeLabel":"Shut"}}"#,
        )
        .expect("options");
        let s = tenant_settings(options).expect("settings");
        let show: BTreeMap<String, ParamText> =
            from_json(r#"{"prompt":"consent","ui_locales":"fr","max_age":60}"#).expect("params");
        let p = s.params_for_show(show).expect("params");
        assert_eq!(
            p.scope.as_str(),
            "openid email offline_access",
            "the widget's scope"
        );
        assert_eq!(
            p.extra,
            [
                ("audience".to_owned(), "api".to_owned()),
                ("prompt".to_owned(), "consent".to_owned()),
                ("max_age".to_owned(), "60".to_owned()),
                ("ui_locales".to_owned(), "fr".to_owned()),
            ]
        );
        assert_eq!(p.max_age, Some(60));
        let scoped: BTreeMap<String, ParamText> =
            from_json(r#"{"scope":"profile"}"#).expect("params");
        assert_eq!(
            s.params_for_show(scoped).expect("params").scope.as_str(),
            "openid profile offline_access"
        );
        let reserved: BTreeMap<String, ParamText> =
            from_json(r#"{"nonce":"mine"}"#).expect("params");
        assert!(matches!(
            s.params_for_show(reserved),
            Err(Error::ReservedParameter(p)) if p == "nonce"
        ));
        // Lock's `show({ auth: { params: { state } } })`: the app's, kept apart.
        let state: BTreeMap<String, ParamText> =
            from_json(r#"{"state":"auth_state"}"#).expect("params");
        let p = s.params_for_show(state).expect("params");
        assert_eq!(p.state.as_deref(), Some("auth_state"));
        assert!(p.extra.iter().all(|(k, _)| k != "state"));
        // The widget's own parameters are as they were.
        assert_eq!(s.params.extra.len(), 2);

        let texts: LanguageDictionary =
            from_json(r#"{"title":"For this showing","retryLabel":null}"#).expect("texts");
        assert_eq!(
            s.dictionary_for_show(texts),
            [
                ("title".to_owned(), "For this showing".to_owned()),
                ("closeLabel".to_owned(), "Shut".to_owned()),
            ]
        );
    }
}
