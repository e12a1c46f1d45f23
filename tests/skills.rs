//! Skills against a real `switchboard serve` on SQLite and PostgreSQL: set
//! from the command line (and refused by name when wrong), shown on the
//! agent board, counted per queue by the queue board's staffing, and obeyed
//! by the call simulator's routing.

mod common;

use common::{TestDb, TestServer};
use switchboard::api::*;
use switchboard::domain::*;

fn servers() -> Vec<TestServer> {
    TestDb::all().into_iter().map(TestServer::start).collect()
}

/// Runs the binary and returns (success, stdout + stderr).
fn run(args: &[&str]) -> (bool, String) {
    let out = common::bin().args(args).output().expect("run switchboard");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn serving(board: &QueueBoard, queue: &str) -> f64 {
    board
        .queues
        .iter()
        .find(|q| q.queue.code == queue)
        .map(|q| q.staffing.agents_serving)
        .expect("queue on the board")
}

#[tokio::test]
async fn skills_set_from_the_command_line_staff_the_queues_they_name() {
    for srv in servers() {
        let db = srv.db.url.as_str();
        let said = common::run_ok(&[
            "agent",
            "add",
            "Mia Lopez",
            "--role",
            "agent",
            "--waiver-limit",
            "20",
            "--queues",
            "billing:3, retention:1",
            "--db",
            db,
        ]);
        assert!(said.contains("serving billing:3, retention:1"), "{said}");
        let token = said.lines().last().expect("token").trim().to_string();
        let mia = Client::new(&srv.base, &token).expect("client");
        let mia_id = mia.me().await.expect("me").id;
        // Wrong skills are refused, naming what is wrong, and change nothing.
        let id = mia_id.0.to_string();
        for (bad, says) in [
            ("billing:4", "the proficiency after ':' must be 1, 2 or 3"),
            ("billing,billing:2", "queue \"billing\" is listed twice"),
            (
                "billing,nosuch:2",
                "there is no queue \"nosuch\"; the queues are general, billing, tech, retention, premier",
            ),
        ] {
            let (ok, text) = run(&["agent", "set", &id, "--queues", bad, "--db", db]);
            assert!(!ok && text.contains(says), "{bad}: {text}");
        }
        let boss = srv.supervisor();
        let board = boss.agent_board().await.expect("board");
        let mine = board
            .agents
            .iter()
            .find(|a| a.agent_id == mia_id)
            .expect("on the board");
        let skills: Vec<(&str, u8)> = mine
            .skills
            .iter()
            .map(|s| (s.queue.as_str(), s.proficiency))
            .collect();
        assert_eq!(skills, [("billing", 3), ("retention", 1)]);
        let listed = common::run_ok(&["agent", "list", "--db", db]);
        assert!(
            listed
                .lines()
                .any(|l| l.contains("Mia Lopez") && l.contains("serves billing:3, retention:1")),
            "{listed}"
        );

        // Mia and Alex (no skills: every queue) take calls. With no calls
        // yet, each is shared equally among the queues they serve: Mia half
        // to billing and retention, Alex a fifth to each of five queues.
        let available = NewAgentState {
            state: SettableState::Available,
            reason: None,
        };
        mia.set_state(&available).await.expect("available");
        srv.agent().set_state(&available).await.expect("available");
        let queues = boss.queues().await.expect("queues");
        assert!(
            (serving(&queues, "billing") - 0.7).abs() < 1e-9,
            "{queues:?}"
        );
        assert!((serving(&queues, "retention") - 0.7).abs() < 1e-9);
        assert!((serving(&queues, "general") - 0.2).abs() < 1e-9);
        let whole: u32 = queues.queues.iter().map(|q| q.staffing.agents).sum();
        assert_eq!(
            whole, 2,
            "the queues' whole agents add up to those taking calls"
        );
        assert_eq!(queues.floor.on_shift, 2);
        assert_eq!(queues.floor.short_by, 0, "no calls need no agents");

        // Set again: general only. The floor takes it at Mia's next change
        // of state; the audit log has both changes.
        common::run_ok(&["agent", "set", &id, "--queues", "general:2", "--db", db]);
        let board = boss.agent_board().await.expect("board");
        let mine = board
            .agents
            .iter()
            .find(|a| a.agent_id == mia_id)
            .expect("Mia");
        assert_eq!(skills_text(&mine.skills), "general:2", "the board at once");
        mia.set_state(&available).await.expect("available");
        let queues = boss.queues().await.expect("queues");
        assert!(
            (serving(&queues, "billing") - 0.2).abs() < 1e-9,
            "{queues:?}"
        );
        assert!((serving(&queues, "general") - 1.2).abs() < 1e-9);
        let audit = boss
            .audit(&AuditQuery {
                customer_id: None,
                limit: Some(20),
                kind: None,
            })
            .await
            .expect("audit")
            .entries;
        let changes: Vec<&str> = audit
            .iter()
            .filter(|e| e.action == "agent.skills")
            .map(|e| e.detail.as_str())
            .collect();
        assert!(
            changes
                .iter()
                .any(|d| d.starts_with("billing:3, retention:1 -> general:2 by ")),
            "{changes:?}"
        );
    }
}

#[tokio::test]
async fn the_simulator_answers_each_call_with_an_agent_who_serves_its_queue() {
    use switchboard::sim::calls::{self as simulator, SimOptions};
    for srv in servers() {
        let callers = srv.sim_callers().await;
        let options = SimOptions {
            speed: 300.0,
            seed: 11,
            agents: None,
            warm_up: true,
            start_hour: Some(10.0),
            callers,
        };
        let acd = Client::new(
            &srv.base,
            &common::add_agent(&srv.db.url, "Test ACD", "system", "0"),
        )
        .expect("client");
        // What is tested: where the calls of a warm-up and 3 s of play (15
        // minutes of floor at speed 300) went; the run's length is the test's.
        let stop = tokio::time::sleep(std::time::Duration::from_secs(3));
        simulator::run(acd, options, stop).await.expect("simulator");
        let board = srv.supervisor().agent_board().await.expect("board").agents;
        let store = switchboard::server::store::Store::open(&srv.db.url)
            .await
            .expect("store");
        let events = store.call_events_since(0).await.expect("call events");
        store.close().await;
        let answered: Vec<&CallEvent> = events
            .iter()
            .filter(|e| e.kind == CallEventKind::Answered)
            .collect();
        assert!(answered.len() >= 30, "{} calls answered", answered.len());
        for e in answered {
            let agent = e.agent_id.expect("answered by someone");
            let skills = &board
                .iter()
                .find(|a| a.agent_id == agent)
                .expect("a known agent")
                .skills;
            assert!(
                proficiency_for(skills, &e.queue).is_some(),
                "call {} in {} went to agent {} who serves {}",
                e.call_id,
                e.queue,
                agent.0,
                skills_text(skills)
            );
        }
    }
}
