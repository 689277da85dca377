//! Tests of the command line without the environment (the binary's tests
//! in `tests/cli.rs` run it with variables set, as a person would).

use super::*;

/// `command` and its subcommands with every environment fallback removed,
/// so the variables of whoever runs the tests cannot leak in.
fn without_env(command: clap::Command) -> clap::Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    let mut command = command.mut_args(|arg| arg.env(None::<&str>));
    for name in names {
        command = command.mut_subcommand(name, without_env);
    }
    command
}

fn run(list: &[&str]) -> Result<Command, ConfigError> {
    parse_with(without_env(Cli::command()), list)
}

fn config(list: &[&str]) -> Config {
    match run(list) {
        Ok(Command::Run(config)) => config,
        other => panic!("expected a run command, got {other:?}"),
    }
}

#[test]
fn no_flags_and_no_env_gives_the_defaults() {
    let config = config(&[]);
    assert_eq!(config.addr, "127.0.0.1:8080".parse().unwrap());
    assert_eq!(config.db, PathBuf::from("data/recovery.sqlite3"));
    assert_eq!(config.dist, PathBuf::from("dist"));
}

#[test]
fn flags_accept_separate_and_inline_values() {
    let config = config(&["--addr", "0.0.0.0:9000", "--db=x.db", "--dist", "out"]);
    assert_eq!(config.addr, "0.0.0.0:9000".parse().unwrap());
    assert_eq!(config.db, PathBuf::from("x.db"));
    assert_eq!(config.dist, PathBuf::from("out"));
}

#[test]
fn a_flag_given_twice_takes_its_last_value() {
    let config = config(&["--db", "first.db", "--db=last.db", "--rate-limit", "1"]);
    assert_eq!(config.db, PathBuf::from("last.db"));
    let Ok(Command::IssueToken(issue)) = run(&[
        "issue-token",
        "--store",
        "a",
        "--store",
        "b",
        "--label",
        "x",
    ]) else {
        panic!("expected issue-token");
    };
    assert_eq!(issue.store.as_str(), "b");
}

#[test]
fn a_command_comes_first_and_the_servers_options_do_not_apply_to_it() {
    assert!(run(&["--db", "x.db", "issue-token", "--store", "demo"]).is_err());
    assert!(matches!(
        run(&["issue-token", "--help"]),
        Ok(Command::Help(text)) if text.contains("--store") && text.contains("--label")
    ));
}

#[test]
fn help_wins_over_everything_else() {
    assert!(matches!(
        run(&["--db", "x", "--help"]),
        Ok(Command::Help(text)) if text.contains("--addr")
    ));
    assert!(matches!(run(&["-h"]), Ok(Command::Help(_))));
}

#[test]
fn unknown_flags_positionals_and_missing_values_are_errors() {
    assert_eq!(
        run(&["--port", "1"]),
        Err(ConfigError::UnknownFlag("--port".into()))
    );
    assert_eq!(
        run(&["serve"]),
        Err(ConfigError::UnexpectedArgument("serve".into()))
    );
    assert_eq!(
        run(&["--db"]),
        Err(ConfigError::MissingValue("--db".into()))
    );
}

#[test]
fn bad_addresses_name_their_source() {
    let err = run(&["--addr", "localhost:80"]).unwrap_err();
    assert!(err.to_string().contains("option --addr"), "{err}");
    // An environment variable's name: see tests/cli.rs.
}

#[test]
fn the_database_url_picks_the_backend_and_flags_win_over_the_environment() {
    let pg = "postgres://recovery@127.0.0.1:5432/recovery";
    let chosen = |list: &[&str]| config(list).location();
    assert_eq!(chosen(&[]), Location::Sqlite(PathBuf::from(DEFAULT_DB)));
    assert_eq!(
        chosen(&["--database-url", "sqlite:///var/k.db"]),
        Location::Sqlite(PathBuf::from("/var/k.db"))
    );
    // The URL wins over the path at the same level (flags over the
    // environment: see tests/cli.rs).
    assert_eq!(
        chosen(&["--db", "flag.db", "--database-url", pg]),
        Location::Postgres(pg.into())
    );
    let Ok(Command::IssueToken(issue)) =
        run(&["issue-token", "--store", "demo", "--database-url", pg])
    else {
        panic!("expected issue-token");
    };
    assert_eq!(issue.location(), Location::Postgres(pg.into()));
    for bad in [
        "mysql://x/y",
        "10.0.0.9:6000",
        "postgres://host:notaport/db",
    ] {
        let err = run(&["--database-url", bad]).unwrap_err();
        assert!(
            matches!(err, ConfigError::BadDatabaseUrl { .. }),
            "{bad}: {err}"
        );
        assert!(!err.to_string().contains(bad), "the URL is echoed: {err}");
    }
}

#[test]
fn empty_paths_are_rejected() {
    assert!(matches!(run(&["--db="]), Err(ConfigError::EmptyPath(_))));
    assert!(matches!(
        run(&["--dist", ""]),
        Err(ConfigError::EmptyPath(_))
    ));
}

#[test]
fn the_rate_limit_comes_from_the_flag_and_must_be_a_whole_number() {
    assert_eq!(config(&[]).rate_limit, DEFAULT_RATE_LIMIT);
    assert_eq!(config(&["--rate-limit", "0"]).rate_limit, 0);
    assert_eq!(config(&["--rate-limit=7"]).rate_limit, 7);
    for bad in ["-1", "ten", "1.5", ""] {
        assert!(
            matches!(
                run(&["--rate-limit", bad]),
                Err(ConfigError::BadRateLimit { .. })
            ),
            "{bad}"
        );
    }
}

#[test]
fn budgets_come_from_their_flags_and_default_to_what_help_says() {
    assert_eq!(config(&[]).budgets, Budgets::default());
    let set = config(&[
        "--address-events-per-minute",
        "1",
        "--address-bytes-per-minute=2",
        "--store-events-per-day",
        "3",
        "--store-bytes-per-day",
        "4",
        "--sign-in-failures-per-address",
        "0",
        "--sign-in-failures-per-store",
        "6",
        "--pin-checks",
        "7",
    ]);
    assert_eq!(
        set.budgets,
        Budgets {
            address_events_per_minute: 1,
            address_bytes_per_minute: 2,
            store_events_per_day: 3,
            store_bytes_per_day: 4,
            sign_in_failures_per_address: 0,
            sign_in_failures_per_store: 6,
            pin_checks: 7,
        }
    );
    for (flag, bad) in [
        ("--store-events-per-day", "-1"),
        ("--address-bytes-per-minute", "4MB"),
        ("--pin-checks", "0"),
        ("--sign-in-failures-per-store", "1e3"),
    ] {
        assert!(
            matches!(run(&[flag, bad]), Err(ConfigError::BadValue { flag: f, .. }) if f == flag),
            "{flag} {bad}"
        );
    }
    let Ok(Command::Help(help)) = run(&["--help"]) else {
        panic!("expected help");
    };
    let defaults = Budgets::default();
    for (flag, value) in [
        (
            "--address-events-per-minute",
            defaults.address_events_per_minute,
        ),
        (
            "--address-bytes-per-minute",
            defaults.address_bytes_per_minute,
        ),
        ("--store-events-per-day", defaults.store_events_per_day),
        ("--store-bytes-per-day", defaults.store_bytes_per_day),
        (
            "--sign-in-failures-per-address",
            defaults.sign_in_failures_per_address,
        ),
        (
            "--sign-in-failures-per-store",
            defaults.sign_in_failures_per_store,
        ),
        ("--pin-checks", defaults.pin_checks),
    ] {
        let after = &help[help.find(flag).unwrap()..];
        let entry = &after[..after[2..].find("\n  -").map_or(after.len(), |end| end + 2)];
        assert!(
            entry.contains(&format!("[default: {value}]")),
            "{flag}: {entry}"
        );
    }
}

#[test]
fn trusted_proxies_are_addresses_or_networks() {
    assert!(config(&[]).trusted_proxies.is_empty());
    let proxies = config(&[
        "--trusted-proxy",
        "10.0.0.7",
        "--trusted-proxy=10.1.2.3/8",
        "--trusted-proxy",
        "fd00::1/64",
    ])
    .trusted_proxies;
    let shown: Vec<String> = proxies.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["10.0.0.7/32", "10.0.0.0/8", "fd00::/64"]);
    for bad in ["10.0.0.0/33", "proxy.example", "", "10.0.0"] {
        assert!(
            matches!(
                run(&["--trusted-proxy", bad]),
                Err(ConfigError::BadValue {
                    flag: "--trusted-proxy",
                    ..
                })
            ),
            "{bad}"
        );
    }
}

#[test]
fn cors_origins_add_up_from_flags() {
    // The environment's list, and flags replacing it: see tests/cli.rs.
    assert!(config(&[]).cors_origins.is_empty());
    let flags = config(&[
        "--cors-origin",
        "https://B.example.com",
        "--cors-origin=https://c.example.com",
    ]);
    assert_eq!(
        flags.cors_origins,
        ["https://b.example.com", "https://c.example.com"]
    );
    for bad in [
        "a.example.com",
        "https://a.example.com/",
        "https://a.example.com/path",
        "ftp://a.example.com",
        "https://",
    ] {
        let err = run(&["--cors-origin", bad]).unwrap_err();
        assert!(matches!(err, ConfigError::BadOrigin { .. }), "{bad}: {err}");
    }
}

#[test]
fn add_store_takes_defaults_repeated_touchpoints_and_checks_values() {
    let Ok(Command::AddStore(add)) = run(&[
        "add-store",
        "--store",
        "acme",
        "--name",
        " Acme Mall ",
        "--db",
        "flag.db",
    ]) else {
        panic!("expected add-store");
    };
    assert_eq!(add.target.location(), Location::Sqlite("flag.db".into()));
    assert_eq!(
        add.settings,
        StoreSettings::new(Slug::parse("acme").unwrap(), "Acme Mall")
    );
    assert_eq!(add.settings.currency, "EUR");
    assert_eq!(
        (
            add.settings.ack_minutes,
            add.settings.resolve_hours,
            add.settings.follow_up_days
        ),
        (10, 24, 3)
    );
    let Ok(Command::AddStore(add)) = run(&[
        "add-store",
        "--store",
        "acme",
        "--name",
        "A",
        "--touchpoint",
        "door",
        "--touchpoint=till-1= Till 1 ",
        "--currency",
        "sek",
        "--ack-minutes",
        "5",
        "--resolve-hours",
        "48",
        "--follow-up-days",
        "7",
        "--languages",
        "ms,en",
    ]) else {
        panic!("expected add-store");
    };
    let touchpoints: Vec<&str> = add
        .settings
        .touchpoints
        .as_deref()
        .unwrap()
        .iter()
        .map(Slug::as_str)
        .collect();
    assert_eq!(touchpoints, ["door", "till-1"]);
    // A name after `=` is what people read; the door has none and reads as its slug.
    assert_eq!(
        add.settings.places,
        [(Slug::parse("till-1").unwrap(), "Till 1".to_owned())].into()
    );
    assert_eq!(add.settings.currency, "SEK");
    assert_eq!(
        (
            add.settings.ack_minutes,
            add.settings.resolve_hours,
            add.settings.follow_up_days
        ),
        (5, 48, 7)
    );
    assert_eq!(add.settings.languages, Some(vec!["ms".into(), "en".into()]));
    assert_eq!(
        run(&["add-store", "--store", "acme"]),
        Err(ConfigError::MissingOption {
            flag: "--name".into(),
            command: "add-store".into()
        })
    );
    for bad in [
        &["--touchpoint", "Door"][..],
        &["--touchpoint", "door="],
        &["--touchpoint", "=Door"],
        &["--currency", "euro"],
        &["--ack-minutes", "-1"],
        &["--name", ""],
        &["--languages", "en,fr"],
        &["--languages", "en,en"],
        &["--languages", ""],
    ] {
        let mut line = vec!["add-store", "--store", "acme", "--name", "A"];
        line.extend_from_slice(bad);
        assert!(
            matches!(run(&line), Err(ConfigError::BadValue { .. })),
            "{bad:?}"
        );
    }
    assert!(matches!(
        run(
            &["add-store", "--store", "a", "--name", "A", "--label", "x"]
        ),
        Err(ConfigError::NotForCommand { flag, .. }) if flag == "--label"
    ));
}

#[test]
fn add_staff_takes_everything_but_the_pin_and_other_commands_their_options() {
    let Ok(Command::AddStaff(add)) = run(&[
        "add-staff",
        "--store",
        "demo",
        "--id",
        "ana",
        "--name",
        "Ana",
        "--role",
        "staff",
        "--limit",
        "2500",
        "--db",
        "x.db",
    ]) else {
        panic!("expected add-staff");
    };
    assert_eq!(add.store.as_str(), "demo");
    assert_eq!(
        add.member,
        StaffMember {
            id: Slug::parse("ana").unwrap(),
            name: "Ana".into(),
            role: Role::Staff,
            limit_minor: 2500,
        }
    );
    assert_eq!(add.target.db, PathBuf::from("x.db"));
    let base = [
        "add-staff",
        "--store",
        "demo",
        "--id",
        "ana",
        "--name",
        "Ana",
    ];
    let with = |extra: &[&'static str]| {
        let mut line = base.to_vec();
        line.extend_from_slice(extra);
        run(&line)
    };
    assert!(matches!(
        with(&["--role", "owner", "--limit", "1"]),
        Err(ConfigError::BadValue { flag: "--role", .. })
    ));
    assert!(matches!(
        with(&["--role", "staff", "--limit", "25.00"]),
        Err(ConfigError::BadValue {
            flag: "--limit",
            ..
        })
    ));
    assert_eq!(
        with(&["--role", "staff"]),
        Err(ConfigError::MissingOption {
            flag: "--limit".into(),
            command: "add-staff".into()
        })
    );
    // There is no option for the PIN: it would show in `ps`.
    assert_eq!(
        with(&["--role", "staff", "--limit", "1", "--pin", "123456"]),
        Err(ConfigError::UnknownFlag("--pin".into()))
    );

    assert_eq!(
        run(&["seed-demo", "--database-url", "sqlite:///d.db"]),
        Ok(Command::SeedDemo(SeedDemo {
            target: Target {
                db: PathBuf::from("/d.db"),
                database_url: None
            },
            cases: 0,
            seed: 1
        }))
    );
    assert!(matches!(
        run(&["seed-demo", "--cases", "10000", "--seed", "7"]),
        Ok(Command::SeedDemo(SeedDemo {
            cases: 10_000,
            seed: 7,
            ..
        }))
    ));
    assert!(run(&["seed-demo", "--cases", "2000000"]).is_err());
    assert!(matches!(
        run(&["seed-demo", "--store", "demo"]),
        Err(ConfigError::NotForCommand { .. })
    ));
    let Ok(Command::UnlockStaff(unlock)) = run(&["unlock-staff", "--store", "demo", "--id", "ana"])
    else {
        panic!("expected unlock-staff");
    };
    assert_eq!((unlock.store.as_str(), unlock.id.as_str()), ("demo", "ana"));
    assert!(matches!(
        run(&["unlock-staff", "--store", "demo"]),
        Err(ConfigError::MissingOption { flag, .. }) if flag == "--id"
    ));
}

#[test]
fn issue_token_takes_a_store_an_optional_label_and_the_database() {
    let parsed = run(&[
        "issue-token",
        "--store",
        "demo",
        "--label",
        "front desk",
        "--db",
        "flag.db",
    ]);
    assert_eq!(
        parsed,
        Ok(Command::IssueToken(IssueToken {
            db: PathBuf::from("flag.db"),
            database_url: None,
            store: Slug::parse("demo").unwrap(),
            label: Some("front desk".into()),
            days: crate::config::DEFAULT_TOKEN_DAYS,
        }))
    );
    let Ok(Command::IssueToken(short)) = run(&["issue-token", "--store=x1", "--days", "7"]) else {
        panic!("expected issue-token");
    };
    assert_eq!(short.days, 7);
    assert!(run(&["issue-token", "--store=x1", "--days", "0"]).is_err());
    let Ok(Command::RevokeToken(revoke)) = run(&["revoke-token", "--id", "ABCDEF0123"]) else {
        panic!("expected revoke-token");
    };
    assert_eq!(revoke.id, "abcdef0123");
    assert!(run(&["revoke-token", "--id", "abc"]).is_err());
    assert!(run(&["revoke-token", "--id", "not-hex-at-all"]).is_err());
    let Ok(Command::DeactivateStaff(person)) =
        run(&["deactivate-staff", "--store", "demo", "--id", "ana"])
    else {
        panic!("expected deactivate-staff");
    };
    assert_eq!(person.id.as_str(), "ana");
    let Ok(Command::IssueToken(issue)) = run(&["issue-token", "--store=x1", "--db", "f.db"]) else {
        panic!("expected issue-token");
    };
    assert_eq!(issue.db, PathBuf::from("f.db"));
    assert_eq!(issue.label, None);

    assert_eq!(run(&["issue-token"]), Err(ConfigError::MissingStore));
    assert_eq!(
        run(&["issue-token", "--store", "Bad Store"]),
        Err(ConfigError::BadStore("Bad Store".into()))
    );
    assert!(matches!(
        run(
            &["issue-token", "--store", "demo", "--addr", "127.0.0.1:1"]
        ),
        Err(ConfigError::NotForCommand { flag, .. }) if flag == "--addr"
    ));
    assert!(matches!(
        run(&["--store", "demo"]),
        Err(ConfigError::NotForCommand { flag, command })
            if flag == "--store" && command == "the server"
    ));
}
