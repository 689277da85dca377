//! Memory benchmark of a store's reports: how much memory the server takes to answer the
//! CSV export, the JSON export and the insights report of a store that holds `CASES` complaints
//! with 2,000-character descriptions (what one flooding address could file before the push
//! budgets; about 120 MB of events).
//!
//! The real server binary runs as a process of its own on 127.0.0.1 over a temporary SQLite
//! file, so its memory is its own: the store is filed through the sync API (with a device
//! token), then for each report the server is started afresh, its resident memory read when
//! idle, the report downloaded whole, and its peak resident memory (`VmHWM` in
//! `/proc/<pid>/status`) read. It prints the bytes, the time and both memory figures; it
//! asserts nothing about them, only that every report covers every case.
//!
//! Run: `cargo bench -p recovery-server --bench reports` (Linux). `REPORTS_SERVER_BIN=<path>`
//! measures another build of the server (say, an older commit's) on the same data;
//! `REPORTS_CASES=<n>` another number of complaints.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use recovery_core::testing::filed_event;
use recovery_core::{Category, ComplaintDraft, EventKind, Slug, validate};

/// Complaints in the store, unless `REPORTS_CASES` says otherwise (a multiple of `BATCH * 4`).
const CASES: usize = 50_000;
/// Events per push.
const BATCH: usize = 100;

fn main() {
    let cases = std::env::var("REPORTS_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    let bin = std::env::var("REPORTS_SERVER_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_recovery-server").to_owned());
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("reports.sqlite3");
    let db = db.to_str().expect("a UTF-8 path");
    let cli = |args: &[&str]| {
        let out = Command::new(&bin)
            .args(args)
            .args(["--db", db])
            .output()
            .expect("the server's command line");
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .trim()
            .to_owned()
    };
    cli(&[
        "add-store",
        "--store",
        "demo",
        "--name",
        "Demo",
        "--touchpoint",
        "front-desk",
    ]);
    let token = cli(&["issue-token", "--store", "demo", "--label", "bench"]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = reqwest::Client::new();
    println!("server: {bin}");

    let mut server = Server::start(&bin, db, dir.path());
    let started = Instant::now();
    runtime.block_on(file(&client, &server.base, &token, cases));
    println!(
        "filed {cases} complaints of 2,000 characters in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    server.stop();

    for path in ["export.csv", "export.json", "insights"] {
        let mut server = Server::start(&bin, db, dir.path());
        std::thread::sleep(Duration::from_millis(300));
        let idle = server.memory("VmRSS");
        let url = format!("{}/api/v1/stores/demo/{path}", server.base);
        let started = Instant::now();
        let body = runtime.block_on(async {
            let reply = client
                .get(&url)
                .bearer_auth(&token)
                .send()
                .await
                .expect("report");
            assert_eq!(reply.status(), 200, "{path}");
            reply.bytes().await.expect("report body")
        });
        let seconds = started.elapsed().as_secs_f64();
        let peak = server.memory("VmHWM");
        server.stop();
        let covered = match path {
            "export.csv" => body.split(|b| *b == b'\n').count() - 2,
            "export.json" => serde_json::from_slice::<Vec<serde_json::Value>>(&body)
                .expect("JSON rows")
                .len(),
            _ => serde_json::from_slice::<serde_json::Value>(&body).expect("JSON")["cases"]
                .as_u64()
                .expect("cases") as usize,
        };
        assert_eq!(covered, cases, "{path} covers every case");
        println!(
            "{path:<12} {:>6.1} MB in {seconds:>5.2} s   server resident memory: idle {:>5.1} MB, peak {:>6.1} MB",
            body.len() as f64 / 1e6,
            idle as f64 / 1024.0,
            peak as f64 / 1024.0
        );
    }
}

/// Files `cases` complaints into the demo store, four pushes in flight.
async fn file(client: &reqwest::Client, base: &str, token: &str, cases: usize) {
    let description: String = "The card terminal charged me twice and nobody at the desk could \
        tell me when the second charge would be returned. "
        .repeat(20)
        .chars()
        .take(2_000)
        .collect();
    let complaint = validate(&ComplaintDraft {
        category: Some(Category::Billing),
        description,
        name: "Rut Customer".into(),
        contact: "rut@example.com".into(),
        consent_to_contact: true,
        ..Default::default()
    })
    .expect("a valid complaint");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    let bodies: Vec<Vec<u8>> = (0..cases / BATCH)
        .map(|b| {
            let events: Vec<_> = (0..BATCH)
                .map(|i| {
                    let n = (b * BATCH + i) as u128 + 1;
                    let mut e = filed_event(n, n, now - 86_400_000 + n as i64 * 1_000, "x");
                    e.origin.store = Slug::parse("demo").expect("slug");
                    e.origin.touchpoint = Slug::parse("front-desk").expect("slug");
                    e.kind = EventKind::Filed {
                        complaint: complaint.clone(),
                        utc_offset_minutes: 60,
                    };
                    e
                })
                .collect();
            serde_json::to_vec(&serde_json::json!({ "events": events })).expect("JSON")
        })
        .collect();
    let url = format!("{base}/api/v1/events");
    let mut queue = bodies.into_iter();
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let mine: Vec<Vec<u8>> = queue.by_ref().take(cases / BATCH / 4).collect();
        let (client, url, token) = (client.clone(), url.clone(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            for body in mine {
                let reply = client
                    .post(&url)
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("push");
                assert_eq!(reply.status(), 200, "push");
            }
        }));
    }
    for task in tasks {
        task.await.expect("pusher");
    }
}

/// The server binary running on a free loopback port.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(bin: &str, db: &str, dir: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(bin)
            .args(["--addr", &format!("127.0.0.1:{port}"), "--db", db])
            .arg("--dist")
            .arg(dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("the server");
        let base = format!("http://127.0.0.1:{port}");
        let listening = (0..100).any(|_| {
            std::thread::sleep(Duration::from_millis(50));
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        if !listening {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server did not listen on {base}");
        }
        Server { child, base }
    }

    /// A memory figure of `/proc/<pid>/status`, in kB.
    fn memory(&self, key: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc status");
        status
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a memory figure")
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
