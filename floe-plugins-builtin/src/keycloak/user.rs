//! `UserInfo` from token claims or a userinfo answer.

use floe_registry::UserInfo;
use serde_json::{Map, Value};

/// The roles of Keycloak claims: `realm_access.roles`, then every
/// `resource_access.<client>.roles`, strings only, in order.
fn roles(claims: &Map<String, Value>) -> Vec<String> {
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let mut out = strings(claims.get("realm_access").and_then(|r| r.get("roles")));
    if let Some(clients) = claims.get("resource_access").and_then(Value::as_object) {
        for client in clients.values() {
            out.extend(strings(client.get("roles")));
        }
    }
    out
}

/// The user described by `claims`; every claim is kept in `claims`.
pub(crate) fn user_info_from_claims(claims: Map<String, Value>) -> UserInfo {
    let text = |k: &str| {
        claims
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let groups = claims
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    UserInfo {
        subject: text("sub").unwrap_or_default(),
        email: text("email"),
        name: text("name"),
        roles: roles(&claims),
        groups,
        claims,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn realm_roles_come_before_client_roles() {
        let Value::Object(claims) = json!({
            "sub": "u1", "email": "a@b.c",
            "realm_access": {"roles": ["admin", 3]},
            "resource_access": {"floe": {"roles": ["reader"]}},
            "groups": ["/eng"]
        }) else {
            unreachable!()
        };
        let info = user_info_from_claims(claims);
        assert_eq!(info.roles, ["admin", "reader"]);
        assert_eq!(info.groups, ["/eng"]);
        assert_eq!(info.name, None);
    }
}
