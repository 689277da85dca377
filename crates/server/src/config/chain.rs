//! The command line of chains: `add-chain` and `add-chain-person` (whose password main reads
//! from `RECOVERY_PASSWORD` or stdin, never from the command line).

use std::ffi::OsString;

use clap::{ArgAction, Args};
use recovery_core::api::admin::ChainMember;
use recovery_core::{ChainRole, Slug};

use super::cli::DbArgs;
use super::error::ConfigError;
use super::values::{display_name, slug};
use super::{Target, target};

/// `add-chain`.
#[derive(Debug, Args)]
pub struct AddChainArgs {
    /// The chain's id
    #[arg(long, value_name = "SLUG")]
    pub chain: OsString,
    /// The chain's name
    #[arg(long, value_name = "NAME")]
    pub name: OsString,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `add-chain-person`.
#[derive(Debug, Args)]
pub struct AddChainPersonArgs {
    /// The chain
    #[arg(long, value_name = "SLUG")]
    pub chain: OsString,
    /// Their id within the chain
    #[arg(long, value_name = "SLUG")]
    pub id: OsString,
    /// Their name
    #[arg(long, value_name = "NAME")]
    pub name: OsString,
    /// admin (every store, every setting) or area (sees the stores given)
    #[arg(long, value_name = "ROLE")]
    pub role: OsString,
    /// A store an area manager looks after; repeat for each
    #[arg(long = "store", value_name = "SLUG", action = ArgAction::Append)]
    pub stores: Vec<OsString>,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// What `add-chain-person` needs; the password is read by `main`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddChainPerson {
    /// The database.
    pub target: Target,
    /// The chain.
    pub chain: Slug,
    /// Who, with their role and stores.
    pub member: ChainMember,
}

/// Reads `add-chain`'s options: the database, the chain and its name.
pub(super) fn add_chain(
    a: AddChainArgs,
    m: &clap::ArgMatches,
) -> Result<(Target, Slug, String), ConfigError> {
    Ok((
        target(&a.db, m)?,
        slug("--chain", a.chain)?,
        display_name("--name", a.name)?,
    ))
}

/// Reads `add-chain-person`'s options.
pub(super) fn add_person(
    a: AddChainPersonArgs,
    m: &clap::ArgMatches,
) -> Result<AddChainPerson, ConfigError> {
    let role_text = a.role.to_string_lossy().into_owned();
    let role = ChainRole::parse(&role_text).ok_or(ConfigError::BadValue {
        flag: "--role",
        value: role_text,
        expected: "admin or area",
    })?;
    let stores = a
        .stores
        .into_iter()
        .map(|s| slug("--store", s))
        .collect::<Result<Vec<_>, _>>()?;
    if (role == ChainRole::Area) == stores.is_empty() {
        return Err(ConfigError::BadValue {
            flag: "--store",
            value: String::new(),
            expected: "one or more stores for an area manager, none for an admin",
        });
    }
    Ok(AddChainPerson {
        target: target(&a.db, m)?,
        chain: slug("--chain", a.chain)?,
        member: ChainMember {
            id: slug("--id", a.id)?,
            name: display_name("--name", a.name)?,
            role,
            stores,
        },
    })
}
