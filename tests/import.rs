//! `switchboard import` on SQLite and PostgreSQL, with the sample set in
//! `tests/fixtures/import`: what it loads is what the desk's reads show
//! (a pop of an imported number, its history, fees, search); running it
//! again changes nothing and a changed row updates its record; a file of
//! twenty kinds of bad row reports each by line and imports the rest; and an
//! import killed midway and run again ends with each record once.

mod common;

use common::{TestDb, TestServer};
use std::path::{Path, PathBuf};
use switchboard::api::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn import(db: &str, files: &[(&str, &Path)], more: &[&str]) -> std::process::Output {
    let mut cmd = common::bin();
    cmd.args(["import", "--db", db]);
    for (flag, path) in files {
        cmd.arg(flag).arg(path);
    }
    cmd.args(more).output().expect("run import")
}

fn import_ok(db: &str, files: &[(&str, &Path)]) -> String {
    let out = import(db, files, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "import failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn sample(db: &str) -> String {
    import_ok(
        db,
        &[
            ("--customers", &fixture("customers.csv")),
            ("--fees", &fixture("fees.csv")),
            ("--events", &fixture("events.jsonl")),
        ],
    )
}

/// The summary line `import` printed for `file` (its path ends with it).
fn summary<'a>(said: &'a str, file: &str) -> &'a str {
    let name = file.split(':').next().unwrap_or(file);
    said.lines()
        .find(|l| l.contains(&format!("/{name}:")) && l.contains(file))
        .unwrap_or("")
}

fn lookup(phone: &str) -> LookupQuery {
    LookupQuery {
        phone: Some(phone.into()),
        email: None,
        account: None,
    }
}

#[tokio::test]
async fn the_sample_set_imports_and_the_desk_sees_it() {
    for srv in TestDb::all().into_iter().map(TestServer::start) {
        let said = sample(&srv.db.url);
        assert!(said.contains("customers.csv: 5 rows"), "{said}");
        assert!(
            said.contains("5 created, 0 updated, 0 unchanged, 0 rejected"),
            "{said}"
        );
        assert!(said.contains("6 created"), "the events: {said}");
        let agent = srv.agent();
        // A number two imported customers share (a household): both offered.
        let found = agent
            .lookup(&lookup("(628) 555-0101"))
            .await
            .expect("lookup");
        let mut names: Vec<&str> = found.matches.iter().map(|m| m.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["Inès Moreau", "Mei Chen"], "{}", srv.db.label);
        let ines = found
            .matches
            .iter()
            .find(|m| m.name == "Inès Moreau")
            .expect("Inès")
            .id;
        let page = agent
            .timeline(ines, &TimelineQuery::default())
            .await
            .expect("timeline");
        let summaries: Vec<&str> = page.events.iter().map(|e| e.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "Asked why the bill went up",
                "Bought a router in the Market St store",
                "Moving house in December"
            ],
            "newest first, on {}",
            srv.db.label
        );
        let profile = agent.customer(ines).await.expect("profile");
        assert_eq!(profile.account_number, "CRM-C-1001");
        assert_eq!(profile.segment.as_str(), "gold");
        assert!(
            profile.outstanding_fees.is_empty(),
            "the overdraft was paid"
        );
        let chidi = agent
            .lookup(&lookup("+16285550103"))
            .await
            .expect("lookup")
            .matches;
        let chidi = agent.customer(chidi[0].id).await.expect("profile");
        assert_eq!(chidi.name, "Okafor, Chidi");
        assert_eq!(chidi.account_number, "ACME-77");
        let fee = &chidi.outstanding_fees[0];
        assert_eq!(
            (
                fee.outstanding.minor_units,
                fee.outstanding.currency.as_str()
            ),
            (2500, "USD")
        );
        // A national UK number, read with the country code given.
        let grace = agent.search("grace o'neill", 5).await.expect("search");
        assert!(
            grace
                .hits
                .iter()
                .any(|h| h.customer.name == "Grace O'Neill"),
            "{}",
            srv.db.label
        );
    }
}

#[tokio::test]
async fn a_second_import_changes_nothing_and_a_changed_row_updates_its_record() {
    for srv in TestDb::all().into_iter().map(TestServer::start) {
        sample(&srv.db.url);
        let again = sample(&srv.db.url);
        assert!(
            again.contains("0 created, 0 updated, 5 unchanged"),
            "{again}"
        );
        assert!(
            again.contains("0 created, 0 updated, 6 unchanged"),
            "{again}"
        );
        // Mei has married and moved: her name, number and risk change.
        let dir = tempfile::tempdir().expect("tempdir");
        let changed = std::fs::read_to_string(fixture("customers.csv"))
            .expect("read")
            .replace(
                "C-1003,Mei Chen,,+1 628 555 0101,",
                "C-1003,Mei Wong,,+1 628 555 0199,",
            );
        let file = dir.path().join("customers.csv");
        std::fs::write(&file, changed).expect("write");
        let said = import_ok(&srv.db.url, &[("--customers", &file)]);
        assert!(said.contains("0 created, 1 updated, 4 unchanged"), "{said}");
        let agent = srv.agent();
        let now = agent
            .lookup(&lookup("+16285550199"))
            .await
            .expect("lookup")
            .matches;
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].name, "Mei Wong");
        let old = agent
            .lookup(&lookup("+16285550101"))
            .await
            .expect("lookup")
            .matches;
        assert_eq!(old.len(), 1, "the old number is Inès's alone now");
        let by_old_name = agent.search("mei chen", 5).await.expect("search");
        assert!(
            !by_old_name.hits.iter().any(|h| h.customer.id == now[0].id),
            "the old name no longer finds her on {}",
            srv.db.label
        );
        let by_new = agent.search("mei wong", 5).await.expect("search");
        assert_eq!(by_new.hits.first().map(|h| h.customer.id), Some(now[0].id));
    }
}

#[tokio::test]
async fn twenty_kinds_of_bad_row_are_reported_by_line_and_the_rest_imported() {
    for db in TestDb::all() {
        import_ok(&db.url, &[("--customers", &fixture("customers.csv"))]);
        let dir = tempfile::tempdir().expect("tempdir");
        let report = dir.path().join("rejected.txt");
        let bad = fixture("customers_bad.csv");
        let report_arg = report.display().to_string();
        let out = import(
            &db.url,
            &[("--customers", &bad)],
            &["--report", &report_arg],
        );
        assert!(out.status.success(), "rejected rows are not fatal");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("3 created, 0 updated, 0 unchanged, 20 rejected"),
            "{stdout}"
        );
        let written = std::fs::read_to_string(&report).expect("report");
        let expected = [
            (3, "source_id is missing"),
            (4, "name is missing"),
            (5, "phone \"+1 555\" has too few or too many digits"),
            (
                6,
                "phone \"415-555-CALL\" has characters that are not part of a number",
            ),
            (7, "\"not-an-email\" is not an e-mail address"),
            (8, "unknown segment \"platinum\""),
            (9, "churn_risk \"high\" is not a number from 0 to 1"),
            (10, "churn_risk \"1.5\" is not a number from 0 to 1"),
            (11, "unknown time zone \"Mars/Olympus\""),
            (12, "language \"english language\" is not a language code"),
            (13, "unknown channel \"pigeon\""),
            (
                14,
                "lifetime_value_minor \"12.50\" is not a whole number of minor units",
            ),
            (15, "unknown currency \"dollars\""),
            (
                16,
                "customer_since \"30/11/2015\" is not a date (YYYY-MM-DD)",
            ),
            (
                17,
                "balance_minor \"lots\" is not a whole number of minor units",
            ),
            (18, "name is longer than 200 characters"),
            (19, "name holds a control character"),
            (20, "account number ACME-77 belongs to customer #"),
            (22, "source_id \"B-20\" comes twice in one batch"),
            (23, "15 fields where the header has 14"),
        ];
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), expected.len(), "{written}");
        for (line, (n, says)) in lines.iter().zip(expected) {
            let at = format!("customers_bad.csv:{n}: ");
            assert!(
                line.starts_with(&at) && line.contains(says),
                "{line} (expected {at}{says})"
            );
        }
        // --strict: the same rows, now an error.
        let strict = import(&db.url, &[("--customers", &bad)], &["--strict"]);
        assert!(!strict.status.success());
        assert!(String::from_utf8_lossy(&strict.stderr).contains("20 rows were rejected"));
    }
}

#[tokio::test]
async fn an_import_killed_midway_and_run_again_ends_with_each_record_once() {
    for db in TestDb::all() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("many.csv");
        let mut text = String::from("source_id,name,phones\n");
        const MANY: usize = 30_000;
        for i in 0..MANY {
            text.push_str(&format!(
                "M-{i},Person {i},+1 646 {:03} {:04}\n",
                i / 10_000,
                i % 10_000
            ));
        }
        std::fs::write(&file, text).expect("write");
        // Migrate first, so the kill lands in the import itself.
        import_ok(&db.url, &[("--customers", &fixture("customers.csv"))]);
        let store = switchboard::server::store::Store::open(&db.url)
            .await
            .expect("store");
        let mut child = common::bin()
            .args(["import", "--db", &db.url, "--customers"])
            .arg(&file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let (customers, _, _) = store.imported("crm").await.expect("count");
            if customers > 5 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no batch landed");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        let (partial, _, _) = store.imported("crm").await.expect("count");
        assert!(
            partial < MANY as u64 + 5,
            "killed midway ({partial}) on {}",
            db.label
        );
        let said = import_ok(&db.url, &[("--customers", &file)]);
        assert!(said.contains(&format!("{MANY} rows")), "{said}");
        let (all, _, _) = store.imported("crm").await.expect("count");
        assert_eq!(all, MANY as u64 + 5, "each record once on {}", db.label);
        store.close().await;
    }
}

#[tokio::test]
async fn the_push_api_takes_records_from_a_system_token_and_refuses_an_agent() {
    for srv in TestDb::all().into_iter().map(TestServer::start) {
        let system = common::add_agent(&srv.db.url, "CRM sync", "system", "0");
        let http = srv.raw();
        let put = |token: &str, id: &str, body: serde_json::Value| {
            http.put(srv.url(&format!("/v1/customers/crm/{id}")))
                .bearer_auth(token.to_string())
                .json(&body)
                .send()
        };
        let ana = serde_json::json!({"name": "Ana Lima", "phones": ["+1 628 555 0301"], "segment": "gold"});
        let first = put(&system, "P-1", ana.clone()).await.expect("put");
        assert_eq!(first.status(), 200, "{}", srv.db.label);
        let first: Imported = first.json().await.expect("json");
        assert_eq!(first.result, ImportResult::Created);
        let again: Imported = put(&system, "P-1", ana)
            .await
            .expect("put")
            .json()
            .await
            .expect("json");
        assert_eq!(
            (again.customer_id, again.result),
            (first.customer_id, ImportResult::Unchanged)
        );
        let moved = serde_json::json!({"name": "Ana Lima", "phones": ["+1 628 555 0302"], "segment": "gold"});
        let changed: Imported = put(&system, "P-1", moved)
            .await
            .expect("put")
            .json()
            .await
            .expect("json");
        assert_eq!(
            (changed.customer_id, changed.result),
            (first.customer_id, ImportResult::Updated)
        );
        // Checked as a file's row is.
        let bad = put(
            &system,
            "P-2",
            serde_json::json!({"name": "X", "phones": ["+1 555"]}),
        )
        .await
        .expect("put");
        assert_eq!(bad.status(), 422);
        let body: ErrorBody = bad.json().await.expect("json");
        assert_eq!(body.field.as_deref(), Some("phones"));
        // An agent may not push.
        let refused = put(&srv.agent_token, "P-3", serde_json::json!({"name": "Y"}))
            .await
            .expect("put");
        assert_eq!(refused.status(), 403);

        let batch = serde_json::json!({"source": "crm", "events": [
            {"source_id": "PE-1", "customer_id": "P-1", "at": "2026-11-30T10:00:00Z",
             "channel": "web", "kind": "life_event", "summary": "Had a baby"},
            {"source_id": "PE-2", "customer_id": "P-1", "at": "2026-11-30T10:30:00Z",
             "channel": "web", "kind": "note", "summary": "x", "amount_minor": 5, "currency": "dollars"},
            {"source_id": "PE-3", "customer_id": "NOBODY", "at": "2026-11-30T10:00:00Z",
             "channel": "web", "kind": "note", "summary": "x"},
            {"source_id": "PE-4", "customer_id": "P-1", "at": "2026-11-30T11:00:00Z",
             "channel": "store", "kind": "purchase", "summary": "Bought a cot", "amount_minor": 19900}
        ]});
        let post = |token: &str| {
            http.post(srv.url("/v1/events:batch"))
                .bearer_auth(token.to_string())
                .json(&batch)
                .send()
        };
        let result: EventBatchResult = post(&system)
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(
            (result.created, result.updated, result.unchanged),
            (2, 0, 0)
        );
        let places: Vec<(usize, Option<&str>)> = result
            .rejected
            .iter()
            .map(|r| (r.index, r.field.as_deref()))
            .collect();
        assert_eq!(places, [(1, Some("currency")), (2, Some("customer_id"))]);
        let result: EventBatchResult = post(&system)
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(
            (result.created, result.unchanged),
            (0, 2),
            "idempotent by source id"
        );
        assert_eq!(post(&srv.agent_token).await.expect("post").status(), 403);
        let page = srv
            .agent()
            .timeline(first.customer_id, &TimelineQuery::default())
            .await
            .expect("timeline");
        let summaries: Vec<&str> = page.events.iter().map(|e| e.summary.as_str()).collect();
        assert_eq!(summaries, ["Bought a cot", "Had a baby"]);
    }
}

#[tokio::test]
async fn business_accounts_and_contacts_roles_import_and_the_desk_sees_them() {
    for srv in TestDb::all().into_iter().map(TestServer::start) {
        let files = [
            ("--customers", fixture("business_customers.csv")),
            ("--organisations", fixture("organisations.csv")),
            ("--roles", fixture("roles.csv")),
            ("--invoices", fixture("invoices.csv")),
            ("--orders", fixture("orders.csv")),
        ];
        let files: Vec<(&str, &Path)> = files.iter().map(|(f, p)| (*f, p.as_path())).collect();
        let out = import(&srv.db.url, &files, &[]);
        let said = String::from_utf8_lossy(&out.stdout);
        let errors = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{said}{errors}");
        for (file, counts) in [
            (
                "organisations.csv: 2 rows",
                "1 created, 0 updated, 0 unchanged, 1 rejected",
            ),
            (
                "roles.csv: 4 rows",
                "2 created, 0 updated, 0 unchanged, 2 rejected",
            ),
            (
                "invoices.csv: 3 rows",
                "2 created, 0 updated, 0 unchanged, 1 rejected",
            ),
            (
                "orders.csv: 2 rows",
                "1 created, 0 updated, 0 unchanged, 1 rejected",
            ),
        ] {
            assert!(summary(&said, file).contains(counts), "{file}: {said}");
        }
        for line in [
            "organisations.csv:3: unknown tier \"gold\"",
            "roles.csv:4: \"C-2101\" has no account; import it with --organisations first",
            "roles.csv:5: no customer \"C-9999\" from crm; import the customers first",
            "invoices.csv:4: due_on is before issued_on",
            "orders.csv:3: \"C-2101\" has no account; import it with --organisations first",
        ] {
            assert!(errors.contains(line), "{line} in {errors}");
        }
        // The desk: a contact's pop names the account, their role and authority.
        let agent = srv.agent();
        let priya = agent
            .lookup(&lookup("+44 20 7946 0211"))
            .await
            .expect("lookup")
            .matches[0]
            .id;
        let profile = agent.customer(priya).await.expect("profile");
        let at = &profile.acts_for[0];
        assert_eq!(at.organisation, "Harbour Freight Ltd", "{}", srv.db.label);
        assert_eq!(at.tier, switchboard::domain::Tier::KeyAccount);
        assert_eq!(at.role, switchboard::domain::ContactRole::Purchaser);
        assert_eq!(
            at.authority
                .as_ref()
                .map(|m| (m.minor_units, m.currency.as_str())),
            Some((2_500_000, "GBP"))
        );
        let account = agent
            .organisation(at.organisation_id)
            .await
            .expect("the account");
        assert_eq!(
            (account.payment_terms_days, account.renewal_on.to_string()),
            (45, "2027-03-31".to_string())
        );
        assert_eq!(account.contacts.len(), 2, "Priya and Tom");
        let unpaid: Vec<&str> = account
            .invoices
            .iter()
            .filter(|i| i.paid_on.is_none())
            .map(|i| i.number.as_str())
            .collect();
        assert_eq!(account.invoices.len(), 2);
        assert_eq!(unpaid, ["HF-1002"]);
        assert_eq!(
            account
                .orders
                .iter()
                .map(|o| (o.number.as_str(), o.status.as_str()))
                .collect::<Vec<_>>(),
            [("SO-77", "delayed")]
        );
        assert_eq!(
            account.key_account_manager.map(|m| m.name),
            Some("Sam Supervisor".to_string()),
            "the manager, by name"
        );
        // Again: nothing changes.
        let again = import(&srv.db.url, &files, &[]);
        let said = String::from_utf8_lossy(&again.stdout);
        for (file, counts) in [
            (
                "organisations.csv",
                "0 created, 0 updated, 1 unchanged, 1 rejected",
            ),
            ("roles.csv", "0 created, 0 updated, 2 unchanged, 2 rejected"),
            (
                "invoices.csv",
                "0 created, 0 updated, 2 unchanged, 1 rejected",
            ),
            (
                "orders.csv",
                "0 created, 0 updated, 1 unchanged, 1 rejected",
            ),
        ] {
            assert!(
                summary(&said, file).contains(counts),
                "{file} again: {said}"
            );
        }
    }
}
