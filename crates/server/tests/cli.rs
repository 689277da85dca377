//! Tests of the `recovery-server` binary as a person or script runs it:
//! exit codes for bad flags, the single stdout line naming the bound port,
//! settings from environment variables and flags winning over them, and a
//! clean stop on SIGTERM/SIGINT. Only 127.0.0.1 is used.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::TIMEOUT;

const BIN: &str = env!("CARGO_BIN_EXE_recovery-server");

fn command() -> Command {
    let mut command = Command::new(BIN);
    // The test's own environment must not leak settings into the child.
    command
        .env_remove("RECOVERY_ADDR")
        .env_remove("RECOVERY_DB")
        .env_remove("RECOVERY_DATABASE_URL")
        .env_remove("RECOVERY_DIST")
        .env_remove("RECOVERY_RATE_LIMIT")
        .env_remove("RECOVERY_CORS_ORIGINS")
        .env("RUST_LOG", "warn");
    command
}

#[test]
fn an_unknown_flag_exits_2_with_a_clear_message() {
    let output = command().arg("--bogus").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown option '--bogus'"), "{stderr}");
    assert!(stderr.contains("--help"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn a_bad_address_exits_2() {
    let output = command()
        .args(["--addr", "not-an-address"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn help_prints_the_options_and_exits_0() {
    let output = command().arg("--help").output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "--addr",
        "--db",
        "--dist",
        "--rate-limit",
        "--cors-origin",
        "issue-token",
        "add-store",
        "add-staff",
        "seed-demo",
        "unlock-staff",
        "RECOVERY_PIN",
        "--store",
        "RECOVERY_ADDR",
        "RECOVERY_RATE_LIMIT",
        "RECOVERY_CORS_ORIGINS",
        "RUST_LOG",
    ] {
        assert!(
            stdout.contains(needle),
            "{needle} missing from help:\n{stdout}"
        );
    }
}

/// Starts the binary on port 0 and returns it with the address it printed.
fn spawn_server(dir: &std::path::Path) -> (Child, String, mpsc::Receiver<String>) {
    let mut command = command();
    command
        .args(["--addr", "127.0.0.1:0"])
        .arg("--db")
        .arg(dir.join("db").join("kiosk.sqlite3"))
        .arg("--dist")
        .arg(dir.join("dist"));
    spawn(command)
}

/// Starts `command` and returns it with the address it printed.
fn spawn(mut command: Command) -> (Child, String, mpsc::Receiver<String>) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Read stdout on a thread so a silent server fails the test instead of
    // hanging it; the thread also collects whatever else is printed.
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = lines_rx.recv_timeout(TIMEOUT).expect("no startup line");
    let addr = first
        .strip_prefix("Serving the kiosk on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected startup line {first:?}"))
        .to_owned();
    (child, addr, lines_rx)
}

/// Waits for `future` on a runtime of its own (these tests are plain
/// threads, like the person at the terminal).
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn health_status(addr: &str) -> u16 {
    let addr = addr.parse().unwrap();
    block_on(common::get(addr, "/api/v1/health", &[])).status
}

fn signal_and_wait(mut child: Child, signal: &str) -> std::process::ExitStatus {
    // Signals the one process this test started, by its id.
    let sent = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("server did not stop after SIG{signal}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn the_binary_announces_its_real_port_and_stops_cleanly_on_sigterm_and_sigint() {
    let dir = tempfile::tempdir().unwrap();
    for signal in ["TERM", "INT"] {
        let (child, addr, lines) = spawn_server(dir.path());
        assert!(!addr.ends_with(":0"), "port 0 was printed: {addr}");
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        assert_eq!(health_status(&addr), 200);

        let status = signal_and_wait(child, signal);
        assert!(status.success(), "SIG{signal}: {status}");
        let extra: Vec<String> = lines.try_iter().collect();
        assert!(extra.is_empty(), "more stdout than the one line: {extra:?}");
        let wal = dir.path().join("db").join("kiosk.sqlite3-wal");
        assert!(!wal.exists(), "WAL left behind after SIG{signal}");
    }
}

/// A built app whose page says `text`, in `dir/name`.
fn app(dir: &Path, name: &str, text: &str) -> PathBuf {
    let dist = dir.join(name);
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        format!("<!doctype html><p>{text}</p>"),
    )
    .unwrap();
    dist
}

/// The server at `addr`, seen from this test: the page's text, how many
/// of three public pushes pass, and the origins of `asked` it lets in.
fn observe(addr: &str, asked: &[&str]) -> (String, usize, Vec<String>) {
    let addr: std::net::SocketAddr = addr.parse().unwrap();
    block_on(async move {
        let page = common::get(addr, "/", &[]).await.text();
        let empty = serde_json::json!({ "events": [] });
        let mut passed = 0;
        for _ in 0..3 {
            if common::push_json(addr, &empty, None).await.status == 200 {
                passed += 1;
            }
        }
        let mut allowed = Vec::new();
        for origin in asked {
            let reply = common::get(addr, "/api/v1/health", &[("Origin", origin)]).await;
            if let Some(origin) = reply.header("access-control-allow-origin") {
                allowed.push(origin.to_owned());
            }
        }
        (page, passed, allowed)
    })
}

#[cfg(unix)]
#[test]
fn the_environment_fills_in_every_setting_and_flags_win_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let origins = [
        "https://a.example.com",
        "http://127.0.0.1:8080",
        "https://b.example.com",
    ];

    let mut from_env = command();
    from_env
        .env("RECOVERY_ADDR", "127.0.0.1:0")
        .env("RECOVERY_DB", dir.path().join("env.sqlite3"))
        .env(
            "RECOVERY_DIST",
            app(dir.path(), "env-dist", "from the environment"),
        )
        .env("RECOVERY_RATE_LIMIT", "1")
        .env(
            "RECOVERY_CORS_ORIGINS",
            "https://a.example.com, http://127.0.0.1:8080,",
        );
    let (child, addr, _lines) = spawn(from_env);
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let (page, passed, allowed) = observe(&addr, &origins);
    assert!(signal_and_wait(child, "TERM").success());
    assert!(page.contains("from the environment"), "{page}");
    assert_eq!(passed, 1, "a limit of 1 a minute lets one push through");
    assert_eq!(allowed, ["https://a.example.com", "http://127.0.0.1:8080"]);
    assert!(dir.path().join("env.sqlite3").exists());

    // Bad values in the environment do not matter when flags are given:
    // only the value that is used is read.
    let mut flags = command();
    flags
        .env("RECOVERY_ADDR", "nope")
        .env("RECOVERY_DB", dir.path().join("unused.sqlite3"))
        .env("RECOVERY_DIST", "")
        .env("RECOVERY_RATE_LIMIT", "ten")
        .env("RECOVERY_CORS_ORIGINS", "https://a.example.com")
        .args(["--addr", "127.0.0.1:0", "--rate-limit", "0"])
        .args(["--cors-origin", "https://B.example.com"])
        .arg("--db")
        .arg(dir.path().join("flag.sqlite3"))
        .arg("--dist")
        .arg(app(dir.path(), "flag-dist", "from a flag"));
    let (child, addr, _lines) = spawn(flags);
    let (page, passed, allowed) = observe(&addr, &origins);
    assert!(signal_and_wait(child, "TERM").success());
    assert!(page.contains("from a flag"), "{page}");
    assert_eq!(passed, 3, "--rate-limit 0 turns the limit off");
    assert_eq!(allowed, ["https://b.example.com"], "flags replace the list");
    assert!(dir.path().join("flag.sqlite3").exists());
    assert!(!dir.path().join("unused.sqlite3").exists());
}

#[test]
fn a_bad_environment_value_exits_2_naming_the_variable_but_not_a_password() {
    for (name, value) in [
        ("RECOVERY_ADDR", "nope"),
        ("RECOVERY_DIST", ""),
        ("RECOVERY_DB", ""),
        ("RECOVERY_RATE_LIMIT", "ten"),
        (
            "RECOVERY_CORS_ORIGINS",
            "https://a.example.com,ftp://b.example.com",
        ),
        (
            "RECOVERY_DATABASE_URL",
            "mysql://kiosk:hunter2@127.0.0.1/kiosk",
        ),
    ] {
        let output = command().env(name, value).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}={value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("environment variable {name}")),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("hunter2"), "{stderr}");
    }
}

#[test]
fn commands_find_the_database_by_flag_then_url_then_path_in_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| dir.path().join(name);
    let issue = |env: &[(&str, std::ffi::OsString)], args: &[&std::ffi::OsStr]| {
        let mut command = command();
        command.args(["issue-token", "--store", "demo"]).args(args);
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().unwrap().status.code()
    };
    let url = |name: &str| format!("sqlite://{}", file(name).display()).into();

    // A path in the environment serves every command.
    assert_eq!(
        issue(&[("RECOVERY_DB", file("env.db").into())], &[]),
        Some(0)
    );
    assert!(file("env.db").exists());
    let add_store = command()
        .args(["add-store", "--store", "acme", "--name", "Acme"])
        .env("RECOVERY_DB", file("stores.db"))
        .status()
        .unwrap();
    assert!(add_store.success());
    assert!(file("stores.db").exists());

    // The URL wins over the path at the same level...
    let both = [
        ("RECOVERY_DATABASE_URL", url("url.db")),
        ("RECOVERY_DB", file("path.db").into()),
    ];
    assert_eq!(issue(&both, &[]), Some(0));
    assert!(file("url.db").exists());
    assert!(!file("path.db").exists());
    // ...and a flag over both.
    assert_eq!(
        issue(&both, &["--db".as_ref(), file("flag.db").as_os_str()]),
        Some(0)
    );
    assert!(file("flag.db").exists());
    assert!(!file("path.db").exists());

    // A PostgreSQL URL in the environment is tried, not the path beside it.
    let postgres = [
        (
            "RECOVERY_DATABASE_URL",
            "postgres://nobody@127.0.0.1:1/none".into(),
        ),
        ("RECOVERY_DB", file("path.db").into()),
    ];
    assert_eq!(issue(&postgres, &[]), Some(1));
    assert!(!file("path.db").exists());
}

#[test]
fn recipients_are_added_listed_and_removed_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let run = |args: &[&str]| {
        let out = command().args(args).arg("--db").arg(&db).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // No store yet.
    let (code, _, err) = run(&[
        "add-recipient",
        "--store",
        "acme",
        "--email",
        "m@example.com",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("there is no store 'acme'"), "{err}");
    assert_eq!(
        run(&[
            "add-store",
            "--store",
            "acme",
            "--name",
            "Acme",
            "--chime",
            "on"
        ])
        .0,
        Some(0)
    );
    let added = [
        &["--email", "m@example.com"][..],
        &[
            "--email",
            "night@example.com",
            "--rules",
            "escalated",
            "--quiet",
            "22:00-07:00",
        ],
        &[
            "--webhook",
            "https://hooks.example.com/x",
            "--secret",
            "0123456789abcdef",
            "--rules",
            "unacknowledged,reopened",
        ],
    ];
    for args in added {
        let mut all = vec!["add-recipient", "--store", "acme"];
        all.extend_from_slice(args);
        let (code, _, err) = run(&all);
        assert_eq!(code, Some(0), "{err}");
    }
    let (code, out, _) = run(&["list-recipients", "--store", "acme"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "email\tm@example.com\tunacknowledged,escalated,follow_up_due,reopened,spike\t-\n\
         email\tnight@example.com\tescalated\t22:00-07:00\n\
         webhook\thttps://hooks.example.com/x\tunacknowledged,reopened\t-\n"
    );
    assert!(
        !out.contains("0123456789abcdef"),
        "a webhook's key is never printed"
    );
    // Refused, each with its reason.
    for (args, says) in [
        (&["--email", "not an address"][..], "--email"),
        (&["--webhook", "ftp://x"], "--webhook"),
        (&["--webhook", "https://x.example.com"], "--secret"),
        (
            &["--webhook", "https://x.example.com", "--secret", "short"],
            "--secret",
        ),
        (
            &["--email", "a@example.com", "--secret", "0123456789abcdef"],
            "--secret",
        ),
        (
            &["--email", "a@example.com", "--rules", "sometimes"],
            "--rules",
        ),
        (&["--email", "a@example.com", "--quiet", "22-07"], "--quiet"),
        (&[], "--email"),
    ] {
        let mut all = vec!["add-recipient", "--store", "acme"];
        all.extend_from_slice(args);
        let (code, _, err) = run(&all);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(
        run(&[
            "remove-recipient",
            "--store",
            "acme",
            "--email",
            "night@example.com"
        ])
        .0,
        Some(0)
    );
    let (code, _, err) = run(&[
        "remove-recipient",
        "--store",
        "acme",
        "--email",
        "night@example.com",
    ]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("no email recipient 'night@example.com'"),
        "{err}"
    );
    assert_eq!(
        run(&["list-recipients", "--store", "acme"])
            .1
            .lines()
            .count(),
        2
    );
    let (code, out, _) = run(&["list-notifications", "--store", "acme"]);
    assert_eq!((code, out.as_str()), (Some(0), ""));
    let (code, _, err) = run(&[
        "add-store",
        "--store",
        "acme",
        "--name",
        "Acme",
        "--chime",
        "loud",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--chime"), "{err}");
}
