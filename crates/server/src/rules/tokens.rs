//! Staff tokens as operators see them: every token listed by an id (the
//! start of its hash: the token itself exists only on its device), and one
//! revoked by that id. Revoking ends it at once: the next request carrying
//! it is 401, and the tablet then asks for an online sign-in.
//!
//! Never prints, logs or returns a token.

use recovery_core::api::admin::ChangeKind;
use recovery_core::{Slug, Timestamp};

use super::staff::AdminError;
use crate::store::{Access, DbError, TokenInfo};

/// Hex digits of a token's hash that `list-tokens` shows as its id.
pub const ID_CHARS: usize = 12;

/// The tokens of `store` (of every store for `None`).
pub fn list(db: &mut dyn Access, store: Option<&Slug>) -> Result<Vec<TokenInfo>, DbError> {
    db.tokens(store.map(Slug::as_str))
}

/// Revokes the one token whose id starts with `id`: `NoToken` when none
/// does, `AmbiguousToken` when several do (nothing is revoked then).
pub fn revoke(db: &mut dyn Access, id: &str) -> Result<TokenInfo, AdminError> {
    let mut matching: Vec<TokenInfo> = db
        .tokens(None)?
        .into_iter()
        .filter(|token| token.hash.starts_with(id))
        .collect();
    match matching.len() {
        0 => Err(AdminError::NoToken(id.to_owned())),
        1 => {
            let token = matching.remove(0);
            db.delete_token(&token.hash)?;
            if let Ok(store) = Slug::parse(&token.store) {
                let id = token.hash.get(..ID_CHARS).unwrap_or(&token.hash);
                super::chains::record_operator(db, &store, ChangeKind::TokenRevoked, id)?;
            }
            Ok(token)
        }
        n => Err(AdminError::AmbiguousToken(id.to_owned(), n)),
    }
}

/// One tab-separated line of `list-tokens`: id, store, holder (`device` or
/// `session:<staff id>`), label, created and expiry in UTC (`never` for
/// tokens of releases before expiries).
pub fn line(token: &TokenInfo) -> String {
    let id = token.hash.get(..ID_CHARS).unwrap_or(&token.hash);
    let holder = token
        .staff
        .as_ref()
        .map_or_else(|| "device".to_owned(), |staff| format!("session:{staff}"));
    let time = |ms: i64| recovery_core::insights::iso(Timestamp(ms), 0);
    let expires = token.expires_at_ms.map_or_else(|| "never".to_owned(), time);
    [
        id,
        &token.store,
        &holder,
        token.label.as_deref().unwrap_or(""),
        &time(token.created_at_ms),
        &expires,
    ]
    .join("\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_shows_the_id_not_the_hash_and_who_holds_the_token() {
        let token = TokenInfo {
            hash: "0123456789abcdef".repeat(4),
            store: "demo".into(),
            label: Some("till 2".into()),
            staff: None,
            created_at_ms: 0,
            expires_at_ms: Some(86_400_000),
        };
        let line = line(&token);
        assert!(line.starts_with("0123456789ab\tdemo\tdevice\ttill 2\t"));
        assert!(!line.contains(&token.hash));
        let session = TokenInfo {
            staff: Some("ana".into()),
            expires_at_ms: None,
            ..token
        };
        assert!(line_has(&super::line(&session), "session:ana"));
        assert!(super::line(&session).ends_with("\tnever"));
    }

    fn line_has(line: &str, field: &str) -> bool {
        line.split('\t').any(|f| f == field)
    }
}
