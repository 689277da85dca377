//! The sheet of QR stickers for a store's touchpoints, for staff to print and stick up: each
//! sticker names its touchpoint and the store, invites customers in every one of the store's
//! languages to tell us what went wrong, and carries the QR code and the written address of the
//! touchpoint's phone page (`/c/<store>/<touchpoint>` on this site).
//!
//! The model ([`sheet`]) is pure and tested natively; it reads the store profile the tablet
//! keeps, so the sheet works offline. The QR codes are drawn by `recovery_qr` as SVG markup of
//! its own making (no style attributes, so the page's strict style policy holds). Printing goes
//! through `platform::env::print`; what is printed is the staff stylesheet's `@media print`.

use crate::customer::route::phone_path;
use crate::shared::i18n::{Locale, fill, use_i18n};
use crate::shared::platform::env;
use leptos::either::Either;
use leptos::prelude::*;
use recovery_core::{Slug, StoreProfile};
use recovery_qr::{Ecc, encode};

/// One sticker.
#[derive(Clone, Debug, PartialEq)]
pub struct Sticker {
    /// The touchpoint it is for.
    pub touchpoint: Slug,
    /// The touchpoint's name for people (`checkout 2`).
    pub place: String,
    /// The absolute address its QR code encodes.
    pub url: String,
    /// The same address without its scheme, printed for people who cannot scan.
    pub short_url: String,
    /// The invitation to tell us, in each of the store's languages, in the store's order.
    pub invitations: Vec<(Locale, &'static str)>,
    /// The store's own line for this touchpoint ("Ask at the till"), printed under the rest.
    pub line: Option<String>,
}

impl Sticker {
    /// The QR code of [`Sticker::url`] as SVG markup, named `label` for screen readers
    /// (`role="img"`); `None` only for an address too long for any QR code.
    pub fn qr_svg(&self, label: &str) -> Option<String> {
        // Quartile error correction: a sticker gets scuffed, wet and bent; the address is
        // short, so the code stays small and coarse.
        encode(&self.url, Ecc::Q)
            .ok()
            .map(|code| code.svg(4, label))
    }
}

/// The absolute address of a touchpoint's phone page on `origin` (`http://host:port`, a
/// trailing slash is fine).
pub fn phone_url(origin: &str, store: &Slug, touchpoint: &Slug) -> String {
    [origin.trim_end_matches('/'), &phone_path(store, touchpoint)].concat()
}

/// An address without its `https://` or `http://`: what a person types into a browser.
pub fn short_url(url: &str) -> &str {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url)
}

/// The store's languages this build speaks, in the store's order (all of them when the profile
/// names none it knows).
pub fn languages(profile: &StoreProfile) -> Vec<Locale> {
    profile
        .known_languages()
        .into_iter()
        .filter_map(|tag| Locale::ALL.into_iter().find(|l| l.as_str() == tag))
        .collect()
}

/// One sticker per touchpoint of the store, in the profile's order, for this site's `origin`.
pub fn sheet(profile: &StoreProfile, origin: &str) -> Vec<Sticker> {
    let languages = languages(profile);
    profile
        .touchpoints
        .iter()
        .map(|touchpoint| {
            let url = phone_url(origin, &profile.store, touchpoint);
            Sticker {
                touchpoint: touchpoint.clone(),
                place: profile.place(touchpoint),
                short_url: short_url(&url).to_owned(),
                url,
                invitations: languages
                    .iter()
                    .map(|&lang| (lang, lang.staff().sticker_invite))
                    .collect(),
                line: profile.stickers.get(touchpoint).cloned(),
            }
        })
        .collect()
}

/// The sticker sheet screen: what it is for, which languages, "Print" and "Back", then the
/// stickers. Only the stickers are printed.
#[component]
pub fn StickerSheet(
    /// The store, for its name before its profile is known.
    store: Slug,
    /// The store's profile (none before it is known).
    #[prop(into)]
    profile: Signal<Option<StoreProfile>>,
    /// Leaves the sheet.
    on_back: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let origin = env::origin();
    let profile = move || profile.get();
    let store_name = move || profile().map_or_else(|| store.to_string(), |p| p.name);
    let title = move || {
        fill(
            i18n.get_locale().staff().stickers_title,
            &[("store", &store_name())],
        )
    };
    let languages_line = move || {
        let names: Vec<&str> = profile()
            .map(|p| languages(&p))
            .unwrap_or_default()
            .into_iter()
            .map(|l| l.name())
            .collect();
        fill(
            i18n.get_locale().staff().stickers_languages,
            &[("languages", &names.join(", "))],
        )
    };
    let stickers = move || {
        let t = i18n.get_locale().staff();
        let Some(profile) = profile() else {
            return Either::Left(view! { <p id="srk-stickers-empty">{t.stickers_empty}</p> });
        };
        let sheet = sheet(&profile, &origin);
        if sheet.is_empty() {
            return Either::Left(view! { <p id="srk-stickers-empty">{t.stickers_empty}</p> });
        }
        let store = profile.name.clone();
        Either::Right(view! {
            <ul id="srk-stickers" class="srk-stickers">
                {sheet
                    .into_iter()
                    .map(|sticker| sticker_view(&sticker, &store, t.sticker_qr))
                    .collect_view()}
            </ul>
        })
    };
    view! {
        <section class="srk-card srk-sheet" aria-labelledby="srk-stickers-title">
            <div class="srk-sheet__tools">
                <h1 id="srk-stickers-title" tabindex="-1">{title}</h1>
                <p>{move || i18n.get_locale().staff().stickers_intro}</p>
                <p id="srk-stickers-languages">{languages_line}</p>
                <div class="srk-actions">
                    <button id="srk-print" class="srk-button" type="button" on:click=move |_| env::print()>
                        {move || i18n.get_locale().staff().stickers_print}
                    </button>
                    <button class="srk-button srk-button--quiet" type="button" on:click=move |_| on_back()>
                        {move || i18n.get_locale().staff().back}
                    </button>
                </div>
            </div>
            {stickers}
        </section>
    }
}

/// One sticker's markup. The invitations carry their own `lang`, so screen readers and
/// hyphenation follow each language.
fn sticker_view(sticker: &Sticker, store: &str, qr_label: &str) -> impl IntoView + use<> {
    let svg = sticker
        .qr_svg(&fill(qr_label, &[("place", &sticker.place)]))
        .unwrap_or_default();
    let invitations = sticker
        .invitations
        .iter()
        .map(|(lang, text)| {
            view! { <p class="srk-sticker__invite" lang=lang.as_str()>{*text}</p> }
        })
        .collect_view();
    view! {
        <li class="srk-sticker" data-touchpoint=sticker.touchpoint.to_string() data-url=sticker.url.clone()>
            <div class="srk-sticker__qr" inner_html=svg></div>
            <div class="srk-sticker__head">
                <h2 class="srk-sticker__place">{sticker.place.clone()}</h2>
                <p class="srk-sticker__store">{store.to_owned()}</p>
            </div>
            <div class="srk-sticker__invites">{invitations}</div>
            {sticker.line.clone().map(|line| view! { <p class="srk-sticker__line">{line}</p> })}
            <p class="srk-sticker__url" translate="no">{sticker.short_url.clone()}</p>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use recovery_core::SlaPolicy;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    fn profile(touchpoints: &[&str], languages: &[&str]) -> StoreProfile {
        StoreProfile {
            store: slug("acme-mall"),
            name: "Acme Mall".into(),
            touchpoints: touchpoints.iter().map(|t| slug(t)).collect(),
            sla: SlaPolicy::default(),
            currency: "EUR".into(),
            follow_up_days: 3,
            contact_salt: "00".into(),
            languages: languages.iter().map(|l| l.to_string()).collect(),
            chime: false,
            places: [(slug("till-1"), "Till 1".to_owned())].into(),
            shifts: Default::default(),
            stickers: [(slug("till-1"), "Ask at the till".to_owned())].into(),
        }
    }

    #[test]
    fn a_sticker_encodes_the_absolute_phone_address_of_its_touchpoint() {
        let url = phone_url(
            "https://recovery.example.com/",
            &slug("acme-mall"),
            &slug("checkout-2"),
        );
        assert_eq!(url, "https://recovery.example.com/c/acme-mall/checkout-2");
        assert_eq!(
            short_url(&url),
            "recovery.example.com/c/acme-mall/checkout-2"
        );
        assert_eq!(
            short_url("http://127.0.0.1:8080/c/demo/door"),
            "127.0.0.1:8080/c/demo/door"
        );
        // What the customer's app reads from that address: the same touchpoint, on a phone.
        let path = short_url(&url).split_once('/').unwrap().1;
        let route = crate::customer::route::parse(&["/", path].concat()).unwrap();
        assert_eq!(route.mode, crate::customer::route::Mode::Phone);
        assert_eq!(route.touchpoint.as_str(), "checkout-2");
    }

    #[test]
    fn one_sticker_per_touchpoint_in_order_with_the_invitation_in_each_store_language() {
        let sheet = sheet(
            &profile(&["front-desk", "checkout-2", "till-1"], &["ms", "en"]),
            "http://127.0.0.1:8080",
        );
        // A place with a display name shows it; the others read as their slugs in words.
        let places: Vec<&str> = sheet.iter().map(|s| s.place.as_str()).collect();
        assert_eq!(places, ["front desk", "checkout 2", "Till 1"]);
        assert_eq!(sheet[1].url, "http://127.0.0.1:8080/c/acme-mall/checkout-2");
        assert_eq!(sheet[1].short_url, "127.0.0.1:8080/c/acme-mall/checkout-2");
        for sticker in &sheet {
            assert_eq!(
                sticker.invitations,
                [
                    (Locale::Ms, Locale::Ms.staff().sticker_invite),
                    (Locale::En, Locale::En.staff().sticker_invite)
                ]
            );
        }
        // Each language's own words, not the same text four times.
        let all: Vec<&str> = Locale::ALL
            .iter()
            .map(|l| l.staff().sticker_invite)
            .collect();
        for (i, text) in all.iter().enumerate() {
            assert!(!all[..i].contains(text), "{text}");
        }
    }

    #[test]
    fn a_profile_without_known_languages_speaks_all_of_them_and_no_touchpoints_no_stickers() {
        assert_eq!(languages(&profile(&[], &[])), Locale::ALL);
        assert_eq!(languages(&profile(&[], &["fr", "sv"])), [Locale::Sv]);
        assert!(sheet(&profile(&[], &["en"]), "http://h").is_empty());
    }

    #[test]
    fn the_core_speaks_exactly_the_languages_the_app_is_translated_into() {
        let tags: Vec<&str> = Locale::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(tags, recovery_core::LANGUAGES);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_qr_code_is_an_accessible_svg_that_scans_as_the_phone_address() {
        let sticker = &sheet(&profile(&["door"], &["en"]), "http://127.0.0.1:8080")[0];
        let svg = sticker.qr_svg("QR code for door & more").unwrap();
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-label="QR code for door &amp; more""#));
        // No style attribute: the page's style policy allows none.
        assert!(!svg.contains("style="));
        assert_eq!(read_svg(&svg), "http://127.0.0.1:8080/c/acme-mall/door");
    }

    /// Reads a QR code's SVG as a phone would: draws its dark path (runs of
    /// `M{x},{y}h{n}v1h-{n}z` in module units) as pixels and decodes them with rqrr, an
    /// independent decoder.
    #[cfg(not(target_arch = "wasm32"))]
    fn read_svg(svg: &str) -> String {
        let side: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("a square viewBox");
        let dark_path = svg
            .split("fill=\"#000\" d=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a black path");
        let mut dark = vec![false; side * side];
        for run in dark_path.split('z').filter(|r| !r.is_empty()) {
            let run = run.strip_prefix('M').expect("a run starts with M");
            let (xy, rest) = run.split_once('h').expect("then its width");
            let (x, y) = xy.split_once(',').expect("x,y");
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let n: usize = rest.split('v').next().unwrap().parse().unwrap();
            for cell in &mut dark[y * side + x..y * side + x + n] {
                *cell = true;
            }
        }
        let scale = 4;
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side * scale, side * scale, |x, y| {
                if dark[(y / scale) * side + x / scale] {
                    0
                } else {
                    255
                }
            });
        let grids = image.detect_grids();
        let (_, text) = grids
            .iter()
            .find_map(|g| g.decode().ok())
            .expect("the code scans");
        text
    }
}
