//! `switchboard simulate`: plays the ACD against a running server (see
//! `sim::calls`), with a `system` token; and the directory of numbers it
//! calls from, read from the database by whoever may (a `system` token
//! reads no customer).

use crate::api::Client;
use crate::server::seed::business::HARBOR_ACCOUNT;
use crate::server::store::{Store, StoreResult};
use crate::sim::calls::{self, SimCaller, SimOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The server, e.g. http://127.0.0.1:7878.
    #[arg(long, env = "SWITCHBOARD_SERVER", value_name = "URL")]
    server: String,
    /// A `system` token (`switchboard agent add "ACD" --role system …`).
    /// Prefer the SWITCHBOARD_TOKEN variable on shared hosts.
    #[arg(
        long,
        env = "SWITCHBOARD_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    token: String,
    /// Time compression: 10 plays ten minutes of calls in one.
    #[arg(long, default_value_t = 1.0, value_parser = parse_speed)]
    speed: f64,
    /// Random seed for arrivals, callers and handle times.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many simulated agents take calls (default: all); 0 sends every call
    /// to real desks that are available.
    #[arg(long, value_name = "N")]
    agents: Option<usize>,
    /// First play the last half hour of calls at once (with their past
    /// times), so the boards have figures from the start.
    #[arg(long)]
    warm_up: bool,
    /// Play the day's shape (arrival rates) from this hour, 0 to 24 UTC,
    /// instead of the clock's.
    #[arg(long, value_name = "HOUR", value_parser = parse_hour)]
    start_hour: Option<f64>,
    /// The database whose customers call (the first demo accounts and the
    /// demo key account's contacts). Without it every caller is an unknown
    /// number.
    #[arg(long, env = "SWITCHBOARD_DB", value_name = "URL")]
    db: Option<String>,
}

/// Demo accounts whose numbers call.
const DIRECTORY_ACCOUNTS: u32 = 60;

/// The numbers the simulator calls from: the first of each of the first
/// demo accounts, and of each contact of the demo key account (who ring the
/// premier line).
pub async fn directory(store: &Store) -> StoreResult<Vec<SimCaller>> {
    let mut callers = Vec::new();
    let mut first_phone = |phones: Vec<String>, key_account: bool| {
        callers.extend(
            phones
                .into_iter()
                .take(1)
                .map(|phone| SimCaller { phone, key_account }),
        );
    };
    for n in 1..=DIRECTORY_ACCOUNTS {
        for found in store.lookup_account(&format!("AC{n:08}")).await? {
            first_phone(found.phones, false);
        }
    }
    for org in store.lookup_account(HARBOR_ACCOUNT).await? {
        let contacts = store
            .organisation(org.id)
            .await?
            .map(|a| a.contacts)
            .unwrap_or_default();
        for contact in contacts {
            if let Some(person) = store.customer(contact.contact_id).await? {
                first_phone(person.phones, true);
            }
        }
    }
    Ok(callers)
}

fn parse_hour(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=24.0).contains(&v) => Ok(v),
        _ => Err("the hour must be a number from 0 to 24".into()),
    }
}

pub(super) fn parse_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.1..=1000.0).contains(&v) => Ok(v),
        _ => Err("the speed must be a number from 0.1 to 1000".into()),
    }
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let client = Client::new(&args.server, &args.token)?;
    let me = client.me().await?;
    if me.role != crate::domain::Role::System {
        anyhow::bail!(
            "the simulator needs a `system` token; this one is for a {}",
            me.role.as_str()
        );
    }
    super::say(&format!(
        "switchboard simulate: playing the ACD against {} at speed {}; stop with Ctrl-C.",
        client.base(),
        args.speed
    ));
    let callers = match &args.db {
        Some(url) => {
            let store = Store::open(url).await?;
            let callers = directory(&store).await?;
            store.close().await;
            callers
        }
        None => Vec::new(),
    };
    let options = SimOptions {
        speed: args.speed,
        seed: args.seed,
        agents: args.agents,
        warm_up: args.warm_up,
        start_hour: args.start_hour,
        callers,
    };
    calls::run(client, options, super::serve::shutdown_signal()).await
}
