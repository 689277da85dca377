//! Who hears of a store's cases, as the web admin says: the store's recipients listed to
//! whoever sees the store (never a webhook's key), and added, changed or removed by its chain
//! administrators and its manager, each change in the chain's history. A new webhook given no
//! key gets one made here, answered once. The checks are the core's, as for `add-recipient`.

use recovery_core::api::admin::{
    ChangeKind, RecipientKey, RecipientView, Recipients, SavedRecipient,
};
use recovery_core::{Channel, NoticeRule, RecipientError, RecipientSetup, Slug, Timestamp};

use super::chains::{Signed, record};
use super::setup::{Refusal, Verdict, in_reach, may_run};
use crate::store::{Access, DbError, RecipientRow};

/// How a kept row reads in the admin (rules it no longer knows are left out).
fn view(row: &RecipientRow) -> Option<RecipientView> {
    Some(RecipientView {
        channel: Channel::parse(&row.channel)?,
        address: row.address.clone(),
        rules: row.rules.split(',').filter_map(NoticeRule::parse).collect(),
        quiet: row.quiet.clone(),
    })
}

/// The store's recipients, for whoever sees the store.
pub fn list(db: &mut dyn Access, signed: &Signed, store: &Slug) -> Verdict<Recipients> {
    if !in_reach(db, signed, store)? {
        return Ok(Err(Refusal::NotFound));
    }
    let recipients = db
        .recipients(store.as_str())?
        .iter()
        .filter_map(view)
        .collect();
    Ok(Ok(Recipients { recipients }))
}

/// Adds a recipient to `store` or changes one (by channel and address). A webhook keeps its
/// key unless given another; a new one given none gets a key made here.
pub fn put(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
    setup: RecipientSetup,
    now: Timestamp,
) -> Verdict<SavedRecipient> {
    if let Some(refusal) = may_run(db, signed, store)? {
        return Ok(Err(refusal));
    }
    if let Err(e) = setup.check() {
        return Ok(Err(Refusal::Recipient(e)));
    }
    if setup.channel == Channel::Email && setup.address.parse::<lettre::Address>().is_err() {
        return Ok(Err(Refusal::Recipient(RecipientError::Address)));
    }
    let channel = setup.channel.name();
    let kept = db
        .recipients(store.as_str())?
        .into_iter()
        .find(|r| r.channel == channel && r.address == setup.address);
    let made = match (&setup.secret, setup.channel, &kept) {
        (None, Channel::Webhook, None) => {
            Some(crate::secrets::new_token().map_err(|err| DbError::Random(err.to_string()))?)
        }
        _ => None,
    };
    let secret = match setup.channel {
        Channel::Email => None,
        Channel::Webhook => setup
            .secret
            .clone()
            .or_else(|| made.clone())
            .or_else(|| kept.and_then(|k| k.secret)),
    };
    let rules: Vec<&str> = setup.rules.iter().map(|r| r.name()).collect();
    let row = RecipientRow {
        store: store.to_string(),
        channel: channel.to_owned(),
        address: setup.address.clone(),
        rules: rules.join(","),
        quiet: setup.quiet.clone(),
        secret,
    };
    db.upsert_recipient(&row)?;
    let subject = format!("{channel} {}", setup.address);
    let chain = &signed.chain.slug;
    record(
        db,
        chain,
        Some(store),
        &signed.by(),
        ChangeKind::RecipientSaved,
        &subject,
        &rules,
        now,
    )?;
    let Some(recipient) = view(&row) else {
        return Err(DbError::Corrupt(format!(
            "recipient {subject} was not kept"
        )));
    };
    Ok(Ok(SavedRecipient {
        recipient,
        secret: made,
    }))
}

/// Removes a recipient of `store`; not found when there is none.
pub fn remove(
    db: &mut dyn Access,
    signed: &Signed,
    store: &Slug,
    key: &RecipientKey,
    now: Timestamp,
) -> Verdict<()> {
    if let Some(refusal) = may_run(db, signed, store)? {
        return Ok(Err(refusal));
    }
    let channel = key.channel.name();
    if !db.delete_recipient(store.as_str(), channel, &key.address)? {
        return Ok(Err(Refusal::NotFound));
    }
    let subject = format!("{channel} {}", key.address);
    let chain = &signed.chain.slug;
    record(
        db,
        chain,
        Some(store),
        &signed.by(),
        ChangeKind::RecipientRemoved,
        &subject,
        &[],
        now,
    )?;
    Ok(Ok(()))
}
