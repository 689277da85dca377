//! Command-line entry point of `recovery-server`: parses flags and the
//! environment, starts the server, prints the one stdout line naming the
//! bound address (or, for `issue-token`, the one line holding the new
//! token), and maps failures to exit codes (2 for a bad command line, 1 for
//! a failure while running). All behaviour lives in the library; this file
//! must stay thin.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use recovery_core::{password_is_well_formed, pin_is_well_formed};
use recovery_server::config::{
    self, AddStaff, AddStore, Command, Config, IssueToken, ListTokens, RevokeToken, SeedDemo,
    UnlockStaff,
};
use recovery_server::rules::{chains, notify};
use recovery_server::store::{Database, DbError, Mode};
use recovery_server::{staff, tokens};

/// Environment variable holding the PIN for `add-staff` (else one line of
/// stdin): never a command-line argument, which `ps` would show.
const ENV_PIN: &str = "RECOVERY_PIN";
/// Environment variable holding the password for `add-chain-person` (else one line of stdin).
const ENV_PASSWORD: &str = "RECOVERY_PASSWORD";

fn main() -> ExitCode {
    let parsed = config::parse(std::env::args_os().skip(1));
    let command = match parsed {
        Ok(Command::Help(text)) => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Ok(command) => command,
        Err(err) => {
            eprintln!("recovery-server: {err}\nTry 'recovery-server --help' for the options.");
            return ExitCode::from(2);
        }
    };

    // The PIN is read before anything starts, so a bad one costs nothing.
    let pin = match &command {
        Command::AddStaff(add) => match read_secret(
            ENV_PIN,
            &format!("PIN for {} (6 to 12 digits)", add.member.id),
            pin_is_well_formed,
            "PIN must be 6 to 12 digits",
        ) {
            Ok(pin) => Some(pin),
            Err(message) => {
                eprintln!("recovery-server: {message}");
                return ExitCode::from(2);
            }
        },
        Command::AddChainPerson(add) => match read_secret(
            ENV_PASSWORD,
            &format!("Password for {} (10 to 128 characters)", add.member.id),
            password_is_well_formed,
            "password must be 10 to 128 characters",
        ) {
            Ok(password) => Some(password),
            Err(message) => {
                eprintln!("recovery-server: {message}");
                return ExitCode::from(2);
            }
        },
        _ => None,
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
        Command::AddStore(add) => runtime.block_on(add_store(add)),
        Command::AddStaff(add) => runtime.block_on(add_staff(add, pin.unwrap_or_default())),
        Command::SeedDemo(target) => runtime.block_on(seed_demo(target)),
        Command::UnlockStaff(unlock) => runtime.block_on(unlock_staff(unlock)),
        Command::DeactivateStaff(person) => runtime.block_on(deactivate_staff(person)),
        Command::ListTokens(list) => runtime.block_on(list_tokens(list)),
        Command::RevokeToken(revoke) => runtime.block_on(revoke_token(revoke)),
        Command::AddRecipient(recipient) => runtime.block_on(add_recipient(recipient)),
        Command::RemoveRecipient(target, store, channel, address) => {
            runtime.block_on(remove_recipient(target, store, channel, address))
        }
        Command::ListRecipients(target, store) => runtime.block_on(list(target, store, false)),
        Command::ListNotifications(target, store) => runtime.block_on(list(target, store, true)),
        Command::Erase(target, store, ticket) => runtime.block_on(erase(target, store, ticket)),
        Command::AddChain(target, chain, name) => runtime.block_on(add_chain(target, chain, name)),
        Command::AddChainPerson(add) => {
            runtime.block_on(add_chain_person(add, pin.unwrap_or_default()))
        }
        // Answered above, before any runtime was started.
        Command::Help(_) => Ok(()),
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
        .issue_staff_token(&issue.store, issue.label.as_deref(), issue.days)
        .await;
    let token = match token {
        Ok(token) => {
            let (store, hash) = (
                issue.store.clone(),
                recovery_server::secrets::sha256_hex(&token),
            );
            let what = recovery_core::api::admin::ChangeKind::TokenIssued;
            db.transaction(Mode::Write, move |db| {
                chains::record_operator(db, &store, what, &hash[..tokens::ID_CHARS])
            })
            .await
            .map(|()| token)
        }
        Err(err) => Err(err),
    };
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

/// A secret for a command: from the environment variable `env`, else the first line of stdin
/// (prompting `prompt` on a terminal); refused unless `fits`, with `rule` saying why. Never
/// echoed, never from the command line (`ps` would show it).
fn read_secret(
    env: &str,
    prompt: &str,
    fits: fn(&str) -> bool,
    rule: &str,
) -> Result<String, String> {
    let secret = match std::env::var(env) {
        Ok(secret) => secret,
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(format!("{env} is not valid UTF-8"));
        }
        Err(std::env::VarError::NotPresent) => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprint!("{prompt}: ");
            }
            let mut line = String::new();
            stdin
                .lock()
                .read_line(&mut line)
                .map_err(|err| format!("cannot read it from stdin: {err}"))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    if fits(&secret) {
        Ok(secret)
    } else {
        Err(format!(
            "the {rule} (from {env} or stdin); nothing was changed"
        ))
    }
}

async fn add_store(add: AddStore) -> Result<(), recovery_server::Error> {
    let db = Database::connect(&add.target.location()).await?;
    let settings = add.settings.clone();
    let done = db
        .transaction(Mode::Write, move |db| Ok(chains::add_store(db, &settings)))
        .await;
    let closed = db.close().await;
    done??;
    closed?;
    tracing::info!(store = %add.settings.slug, "store saved");
    Ok(())
}

async fn add_staff(add: AddStaff, pin: String) -> Result<(), recovery_server::Error> {
    let hash = tokio::task::spawn_blocking(move || staff::hash_pin(&pin))
        .await
        .map_err(|err| recovery_server::store::DbError::Task(err.to_string()))??;
    let db = Database::connect(&add.target.location()).await?;
    let (store, member) = (add.store.clone(), add.member.clone());
    let done = db
        .transaction(Mode::Write, move |db| {
            Ok(staff::put_staff(db, &store, &member, &hash))
        })
        .await;
    let closed = db.close().await;
    done??;
    closed?;
    tracing::info!(store = %add.store, staff = %add.member.id, "staff member saved");
    Ok(())
}

async fn seed_demo(seed: SeedDemo) -> Result<(), recovery_server::Error> {
    let db = Database::connect(&seed.target.location()).await?;
    let mut seeded = staff::seed_demo(&db).await;
    if seeded.is_ok() && seed.cases > 0 {
        let now = recovery_server::store::now_ms();
        match recovery_server::history::seed(&db, seed.cases, seed.seed, now).await {
            Ok(events) => {
                tracing::info!(cases = seed.cases, events, "made-up history seeded");
            }
            Err(err) => seeded = Err(err),
        }
    }
    let closed = db.close().await;
    let logins = seeded?;
    closed?;
    let mut stdout = std::io::stdout().lock();
    for login in logins {
        // Demo PINs and passwords only: real ones are never printed.
        writeln!(
            stdout,
            "{}\t{}\t{}\t{}\t{}",
            login.at, login.id, login.name, login.role, login.secret
        )
        .map_err(recovery_server::Error::Stdout)?;
    }
    stdout.flush().map_err(recovery_server::Error::Stdout)
}

async fn unlock_staff(unlock: UnlockStaff) -> Result<(), recovery_server::Error> {
    let db = Database::connect(&unlock.target.location()).await?;
    let (store, id) = (unlock.store.clone(), unlock.id.clone());
    let done = db
        .transaction(Mode::Write, move |db| Ok(staff::unlock(db, &store, &id)))
        .await;
    let closed = db.close().await;
    done??;
    closed?;
    tracing::info!(store = %unlock.store, staff = %unlock.id, "staff member unlocked");
    Ok(())
}

async fn deactivate_staff(person: UnlockStaff) -> Result<(), recovery_server::Error> {
    let db = Database::connect(&person.target.location()).await?;
    let (store, id) = (person.store.clone(), person.id.clone());
    let done = db
        .transaction(Mode::Write, move |db| {
            Ok(staff::deactivate(db, &store, &id))
        })
        .await;
    let closed = db.close().await;
    done??;
    closed?;
    tracing::info!(store = %person.store, staff = %person.id, "staff member deactivated");
    Ok(())
}

async fn list_tokens(list: ListTokens) -> Result<(), recovery_server::Error> {
    let db = Database::connect(&list.target.location()).await?;
    let store = list.store.clone();
    let found = db
        .transaction(Mode::Read, move |db| tokens::list(db, store.as_ref()))
        .await;
    let closed = db.close().await;
    let found = found?;
    closed?;
    let mut stdout = std::io::stdout().lock();
    for token in &found {
        writeln!(stdout, "{}", tokens::line(token)).map_err(recovery_server::Error::Stdout)?;
    }
    stdout.flush().map_err(recovery_server::Error::Stdout)
}

async fn revoke_token(revoke: RevokeToken) -> Result<(), recovery_server::Error> {
    let db = Database::connect(&revoke.target.location()).await?;
    let id = revoke.id.clone();
    let done = db
        .transaction(Mode::Write, move |db| Ok(tokens::revoke(db, &id)))
        .await;
    let closed = db.close().await;
    let token = done??;
    closed?;
    tracing::info!(store = %token.store, "staff token revoked");
    Ok(())
}

/// Runs `f` in one transaction on the database `target` names, then closes it.
async fn with_db<R: Send + 'static>(
    target: &recovery_server::config::Target,
    mode: Mode,
    f: impl FnOnce(&mut dyn recovery_server::store::Access) -> Result<R, DbError> + Send + 'static,
) -> Result<R, recovery_server::Error> {
    let db = Database::connect(&target.location()).await?;
    let done = db.transaction(mode, f).await;
    let closed = db.close().await;
    let done = done?;
    closed?;
    Ok(done)
}

async fn add_recipient(
    recipient: recovery_server::config::notify::Recipient,
) -> Result<(), recovery_server::Error> {
    let row = recipient.row();
    let store = recipient.store.clone();
    let added = with_db(&recipient.target, Mode::Write, move |db| {
        if db.store(store.as_str())?.is_none() {
            return Ok(false);
        }
        db.upsert_recipient(&row).map(|()| true)
    })
    .await?;
    if !added {
        return Err(staff::AdminError::NoStore(recipient.store.to_string()).into());
    }
    tracing::info!(store = %recipient.store, channel = recipient.channel, "recipient added");
    Ok(())
}

async fn remove_recipient(
    target: recovery_server::config::Target,
    store: recovery_core::Slug,
    channel: &'static str,
    address: String,
) -> Result<(), recovery_server::Error> {
    let (here, there) = (store.clone(), address.clone());
    let removed = with_db(&target, Mode::Write, move |db| {
        db.delete_recipient(here.as_str(), channel, &there)
    })
    .await?;
    if removed {
        Ok(())
    } else {
        Err(staff::AdminError::NoRecipient {
            store: store.to_string(),
            channel,
            address,
        }
        .into())
    }
}

/// `erase`: prints what it did, or fails naming what it did not find.
async fn erase(
    target: recovery_server::config::Target,
    store: recovery_core::Slug,
    ticket: String,
) -> Result<(), recovery_server::Error> {
    let db = Database::connect(&target.location()).await?;
    let done = recovery_server::rules::erase::erase_ticket(&db, store.as_str(), &ticket).await;
    let closed = db.close().await;
    let done = done?;
    closed?;
    use recovery_server::rules::erase::Asked;
    let (case, line) = match done {
        Asked::Unknown => {
            let store = store.to_string();
            return Err(staff::AdminError::NoTicket { store, ticket }.into());
        }
        Asked::Several(cases) => {
            let cases = cases.join(", ");
            return Err(staff::AdminError::SharedTicket { ticket, cases }.into());
        }
        Asked::Erased(case, true) => (case, "erased the customer's name and contact"),
        Asked::Erased(case, false) => (case, "already erased"),
    };
    println!("{case}\t{line}");
    Ok(())
}

async fn list(
    target: recovery_server::config::Target,
    store: recovery_core::Slug,
    messages: bool,
) -> Result<(), recovery_server::Error> {
    let lines = with_db(&target, Mode::Read, move |db| {
        Ok(if messages {
            db.notifications(store.as_str())?
                .iter()
                .map(notify::notification_line)
                .collect::<Vec<_>>()
        } else {
            db.recipients(store.as_str())?
                .iter()
                .map(notify::recipient_line)
                .collect()
        })
    })
    .await?;
    let mut stdout = std::io::stdout().lock();
    for line in lines {
        writeln!(stdout, "{line}").map_err(recovery_server::Error::Stdout)?;
    }
    stdout.flush().map_err(recovery_server::Error::Stdout)
}

async fn add_chain(
    target: config::Target,
    chain: recovery_core::Slug,
    name: String,
) -> Result<(), recovery_server::Error> {
    let db = Database::connect(&target.location()).await?;
    let slug = chain.clone();
    let done = db
        .transaction(Mode::Write, move |db| chains::put_chain(db, &slug, &name))
        .await;
    let closed = db.close().await;
    done?;
    closed?;
    tracing::info!(%chain, "chain saved");
    Ok(())
}

async fn add_chain_person(
    add: config::chain::AddChainPerson,
    password: String,
) -> Result<(), recovery_server::Error> {
    let hash = tokio::task::spawn_blocking(move || chains::hash_password(&password))
        .await
        .map_err(|err| DbError::Task(err.to_string()))??;
    let db = Database::connect(&add.target.location()).await?;
    let (chain, member) = (add.chain.clone(), add.member.clone());
    let now = recovery_core::Timestamp(recovery_server::store::now_ms());
    let done = db
        .transaction(Mode::Write, move |db| {
            Ok(chains::put_person(
                db,
                &chain,
                &member,
                &hash,
                chains::OPERATOR,
                now,
            ))
        })
        .await;
    let closed = db.close().await;
    done??;
    closed?;
    tracing::info!(chain = %add.chain, person = %add.member.id, "chain person saved");
    Ok(())
}
