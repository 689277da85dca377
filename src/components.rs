//! The app's screens and the pieces they are built from, one file per component.
//!
//! Components render state and turn browser events into calls on `state::Cases` or core
//! functions; they never touch storage, the network or other browser APIs directly.

pub mod acknowledgement;
pub mod choice_group;
pub mod complaint_form;
pub mod customer_page;
pub mod device_status;
pub mod field_error;
pub mod idle_guard;
pub mod language_picker;
pub mod later;
pub mod my_cases;
pub mod text_field;
pub mod update_banner;

pub use acknowledgement::Acknowledgement;
pub use choice_group::ChoiceGroup;
pub use complaint_form::ComplaintForm;
pub use customer_page::CustomerPage;
pub use device_status::DeviceStatus;
pub use field_error::FieldError;
pub use idle_guard::IdleGuard;
pub use language_picker::LanguagePicker;
pub use later::Later;
pub use my_cases::MyCases;
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
