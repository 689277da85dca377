//! Tests of the complaint's validation (required answers, limits, unsafe text, contact and
//! consent, fair solutions) and of its enums' keys.

use super::*;

fn minimal() -> ComplaintDraft {
    ComplaintDraft {
        category: Some(Category::Waiting),
        description: "Queued for 25 minutes".into(),
        ..Default::default()
    }
}

fn problems(d: &ComplaintDraft) -> Vec<(Field, Problem)> {
    validate(d)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.problem))
        .collect()
}

#[test]
fn category_and_description_are_the_only_required_answers() {
    let c = validate(&minimal()).unwrap();
    assert_eq!(c.category, Category::Waiting);
    assert_eq!(c.name, None);
    assert_eq!(c.contact, None);
    assert_eq!(
        problems(&ComplaintDraft::default()),
        vec![
            (Field::Category, Problem::Required),
            (Field::Description, Problem::Required)
        ]
    );
}

#[test]
fn blank_description_is_required() {
    let d = ComplaintDraft {
        description: " \n\t ".into(),
        ..minimal()
    };
    assert_eq!(problems(&d), vec![(Field::Description, Problem::Required)]);
}

#[test]
fn description_limit_counts_characters_not_bytes() {
    let ok = ComplaintDraft {
        description: "😀".repeat(DESCRIPTION_MAX),
        ..minimal()
    };
    assert!(validate(&ok).is_ok());
    let long = ComplaintDraft {
        description: "a".repeat(DESCRIPTION_MAX + 1),
        ..minimal()
    };
    assert_eq!(
        problems(&long),
        vec![(
            Field::Description,
            Problem::TooLong {
                max: 2000,
                actual: 2001
            }
        )]
    );
}

#[test]
fn every_problem_is_reported_at_once_in_form_order() {
    let d = ComplaintDraft {
        category: None,
        description: "x".repeat(3000),
        fair_solution_note: "n".repeat(NOTE_MAX + 1),
        name: "Ann\u{202e}".into(),
        contact: "nope".into(),
        consent_to_contact: false,
        ..Default::default()
    };
    let fields: Vec<Field> = problems(&d).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        vec![
            Field::Category,
            Field::Description,
            Field::FairSolutionNote,
            Field::Name,
            Field::Contact,
            Field::Consent
        ]
    );
}

#[test]
fn html_is_just_text() {
    let d = ComplaintDraft {
        description: "<script>alert(1)</script>".into(),
        name: "<b>Bo</b>".into(),
        ..minimal()
    };
    let c = validate(&d).unwrap();
    assert_eq!(c.description, "<script>alert(1)</script>");
    assert_eq!(c.name.as_deref(), Some("<b>Bo</b>"));
}

#[test]
fn invisible_controls_and_direction_overrides_are_refused() {
    for bad in [
        "a\u{0}b",
        "a\u{7}b",
        "a\u{202e}b",
        "a\u{2066}b",
        "a\u{feff}b",
        "a\u{85}b",
    ] {
        let d = ComplaintDraft {
            description: bad.into(),
            ..minimal()
        };
        assert_eq!(
            problems(&d),
            vec![(Field::Description, Problem::ForbiddenCharacters)],
            "{bad:?}"
        );
    }
}

#[test]
fn ordinary_unicode_is_welcome() {
    for good in [
        "Kassan var stängd",
        "مرحبا",
        "家族 👨\u{200d}👩\u{200d}👧",
        "e\u{301}",
        "tab\there",
    ] {
        let d = ComplaintDraft {
            description: good.into(),
            ..minimal()
        };
        assert!(validate(&d).is_ok(), "{good:?}");
    }
}

#[test]
fn names_are_single_line() {
    let d = ComplaintDraft {
        name: "Ann\nSmith".into(),
        ..minimal()
    };
    assert_eq!(
        problems(&d),
        vec![(Field::Name, Problem::ForbiddenCharacters)]
    );
}

#[test]
fn text_is_trimmed_and_line_breaks_normalised() {
    let d = ComplaintDraft {
        description: "  one\r\ntwo\rthree  ".into(),
        ..minimal()
    };
    assert_eq!(validate(&d).unwrap().description, "one\ntwo\nthree");
    assert_eq!(text_len("  a\r\nb "), 3);
}

#[test]
fn email_and_phone_contacts_are_recognised() {
    let with = |contact: &str| ComplaintDraft {
        contact: contact.into(),
        consent_to_contact: true,
        ..minimal()
    };
    for email in ["a@b.co", "ayu.putri+shop@mail.example.id"] {
        assert_eq!(
            validate(&with(email)).unwrap().contact,
            Some(Contact::Email(email.into()))
        );
    }
    for phone in ["+62 812-3456-7890", "(08) 1234 5678", "0701234567"] {
        assert_eq!(
            validate(&with(phone)).unwrap().contact,
            Some(Contact::Phone(phone.into()))
        );
    }
    for bad in [
        "a@b",
        "@b.co",
        "a b@c.de",
        "a@@b.co",
        "12345",
        "+1234567890123456",
        "call me",
    ] {
        assert_eq!(
            problems(&with(bad)),
            vec![(Field::Contact, Problem::InvalidContact)],
            "{bad}"
        );
    }
}

#[test]
fn contact_needs_consent_and_consent_needs_contact() {
    let d = ComplaintDraft {
        contact: "a@b.co".into(),
        ..minimal()
    };
    assert_eq!(
        problems(&d),
        vec![(Field::Consent, Problem::ConsentRequired)]
    );
    let d = ComplaintDraft {
        consent_to_contact: true,
        ..minimal()
    };
    assert_eq!(
        problems(&d),
        vec![(Field::Contact, Problem::ContactRequired)]
    );
}

#[test]
fn fair_solutions_are_sorted_without_repeats() {
    let d = ComplaintDraft {
        fair_solutions: vec![
            FairSolution::Discount,
            FairSolution::Refund,
            FairSolution::Discount,
        ],
        ..minimal()
    };
    assert_eq!(
        validate(&d).unwrap().fair_solutions,
        vec![FairSolution::Refund, FairSolution::Discount]
    );
}

#[test]
fn a_fair_solution_is_named_by_a_choice_or_by_a_note() {
    assert!(!validate(&minimal()).unwrap().names_a_fair_solution());
    let chosen = ComplaintDraft {
        fair_solutions: vec![FairSolution::Refund],
        ..minimal()
    };
    assert!(validate(&chosen).unwrap().names_a_fair_solution());
    let noted = ComplaintDraft {
        fair_solution_note: "a new kettle".into(),
        ..minimal()
    };
    assert!(validate(&noted).unwrap().names_a_fair_solution());
}

#[test]
fn a_valid_complaint_checks_and_a_tampered_one_does_not() {
    let c = validate(&minimal()).unwrap();
    assert_eq!(c.check(), Ok(()));
    let mut tampered = c.clone();
    tampered.description = "  padded  ".into();
    assert!(tampered.check().is_err());
    let mut tampered = c;
    tampered.contact = Some(Contact::Email("12345678".into()));
    tampered.consent_to_contact = true;
    assert!(tampered.check().is_err());
}

#[test]
fn every_enum_lists_all_its_values_with_distinct_keys() {
    assert_eq!(Category::ALL.len(), 8);
    assert_eq!(Occurred::ALL.len(), 5);
    assert_eq!(Impact::ALL.len(), 4);
    assert_eq!(FairSolution::ALL.len(), 7);
    let mut keys: Vec<_> = Category::ALL.iter().map(|c| c.key()).collect();
    keys.dedup();
    assert_eq!(keys.len(), 8);
    assert!(Impact::Minor < Impact::Severe);
}

#[test]
fn the_language_filed_in_is_kept_when_it_is_one_of_ours_and_absent_from_the_json_otherwise() {
    let with = |tag: Option<&str>| ComplaintDraft {
        language: tag.map(str::to_owned),
        ..minimal()
    };
    let sv = validate(&with(Some("sv"))).unwrap();
    assert_eq!(sv.language.as_deref(), Some("sv"));
    assert!(sv.check().is_ok());
    let json = serde_json::to_value(&sv).unwrap();
    assert_eq!(json["language"], "sv");
    // An unknown tag is dropped, and a hand-made complaint carrying one does not pass.
    assert_eq!(validate(&with(Some("xx"))).unwrap().language, None);
    let mut forged = sv.clone();
    forged.language = Some("xx".into());
    assert!(forged.check().is_err());
    // Without one, the JSON is what it was before languages were recorded.
    let none = validate(&with(None)).unwrap();
    let json = serde_json::to_value(&none).unwrap();
    assert!(json.get("language").is_none(), "{json}");
    let back: Complaint = serde_json::from_value(json).unwrap();
    assert_eq!(back, none);
}
