//! The pieces every app's screens are built from, one file per component: the language
//! picker, the update banner, form fields and the "later" choice.
//!
//! Components render state and turn browser events into calls on their caller's state or core
//! functions; they never touch storage, the network or other browser APIs directly, and they
//! know nothing of one app's screens.

pub mod choice_group;
pub mod field_error;
pub mod language_picker;
pub mod later;
pub mod text_field;
pub mod update_banner;

pub use choice_group::ChoiceGroup;
pub use field_error::FieldError;
pub use language_picker::LanguagePicker;
pub use later::Later;
pub use text_field::TextField;
pub use update_banner::UpdateBanner;

/// The id of the first control of a form field, used by error-summary links.
pub fn field_id(key: &str) -> String {
    format!("srk-f-{key}")
}

/// The id of a form field's error message, referenced by `aria-describedby`.
pub fn error_id(key: &str) -> String {
    format!("srk-e-{key}")
}
