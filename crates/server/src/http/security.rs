//! The security headers of every response, above all the Content-Security-Policy.
//!
//! HTML pages get a strict policy: scripts only from this origin plus the
//! inline `<script type="module">` that trunk writes into each built
//! `index.html` (the wasm loader), allowed by its SHA-256 hash; no
//! `'unsafe-inline'`, no `'unsafe-eval'` (`'wasm-unsafe-eval'` only lets the
//! page compile its own WebAssembly). The hashes are read from the shells the
//! server serves (see [`SHELLS`]) and cached by modification time and size,
//! so a rebuild is picked up without a restart.
//!
//! API answers (JSON) get `default-src 'none'`: they are never documents.
//! The QR page under `/qr` is the one page this site's own pages may frame.
//! Plain-HTTP loopback gets no HSTS: the TLS proxy in front of a real
//! deployment adds `Strict-Transport-Security`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::paths::{Shell, is_api_path, shell_for};

/// The single-page shells under the dist directory whose inline scripts the
/// page policy allows.
pub const SHELLS: &[&str] = &[
    "index.html",
    "staff/index.html",
    "ticket/index.html",
    "qr/index.html",
];

/// The policy of API answers and other non-HTML documents of the server's
/// own making (plain-text errors): nothing may load, nobody may frame them.
pub const CSP_NONE: &str = "default-src 'none'; frame-ancestors 'none'";

/// `Permissions-Policy`: the app uses none of these powerful features.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=()";

/// The policy of an HTML page, allowing the inline scripts whose
/// `'sha256-…'` sources are `hashes`; `framable` pages may be framed by this
/// origin (the QR page), all others by nobody.
pub fn page_policy(hashes: &[String], framable: bool) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    let ancestors = if framable { "'self'" } else { "'none'" };
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {ancestors}"
    )
}

/// The CSP source (`'sha256-<base64>'`) of an inline script's exact text.
pub fn script_hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// The hash sources of every inline script (a `<script>` without `src`) in
/// `html`, in document order, without duplicates.
///
/// Built shells are trunk's (minified) output, not arbitrary HTML: a small
/// scanner that finds `<script …>` start tags, skips those with a `src`
/// attribute and hashes the text up to `</script` is enough, and hashes the
/// exact bytes the browser will.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let tag_start = at + found;
        let after_name = tag_start + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if !lower[after_name..]
            .chars()
            .next()
            .is_some_and(|c| c == '>' || c == '/' || c.is_ascii_whitespace())
        {
            at = after_name;
            continue;
        }
        let Some(tag_end) = tag_end(&lower, after_name) else {
            break;
        };
        let body_start = tag_end + 1;
        let Some(close) = lower[body_start..].find("</script") else {
            break;
        };
        let body_end = body_start + close;
        if !has_src(&lower[after_name..tag_end]) {
            let hash = script_hash(&html[body_start..body_end]);
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        at = body_end;
    }
    hashes
}

/// The index of the `>` closing a start tag whose attributes begin at
/// `from`, skipping quoted attribute values.
fn tag_end(lower: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, byte) in lower.bytes().enumerate().skip(from) {
        match (quote, byte) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(byte),
            (None, b'>') => return Some(i),
            (None, _) => {}
        }
    }
    None
}

/// Whether the attributes of a start tag include `src`.
fn has_src(attributes: &str) -> bool {
    let bytes = attributes.as_bytes();
    let mut quote = None;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match quote {
            Some(q) if byte == q => quote = None,
            Some(_) => {}
            None if byte == b'"' || byte == b'\'' => quote = Some(byte),
            None => {
                let starts_name =
                    i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'/';
                if starts_name && attributes[i..].starts_with("src") {
                    let next = bytes.get(i + 3);
                    if next.is_none_or(|&b| b == b'=' || b.is_ascii_whitespace() || b == b'/') {
                        return true;
                    }
                }
            }
        }
        i += 1;
    }
    false
}

/// What a shell looked like when its hashes were read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

/// The inline-script hashes of the built shells of one dist directory,
/// re-read only when a shell's modification time or size changes.
#[derive(Debug)]
pub struct ScriptHashes {
    dist: PathBuf,
    cache: Mutex<HashMap<PathBuf, (Stamp, Vec<String>)>>,
}

impl ScriptHashes {
    /// The hashes of the shells in `dist`, read when first asked for.
    pub fn new(dist: &Path) -> ScriptHashes {
        ScriptHashes {
            dist: dist.to_path_buf(),
            cache: Mutex::default(),
        }
    }

    /// The hash sources of all inline scripts of every built shell, without
    /// duplicates. A shell that is missing or unreadable contributes nothing
    /// (its page is then the 503 text, not HTML).
    pub fn current(&self) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for shell in SHELLS {
            let path = self.dist.join(shell);
            let Ok(meta) = std::fs::metadata(&path) else {
                cache.remove(&path);
                continue;
            };
            let stamp = Stamp {
                modified: meta.modified().ok(),
                len: meta.len(),
            };
            let fresh = cache.get(&path).filter(|(seen, _)| *seen == stamp);
            let hashes = match fresh {
                Some((_, hashes)) => hashes.clone(),
                None => match std::fs::read_to_string(&path) {
                    Ok(html) => {
                        let hashes = inline_script_hashes(&html);
                        cache.insert(path, (stamp, hashes.clone()));
                        hashes
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, shell, "cannot read a shell for its script hashes");
                        continue;
                    }
                },
            };
            for hash in hashes {
                if !all.contains(&hash) {
                    all.push(hash);
                }
            }
        }
        all
    }
}

/// Middleware setting the security headers on every response: the CSP that
/// fits what the response is (with the hashes of the served shells'
/// scripts), and the headers every response carries. Values a handler
/// already set are kept.
pub async fn headers(
    State(hashes): State<Arc<ScriptHashes>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let api = is_api_path(&path);
    let framable = !api && shell_for(&path) == Shell::Qr;
    let is_html = !api && content_type_is(response.headers(), "text/html");

    let csp = if is_html {
        HeaderValue::from_str(&page_policy(&hashes.current(), framable)).ok()
    } else if api || content_type_is(response.headers(), "text/plain") {
        Some(HeaderValue::from_static(CSP_NONE))
    } else {
        // Scripts, styles, wasm, images: a policy on them does nothing
        // (a service worker script would even be bound by it).
        None
    };

    let headers = response.headers_mut();
    if let Some(csp) = csp {
        set_if_absent(headers, header::CONTENT_SECURITY_POLICY, csp);
    }
    let frame_options = if framable { "SAMEORIGIN" } else { "DENY" };
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, frame_options),
        (
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY,
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
    ] {
        set_if_absent(headers, name, HeaderValue::from_static(value));
    }
    response
}

fn set_if_absent(headers: &mut HeaderMap, name: HeaderName, value: HeaderValue) {
    headers.entry(name).or_insert(value);
}

fn content_type_is(headers: &HeaderMap, essence: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|value| value.trim().eq_ignore_ascii_case(essence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts_exactly() {
        let html = "<!doctype html><script type=module>import init from '/a.js';\nawait init();</script>\
                    <script src=/b.js></script><SCRIPT data-x=\"a>b\">x()</SCRIPT><scripts>no</scripts>";
        assert_eq!(
            inline_script_hashes(html),
            vec![
                script_hash("import init from '/a.js';\nawait init();"),
                script_hash("x()")
            ]
        );
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
        // `data-src` is not `src`.
        assert_eq!(
            inline_script_hashes("<script data-src=x>y</script>"),
            vec![script_hash("y")]
        );
    }

    #[test]
    fn script_hash_is_the_base64_of_sha256() {
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            script_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn page_policy_is_strict() {
        let policy = page_policy(&["'sha256-abc'".into()], false);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"));
        assert!(policy.ends_with("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));
        assert!(page_policy(&[], true).ends_with("frame-ancestors 'self'"));
    }
}
