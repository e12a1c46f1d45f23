//! Who may call what: the role × route matrix. One row per operation of the
//! `/v1` contract, naming the roles that may call it and why; the `Caller`
//! extractor enforces it for every authenticated request before the
//! handler runs, and the README's "Security model" prints it (a test keeps
//! the two and the OpenAPI document in step). Least privilege: a `system`
//! token (the ACD) reports calls and agents' states, reads the reference
//! data and the floor it routes by, and nothing of customers.

use crate::domain::Role;

/// One operation and the roles that may call it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub method: &'static str,
    /// The route as registered, e.g. `/v1/customers/{id}`.
    pub path: &'static str,
    pub roles: &'static [Role],
    /// Who may, in words, for the refusal: "agents and supervisors read customers".
    pub who: &'static str,
}

const EVERYONE: &[Role] = &[Role::Agent, Role::Supervisor, Role::System];
const PEOPLE: &[Role] = &[Role::Agent, Role::Supervisor];
const SUPERVISORS: &[Role] = &[Role::Supervisor];
const AGENTS: &[Role] = &[Role::Agent];
const FLOOR: &[Role] = &[Role::Supervisor, Role::System];
const ACD: &[Role] = &[Role::System];

const fn rule(
    method: &'static str,
    path: &'static str,
    roles: &'static [Role],
    who: &'static str,
) -> Rule {
    Rule {
        method,
        path,
        roles,
        who,
    }
}

const CUSTOMERS: &str = "agents and supervisors work with customers";
const CALL_CONTROL: &str =
    "the agent on a call (or a supervisor) controls it; the ACD carries it out";

/// Every authenticated operation.
pub const MATRIX: &[Rule] = &[
    rule("GET", "/v1/me", EVERYONE, "every token may ask who it is"),
    rule(
        "GET",
        "/v1/refdata",
        EVERYONE,
        "every token may read the codes",
    ),
    rule(
        "GET",
        "/v1/events",
        EVERYONE,
        "every token may follow the events meant for it",
    ),
    rule("GET", "/v1/customers/lookup", PEOPLE, CUSTOMERS),
    rule("GET", "/v1/customers/search", PEOPLE, CUSTOMERS),
    rule("GET", "/v1/customers/{id}", PEOPLE, CUSTOMERS),
    rule("GET", "/v1/customers/{id}/timeline", PEOPLE, CUSTOMERS),
    rule("GET", "/v1/customers/{id}/suggestions", PEOPLE, CUSTOMERS),
    rule("GET", "/v1/organisations/{id}", PEOPLE, CUSTOMERS),
    rule("GET", "/v1/organisations/{id}/timeline", PEOPLE, CUSTOMERS),
    rule(
        "GET",
        "/v1/actions",
        PEOPLE,
        "agents and supervisors read the action catalog",
    ),
    rule("POST", "/v1/customers", PEOPLE, CUSTOMERS),
    rule("POST", "/v1/customers/{id}/phones", PEOPLE, CUSTOMERS),
    rule("POST", "/v1/interactions", PEOPLE, CUSTOMERS),
    rule("GET", "/v1/interactions/{id}", PEOPLE, CUSTOMERS),
    rule("POST", "/v1/escalations", PEOPLE, CUSTOMERS),
    rule("POST", "/v1/fee-waivers", PEOPLE, CUSTOMERS),
    rule(
        "GET",
        "/v1/decisions/funnel",
        SUPERVISORS,
        "only supervisors may see the decision funnel",
    ),
    rule(
        "GET",
        "/v1/decisions/models",
        SUPERVISORS,
        "only supervisors may see what the decision models learned",
    ),
    rule(
        "GET",
        "/v1/audit",
        SUPERVISORS,
        "only supervisors may read the audit log",
    ),
    rule(
        "GET",
        "/v1/approvals",
        SUPERVISORS,
        "only supervisors may see approvals",
    ),
    rule(
        "POST",
        "/v1/approvals/{kind}/{id}",
        SUPERVISORS,
        "only supervisors may decide approvals",
    ),
    rule(
        "PUT",
        "/v1/customers/{source}/{source_id}",
        ACD,
        "only system tokens push records from other systems",
    ),
    rule(
        "POST",
        "/v1/events:batch",
        ACD,
        "only system tokens push records from other systems",
    ),
    rule(
        "POST",
        "/v1/calls",
        FLOOR,
        "only supervisors and system tokens (ACDs) may report calls",
    ),
    rule("POST", "/v1/calls/{call_id}/hold", PEOPLE, CALL_CONTROL),
    rule("POST", "/v1/calls/{call_id}/resume", PEOPLE, CALL_CONTROL),
    rule("POST", "/v1/calls/{call_id}/hang_up", PEOPLE, CALL_CONTROL),
    rule("POST", "/v1/calls/{call_id}/transfer", PEOPLE, CALL_CONTROL),
    rule(
        "PUT",
        "/v1/agents/me/state",
        AGENTS,
        "only agents take calls and have a state",
    ),
    rule(
        "PUT",
        "/v1/agents/{id}/state",
        ACD,
        "only system tokens (the ACD) set others' states",
    ),
    rule(
        "GET",
        "/v1/agents/board",
        FLOOR,
        "only supervisors and the ACD see the agent board",
    ),
    rule(
        "GET",
        "/v1/queues",
        FLOOR,
        "only supervisors and the ACD see the queue board",
    ),
    rule(
        "GET",
        "/v1/queues/{id}/staffing",
        FLOOR,
        "only supervisors and the ACD ask for staffing",
    ),
];

/// The rule of `method` on the route `path`; `None` for a route the matrix
/// does not name (refused: a new route must be given its row).
pub fn rule_of(method: &str, path: &str) -> Option<&'static Rule> {
    MATRIX
        .iter()
        .find(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
}

/// Why `role` may not call `method path`, or `None` when it may.
pub fn refusal(role: Role, method: &str, path: &str) -> Option<String> {
    match rule_of(method, path) {
        Some(rule) if rule.roles.contains(&role) => None,
        Some(rule) => {
            let article = match role {
                Role::Agent => "an",
                Role::Supervisor | Role::System => "a",
            };
            Some(format!(
                "{}: {article} {} token may not call {method} {path}",
                rule.who,
                role.as_str()
            ))
        }
        None => Some(format!("no token may call {method} {path}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_has_one_rule_and_the_acd_reads_no_customer() {
        for (i, r) in MATRIX.iter().enumerate() {
            assert!(
                MATRIX[..i]
                    .iter()
                    .all(|o| (o.method, o.path) != (r.method, r.path)),
                "{} {} twice",
                r.method,
                r.path
            );
            assert!(!r.roles.is_empty(), "{} {}", r.method, r.path);
        }
        assert!(refusal(Role::System, "GET", "/v1/customers/{id}").is_some());
        assert!(refusal(Role::System, "POST", "/v1/fee-waivers").is_some());
        assert_eq!(refusal(Role::System, "POST", "/v1/calls"), None);
        assert_eq!(refusal(Role::Agent, "get", "/v1/customers/{id}"), None);
        let said = refusal(Role::Agent, "GET", "/v1/audit").expect("refused");
        assert_eq!(
            said,
            "only supervisors may read the audit log: an agent token may not call GET /v1/audit"
        );
        assert!(refusal(Role::Supervisor, "DELETE", "/v1/customers/{id}").is_some());
    }
}
