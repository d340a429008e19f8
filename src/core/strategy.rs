//! What the widget knows about each strategy (the protocol behind a connection): whether Lock
//! lists it as social or enterprise, which decides the button group and `isSocial`, and how
//! Lock shows a social one (its name, colour and mark).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionKind {
    Social,
    Enterprise,
    Database,
    Passwordless,
}

impl ConnectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Social => "social",
            ConnectionKind::Enterprise => "enterprise",
            ConnectionKind::Database => "database",
            ConnectionKind::Passwordless => "passwordless",
        }
    }
}

/// A social strategy as Lock 14 shows it: its name on the button (`STRATEGIES`, auth0-lock's
/// lib/connection/social/index.js), its brand colour (Lock's stylesheet), and its mark, the
/// simple-icons slug that scripts/bundle.mjs ships as `marks/{slug}.svg` next to the widget
/// (none where simple-icons has no mark for the brand: the button shows the name's initial).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Social {
    pub strategy: &'static str,
    pub name: &'static str,
    pub colour: &'static str,
    pub mark: Option<&'static str>,
}

/// [`Social`] of every strategy Lock 14 names, a line each: `strategy|name|colour|mark`. One
/// text rather than a table of `&str`s: a third of the bytes in the module.
const SOCIAL: &str = "\
apple|Apple|#000|apple
amazon|Amazon|#f90|
aol|Aol|#ff0b00|
baidu|百度|#2529d8|baidu
bitbucket|Bitbucket|#205081|bitbucket
box|Box|#267bb6|box
dropbox|Dropbox|#007ee5|dropbox
dwolla|Dwolla|#f5891f|
ebay|ebay|#0064d2|ebay
exact|Exact|#ed1c24|
facebook|Facebook|#3b5998|facebook
fitbit|Fitbit|#4cc2c4|fitbit
github|GitHub|#333|github
google-openid|Google OpenId|#4285f4|google
google-oauth2|Google|#4285f4|google
instagram|Instagram|#3f729b|instagram
linkedin|LinkedIn|#0077b5|
paypal|PayPal|#009cde|paypal
paypal-sandbox|PayPal Sandbox|#009cde|paypal
planningcenter|Planning Center|#4e4e4e|
salesforce|Salesforce|#1798c1|
salesforce-community|Salesforce Community|#1798c1|
salesforce-sandbox|Salesforce (sandbox)|#1798c1|
evernote|Evernote|#2dbe60|evernote
evernote-sandbox|Evernote (sandbox)|#2dbe60|evernote
shopify|Shopify|#96bf48|shopify
shop|Shop|#5433eb|
soundcloud|Soundcloud|#f80|soundcloud
thecity|The City|#767571|
thecity-sandbox|The City (sandbox)|#767571|
thirtysevensignals|Basecamp|#6ac071|basecamp
twitter|X|#000|x
vkontakte|vKontakte|#45668e|vk
windowslive|Microsoft|#00a1f1|
wordpress|Wordpress|#21759b|wordpress
yahoo|Yahoo!|#410093|
yandex|Yandex|#fc0|
weibo|新浪微博|#dd4b39|sinaweibo
line|Line|#00b900|line";

/// Every social strategy Lock 14 names, as it shows it.
pub fn social_looks() -> impl Iterator<Item = Social> {
    SOCIAL.lines().filter_map(|line| {
        let mut fields = line.split('|');
        Some(Social {
            strategy: fields.next()?,
            name: fields.next()?,
            colour: fields.next()?,
            mark: fields.next().filter(|mark| !mark.is_empty()),
        })
    })
}

/// Social strategies Lock does not name: their buttons show the connection's own name.
const OTHER_SOCIAL: &[&str] = &[
    "auth0-oidc", // the seed's resulting profile marks it `isSocial: true`
    "microsoft-account",
    "oauth1",
    "oauth2",
];

/// How Lock shows a social `strategy`, when it knows it.
pub fn social_look(strategy: &str) -> Option<Social> {
    social_looks().find(|s| s.strategy == strategy)
}

const ENTERPRISE: &[&str] = &[
    "ad",
    "adfs",
    "auth0-adldap",
    "google-apps",
    "ip",
    "office365",
    "oidc",
    "okta",
    "pingfederate",
    "samlp",
    "waad",
];

/// Unknown strategies are treated as enterprise: `isSocial: false` is the cautious default.
pub fn kind(strategy: &str) -> ConnectionKind {
    if social_look(strategy).is_some() || OTHER_SOCIAL.contains(&strategy) {
        ConnectionKind::Social
    } else if strategy == "auth0" {
        ConnectionKind::Database
    } else if strategy == "email" || strategy == "sms" {
        ConnectionKind::Passwordless
    } else {
        debug_assert!(ENTERPRISE.contains(&strategy) || !strategy.is_empty());
        ConnectionKind::Enterprise
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_strategies_have_the_seed_kinds() {
        assert_eq!(kind("auth0-oidc"), ConnectionKind::Social);
        assert_eq!(kind("oidc"), ConnectionKind::Enterprise);
        assert_eq!(kind("google-oauth2"), ConnectionKind::Social);
        assert_eq!(kind("samlp"), ConnectionKind::Enterprise);
        assert_eq!(kind("auth0"), ConnectionKind::Database);
        assert_eq!(kind("something-new"), ConnectionKind::Enterprise);
    }

    #[test]
    fn google_oauth2_looks_as_lock_shows_it() {
        let google = social_look("google-oauth2").expect("known");
        assert_eq!(
            (google.name, google.colour, google.mark),
            ("Google", "#4285f4", Some("google"))
        );
        assert_eq!(social_look("linkedin").and_then(|l| l.mark), None);
        assert_eq!(social_look("oidc"), None);
        assert_eq!(kind("weibo"), ConnectionKind::Social);
    }

    /// A file of the installed packages, read as the tests run (native only).
    fn installed(path: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("node_modules")
            .join(path)
    }

    #[test]
    fn every_strategy_lock_14_names_is_named_as_lock_names_it() {
        let path = installed("auth0-lock/lib/connection/social/index.js");
        let source = std::fs::read_to_string(&path).expect("auth0-lock is installed");
        let start = source.find("var STRATEGIES").expect("STRATEGIES");
        let end = start + source[start..].find("};").expect("its end");
        let mut names = 0;
        for line in source[start..end].lines().skip(1) {
            let Some((key, name)) = line.trim().trim_end_matches(',').split_once(": ") else {
                continue;
            };
            let key = key.trim_matches('\'');
            let name = name.trim_matches('\'');
            let look = social_look(key).unwrap_or_else(|| panic!("{key} is unknown"));
            assert_eq!(look.name, name, "{key}");
            assert!(look.colour.starts_with('#'), "{key}");
            names += 1;
        }
        assert_eq!(
            names,
            social_looks().count(),
            "no strategy Lock does not name"
        );
    }

    #[test]
    fn every_mark_is_a_simple_icons_file() {
        assert_eq!(
            social_looks().count(),
            SOCIAL.lines().count(),
            "every line is read"
        );
        for look in social_looks() {
            if let Some(slug) = look.mark {
                let file = installed(&["simple-icons/icons/", slug, ".svg"].concat());
                assert!(file.is_file(), "{}: {}", look.strategy, file.display());
            }
        }
    }

    #[test]
    fn no_strategy_is_both_social_and_enterprise() {
        assert!(social_looks().all(|s| !ENTERPRISE.contains(&s.strategy)));
        assert!(OTHER_SOCIAL.iter().all(|s| !ENTERPRISE.contains(s)));
    }
}
