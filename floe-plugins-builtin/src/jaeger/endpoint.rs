//! Turning an OTLP endpoint (`host:port`, `http://host:port/path/`, `[::1]:4317`) into
//! the host and port to connect to.

use std::fmt;

/// The host and port of a collector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectorAddress {
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
}

impl fmt::Display for CollectorAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Parses an endpoint. A scheme, user info, path, query and trailing slash are
/// ignored; without a port, `default_port` is used.
///
/// ```
/// use floe_plugins_builtin::jaeger::parse_endpoint;
/// let a = parse_endpoint("http://jaeger-collector:4317/", 4317).unwrap();
/// assert_eq!((a.host.as_str(), a.port), ("jaeger-collector", 4317));
/// assert_eq!(parse_endpoint("[::1]", 4318).unwrap().port, 4318);
/// assert!(parse_endpoint("host:port", 4317).is_err());
/// ```
pub fn parse_endpoint(endpoint: &str, default_port: u16) -> Result<CollectorAddress, String> {
    let trimmed = endpoint.trim();
    let rest = match trimmed.split_once("://") {
        Some((_, rest)) => rest,
        None => trimmed,
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let authority = match authority.rsplit_once('@') {
        Some((_, host_port)) => host_port,
        None => authority,
    };
    let invalid = |why: &str| format!("invalid collector endpoint '{endpoint}': {why}");
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or_else(|| invalid("unclosed '[' in an IPv6 address"))?;
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return Err(invalid("expected ':<port>' after the IPv6 address")),
            },
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) if !port.contains(':') => (host, Some(port)),
            Some(_) => return Err(invalid("write IPv6 addresses in brackets: [::1]:4317")),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(invalid("no host"));
    }
    let port = match port {
        None => default_port,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => {
                return Err(invalid(&format!(
                    "port '{p}' is not a number from 1 to 65535"
                )));
            }
        },
    };
    Ok(CollectorAddress {
        host: host.to_owned(),
        port,
    })
}
