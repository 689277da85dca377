//! Generates the `i18n` module from `locales/*.json` at compile time, so that every translation
//! key is checked by the compiler and a missing key in any language fails the build.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let config = Config::new("en")
        .and_then(|c| c.add_locales(["id", "ms", "sv"]))
        .expect("locale list is valid")
        // Lets `t_string!` fill placeholders, for composed sentences.
        .parse_options(ParseOptions::new().interpolate_display(true));
    let infos = TranslationsInfos::parse(config).expect("locales/*.json parse");
    infos.rerun_if_locales_changed();
    infos.emit_diagnostics();
    infos
        .generate_i18n_module(out.join("i18n"))
        .expect("i18n module is written");
}
