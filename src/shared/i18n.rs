//! The app's languages: which one is showing, its texts, and filling `{{ name }}` placeholders.
//!
//! The texts are plain data that `build.rs` generates from `locales/*.json` (the `Texts` struct
//! tree, English's texts and the `Locale` enum) after checking that every language has
//! English's keys, in English's order, and placeholders. Only English ships in the download;
//! the page reads another language's file the first time it is wanted ([`I18n::set_locale`],
//! [`load`]), and every page fetches its languages in the background once it shows, so the
//! picker switches at once afterwards, offline too (the service worker keeps the files). This module must never hold words of its own, nor
//! change a text on its way to the screen: the end-to-end tests compare what customers read
//! with the JSON files, exactly.

use leptos::prelude::*;
use std::cell::Cell;
use std::fmt::{Display, Write as _};

include!(concat!(env!("OUT_DIR"), "/texts.rs"));
include!(concat!(env!("OUT_DIR"), "/staff_texts.rs"));
include!(concat!(env!("OUT_DIR"), "/ticket_texts.rs"));

thread_local! {
    /// The languages read so far (English is built in), by `Locale` order.
    static LOADED: [Cell<Option<&'static Texts>>; 4] = Default::default();
}

impl Locale {
    fn index(self) -> usize {
        Locale::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }

    /// Every text in this language; English's until the language's file has been read.
    pub fn texts(self) -> &'static Texts {
        if self == Locale::En {
            return &EN;
        }
        LOADED
            .with(|loaded| loaded[self.index()].get())
            .unwrap_or(&EN)
    }

    /// Whether this language's texts are at hand (English always is).
    pub fn is_ready(self) -> bool {
        self == Locale::En || LOADED.with(|loaded| loaded[self.index()].get().is_some())
    }

    /// The language for the browser's preferred language tags (most preferred first): the
    /// first tag whose primary subtag (before `-` or `_`, in any case) we translate, so `sv-SE`
    /// gives Swedish; English when none is.
    pub fn find(preferred: &[String]) -> Locale {
        preferred
            .iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next().unwrap_or_default();
                Locale::ALL
                    .into_iter()
                    .find(|l| l.as_str().eq_ignore_ascii_case(primary))
            })
            .unwrap_or(Locale::En)
    }
}

/// Of a text's two forms, the one for `n` things: `one` for exactly one, `many` for any other
/// number (none too). A language without plural forms gives both the same words.
pub fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// The current language, shared through context. A copyable handle: pass it around freely.
#[derive(Clone, Copy)]
pub struct I18n(RwSignal<Locale>);

impl I18n {
    /// A handle starting in `initial`; the caller provides it as context.
    pub fn new(initial: Locale) -> Self {
        I18n(RwSignal::new(initial))
    }

    /// The current language. Tracked: a reactive closure reading it re-runs when it changes.
    pub fn get_locale(&self) -> Locale {
        self.0.get()
    }

    /// Switches the whole UI to `locale`: at once when its texts are at hand, else when its
    /// file has been read. If it cannot be read (offline before it was ever fetched, or a bad
    /// file), the UI stays in the language it shows, and the picker shows that one again.
    pub fn set_locale(&self, locale: Locale) {
        if locale.is_ready() {
            self.0.set(locale);
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            if load(locale).await {
                this.0.set(locale);
            } else {
                this.0.notify();
            }
        });
    }

    /// The current language's texts. Tracked, like [`I18n::get_locale`].
    pub fn t(&self) -> &'static Texts {
        self.get_locale().texts()
    }
}

/// Reads `locale`'s texts from its file (`/locales/<tag>.json`: the build serves its texts as
/// one array, a development server as the translators wrote them) unless they are at hand; true
/// when they are then. A file that does not hold exactly [`TEXT_COUNT`] texts is refused (never
/// half a language).
pub async fn load(locale: Locale) -> bool {
    if locale.is_ready() {
        return true;
    }
    let url = ["/locales/", locale.as_str(), ".json"].concat();
    let Some(texts) = crate::shared::platform::net::get_texts(&url).await else {
        return false;
    };
    install(locale, texts)
}

/// Keeps `texts` (a language file's texts in file order) as `locale`'s for good. False, and
/// nothing kept, when their number is not the number of English's.
pub fn install(locale: Locale, texts: Vec<String>) -> bool {
    if texts.len() != TEXT_COUNT || locale == Locale::En {
        return false;
    }
    let texts: Vec<&'static str> = texts.into_iter().map(|t| &*t.leak()).collect();
    let texts: &'static [&'static str] = texts.leak();
    // SAFETY: build.rs makes `Texts` a `repr(C)` tree of `&'static str` fields only, which
    // lays it out as `TEXT_COUNT` consecutive `&str` with no padding (a constant assertion
    // checks the size), and the slice holds exactly that many; it lives for good (leaked,
    // once per language).
    let texts = unsafe { &*texts.as_ptr().cast::<Texts>() };
    LOADED.with(|loaded| loaded[locale.index()].set(Some(texts)));
    true
}

/// Fetches every language not yet read, one after the other, so that switching is instant
/// from then on, offline too.
pub async fn load_all() {
    for locale in Locale::ALL {
        load(locale).await;
    }
}

/// The [`I18n`] handle the app provided.
pub fn use_i18n() -> I18n {
    expect_context()
}

/// A text with each `{{ name }}` (inner spaces optional) replaced by that value, written with
/// `Display`, e.g. `fill(t.counter, &[("count", &3), ("max", &500)])` gives "3 / 500".
///
/// One non-generic function for every composed text, so the download carries it once.
pub fn fill(template: &str, vars: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(len) = rest[open + 2..].find("}}") else {
            break;
        };
        let end = open + 2 + len + 2;
        let name = rest[open + 2..end - 2].trim();
        out.push_str(&rest[..open]);
        match vars.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => {
                let _ = write!(out, "{value}");
            }
            None => {
                // build.rs checks every language against English's placeholders, but not that
                // the caller names them all: say so while testing, never crash a customer.
                debug_assert!(false, "no value given for placeholder `{name}`");
                out.push_str(&rest[open..end]);
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_first_preferred_language_we_translate_wins() {
        assert_eq!(Locale::find(&tags(&["id-ID"])), Locale::Id);
        assert_eq!(Locale::find(&tags(&["ms-MY", "en"])), Locale::Ms);
        assert_eq!(Locale::find(&tags(&["sv-SE"])), Locale::Sv);
        assert_eq!(Locale::find(&tags(&["en-GB", "sv"])), Locale::En);
        assert_eq!(Locale::find(&tags(&["fr-FR", "SV", "id"])), Locale::Sv);
        assert_eq!(Locale::find(&tags(&["sv_SE"])), Locale::Sv);
    }

    #[test]
    fn anything_else_is_english() {
        assert_eq!(Locale::find(&[]), Locale::En);
        assert_eq!(
            Locale::find(&tags(&["fr-FR", "de", "zh-Hant-TW"])),
            Locale::En
        );
        // Only the primary subtag counts: a region or script that looks like a language does not.
        assert_eq!(Locale::find(&tags(&["zh-ID", "swe", ""])), Locale::En);
    }

    #[test]
    fn every_language_has_its_tag_and_texts() {
        let tags: Vec<&str> = Locale::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(tags, ["en", "id", "ms", "sv"]);
        assert_eq!(Locale::En.texts().lang_name, "English");
        assert_eq!(Locale::En.texts().category.product, "A product");
        assert_eq!(Locale::Sv.name(), "Svenska");
        assert_eq!(Locale::Id.name(), "Bahasa Indonesia");
    }

    /// A language file's texts in the order of English's keys (the file order, which build.rs
    /// checks every file keeps), as the browser hands them to `install`.
    fn file_texts(tag: &str) -> Vec<String> {
        let path = format!("{}/locales/{tag}.json", env!("CARGO_MANIFEST_DIR"));
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        TEXT_PATHS
            .iter()
            .map(|path| {
                let text = path.split('.').fold(&file, |v, key| &v[key]);
                text.as_str()
                    .unwrap_or_else(|| panic!("{tag}: {path}"))
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn a_language_file_read_at_run_time_fills_every_text_in_place() {
        assert!(!Locale::Sv.is_ready());
        assert_eq!(
            Locale::Sv.texts().lang_name,
            "English",
            "English until it is read"
        );
        let texts = file_texts("sv");
        assert_eq!(texts.len(), TEXT_COUNT);
        assert!(install(Locale::Sv, texts));
        assert!(Locale::Sv.is_ready());
        let sv: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{}/locales/sv.json", env!("CARGO_MANIFEST_DIR")))
                .unwrap(),
        )
        .unwrap();
        let t = Locale::Sv.texts();
        assert_eq!(t.lang_name, sv["lang_name"]);
        assert_eq!(t.category.product, sv["category"]["product"]);
        assert_eq!(t.update_now, sv["update_now"], "the last text too");
        // English itself is untouched.
        assert_eq!(Locale::En.texts().category.product, "A product");
    }

    #[test]
    fn a_file_with_another_number_of_texts_is_refused_whole() {
        let mut texts = file_texts("id");
        texts.pop();
        assert!(!install(Locale::Id, texts.clone()));
        texts.push("x".into());
        texts.push("y".into());
        assert!(!install(Locale::Id, texts));
        assert!(!Locale::Id.is_ready());
        assert_eq!(Locale::Id.texts().lang_name, "English");
        assert!(
            !install(Locale::En, file_texts("en")),
            "English is built in"
        );
    }

    #[test]
    fn fill_replaces_placeholders_with_or_without_inner_spaces() {
        assert_eq!(
            fill("{{ count }} / {{ max }}", &[("count", &3), ("max", &500)]),
            "3 / 500"
        );
        assert_eq!(
            fill("{{count}}/{{  max }}", &[("max", &2), ("count", &"x")]),
            "x/2"
        );
        assert_eq!(fill("a {{ n }} b {{ n }} c", &[("n", &1)]), "a 1 b 1 c");
        assert_eq!(
            fill("no placeholders, {{ but braces", &[]),
            "no placeholders, {{ but braces"
        );
        assert_eq!(fill("ünïcödé {{ x }}!", &[("x", &"é")]), "ünïcödé é!");
    }

    #[test]
    fn fill_matches_the_english_texts() {
        let t = Locale::En.texts();
        assert_eq!(
            fill(t.error.too_long, &[("max", &2000), ("actual", &2001)]),
            "Please shorten this to 2000 characters; it has 2001."
        );
        assert_eq!(
            fill(t.place, &[("place", &"Checkout 2")]),
            "You are at: Checkout 2"
        );
    }
}
