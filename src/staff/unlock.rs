//! The unlock screen: a person and their PIN, checked online when the server answers and
//! otherwise by opening the signing key sealed under that PIN at an earlier online sign-in.
//!
//! Each online sign-in makes the person a new signing key (the server registers its public
//! half), kept sealed under their PIN; unlocking opens it for the time they work, so their steps
//! are signed as theirs (`recovery_core::proof`). Failed attempts wait longer each time and
//! lock after ten, for 15 minutes after the latest (`recovery_core::PinThrottle`); an online
//! sign-in clears them sooner. It must never keep a PIN itself.

use super::device::{self, Login};
use super::state::Staff;
use crate::shared::i18n::{fill, use_i18n};
use crate::shared::labels::tr;
use crate::shared::platform::{clock, env};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::proof::Signer;
use recovery_core::{PinGate, StaffMember, pin_is_well_formed};

/// Why an unlock did not work, in words.
#[derive(Clone, Copy, Debug, PartialEq)]
enum UnlockProblem {
    Malformed,
    Wrong,
    Wait(i64),
    Locked,
    NeedsOnline,
}

#[component]
pub(super) fn Unlock(on_unlocked: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let staff = expect_context::<Staff>();
    // After a hand-over the tablet comes back to whoever handed it: their name is filled in.
    let handed_by = staff
        .drafts
        .with_value(|d| d.handed_by(super::drafts::now_ms()).map(|p| p.to_string()));
    let person = RwSignal::new(handed_by.unwrap_or_default());
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<UnlockProblem>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // A new try: the last try's message goes.
        problem.set(None);
        let (who, code) = (person.get_untracked(), pin.get_untracked());
        if who.trim().is_empty() || !pin_is_well_formed(&code) {
            problem.set(Some(UnlockProblem::Malformed));
            return;
        }
        let now = clock::now();
        let gate = staff.roster.with_untracked(|r| r.throttle.gate(now));
        if let PinGate::WaitUntil(until) = gate {
            problem.set(Some(UnlockProblem::Wait((until.0 - now.0 + 999) / 1000)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let store = staff.store();
            let seed = device::new_seed();
            let answer = device::login(&store, who.trim(), &code, &seed).await;
            let now = clock::now();
            let outcome = match answer {
                Login::Ok {
                    staff: member,
                    profile,
                    roster,
                    token,
                    key_id,
                } => {
                    let sealed = device::seal(&member.id, &key_id, &seed, &code);
                    staff.roster.update(|r| {
                        r.keys.retain(|k| k.staff != member.id);
                        r.keys.push(sealed);
                        r.profile = Some(*profile);
                        r.staff = roster;
                        r.token = Some(token);
                        r.signed_out = false;
                        r.throttle.succeed();
                    });
                    Ok((member, Signer::from_seed(key_id, &seed)))
                }
                Login::Wrong => Err(UnlockProblem::Wrong),
                Login::Wait(secs) => Err(UnlockProblem::Wait(secs as i64)),
                Login::Locked => Err(UnlockProblem::Locked),
                Login::NoAnswer => offline_check(staff, who.trim(), &code, gate),
            };
            match outcome {
                Ok((member, signer)) => {
                    staff.roster.update(|r| r.throttle.succeed());
                    staff.save_roster();
                    pin.set(String::new());
                    problem.set(None);
                    on_unlocked();
                    staff.signer.set_value(Some(signer));
                    // Back to the case they had open when the tablet locked, drafts and all.
                    if let Some(screen) = super::drafts::on_unlock(&staff, &member) {
                        staff.screen.set(screen);
                    }
                    staff.who.set(Some(member));
                    staff.refresh();
                }
                Err(p) => {
                    if p == UnlockProblem::Wrong {
                        staff.roster.update(|r| r.throttle.fail(now));
                        staff.save_roster();
                    }
                    pin.set(String::new());
                    problem.set(Some(p));
                    env::focus("srk-pin");
                }
            }
            busy.set(false);
        });
    };

    let names = move || {
        staff.roster.with(|r| {
            r.staff
                .iter()
                .map(|m| {
                    let label = [m.name.as_str(), " (", m.id.as_str(), ")"].concat();
                    view! { <option value=m.id.to_string()>{label}</option> }
                })
                .collect_view()
        })
    };
    let message = move || {
        let t = i18n.get_locale().staff();
        problem.get().map(|p| match p {
            UnlockProblem::Malformed => t.pin_malformed.to_string(),
            UnlockProblem::Wrong => t.wrong_pin.to_string(),
            UnlockProblem::Wait(s) => fill(t.wait, &[("seconds", &s.max(1))]),
            UnlockProblem::Locked => t.locked.to_string(),
            UnlockProblem::NeedsOnline => t.needs_online.to_string(),
        })
    };
    view! {
        <form class="srk-card srk-unlock" on:submit=submit novalidate>
            <h1>{tr(i18n, |l| l.staff().unlock_title)}</h1>
            <p>{tr(i18n, |l| l.staff().unlock_intro)}</p>
            {move || {
                staff
                    .roster
                    .with(|r| r.signed_out)
                    .then(|| view! { <p class="srk-alert">{tr(i18n, |l| l.staff().signed_out)}</p> })
            }}
            <label for="srk-person">{tr(i18n, |l| l.staff().person)}</label>
            <input
                id="srk-person"
                class="srk-input"
                list="srk-people"
                autocomplete="username"
                autocapitalize="none"
                bind:value=person
            />
            <datalist id="srk-people">{names}</datalist>
            <label for="srk-pin">{tr(i18n, |l| l.staff().pin)}</label>
            <input
                id="srk-pin"
                class="srk-input"
                type="password"
                inputmode="numeric"
                autocomplete="current-password"
                maxlength="12"
                aria-describedby="srk-unlock-problem"
                bind:value=pin
            />
            <p id="srk-unlock-problem" class="srk-error" role="alert">{message}</p>
            <button class="srk-button" type="submit" prop:disabled=busy>
                {tr(i18n, |l| l.staff().unlock)}
            </button>
        </form>
    }
}

/// Checks a PIN offline by opening the person's signing key sealed at an earlier online
/// sign-in (as slow as a PIN hash: it is one).
fn offline_check(
    staff: Staff,
    who: &str,
    code: &str,
    gate: PinGate,
) -> Result<(StaffMember, Signer), UnlockProblem> {
    if gate == PinGate::Locked {
        // The lock lifts by itself (the core's PIN_LOCK_MS after the latest failure).
        let lifts = staff.roster.with_untracked(|r| r.throttle.lifts_at());
        return Err(match lifts {
            Some(at) => UnlockProblem::Wait((at.0 - clock::now().0 + 999) / 1000),
            None => UnlockProblem::Locked,
        });
    }
    staff.roster.with_untracked(|r| {
        let member = r.staff.iter().find(|m| m.id.as_str() == who);
        let sealed = r.keys.iter().find(|k| k.staff.as_str() == who);
        match (member, sealed) {
            (Some(m), Some(k)) => match k.open(code) {
                Some(signer) => Ok((m.clone(), signer)),
                None => Err(UnlockProblem::Wrong),
            },
            (None, Some(_)) => Err(UnlockProblem::Wrong),
            _ => Err(UnlockProblem::NeedsOnline),
        }
    })
}
