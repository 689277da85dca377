//! A shelf in IndexedDB for what outgrows `localStorage` (the staff tablet's cases): text
//! records under keys, each with a flag that is indexed (so the flagged ones are read first),
//! and a few notes beside them, written together in one transaction.
//!
//! Through the maintained `idb` crate; only the staff build calls it, so none of it reaches
//! the customer's download (the size budget holds that). Like `storage` it knows no key and no
//! format, and every failure comes back as a value: a tablet whose browser refuses IndexedDB
//! works from memory.

use idb::{
    Database, Factory, IndexParams, KeyPath, KeyRange, ObjectStoreParams, Query, TransactionMode,
};
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

const RECORDS: &str = "records";
const NOTES: &str = "notes";
const FLAGGED: &str = "flagged";
const VERSION: u32 = 1;

/// One record: its key, whether it is flagged, its text.
pub type Record = (String, bool, String);

/// An open shelf.
pub struct Shelf {
    db: Database,
}

/// What went wrong, in words for the log.
pub type Failed = String;

fn failed(what: &str, err: impl std::fmt::Display) -> Failed {
    [what, ": ", &err.to_string()].concat()
}

/// Opens (creating if needed) the shelf `name`.
pub async fn open(name: &str) -> Result<Shelf, Failed> {
    let factory = Factory::new().map_err(|e| failed("no IndexedDB", e))?;
    let mut request = factory
        .open(name, Some(VERSION))
        .map_err(|e| failed("open", e))?;
    request.on_upgrade_needed(|event| {
        use idb::DatabaseEvent;
        let Ok(db) = event.database() else { return };
        if db.store_names().iter().any(|n| n == RECORDS) {
            return;
        }
        let mut params = ObjectStoreParams::new();
        params.key_path(Some(KeyPath::new_single("k")));
        if let Ok(records) = db.create_object_store(RECORDS, params) {
            let _ =
                records.create_index(FLAGGED, KeyPath::new_single("f"), Some(IndexParams::new()));
        }
        let _ = db.create_object_store(NOTES, ObjectStoreParams::new());
    });
    let db = request.await.map_err(|e| failed("open", e))?;
    Ok(Shelf { db })
}

fn field(value: &JsValue, name: &str) -> Option<String> {
    Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
}

impl Shelf {
    /// Writes `records` (replacing those with the same keys) and `notes` (`(key, text)`) in one
    /// transaction: either all of it is kept or none.
    pub async fn put(&self, records: &[Record], notes: &[(&str, &str)]) -> Result<(), Failed> {
        let tx = self
            .db
            .transaction(&[RECORDS, NOTES], TransactionMode::ReadWrite)
            .map_err(|e| failed("write", e))?;
        let shelf = tx.object_store(RECORDS).map_err(|e| failed("write", e))?;
        for (key, flag, text) in records {
            let value = Object::new();
            let _ = Reflect::set(&value, &"k".into(), &JsValue::from_str(key));
            let _ = Reflect::set(&value, &"f".into(), &JsValue::from(u8::from(*flag)));
            let _ = Reflect::set(&value, &"t".into(), &JsValue::from_str(text));
            // Not awaited one by one: the transaction runs them in order and completes once
            // all are kept.
            shelf.put(&value, None).map_err(|e| failed("write", e))?;
        }
        let kept = tx.object_store(NOTES).map_err(|e| failed("write", e))?;
        for (key, text) in notes {
            kept.put(&JsValue::from_str(text), Some(&JsValue::from_str(key)))
                .map_err(|e| failed("write", e))?;
        }
        let done = tx
            .commit()
            .map_err(|e| failed("write", e))?
            .await
            .map_err(|e| failed("write", e))?;
        if done.is_committed() {
            Ok(())
        } else {
            Err("write: the transaction was aborted".into())
        }
    }

    /// Every flagged record, `(key, text)`.
    pub async fn flagged(&self) -> Result<Vec<(String, String)>, Failed> {
        let tx = self
            .db
            .transaction(&[RECORDS], TransactionMode::ReadOnly)
            .map_err(|e| failed("read", e))?;
        let index = tx
            .object_store(RECORDS)
            .and_then(|s| s.index(FLAGGED))
            .map_err(|e| failed("read", e))?;
        let only = KeyRange::only(&JsValue::from(1u8)).map_err(|e| failed("read", e))?;
        let values = index
            .get_all(Some(Query::KeyRange(only)), None)
            .map_err(|e| failed("read", e))?
            .await
            .map_err(|e| failed("read", e))?;
        Ok(pairs(values))
    }

    /// At most `limit` records with a key after `after` (from the first without), by key:
    /// `(key, text)`.
    pub async fn page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<(String, String)>, Failed> {
        let tx = self
            .db
            .transaction(&[RECORDS], TransactionMode::ReadOnly)
            .map_err(|e| failed("read", e))?;
        let shelf = tx.object_store(RECORDS).map_err(|e| failed("read", e))?;
        let query = match after {
            Some(key) => Some(Query::KeyRange(
                KeyRange::lower_bound(&JsValue::from_str(key), Some(true))
                    .map_err(|e| failed("read", e))?,
            )),
            None => None,
        };
        let values = shelf
            .get_all(query, Some(limit))
            .map_err(|e| failed("read", e))?
            .await
            .map_err(|e| failed("read", e))?;
        Ok(pairs(values))
    }

    /// The note under `key`, if any.
    pub async fn note(&self, key: &str) -> Option<String> {
        let tx = self
            .db
            .transaction(&[NOTES], TransactionMode::ReadOnly)
            .ok()?;
        let notes = tx.object_store(NOTES).ok()?;
        notes
            .get(JsValue::from_str(key))
            .ok()?
            .await
            .ok()
            .flatten()
            .and_then(|v| v.as_string())
    }

    /// Empties the shelf (records and notes).
    pub async fn clear(&self) -> Result<(), Failed> {
        let tx = self
            .db
            .transaction(&[RECORDS, NOTES], TransactionMode::ReadWrite)
            .map_err(|e| failed("clear", e))?;
        for name in [RECORDS, NOTES] {
            tx.object_store(name)
                .and_then(|s| s.clear())
                .map_err(|e| failed("clear", e))?;
        }
        tx.commit()
            .map_err(|e| failed("clear", e))?
            .await
            .map_err(|e| failed("clear", e))?;
        Ok(())
    }
}

fn pairs(values: Vec<JsValue>) -> Vec<(String, String)> {
    values
        .iter()
        .filter_map(|v| Some((field(v, "k")?, field(v, "t")?)))
        .collect()
}
