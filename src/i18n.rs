//! The app's languages: which one is showing, its texts, and filling `{{ name }}` placeholders.
//!
//! The texts are plain data that `build.rs` generates from `locales/*.json` (the `Texts` struct
//! tree, one `static` per language, and the `Locale` enum) after checking that every language
//! has English's keys and placeholders. This module must never hold words of its own, nor
//! change a text on its way to the screen: the end-to-end tests compare what customers read
//! with the JSON files, exactly.

use leptos::prelude::*;
use std::fmt::{Display, Write as _};

include!(concat!(env!("OUT_DIR"), "/texts.rs"));
include!(concat!(env!("OUT_DIR"), "/staff_texts.rs"));
include!(concat!(env!("OUT_DIR"), "/ticket_texts.rs"));

impl Locale {
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

    /// Switches the whole UI to `locale`.
    pub fn set_locale(&self, locale: Locale) {
        self.0.set(locale);
    }

    /// The current language's texts. Tracked, like [`I18n::get_locale`].
    pub fn t(&self) -> &'static Texts {
        self.get_locale().texts()
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
        assert_eq!(Locale::Sv.texts().lang_name, "Svenska");
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
