//! Browser tests of the case's forms (wasm-bindgen-test in headless Chromium): each form is
//! mounted alone in a real page, with a recorder in place of `Staff::record`, filled in as a
//! person would, and submitted. A form must refuse what is incomplete in words and record
//! nothing, and otherwise record exactly the step that was meant, with typed text cleaned.

use super::{acknowledge, close, contact, escalate, follow_up, note, rate, resolve, summary};
use crate::shared::i18n::{I18n, Locale, StaffTexts, fill};
use crate::staff::state::Staff;
use leptos::prelude::*;
use leptos::tachys::view::Mountable;
use recovery_core::{
    Case, CaseId, Cause, CauseCategory, CauseGuess, Contact, ContactChannel, Details, EventKind,
    Factor, FairSolution, Lists, Remedy, Role, Slug, StaffMember, Timestamp, fold,
};
use std::sync::{Arc, Mutex};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EN: Locale = Locale::En;

fn texts() -> &'static StaffTexts {
    EN.staff()
}

fn member(role: Role, limit_minor: u32) -> StaffMember {
    StaffMember {
        id: Slug::parse("ana").unwrap(),
        name: "Ana".into(),
        role,
        limit_minor,
    }
}

fn clerk() -> StaffMember {
    member(Role::Staff, 2_000)
}

/// A filed case whose customer gave `name` and, when `contact` is set, agreed to be called.
fn filed_case(name: Option<&str>, contact: bool) -> Case {
    let mut filed = recovery_core::testing::filed_event(1, 2, 1_763_000_000_000, "Charged twice");
    let EventKind::Filed { complaint, .. } = &mut filed.kind else {
        unreachable!("the fixture is a filing")
    };
    complaint.name = name.map(str::to_owned);
    if contact {
        complaint.contact = Some(Contact::Phone("+62 812 3456 7890".into()));
        complaint.consent_to_contact = true;
    }
    fold([&filed]).unwrap().unwrap()
}

/// "Please fill in <field>." as the form says it.
fn missing(field: fn(&'static StaffTexts) -> &'static str) -> String {
    fill(texts().missing, &[("field", &field(texts()))])
}

/// A form mounted alone in an element of its own, and the steps it recorded.
struct Form<M: Mountable> {
    root: web_sys::HtmlElement,
    steps: Arc<Mutex<Vec<EventKind>>>,
    _mounted: leptos::mount::UnmountHandle<M>,
}

/// Mounts what `draw` makes, and waits until it is drawn.
/// A case the forms that need only its id are drawn for.
fn some_case() -> CaseId {
    CaseId(uuid::Uuid::from_u128(0x5e))
}

async fn mount<N: IntoView + 'static>(
    draw: impl FnOnce(I18n, Callback<EventKind>) -> N + 'static,
) -> Form<impl Mountable> {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let steps = Arc::new(Mutex::new(Vec::new()));
    let kept = steps.clone();
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        // The state of an unsigned tablet of the demo store, as the forms find it in the app.
        provide_context(Staff::load(Slug::parse("demo").unwrap()));
        let record = Callback::new(move |kind| kept.lock().unwrap().push(kind));
        draw(I18n::new(EN), record)
    });
    tick().await;
    Form {
        root,
        steps,
        _mounted: mounted,
    }
}

impl<M: Mountable> Form<M> {
    fn find(&self, selector: &str) -> Option<web_sys::HtmlElement> {
        self.root
            .query_selector(selector)
            .unwrap()
            .map(JsCast::unchecked_into)
    }

    fn el(&self, selector: &str) -> web_sys::HtmlElement {
        self.find(selector)
            .unwrap_or_else(|| panic!("no {selector} in the form"))
    }

    /// Sets a field's value and tells the page, as typing does.
    fn type_in(&self, selector: &str, text: &str) {
        self.set(selector, text, "input");
    }

    /// Chooses an option of a `<select>`, as a person does.
    fn choose(&self, selector: &str, value: &str) {
        self.set(selector, value, "change");
    }

    fn set(&self, selector: &str, value: &str, event: &str) {
        let el = self.el(selector);
        js_sys::Reflect::set(&el, &JsValue::from_str("value"), &JsValue::from_str(value)).unwrap();
        el.dispatch_event(&web_sys::Event::new(event).unwrap())
            .unwrap();
    }

    fn value(&self, selector: &str) -> String {
        js_sys::Reflect::get(&self.el(selector), &JsValue::from_str("value"))
            .unwrap()
            .as_string()
            .unwrap_or_default()
    }

    fn click(&self, selector: &str) {
        self.el(selector).click();
    }

    async fn submit(&self) {
        self.click("button[type=submit]");
        tick().await;
    }

    /// What the form's alert says.
    fn alert(&self) -> String {
        self.el("[role=alert]").text_content().unwrap_or_default()
    }

    fn steps(&self) -> Vec<EventKind> {
        self.steps.lock().unwrap().clone()
    }
}

impl<M: Mountable> Drop for Form<M> {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// Lets Leptos run its scheduled effects and render.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_apology_is_drafted_for_the_customer_by_name_and_recorded_as_edited() {
    let case = filed_case(Some("Ayu"), false);
    let form = mount(move |i18n, record| {
        acknowledge::acknowledge_form(i18n, clerk(), &case, false, record)
    })
    .await;
    let draft = form.value("#srk-apology");
    assert!(
        draft.starts_with(&fill(texts().apology_name, &[("name", &"Ayu")])),
        "{draft:?}"
    );
    assert!(draft.ends_with(texts().apology_action), "{draft:?}");
    form.type_in(
        "#srk-apology",
        "  We are sorry, Ayu.\r\nWe refund you today.  ",
    );
    form.submit().await;
    assert_eq!(
        form.steps(),
        vec![EventKind::Acknowledged {
            by: clerk().actor(),
            apology: "We are sorry, Ayu.\nWe refund you today.".into(),
            avoidable: None,
        }]
    );
}

#[wasm_bindgen_test]
async fn a_failure_we_could_have_prevented_is_acknowledged_as_such_and_goes_to_a_manager() {
    for (choice, avoidable) in [
        ("#srk-avoidable-yes", Some(true)),
        ("#srk-avoidable-no", Some(false)),
        ("#srk-avoidable-unsure", None),
    ] {
        let case = filed_case(None, false);
        let form = mount(move |i18n, record| {
            acknowledge::acknowledge_form(i18n, clerk(), &case, false, record)
        })
        .await;
        let unsure = form.el("#srk-avoidable-unsure");
        assert_eq!(
            js_sys::Reflect::get(&unsure, &JsValue::from_str("checked")).unwrap(),
            JsValue::TRUE,
            "nobody has to answer before they know"
        );
        form.click(choice);
        form.submit().await;
        let steps = form.steps();
        assert!(
            matches!(&steps[0], EventKind::Acknowledged { avoidable: a, .. } if *a == avoidable),
            "{steps:?}"
        );
        if avoidable == Some(true) {
            assert_eq!(
                steps[1..],
                [EventKind::Escalated {
                    by: clerk().actor(),
                    reason: texts().avoidable_escalation.into(),
                }]
            );
        } else {
            assert_eq!(steps.len(), 1, "{steps:?}");
        }
    }
}

#[wasm_bindgen_test]
async fn a_repeat_customers_case_is_acknowledged_and_escalated_with_the_reason() {
    let case = filed_case(None, false);
    let form = mount(move |i18n, record| {
        acknowledge::acknowledge_form(i18n, clerk(), &case, true, record)
    })
    .await;
    assert!(form.value("#srk-apology").contains(texts().apology_repeat));
    form.submit().await;
    let steps = form.steps();
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert!(matches!(steps[0], EventKind::Acknowledged { .. }));
    assert_eq!(
        steps[1],
        EventKind::Escalated {
            by: clerk().actor(),
            reason: texts().repeat_escalation.trim().to_owned(),
        }
    );
}

#[wasm_bindgen_test]
async fn an_emptied_apology_records_nothing() {
    let case = filed_case(None, false);
    let form = mount(move |i18n, record| {
        acknowledge::acknowledge_form(i18n, clerk(), &case, false, record)
    })
    .await;
    form.type_in("#srk-apology", " \n ");
    form.submit().await;
    assert_eq!(form.steps(), vec![]);
}

#[wasm_bindgen_test]
async fn an_empty_note_is_refused_in_words_and_a_note_is_recorded_then_the_field_empties() {
    let form = mount(|i18n, record| note::note_form(i18n, clerk(), some_case(), record)).await;
    form.type_in("#srk-note", "   ");
    form.submit().await;
    assert_eq!(form.alert(), missing(|t| t.note_label));
    assert_eq!(form.steps(), vec![]);

    form.type_in("#srk-note", " Card reader double-charges on contactless. ");
    form.submit().await;
    assert_eq!(form.alert(), "");
    assert_eq!(
        form.steps(),
        vec![EventKind::Noted {
            by: clerk().actor(),
            note: "Card reader double-charges on contactless.".into(),
        }]
    );
    assert_eq!(form.value("#srk-note"), "");
}

#[wasm_bindgen_test]
async fn an_escalation_needs_a_reason() {
    let form =
        mount(|i18n, record| escalate::escalate_form(i18n, clerk(), some_case(), record)).await;
    form.submit().await;
    assert_eq!(form.alert(), missing(|t| t.reason_label));
    assert_eq!(form.steps(), vec![]);

    form.type_in("#srk-reason", "Refund above my limit ");
    form.submit().await;
    assert_eq!(form.alert(), "");
    assert_eq!(
        form.steps(),
        vec![EventKind::Escalated {
            by: clerk().actor(),
            reason: "Refund above my limit".into(),
        }]
    );
}

#[wasm_bindgen_test]
async fn a_rating_needs_stars_and_records_the_chosen_number_with_the_comment() {
    let form = mount(|i18n, record| {
        rate::rate_form(i18n, some_case(), &Details::default(), record, false)
    })
    .await;
    assert!(form.find("#srk-hand-over").is_some(), "staff can hand over");
    form.submit().await;
    assert_eq!(form.alert(), missing(|t| t.stars_label));
    assert_eq!(form.steps(), vec![]);

    form.click("#srk-star-4");
    form.type_in("#srk-comment", " Quick and kind. ");
    form.submit().await;
    assert_eq!(
        form.steps(),
        vec![EventKind::Rated {
            stars: 4,
            comment: "Quick and kind.".into(),
        }]
    );
}

#[wasm_bindgen_test]
async fn the_customers_own_rating_form_asks_in_their_words_and_offers_no_hand_over() {
    let form =
        mount(|i18n, record| rate::rate_form(i18n, some_case(), &Details::default(), record, true))
            .await;
    assert!(form.find("#srk-hand-over").is_none());
    assert_eq!(
        form.el("#srk-rate-title")
            .text_content()
            .unwrap_or_default(),
        texts().handover_title
    );
    form.click("#srk-star-5");
    form.submit().await;
    assert_eq!(
        form.steps(),
        vec![EventKind::Rated {
            stars: 5,
            comment: String::new(),
        }]
    );
}

#[wasm_bindgen_test]
async fn a_follow_up_needs_an_answer_and_records_whether_the_fix_held() {
    let due = Timestamp(1_763_300_000_000);
    let form = mount(move |i18n, record| {
        follow_up::follow_up_form(i18n, clerk(), some_case(), due, record)
    })
    .await;
    form.type_in("#srk-follow-note", "Called twice");
    form.submit().await;
    assert_eq!(form.alert(), missing(|t| t.held_label));
    assert_eq!(form.steps(), vec![]);

    form.click("#srk-held-no");
    form.submit().await;
    assert_eq!(
        form.steps(),
        vec![EventKind::FollowedUp {
            by: clerk().actor(),
            held: false,
            note: "Called twice".into(),
        }]
    );
}

#[wasm_bindgen_test]
async fn closing_suggests_its_words_needs_a_sub_cause_and_splits_the_names() {
    let guess = CauseGuess {
        category: CauseCategory::Process,
        sub_cause: String::new(),
    };
    let form = mount(|i18n, record| {
        close::close_form(i18n, clerk(), some_case(), guess, Lists::default(), record)
    })
    .await;
    assert_eq!(form.value("#srk-cause-category"), "process");
    assert_eq!(form.value("#srk-explanation"), texts().explain.process);
    form.submit().await;
    assert_eq!(form.alert(), missing(|t| t.sub_cause_label));
    form.type_in("#srk-sub-cause", "Reader firmware");
    // Another kind brings its own words while nobody wrote theirs.
    form.choose("#srk-cause-category", CauseCategory::Equipment.key());
    tick().await;
    assert_eq!(form.value("#srk-explanation"), texts().explain.equipment);
    form.type_in("#srk-explanation", "");
    form.submit().await;
    assert_eq!(form.alert(), missing(|t| t.explanation_label));
    assert_eq!(form.steps(), vec![]);

    form.type_in("#srk-departments", "Checkout, , Stock room ");
    form.type_in("#srk-people", "");
    form.type_in(
        "#srk-explanation",
        "An update left contactless charging twice.",
    );
    // Words someone wrote stay whatever kind is chosen.
    form.choose("#srk-cause-category", CauseCategory::Policy.key());
    tick().await;
    form.choose("#srk-cause-category", CauseCategory::Equipment.key());
    tick().await;
    form.submit().await;
    assert_eq!(form.alert(), "");
    assert_eq!(
        form.steps(),
        vec![EventKind::Closed {
            by: clerk().actor(),
            cause: Cause {
                category: CauseCategory::Equipment,
                sub_cause: "Reader firmware".into(),
                departments: vec!["Checkout".into(), "Stock room".into()],
                people: vec![],
                explanation: "An update left contactless charging twice.".into(),
                factors: vec![],
            },
        }]
    );
}

#[wasm_bindgen_test]
async fn a_close_the_store_has_seen_before_is_one_tap() {
    let guess = CauseGuess {
        category: CauseCategory::Equipment,
        sub_cause: "Terminal charged twice".into(),
    };
    let form = mount(|i18n, record| {
        close::close_form(i18n, clerk(), some_case(), guess, Lists::default(), record)
    })
    .await;
    form.submit().await;
    assert_eq!(
        form.steps(),
        vec![EventKind::Closed {
            by: clerk().actor(),
            cause: Cause {
                category: CauseCategory::Equipment,
                sub_cause: "Terminal charged twice".into(),
                departments: vec![],
                people: vec![],
                explanation: texts().explain.equipment.into(),
                factors: vec![],
            },
        }]
    );
}

/// The resolve form reads the store's currency and follow-up days from the staff state: an
/// unsigned tablet of the demo store (euros, three days).
async fn resolve_form(who: StaffMember, case: Case, manager_case: bool) -> Form<impl Mountable> {
    mount(move |i18n, record| {
        let staff = Staff::load(Slug::parse("demo").unwrap());
        resolve::resolve_form(i18n, staff, who, &case, manager_case, record)
    })
    .await
}

#[wasm_bindgen_test]
async fn a_remedy_needs_a_readable_value_within_the_persons_limit() {
    let form = resolve_form(clerk(), filed_case(None, false), false).await;
    assert!(form.find("#srk-limit").is_some(), "staff see their limit");
    assert!(
        form.find("#srk-follow-up").is_none(),
        "no follow-up without consent to contact"
    );
    form.type_in("#srk-value", "a lot");
    form.submit().await;
    assert_eq!(form.alert(), texts().value_invalid);
    form.type_in("#srk-value", "25.00");
    form.submit().await;
    let limit = crate::shared::platform::clock::format_money(2_000, "EUR", "en");
    assert_eq!(
        form.alert(),
        fill(texts().above_limit, &[("limit", &limit)])
    );
    assert_eq!(form.steps(), vec![]);

    form.choose("#srk-remedy", Remedy::Voucher.key());
    form.type_in("#srk-value", "12.50");
    form.type_in("#srk-gesture", " Free coffee ");
    form.submit().await;
    assert_eq!(form.alert(), "");
    assert_eq!(
        form.steps(),
        vec![EventKind::Resolved {
            by: clerk().actor(),
            remedy: Remedy::Voucher,
            value_minor: 1_250,
            gesture: "Free coffee".into(),
            follow_up_at: None,
        }]
    );
}

#[wasm_bindgen_test]
async fn the_remedy_the_customer_called_fair_comes_chosen_and_no_value_is_nothing_to_pay() {
    let mut case = filed_case(None, false);
    case.complaint.fair_solutions = vec![FairSolution::Discount, FairSolution::Apology];
    let form = resolve_form(clerk(), case, false).await;
    assert_eq!(form.value("#srk-remedy"), "discount");
    form.submit().await;
    assert_eq!(form.alert(), "");
    assert_eq!(
        form.steps(),
        vec![EventKind::Resolved {
            by: clerk().actor(),
            remedy: Remedy::Discount,
            value_minor: 0,
            gesture: String::new(),
            follow_up_at: None,
        }]
    );
}

#[wasm_bindgen_test]
async fn a_resolution_with_consent_asks_for_a_follow_up_three_days_on() {
    let form = resolve_form(clerk(), filed_case(None, true), false).await;
    assert_eq!(
        js_sys::Reflect::get(&form.el("#srk-follow-up"), &JsValue::from_str("checked")).unwrap(),
        JsValue::TRUE,
        "follow-up is ticked by default where the customer agreed"
    );
    form.type_in("#srk-value", "5");
    let before = crate::shared::platform::clock::now();
    form.submit().await;
    let steps = form.steps();
    let [EventKind::Resolved { follow_up_at, .. }] = steps.as_slice() else {
        panic!("{steps:?}")
    };
    let at = follow_up_at.expect("a follow-up date").0;
    let three_days = 3 * 24 * 60 * 60 * 1_000;
    assert!(
        (before.0 + three_days..before.0 + three_days + 60_000).contains(&at),
        "{at}"
    );
}

#[wasm_bindgen_test]
async fn a_manager_case_shows_staff_a_notice_instead_of_the_form() {
    let form = resolve_form(clerk(), filed_case(None, false), true).await;
    assert!(form.find("#srk-manager-only").is_some());
    assert!(form.find("#srk-resolve-form").is_none());

    let manager = member(Role::Manager, 0);
    let form = resolve_form(manager.clone(), filed_case(None, false), true).await;
    assert!(form.find("#srk-limit").is_none(), "managers have no limit");
    assert!(
        form.find("#srk-gesture").is_none(),
        "escalated cases get no gesture"
    );
    form.type_in("#srk-value", "250");
    form.submit().await;
    assert_eq!(
        form.steps(),
        vec![EventKind::Resolved {
            by: manager.actor(),
            remedy: Remedy::ApologyOnly,
            value_minor: 25_000,
            gesture: String::new(),
            follow_up_at: None,
        }]
    );
}

#[wasm_bindgen_test]
async fn a_customers_contact_is_a_link_to_call_text_or_write() {
    let body = |case: Case| {
        mount(move |i18n, _| {
            let staff = Staff::load(Slug::parse("demo").unwrap());
            let details = recovery_core::Details::default();
            summary::case_body(
                i18n,
                staff,
                &clerk(),
                case,
                details,
                false,
                RwSignal::new(None),
            )
        })
    };
    let phone = body(filed_case(None, true)).await;
    let link = |n: usize| {
        let a = phone.el(&format!("#srk-contact a:nth-of-type({n})"));
        (a.get_attribute("href").unwrap(), a.text_content().unwrap())
    };
    assert_eq!(
        [link(1), link(2)],
        [
            (
                "tel:+6281234567890".to_owned(),
                "+62 812 3456 7890".to_owned()
            ),
            (
                "sms:+6281234567890".to_owned(),
                texts().contact_sms.to_owned()
            ),
        ]
    );
    let mut case = filed_case(None, true);
    case.complaint.contact = Some(Contact::Email("sam@example.com".into()));
    let email = body(case).await;
    let a = email.el("#srk-contact a");
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("mailto:sam@example.com")
    );
    assert_eq!(a.text_content().as_deref(), Some("sam@example.com"));
    assert!(email.find("details#srk-contact-attempt").is_some());
    // A customer who asked to hear nothing more: the contact for the record, no way to use it.
    let mut case = filed_case(None, true);
    case.complaint.consent_to_contact = false;
    let stopped = body(case).await;
    let shown = stopped.el("#srk-contact");
    assert_eq!(shown.text_content().as_deref(), Some("+62 812 3456 7890"));
    assert!(stopped.find("#srk-contact a").is_none(), "no link to call");
    assert!(
        stopped
            .root
            .text_content()
            .unwrap()
            .contains(texts().contact_withdrawn_label)
    );
    assert!(stopped.find("details#srk-contact-attempt").is_none());
}

fn checked(form: &Form<impl Mountable>, selector: &str) -> bool {
    js_sys::Reflect::get(&form.el(selector), &JsValue::from_str("checked")).unwrap()
        == JsValue::TRUE
}

#[wasm_bindgen_test]
async fn departments_and_people_are_ticked_from_the_stores_lists_and_factors_added() {
    let guess = CauseGuess {
        category: CauseCategory::Equipment,
        sub_cause: "Terminal charged twice".into(),
    };
    let lists = Lists {
        departments: vec!["Checkout".into(), "Bakery".into()],
        people: vec!["Ana".into(), "Max".into()],
    };
    let form =
        mount(|i18n, record| close::close_form(i18n, clerk(), some_case(), guess, lists, record))
            .await;
    assert_eq!(
        form.el("#srk-department-list legend")
            .text_content()
            .unwrap(),
        texts().departments_list
    );
    // Ticking writes the name into the field; typing a listed name (any case) ticks it.
    form.click("#srk-department-list-0");
    tick().await;
    assert_eq!(form.value("#srk-departments"), "Checkout");
    form.type_in("#srk-departments", "Checkout, bakery, Deli");
    tick().await;
    assert!(checked(&form, "#srk-department-list-1"));
    form.click("#srk-department-list-0");
    tick().await;
    assert_eq!(form.value("#srk-departments"), "bakery, Deli");
    assert!(!checked(&form, "#srk-department-list-0"));
    form.click("#srk-people-list-1");
    tick().await;
    assert_eq!(form.value("#srk-people"), "Max");

    // Factors: each new row takes a kind not used yet (the main cause is equipment).
    form.click("#srk-factor-add");
    tick().await;
    form.click("#srk-factor-add");
    tick().await;
    assert_eq!(form.value("#srk-factor-kind-1"), "people");
    assert_eq!(form.value("#srk-factor-kind-2"), "process");
    assert_eq!(
        form.el("label[for=srk-factor-2]").text_content().unwrap(),
        fill(texts().factor_words, &[("n", &2)])
    );
    form.set("#srk-factor-1", "  New cashier ", "input");
    form.choose("#srk-factor-kind-2", "policy");
    form.click("#srk-factor-add");
    tick().await;
    form.set("#srk-factor-3", "Gone again", "input");
    // Removing the third leaves the first two as they were.
    form.click("#srk-factor-3 ~ button");
    tick().await;
    assert!(form.find("#srk-factor-3").is_none());
    assert_eq!(form.value("#srk-factor-1"), "  New cashier ");
    form.submit().await;
    assert_eq!(form.alert(), "");
    assert_eq!(
        form.steps(),
        vec![EventKind::Closed {
            by: clerk().actor(),
            cause: Cause {
                category: CauseCategory::Equipment,
                sub_cause: "Terminal charged twice".into(),
                departments: vec!["Bakery".into(), "Deli".into()],
                people: vec!["Max".into()],
                explanation: texts().explain.equipment.into(),
                factors: vec![
                    Factor {
                        category: CauseCategory::People,
                        sub_cause: "New cashier".into()
                    },
                    Factor {
                        category: CauseCategory::Policy,
                        sub_cause: String::new()
                    },
                ],
            },
        }]
    );
}

#[wasm_bindgen_test]
async fn a_try_to_reach_the_customer_is_recorded_reached_or_not() {
    let case = filed_case(None, true);
    let contact = case.complaint.contact.clone();
    let form = mount(move |i18n, record| {
        contact::contact_form(i18n, clerk(), case.id, contact.as_ref(), record)
    })
    .await;
    // A number is for calling first.
    assert!(checked(&form, "#srk-channel-phone"));
    form.click("#srk-contact-missed");
    tick().await;
    form.click("#srk-channel-sms");
    form.type_in("#srk-contact-note", " Asked them to call back ");
    form.click("#srk-contact-reached");
    tick().await;
    assert_eq!(form.value("#srk-contact-note"), "", "the note is used up");
    assert_eq!(
        form.steps(),
        vec![
            EventKind::Contacted {
                by: clerk().actor(),
                channel: ContactChannel::Phone,
                reached: false,
                note: String::new(),
            },
            EventKind::Contacted {
                by: clerk().actor(),
                channel: ContactChannel::Sms,
                reached: true,
                note: "Asked them to call back".into(),
            },
        ]
    );
    // No contact left: in person.
    let form =
        mount(|i18n, record| contact::contact_form(i18n, clerk(), some_case(), None, record)).await;
    assert!(checked(&form, "#srk-channel-in_person"));
}

#[wasm_bindgen_test]
async fn the_case_lists_each_try_to_reach_the_customer() {
    let case = filed_case(None, true);
    let details = Details {
        attempts: vec![
            recovery_core::Attempt {
                at: Timestamp(1_763_000_100_000),
                by: Slug::parse("ana").unwrap(),
                channel: ContactChannel::Phone,
                reached: false,
                note: String::new(),
            },
            recovery_core::Attempt {
                at: Timestamp(1_763_000_200_000),
                by: Slug::parse("ana").unwrap(),
                channel: ContactChannel::Email,
                reached: true,
                note: "Sent the refund receipt".into(),
            },
        ],
        ..Default::default()
    };
    let body = mount(move |i18n, _| {
        let staff = Staff::load(Slug::parse("demo").unwrap());
        summary::case_body(
            i18n,
            staff,
            &clerk(),
            case,
            details,
            false,
            RwSignal::new(None),
        )
    })
    .await;
    let line = |n: usize| {
        body.el(&format!("#srk-attempts li:nth-child({n})"))
            .text_content()
            .unwrap()
    };
    let phone = fill(
        texts().attempt_missed,
        &[("channel", &texts().channel.phone)],
    );
    let email = fill(
        texts().attempt_reached,
        &[("channel", &texts().channel.email)],
    );
    assert!(line(1).contains(&phone), "{}", line(1));
    assert!(line(2).contains(&email) && line(2).contains("Sent the refund receipt"));
    // The form to record another try is there, folded, while the case is open.
    assert!(body.find("details#srk-contact-attempt").is_some());
}
