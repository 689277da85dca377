use super::*;
use crate::event::{EventKind, Role};
use crate::testing::{actor, step};

fn ack(by: &str) -> Event {
    step(
        7,
        2,
        5_000,
        EventKind::Acknowledged {
            by: actor(by, Role::Staff, 2500),
            apology: "I am sorry we charged you twice.".into(),
            avoidable: None,
        },
    )
}

const SEED_ANA: [u8; SEED_BYTES] = [7; SEED_BYTES];
const SEED_MAX: [u8; SEED_BYTES] = [9; SEED_BYTES];

#[test]
fn a_signed_step_verifies_with_its_public_key_only() {
    let mut event = ack("ana");
    Signer::from_seed("k-ana", &SEED_ANA).sign(&mut event);
    assert_eq!(event.proof.as_ref().unwrap().key, "k-ana");
    assert_eq!(verify(&event, &Signer::public_key_of(&SEED_ANA)), Ok(()));
    assert_eq!(
        verify(&event, &Signer::public_key_of(&SEED_MAX)),
        Err(ProofError::Mismatch)
    );
}

#[test]
fn any_change_to_a_signed_step_breaks_its_signature() {
    let mut event = ack("ana");
    Signer::from_seed("k-ana", &SEED_ANA).sign(&mut event);
    let public = Signer::public_key_of(&SEED_ANA);
    let mut forged = event.clone();
    if let EventKind::Acknowledged { by, .. } = &mut forged.kind {
        by.staff = Slug::parse("max").unwrap();
        by.role = Role::Manager;
    }
    assert_eq!(verify(&forged, &public), Err(ProofError::Mismatch));
    let mut later = event.clone();
    later.at = crate::ids::Timestamp(6_000);
    assert_eq!(verify(&later, &public), Err(ProofError::Mismatch));
}

#[test]
fn a_missing_or_garbled_proof_or_key_is_told_apart() {
    let public = Signer::public_key_of(&SEED_ANA);
    assert_eq!(verify(&ack("ana"), &public), Err(ProofError::Missing));
    let mut event = ack("ana");
    event.proof = Some(Proof {
        key: "k".into(),
        sig: "zz".into(),
    });
    assert_eq!(verify(&event, &public), Err(ProofError::Malformed));
    assert_eq!(verify(&event, "not hex"), Err(ProofError::BadKey));
}

#[test]
fn the_signature_survives_the_json_round_trip_the_server_stores() {
    let mut event = ack("ana");
    Signer::from_seed("k-ana", &SEED_ANA).sign(&mut event);
    let text = serde_json::to_string(&event).unwrap();
    assert!(text.contains("\"proof\""));
    let back: Event = serde_json::from_str(&text).unwrap();
    assert_eq!(verify(&back, &Signer::public_key_of(&SEED_ANA)), Ok(()));
    // An unsigned event's JSON is what it always was.
    assert!(
        !serde_json::to_string(&ack("ana"))
            .unwrap()
            .contains("proof")
    );
}

#[test]
fn a_sealed_key_opens_with_its_pin_only_and_stays_bound_to_its_person() {
    let ana = Slug::parse("ana").unwrap();
    let sealed = SealedKey::seal(&ana, "k-ana", &SEED_ANA, "246810", &[1; 16], &[2; 12]);
    assert!(!sealed.sealed.contains(&hex::encode(SEED_ANA)));
    let signer = sealed.open("246810").expect("the right PIN opens it");
    let mut event = ack("ana");
    signer.sign(&mut event);
    assert_eq!(verify(&event, &Signer::public_key_of(&SEED_ANA)), Ok(()));
    assert!(sealed.open("246811").is_none());
    let passed_off = SealedKey {
        staff: Slug::parse("max").unwrap(),
        ..sealed.clone()
    };
    assert!(passed_off.open("246810").is_none());
    assert!(!format!("{signer:?}").contains(&hex::encode(SEED_ANA)));
}
