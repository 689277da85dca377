//! The complaint a customer files, and its validation.
//!
//! `validate` turns what the form holds (a raw [`ComplaintDraft`]) into a [`Complaint`] or
//! reports every problem at once, as typed [`FieldError`]s that the UI translates. The same
//! function re-checks complaints that come back from storage or over the network, so a device
//! and the server can never disagree about what is valid. It must never panic, whatever the text.

use serde::{Deserialize, Serialize};

/// Longest description, in characters (Unicode scalar values).
pub const DESCRIPTION_MAX: usize = 2000;
/// Longest name.
pub const NAME_MAX: usize = 80;
/// Longest "anything else that would be fair" note.
pub const NOTE_MAX: usize = 500;
/// Longest contact (the longest valid email address).
pub const CONTACT_MAX: usize = 254;

macro_rules! choice_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: [$name; [$($key),+].len()] = [$($name::$variant),+];

            /// The snake_case name, used as translation key and in storage.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key),+
                }
            }

            /// The value whose [`key`](Self::key) is `key`.
            pub fn parse(key: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.key() == key)
            }
        }
    };
}

choice_enum!(
    /// What went wrong, as the customer sees it.
    Category {
        /// A product was faulty, wrong or not as described.
        Product => "product",
        /// How the customer was served or treated.
        Service => "service",
        /// Waiting: queues, slow answers.
        Waiting => "waiting",
        /// Price or payment.
        Billing => "billing",
        /// Delivery.
        Delivery => "delivery",
        /// The place itself: cleanliness, layout, comfort.
        Cleanliness => "cleanliness",
        /// What they came for was not in stock.
        Availability => "availability",
        /// Anything else.
        Other => "other",
    }
);

choice_enum!(
    /// When it happened, roughly; the filing time records the exact moment.
    Occurred {
        /// Moments ago.
        JustNow => "just_now",
        /// Earlier today.
        EarlierToday => "earlier_today",
        /// Yesterday.
        Yesterday => "yesterday",
        /// Earlier this week.
        ThisWeek => "this_week",
        /// Before that.
        Earlier => "earlier",
    }
);

choice_enum!(
    /// How much it affected the customer: the customer's own view of severity.
    Impact {
        /// A little.
        Minor => "minor",
        /// Quite a lot.
        Moderate => "moderate",
        /// A lot: a serious failure.
        Major => "major",
        /// Very seriously.
        Severe => "severe",
    }
);

choice_enum!(
    /// A solution the customer would consider fair.
    FairSolution {
        /// Money back.
        Refund => "refund",
        /// A replacement.
        Replacement => "replacement",
        /// A repair.
        Repair => "repair",
        /// A discount.
        Discount => "discount",
        /// An apology.
        Apology => "apology",
        /// An explanation of what happened.
        Explanation => "explanation",
        /// Something else (see the note).
        Other => "other",
    }
);

/// How the customer agreed to be contacted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contact {
    /// An email address, as typed (trimmed).
    Email(String),
    /// A phone number, as typed (trimmed).
    Phone(String),
}

impl Contact {
    /// The address or number as the customer typed it.
    pub fn as_str(&self) -> &str {
        match self {
            Contact::Email(s) | Contact::Phone(s) => s,
        }
    }
}

/// What the complaint form holds: raw and unchecked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintDraft {
    /// What went wrong (required).
    pub category: Option<Category>,
    /// What happened, in the customer's words (required).
    pub description: String,
    /// When it happened.
    pub occurred: Option<Occurred>,
    /// How much it affected them.
    pub impact: Option<Impact>,
    /// Whether it has happened to them before.
    pub happened_before: Option<bool>,
    /// Solutions they would consider fair.
    pub fair_solutions: Vec<FairSolution>,
    /// Anything else that would be fair, in their words.
    pub fair_solution_note: String,
    /// Their name, if they want to give it.
    pub name: String,
    /// An email address or phone number, if they want to be contacted.
    pub contact: String,
    /// Explicit consent to be contacted about this complaint.
    pub consent_to_contact: bool,
    /// The language they filed in, a tag of [`crate::LANGUAGES`]; any other is dropped.
    pub language: Option<String>,
}

/// A validated complaint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    /// What went wrong.
    pub category: Category,
    /// What happened: trimmed, line breaks normalised to `\n`.
    pub description: String,
    /// When it happened.
    pub occurred: Option<Occurred>,
    /// How much it affected them.
    pub impact: Option<Impact>,
    /// Whether it has happened to them before.
    pub happened_before: Option<bool>,
    /// Fair solutions, sorted and without repeats.
    pub fair_solutions: Vec<FairSolution>,
    /// Anything else that would be fair; `None` when blank.
    pub fair_solution_note: Option<String>,
    /// Their name; `None` when blank.
    pub name: Option<String>,
    /// How to reach them; `None` when blank.
    pub contact: Option<Contact>,
    /// Whether they agreed to be contacted.
    pub consent_to_contact: bool,
    /// The language they filed in (a tag of [`crate::LANGUAGES`]), so that messages about it
    /// reach them in it; `None` from a device that did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A field of the complaint form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// [`ComplaintDraft::category`]
    Category,
    /// [`ComplaintDraft::description`]
    Description,
    /// [`ComplaintDraft::occurred`]
    Occurred,
    /// [`ComplaintDraft::impact`]
    Impact,
    /// [`ComplaintDraft::happened_before`]
    HappenedBefore,
    /// [`ComplaintDraft::fair_solutions`]
    FairSolution,
    /// [`ComplaintDraft::fair_solution_note`]
    FairSolutionNote,
    /// [`ComplaintDraft::name`]
    Name,
    /// [`ComplaintDraft::contact`]
    Contact,
    /// [`ComplaintDraft::consent_to_contact`]
    Consent,
}

impl Field {
    /// The snake_case name, used in element ids and translation keys.
    pub fn key(self) -> &'static str {
        match self {
            Field::Category => "category",
            Field::Description => "description",
            Field::Occurred => "occurred",
            Field::Impact => "impact",
            Field::HappenedBefore => "happened_before",
            Field::FairSolution => "fair_solution",
            Field::FairSolutionNote => "fair_solution_note",
            Field::Name => "name",
            Field::Contact => "contact",
            Field::Consent => "consent",
        }
    }
}

/// What is wrong with a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum Problem {
    /// A required answer is missing.
    Required,
    /// The text is longer than allowed.
    TooLong {
        /// The limit, in characters.
        max: usize,
        /// The text's length, in characters.
        actual: usize,
    },
    /// The text holds invisible control or direction-override characters.
    ForbiddenCharacters,
    /// Neither an email address nor a phone number.
    InvalidContact,
    /// Contact details were given without consent to use them.
    ConsentRequired,
    /// Consent was given without contact details.
    ContactRequired,
}

impl Problem {
    /// The snake_case name, used as translation key.
    pub fn key(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too_long",
            Problem::ForbiddenCharacters => "forbidden_characters",
            Problem::InvalidContact => "invalid_contact",
            Problem::ConsentRequired => "consent_required",
            Problem::ContactRequired => "contact_required",
        }
    }
}

/// One problem with one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldError {
    /// Which field.
    pub field: Field,
    /// What is wrong.
    pub problem: Problem,
}

/// Trims and turns CR LF and lone CR into LF, so lengths and storage agree on every platform.
fn normalise(s: &str) -> String {
    s.trim().replace("\r\n", "\n").replace('\r', "\n")
}

/// The length used for every limit: characters (Unicode scalar values) after the same
/// normalisation `validate` applies, so a UI counter agrees with validation.
pub fn text_len(s: &str) -> usize {
    normalise(s).chars().count()
}

/// Whether a character may never appear in free text: controls (bar tab and line breaks where
/// `multiline`), and the invisible direction overrides used to disguise text.
fn forbidden(c: char, multiline: bool) -> bool {
    match c {
        '\n' | '\t' => !multiline,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' => true,
        _ => false,
    }
}

/// Checks one free-text field; returns its normalised text or the problem.
pub(crate) fn check_text(raw: &str, max: usize, multiline: bool) -> Result<String, Problem> {
    let text = normalise(raw);
    if text.chars().any(|c| forbidden(c, multiline)) {
        return Err(Problem::ForbiddenCharacters);
    }
    let actual = text.chars().count();
    if actual > max {
        return Err(Problem::TooLong { max, actual });
    }
    Ok(text)
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

fn is_phone(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    let mut digits = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return false,
        }
    }
    (7..=15).contains(&digits)
}

fn check_contact(raw: &str) -> Result<Option<Contact>, Problem> {
    let text = check_text(raw, CONTACT_MAX, false)?;
    if text.is_empty() {
        Ok(None)
    } else if is_email(&text) {
        Ok(Some(Contact::Email(text)))
    } else if is_phone(&text) {
        Ok(Some(Contact::Phone(text)))
    } else {
        Err(Problem::InvalidContact)
    }
}

/// Validates a draft. On failure, every field's first problem is reported, in form order.
pub fn validate(draft: &ComplaintDraft) -> Result<Complaint, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut report = |field, problem| errors.push(FieldError { field, problem });

    if draft.category.is_none() {
        report(Field::Category, Problem::Required);
    }
    let description = match check_text(&draft.description, DESCRIPTION_MAX, true) {
        Ok(t) if t.is_empty() => {
            report(Field::Description, Problem::Required);
            None
        }
        Ok(t) => Some(t),
        Err(p) => {
            report(Field::Description, p);
            None
        }
    };
    let note = match check_text(&draft.fair_solution_note, NOTE_MAX, true) {
        Ok(t) => (!t.is_empty()).then_some(t),
        Err(p) => {
            report(Field::FairSolutionNote, p);
            None
        }
    };
    let name = match check_text(&draft.name, NAME_MAX, false) {
        Ok(t) => (!t.is_empty()).then_some(t),
        Err(p) => {
            report(Field::Name, p);
            None
        }
    };
    let contact = match check_contact(&draft.contact) {
        Ok(c) => c,
        Err(p) => {
            report(Field::Contact, p);
            None
        }
    };
    let contact_typed = !draft.contact.trim().is_empty();
    if draft.consent_to_contact && !contact_typed {
        report(Field::Contact, Problem::ContactRequired);
    }
    if contact_typed && !draft.consent_to_contact {
        report(Field::Consent, Problem::ConsentRequired);
    }

    match (draft.category, description) {
        (Some(category), Some(description)) if errors.is_empty() => {
            // Built in display order from the full list: sorted and free of repeats by
            // construction, with no sorting code in the customer's download.
            let fair_solutions = FairSolution::ALL
                .into_iter()
                .filter(|f| draft.fair_solutions.contains(f))
                .collect();
            Ok(Complaint {
                category,
                description,
                occurred: draft.occurred,
                impact: draft.impact,
                happened_before: draft.happened_before,
                fair_solutions,
                fair_solution_note: note,
                name,
                contact,
                consent_to_contact: draft.consent_to_contact,
                language: draft
                    .language
                    .clone()
                    .filter(|tag| crate::LANGUAGES.contains(&tag.as_str())),
            })
        }
        _ => {
            // The checks above run in form order, so only a second problem with the contact
            // field can follow its first; keep the first problem of each field.
            errors.dedup_by_key(|e| e.field);
            Err(errors)
        }
    }
}

impl Complaint {
    /// Forgets who complained: the name, the contact and the consent to use it (nothing is
    /// left to contact). What went wrong stays. See `EventKind::Erased`.
    pub fn forget_customer(&mut self) {
        self.name = None;
        self.contact = None;
        self.consent_to_contact = false;
    }

    /// Whether the customer may be contacted about it: they gave a contact and agreed (and did
    /// not withdraw that since, see `EventKind::ConsentWithdrawn`).
    pub fn may_contact(&self) -> bool {
        self.consent_to_contact && self.contact.is_some()
    }

    /// Whether the customer said what they would consider fair (a choice or their own words),
    /// which staff should look at first.
    pub fn names_a_fair_solution(&self) -> bool {
        !self.fair_solutions.is_empty() || self.fair_solution_note.is_some()
    }

    /// The draft this complaint would come from.
    pub fn to_draft(&self) -> ComplaintDraft {
        ComplaintDraft {
            category: Some(self.category),
            description: self.description.clone(),
            occurred: self.occurred,
            impact: self.impact,
            happened_before: self.happened_before,
            fair_solutions: self.fair_solutions.clone(),
            fair_solution_note: self.fair_solution_note.clone().unwrap_or_default(),
            name: self.name.clone().unwrap_or_default(),
            contact: self
                .contact
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            consent_to_contact: self.consent_to_contact,
            language: self.language.clone(),
        }
    }

    /// Re-checks a complaint that came from storage or the network: it must be exactly what
    /// validating its own draft gives back.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let again = validate(&self.to_draft())?;
        if &again == self {
            Ok(())
        } else {
            // Only a hand-made complaint can differ (untrimmed text, unsorted solutions, a phone
            // number filed as an email); report the fields that differ.
            let mut errors = Vec::new();
            if again.description != self.description {
                errors.push(FieldError {
                    field: Field::Description,
                    problem: Problem::ForbiddenCharacters,
                });
            }
            if again.fair_solutions != self.fair_solutions
                || again.fair_solution_note != self.fair_solution_note
            {
                errors.push(FieldError {
                    field: Field::FairSolution,
                    problem: Problem::ForbiddenCharacters,
                });
            }
            if again.name != self.name {
                errors.push(FieldError {
                    field: Field::Name,
                    problem: Problem::ForbiddenCharacters,
                });
            }
            if again.contact != self.contact {
                errors.push(FieldError {
                    field: Field::Contact,
                    problem: Problem::InvalidContact,
                });
            }
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests;
