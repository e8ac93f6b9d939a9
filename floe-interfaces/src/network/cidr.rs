//! CIDRs as floe reads them (Python's `ipaddress.ip_network(cidr, strict=False)`),
//! less the forms Kubernetes refuses in a NetworkPolicy's `ipBlock.cidr`.
//!
//! Python's grammar, followed exactly:
//! * IPv4: four decimal octets of one to three ASCII digits, at most 255, without a
//!   leading zero (`010.0.0.0/8` is refused);
//! * IPv6: Python's hextet rules (one to four hex digits, at most one `::`, an IPv4
//!   suffix in the last place), so the same strings are accepted;
//! * the prefix: ASCII digits, leading zeros allowed (`/08`), at most 32 or 128;
//! * host bits may be set (`10.1.2.3/8` is `10.0.0.0/8`), as `strict=False` allows.
//!
//! Refused although Python accepts them, since Kubernetes (Go's `ParseCIDR`) refuses
//! them in every version: a bare address without `/prefix`, a netmask or hostmask
//! after the `/` (`10.0.0.0/255.0.0.0`), and an IPv6 zone (`fe80::1%eth0/64`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `cidr` as a network, or `None` when floe or Kubernetes refuses it.
pub(super) fn parse(cidr: &str) -> Option<ipnet::IpNet> {
    let mut parts = cidr.split('/');
    let (address, prefix) = (parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let prefix = prefix_length(prefix)?;
    if let Some(v4) = ipv4(address)
        && prefix <= 32
    {
        let net = ipnet::Ipv4Net::new(v4, u8::try_from(prefix).ok()?).ok()?;
        return Some(ipnet::IpNet::V4(net.trunc()));
    }
    let v6 = ipv6(address)?;
    if prefix > 128 {
        return None;
    }
    let net = ipnet::Ipv6Net::new(v6, u8::try_from(prefix).ok()?).ok()?;
    Some(ipnet::IpNet::V6(net.trunc()))
}

/// A prefix length: ASCII digits only, any number of leading zeros.
fn prefix_length(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = text.trim_start_matches('0');
    if significant.len() > 3 {
        return None;
    }
    Some(significant.parse().unwrap_or(0))
}

/// Python's IPv4 address: four octets, each one to three ASCII digits, no leading
/// zero, at most 255.
fn ipv4(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut count = 0;
    for part in text.split('.') {
        let slot = octets.get_mut(count)?;
        count += 1;
        if part.is_empty()
            || part.len() > 3
            || !part.bytes().all(|b| b.is_ascii_digit())
            || (part.len() > 1 && part.starts_with('0'))
        {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    (count == 4).then(|| Ipv4Addr::from(octets))
}

/// Python's IPv6 address (`ipaddress._BaseV6._ip_int_from_string`), without a zone.
fn ipv6(text: &str) -> Option<Ipv6Addr> {
    if text.is_empty() || text.contains('%') {
        return None;
    }
    let mut parts: Vec<String> = text.split(':').map(str::to_owned).collect();
    if parts.len() < 3 {
        return None;
    }
    if parts.last().is_some_and(|p| p.contains('.')) {
        let v4 = u32::from(ipv4(&parts.pop()?)?);
        parts.push(format!("{:x}", (v4 >> 16) & 0xFFFF));
        parts.push(format!("{:x}", v4 & 0xFFFF));
    }
    if parts.len() > 9 {
        return None;
    }
    let mut skip = None;
    for (i, part) in parts.iter().enumerate().take(parts.len() - 1).skip(1) {
        if part.is_empty() {
            if skip.is_some() {
                return None;
            }
            skip = Some(i);
        }
    }
    let (hi, lo) = match skip {
        Some(at) => {
            let mut hi = at;
            let mut lo = parts.len() - at - 1;
            if parts.first().is_some_and(String::is_empty) {
                hi -= 1;
                if hi != 0 {
                    return None;
                }
            }
            if parts.last().is_some_and(String::is_empty) {
                lo -= 1;
                if lo != 0 {
                    return None;
                }
            }
            if hi + lo >= 8 {
                return None;
            }
            (hi, lo)
        }
        None if parts.len() == 8 => (8, 0),
        None => return None,
    };
    let mut hextets = [0u16; 8];
    for (i, part) in parts.iter().take(hi).enumerate() {
        hextets[i] = hextet(part)?;
    }
    for (i, part) in parts[parts.len() - lo..].iter().enumerate() {
        hextets[8 - lo + i] = hextet(part)?;
    }
    Some(Ipv6Addr::from(hextets))
}

/// One to four hex digits.
fn hextet(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(text, 16).ok()
}

/// `text` as an IP address, by the same rules (no zone).
pub(super) fn address(text: &str) -> Option<IpAddr> {
    ipv4(text)
        .map(IpAddr::V4)
        .or_else(|| ipv6(text).map(IpAddr::V6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_accepts_and_kubernetes_too() {
        for ok in [
            "10.0.0.0/8",
            "10.0.0.0/08",
            "10.0.0.0/00000008",
            "10.1.2.3/8",
            "0.0.0.0/0",
            "::/0",
            "2001:DB8::/32",
            "2001:db8::0.0.0.0/32",
            "::ffff:1.2.3.4/128",
            "1:2:3:4:5:6:7::/64",
            "::2:3:4:5:6:7:8/64",
            "1:2:3:4:5:6:7:8/64",
        ] {
            assert!(parse(ok).is_some(), "{ok}");
        }
    }

    #[test]
    fn refused() {
        for bad in [
            "010.0.0.0/8",
            "10.0.0.1",
            "10.0.0.0/255.0.0.0",
            "fe80::1%eth0/64",
            "10.0.0.0/+8",
            "10.0.0.0/",
            "10.0.0.0/8/8",
            "10.0.0.0/33",
            "::/129",
            "1::2::3/64",
            "1:2:3:4:5:6:7:8::/64",
            "::1:2:3:4:5:6:7:8/64",
            ":1::/64",
            "1::1:/64",
            "12345::/64",
            "::01.2.3.4/128",
            " 10.0.0.0/8",
            "10.0.0.0/٨",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
