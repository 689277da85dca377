//! Command-line entry point of `recovery-server`: parses flags and the
//! environment, starts the server, prints the one stdout line naming the
//! bound address, and maps failures to exit codes (2 for a bad command line,
//! 1 for a failure while running). All behaviour lives in the library; this
//! file must stay thin.

use std::io::Write;
use std::process::ExitCode;

use recovery_server::config::{self, Command, Config};

fn main() -> ExitCode {
    let parsed = config::parse(std::env::args_os().skip(1), |name| std::env::var_os(name));
    let config = match parsed {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            print!("{}", config::USAGE);
            return ExitCode::SUCCESS;
        }
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
    match runtime.block_on(run(config)) {
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
