//! Tests of [`Database`] on SQLite: opening, migrating, closing.

use super::*;

fn open_temp() -> (tempfile::TempDir, PathBuf, Database) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("test.sqlite3");
    let db = Database::open(&path).unwrap();
    (dir, path, db)
}

fn insert_event(conn: &Connection, id: &str, body: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO events (id, case_id, store, touchpoint, device, kind, at_ms, received_at_ms, body)
         VALUES (?1, 'case-1', 'demo', 'front', 'dev-1', 'opened', 1, 2, ?2)",
        [id, body],
    )
}

#[test]
fn a_postgres_location_is_shown_without_its_password() {
    let shown = Location::Postgres("postgres://u:hunter2@127.0.0.1:5433/kiosk".into());
    assert_eq!(
        shown.to_string(),
        "postgres database 'kiosk' on 127.0.0.1:5433"
    );
}

#[tokio::test]
async fn opening_creates_the_parent_directory_and_sets_wal_durable_commits_and_foreign_keys() {
    let (_dir, path, db) = open_temp();
    assert!(path.exists());
    let (mode, fk, busy, synchronous): (String, i64, i64, i64) = db
        .call(|c| {
            Ok((
                c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
                c.query_row("PRAGMA busy_timeout", [], |r| r.get(0))?,
                c.query_row("PRAGMA synchronous", [], |r| r.get(0))?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(fk, 1);
    assert_eq!(busy, 5000);
    // 2 is FULL: a commit is on disk before a push is answered.
    assert_eq!(synchronous, 2);
}

#[tokio::test]
async fn migrating_an_up_to_date_database_applies_nothing() {
    let (_dir, _path, db) = open_temp();
    let applied = db.call(|c| Ok(sqlite::migrate(c))).await.unwrap().unwrap();
    assert_eq!(applied, 0);
    let count: i64 = db
        .call(|c| c.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(count, sqlite::MIGRATIONS.len() as i64);
}

#[tokio::test]
async fn a_database_from_a_newer_server_is_refused() {
    let (_dir, path, db) = open_temp();
    db.call(|c| {
        c.execute(
            "INSERT INTO schema_migrations VALUES (9999, 'future', 0)",
            [],
        )
    })
    .await
    .unwrap();
    db.close().await.unwrap();
    let err = Database::open(&path).unwrap_err();
    assert!(matches!(err, DbError::TooNew { found: 9999, .. }), "{err}");
}

#[tokio::test]
async fn events_get_increasing_seq_and_reject_duplicate_ids_and_bad_json() {
    let (_dir, _path, db) = open_temp();
    let (first, second, dup, bad) = db
        .call(|c| {
            insert_event(c, "e1", "{}")?;
            let first = c.last_insert_rowid();
            insert_event(c, "e2", r#"{"a":1}"#)?;
            let second = c.last_insert_rowid();
            let dup = insert_event(c, "e1", "{}").is_err();
            let bad = insert_event(c, "e3", "not json").is_err();
            Ok((first, second, dup, bad))
        })
        .await
        .unwrap();
    assert!(second > first);
    assert!(dup, "a second event with the same id must be rejected");
    assert!(bad, "a body that is not JSON must be rejected");
}

#[tokio::test]
async fn calls_after_close_report_closed() {
    let (_dir, path, db) = open_temp();
    db.close().await.unwrap();
    db.close().await.unwrap();
    assert!(matches!(db.ping().await, Err(DbError::Closed)));
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(
        !wal.exists(),
        "closing should checkpoint and remove the WAL"
    );
}
