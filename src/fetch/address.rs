//! Which addresses a source may be fetched from: only globally reachable ones, unless the user
//! allows private ones. Checked after DNS resolution, on every hop.
//!
//! The list is the IANA special-purpose address registries (IPv4 and IPv6, as of 2025), one
//! table row per registry row with its "Globally Reachable" column; rows whose column is
//! "N/A" or "False" are refused. Where the longest matching row is globally reachable the
//! address is public. Beyond the registries: IPv4 multicast (224.0.0.0/4) is refused, every
//! IPv6 address outside global unicast 2000::/3 is refused (except NAT64, whose embedded IPv4
//! address decides), and IPv6 forms that embed an IPv4 address (NAT64 64:ff9b::/96, 6to4
//! 2002::/16) are judged by that address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// How an IPv6 prefix embeds an IPv4 address that decides instead of the row.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Embeds {
    No,
    /// The last 32 bits (NAT64 well-known prefix, RFC 6052).
    Last32,
    /// Bits 16 to 48 (6to4, RFC 3056).
    SixToFour,
}

struct Row4 {
    net: [u8; 4],
    len: u32,
    /// What the range is, with its prefix: shown in the source-blocked finding.
    name: &'static str,
    global: bool,
}

struct Row6 {
    net: [u16; 8],
    len: u32,
    name: &'static str,
    global: bool,
    embeds: Embeds,
}

const fn v4(net: [u8; 4], len: u32, name: &'static str, global: bool) -> Row4 {
    Row4 {
        net,
        len,
        name,
        global,
    }
}

const fn v6(net: [u16; 8], len: u32, name: &'static str, global: bool, embeds: Embeds) -> Row6 {
    Row6 {
        net,
        len,
        name,
        global,
        embeds,
    }
}

/// The IANA IPv4 Special-Purpose Address Registry, and multicast.
static IPV4: &[Row4] = &[
    v4(
        [0, 0, 0, 0],
        8,
        "'this network' (0.0.0.0/8, RFC 791)",
        false,
    ),
    v4(
        [0, 0, 0, 0],
        32,
        "'this host' (0.0.0.0/32, RFC 1122)",
        false,
    ),
    v4(
        [10, 0, 0, 0],
        8,
        "private-use (10.0.0.0/8, RFC 1918)",
        false,
    ),
    v4(
        [100, 64, 0, 0],
        10,
        "shared address space, carrier-grade NAT (100.64.0.0/10, RFC 6598)",
        false,
    ),
    v4([127, 0, 0, 0], 8, "loopback (127.0.0.0/8, RFC 1122)", false),
    v4(
        [169, 254, 0, 0],
        16,
        "link-local, incl. cloud metadata (169.254.0.0/16, RFC 3927)",
        false,
    ),
    v4(
        [172, 16, 0, 0],
        12,
        "private-use (172.16.0.0/12, RFC 1918)",
        false,
    ),
    v4(
        [192, 0, 0, 0],
        24,
        "IETF protocol assignments (192.0.0.0/24, RFC 6890)",
        false,
    ),
    v4(
        [192, 0, 0, 0],
        29,
        "IPv4 service continuity prefix (192.0.0.0/29, RFC 7335)",
        false,
    ),
    v4(
        [192, 0, 0, 8],
        32,
        "IPv4 dummy address (192.0.0.8/32, RFC 7600)",
        false,
    ),
    v4(
        [192, 0, 0, 9],
        32,
        "port control protocol anycast (192.0.0.9/32, RFC 7723)",
        true,
    ),
    v4(
        [192, 0, 0, 10],
        32,
        "TURN anycast (192.0.0.10/32, RFC 8155)",
        true,
    ),
    v4(
        [192, 0, 0, 170],
        32,
        "NAT64/DNS64 discovery (192.0.0.170/32, RFC 8880)",
        false,
    ),
    v4(
        [192, 0, 0, 171],
        32,
        "NAT64/DNS64 discovery (192.0.0.171/32, RFC 8880)",
        false,
    ),
    v4(
        [192, 0, 2, 0],
        24,
        "documentation TEST-NET-1 (192.0.2.0/24, RFC 5737)",
        false,
    ),
    v4(
        [192, 31, 196, 0],
        24,
        "AS112-v4 (192.31.196.0/24, RFC 7535)",
        true,
    ),
    v4(
        [192, 52, 193, 0],
        24,
        "AMT (192.52.193.0/24, RFC 7450)",
        true,
    ),
    v4(
        [192, 88, 99, 0],
        24,
        "deprecated 6to4 relay anycast (192.88.99.0/24, RFC 7526)",
        false,
    ),
    v4(
        [192, 168, 0, 0],
        16,
        "private-use (192.168.0.0/16, RFC 1918)",
        false,
    ),
    v4(
        [192, 175, 48, 0],
        24,
        "direct delegation AS112 service (192.175.48.0/24, RFC 7534)",
        true,
    ),
    v4(
        [198, 18, 0, 0],
        15,
        "benchmarking (198.18.0.0/15, RFC 2544)",
        false,
    ),
    v4(
        [198, 51, 100, 0],
        24,
        "documentation TEST-NET-2 (198.51.100.0/24, RFC 5737)",
        false,
    ),
    v4(
        [203, 0, 113, 0],
        24,
        "documentation TEST-NET-3 (203.0.113.0/24, RFC 5737)",
        false,
    ),
    v4(
        [224, 0, 0, 0],
        4,
        "multicast (224.0.0.0/4, RFC 5771)",
        false,
    ),
    v4([240, 0, 0, 0], 4, "reserved (240.0.0.0/4, RFC 1112)", false),
    v4(
        [255, 255, 255, 255],
        32,
        "limited broadcast (255.255.255.255/32, RFC 919)",
        false,
    ),
];

/// The IANA IPv6 Special-Purpose Address Registry, and the ranges outside global unicast.
static IPV6: &[Row6] = &[
    v6(
        [0; 8],
        1,
        "not global unicast (outside 2000::/3, RFC 4291)",
        false,
        Embeds::No,
    ),
    v6(
        [0x8000, 0, 0, 0, 0, 0, 0, 0],
        1,
        "not global unicast (outside 2000::/3, RFC 4291)",
        false,
        Embeds::No,
    ),
    v6(
        [0x4000, 0, 0, 0, 0, 0, 0, 0],
        2,
        "not global unicast (outside 2000::/3, RFC 4291)",
        false,
        Embeds::No,
    ),
    v6(
        [0x2000, 0, 0, 0, 0, 0, 0, 0],
        3,
        "global unicast (2000::/3)",
        true,
        Embeds::No,
    ),
    v6(
        [0, 0, 0, 0, 0, 0, 0, 1],
        128,
        "loopback (::1/128, RFC 4291)",
        false,
        Embeds::No,
    ),
    v6(
        [0; 8],
        128,
        "unspecified (::/128, RFC 4291)",
        false,
        Embeds::No,
    ),
    v6(
        [0; 8],
        96,
        "IPv4-compatible, deprecated (::/96, RFC 4291)",
        false,
        Embeds::No,
    ),
    v6(
        [0, 0, 0, 0, 0, 0xffff, 0, 0],
        96,
        "IPv4-mapped (::ffff:0:0/96, RFC 4291)",
        false,
        Embeds::No,
    ),
    v6(
        [0, 0, 0, 0, 0xffff, 0, 0, 0],
        96,
        "IPv4-translated (::ffff:0:0:0/96, RFC 2765)",
        false,
        Embeds::No,
    ),
    v6(
        [0x64, 0xff9b, 0, 0, 0, 0, 0, 0],
        96,
        "NAT64 (64:ff9b::/96, RFC 6052)",
        true,
        Embeds::Last32,
    ),
    v6(
        [0x64, 0xff9b, 1, 0, 0, 0, 0, 0],
        48,
        "local-use IPv4/IPv6 translation (64:ff9b:1::/48, RFC 8215)",
        false,
        Embeds::No,
    ),
    v6(
        [0x100, 0, 0, 0, 0, 0, 0, 0],
        64,
        "discard-only (100::/64, RFC 6666)",
        false,
        Embeds::No,
    ),
    v6(
        [0x100, 0, 0, 1, 0, 0, 0, 0],
        64,
        "dummy IPv6 prefix (100:0:0:1::/64, RFC 9780)",
        false,
        Embeds::No,
    ),
    v6(
        [0x2001, 0, 0, 0, 0, 0, 0, 0],
        23,
        "IETF protocol assignments (2001::/23, RFC 2928)",
        false,
        Embeds::No,
    ),
    v6(
        [0x2001, 0, 0, 0, 0, 0, 0, 0],
        32,
        "Teredo (2001::/32, RFC 4380)",
        false,
        Embeds::No,
    ),
    v6(
        [0x2001, 1, 0, 0, 0, 0, 0, 1],
        128,
        "port control protocol anycast (2001:1::1/128, RFC 7723)",
        true,
        Embeds::No,
    ),
    v6(
        [0x2001, 1, 0, 0, 0, 0, 0, 2],
        128,
        "TURN anycast (2001:1::2/128, RFC 8155)",
        true,
        Embeds::No,
    ),
    v6(
        [0x2001, 1, 0, 0, 0, 0, 0, 3],
        128,
        "DNS-SD service registration anycast (2001:1::3/128, RFC 9665)",
        true,
        Embeds::No,
    ),
    v6(
        [0x2001, 2, 0, 0, 0, 0, 0, 0],
        48,
        "benchmarking (2001:2::/48, RFC 5180)",
        false,
        Embeds::No,
    ),
    v6(
        [0x2001, 3, 0, 0, 0, 0, 0, 0],
        32,
        "AMT (2001:3::/32, RFC 7450)",
        true,
        Embeds::No,
    ),
    v6(
        [0x2001, 4, 0x112, 0, 0, 0, 0, 0],
        48,
        "AS112-v6 (2001:4:112::/48, RFC 7535)",
        true,
        Embeds::No,
    ),
    v6(
        [0x2001, 0x10, 0, 0, 0, 0, 0, 0],
        28,
        "deprecated ORCHID (2001:10::/28, RFC 4843)",
        false,
        Embeds::No,
    ),
    v6(
        [0x2001, 0x20, 0, 0, 0, 0, 0, 0],
        28,
        "ORCHIDv2 (2001:20::/28, RFC 7343)",
        true,
        Embeds::No,
    ),
    v6(
        [0x2001, 0x30, 0, 0, 0, 0, 0, 0],
        28,
        "drone remote ID tags (2001:30::/28, RFC 9374)",
        true,
        Embeds::No,
    ),
    v6(
        [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
        32,
        "documentation (2001:db8::/32, RFC 3849)",
        false,
        Embeds::No,
    ),
    v6(
        [0x2002, 0, 0, 0, 0, 0, 0, 0],
        16,
        "6to4 (2002::/16, RFC 3056)",
        true,
        Embeds::SixToFour,
    ),
    v6(
        [0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0],
        48,
        "direct delegation AS112 service (2620:4f:8000::/48, RFC 7534)",
        true,
        Embeds::No,
    ),
    v6(
        [0x3fff, 0, 0, 0, 0, 0, 0, 0],
        20,
        "documentation (3fff::/20, RFC 9637)",
        false,
        Embeds::No,
    ),
    v6(
        [0x5f00, 0, 0, 0, 0, 0, 0, 0],
        16,
        "segment routing SIDs (5f00::/16, RFC 9602)",
        false,
        Embeds::No,
    ),
    v6(
        [0xfc00, 0, 0, 0, 0, 0, 0, 0],
        7,
        "unique local (fc00::/7, RFC 4193)",
        false,
        Embeds::No,
    ),
    v6(
        [0xfe80, 0, 0, 0, 0, 0, 0, 0],
        10,
        "link-local (fe80::/10, RFC 4291)",
        false,
        Embeds::No,
    ),
    v6(
        [0xfec0, 0, 0, 0, 0, 0, 0, 0],
        10,
        "site-local, deprecated (fec0::/10, RFC 3879)",
        false,
        Embeds::No,
    ),
    v6(
        [0xff00, 0, 0, 0, 0, 0, 0, 0],
        8,
        "multicast (ff00::/8, RFC 4291)",
        false,
        Embeds::No,
    ),
];

fn v4_in(ip: u32, net: [u8; 4], len: u32) -> bool {
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    ip & mask == u32::from_be_bytes(net) & mask
}

fn v6_in(ip: u128, net: [u16; 8], len: u32) -> bool {
    let mask = if len == 0 {
        0
    } else {
        u128::MAX << (128 - len)
    };
    ip & mask == u128::from(Ipv6Addr::from(net)) & mask
}

fn v4_row(ip: Ipv4Addr) -> Option<&'static Row4> {
    let ip = u32::from(ip);
    IPV4.iter()
        .filter(|r| v4_in(ip, r.net, r.len))
        .max_by_key(|r| r.len)
}

fn v6_row(ip: Ipv6Addr) -> &'static Row6 {
    let n = u128::from(ip);
    IPV6.iter()
        .filter(|r| v6_in(n, r.net, r.len))
        .max_by_key(|r| r.len)
        .expect("the /1, /2 and /3 rows cover every address")
}

fn v4_reason(ip: Ipv4Addr) -> Option<&'static str> {
    v4_row(ip).filter(|r| !r.global).map(|r| r.name)
}

fn v6_reason(ip: Ipv6Addr) -> Option<&'static str> {
    let row = v6_row(ip);
    let n = u128::from(ip);
    let embedded = match row.embeds {
        Embeds::No => None,
        Embeds::Last32 => Some(Ipv4Addr::from(n as u32)),
        Embeds::SixToFour => Some(Ipv4Addr::from((n >> 80) as u32)),
    };
    if let Some(inner) = embedded {
        return v4_reason(inner).map(|_| match row.embeds {
            Embeds::Last32 => "NAT64 (64:ff9b::/96) embedding an IPv4 address that is not public",
            _ => "6to4 (2002::/16) embedding an IPv4 address that is not public",
        });
    }
    (!row.global).then_some(row.name)
}

/// Why an address is not globally reachable, or `None` when it is.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4),
        IpAddr::V6(v6) => v6_reason(v6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_v4(r: &Row4) -> Ipv4Addr {
        Ipv4Addr::from(r.net)
    }

    /// One check per registry row: an address of the row (its first, and its last) is refused
    /// exactly when the row is not globally reachable, unless a longer row inside it decides.
    #[test]
    fn every_ipv4_row_decides_its_addresses() {
        for r in IPV4 {
            let first = u32::from(first_v4(r));
            let last = first | if r.len == 32 { 0 } else { u32::MAX >> r.len };
            for ip in [first, last].map(Ipv4Addr::from) {
                if v4_row(ip).is_some_and(|w| std::ptr::eq(w, r)) {
                    assert_eq!(
                        non_public(ip.into()).is_none(),
                        r.global,
                        "{ip} in {}",
                        r.name
                    );
                }
            }
            assert!(
                v4_row(first_v4(r)).is_some_and(|w| w.len >= r.len),
                "{}: its own first address must match it or a longer row",
                r.name
            );
        }
    }

    #[test]
    fn every_ipv6_row_decides_its_addresses() {
        for r in IPV6 {
            let first = u128::from(Ipv6Addr::from(r.net));
            let last = first | if r.len == 128 { 0 } else { u128::MAX >> r.len };
            let mut matched = false;
            for ip in [first, first + u128::from(r.len < 128), last].map(Ipv6Addr::from) {
                if !std::ptr::eq(v6_row(ip), r) {
                    continue;
                }
                matched = true;
                let refused = non_public(ip.into()).is_some();
                match r.embeds {
                    Embeds::No => assert_eq!(!refused, r.global, "{ip} in {}", r.name),
                    // the embedded address of these samples is 0.0.0.x or 255.255.255.255
                    _ => assert!(refused, "{ip} in {}", r.name),
                }
            }
            assert!(
                matched || r.len >= 96 || r.len < 8,
                "{}: no sample address of its own",
                r.name
            );
        }
    }

    #[test]
    fn refused_as_the_registries_say() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.20.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "192.88.99.1",
            "192.0.0.8",
            "198.18.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:93.184.216.34",
            "::127.0.0.1",
            "::8.8.8.8",
            "::ffff:0:7f00:1",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "100::1",
            "100:0:0:1::1",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:2::1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "2002:a00:1::",
            "2002:c0a8:101::1",
            "3fff::1",
            "5f00::1",
            "4000::1",
        ] {
            let ip: IpAddr = bad.parse().unwrap();
            assert!(non_public(ip).is_some(), "{bad} must be refused");
        }
        for good in [
            "93.184.216.34",
            "1.1.1.1",
            "172.32.0.1",
            "192.0.0.9",
            "192.31.196.1",
            "2606:4700::1111",
            "2a00:1450:4001::1",
            "64:ff9b::5db8:d822",
            "2002:5db8:d822::1",
            "2001:4:112::1",
            "2620:4f:8000::1",
        ] {
            let ip: IpAddr = good.parse().unwrap();
            assert_eq!(non_public(ip), None, "{good} is globally reachable");
        }
    }
}
