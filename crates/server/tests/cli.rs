//! Tests of the `recovery-server` binary as a person or script runs it:
//! exit codes for bad flags, the single stdout line naming the bound port,
//! and a clean stop on SIGTERM/SIGINT. Only 127.0.0.1 is used.

mod common;

use std::io::{BufRead, BufReader};
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
    let mut child = command()
        .args(["--addr", "127.0.0.1:0"])
        .arg("--db")
        .arg(dir.join("db").join("kiosk.sqlite3"))
        .arg("--dist")
        .arg(dir.join("dist"))
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
