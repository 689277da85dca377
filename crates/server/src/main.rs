//! Command-line entry point of `recovery-server`: parses flags and the
//! environment, starts the server, prints the one stdout line naming the
//! bound address (or, for `issue-token`, the one line holding the new
//! token), and maps failures to exit codes (2 for a bad command line, 1 for
//! a failure while running). All behaviour lives in the library; this file
//! must stay thin.

use std::io::Write;
use std::process::ExitCode;

use recovery_server::config::{self, Command, Config, IssueToken};
use recovery_server::db::Database;

fn main() -> ExitCode {
    let parsed = config::parse(std::env::args_os().skip(1), |name| std::env::var_os(name));
    let command = match parsed {
        Ok(Command::Help) => {
            print!("{}", config::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(command) => command,
        Err(err) => {
            eprintln!("recovery-server: {err}\nTry 'recovery-server --help' for the options.");
            return ExitCode::from(2);
        }
    };

    recovery_server::init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("recovery-server: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = match command {
        Command::Run(config) => runtime.block_on(run(config)),
        Command::IssueToken(issue) => runtime.block_on(issue_token(issue)),
        // Answered above, before any runtime was started.
        Command::Help => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("recovery-server: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), recovery_server::Error> {
    // Database first: a failed migration must stop us before we announce
    // an address that would then answer nothing.
    let server = recovery_server::Server::open(&config).await?;
    let listener = recovery_server::bind(&config).await?;
    let addr = listener
        .local_addr()
        .map_err(|source| recovery_server::Error::Bind {
            addr: config.addr,
            source,
        })?;
    let mut stdout = std::io::stdout().lock();
    // Ignored on purpose: a closed stdout (detached service) must not stop
    // the server; the same address is in the logs.
    let _ = writeln!(stdout, "Serving the kiosk on http://{addr}/").and_then(|()| stdout.flush());
    drop(stdout);
    tracing::info!(%addr, "listening");
    server
        .run(listener, recovery_server::shutdown_signal())
        .await
}

async fn issue_token(issue: IssueToken) -> Result<(), recovery_server::Error> {
    let db = Database::connect(&issue.location()).await?;
    let token = db
        .issue_staff_token(&issue.store, issue.label.as_deref())
        .await;
    // Close before printing so the token is only shown once it is durable.
    let closed = db.close().await;
    let token = token?;
    closed?;
    tracing::info!(store = %issue.store, "issued a staff token");
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{token}")
        .and_then(|()| stdout.flush())
        .map_err(recovery_server::Error::Stdout)?;
    Ok(())
}
