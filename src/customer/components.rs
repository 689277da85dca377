//! The customer page's screens, one file per component (the pieces they share with the other
//! apps are in `shared::components`).
//!
//! Components render state and turn browser events into calls on `state::Cases` or core
//! functions; they never touch storage, the network or other browser APIs directly.

pub mod acknowledgement;
pub mod complaint_form;
pub mod customer_page;
pub mod device_status;
pub mod idle_guard;
pub mod my_cases;

pub use acknowledgement::Acknowledgement;
pub use complaint_form::ComplaintForm;
pub use customer_page::CustomerPage;
pub use device_status::DeviceStatus;
pub use idle_guard::IdleGuard;
pub use my_cases::MyCases;
