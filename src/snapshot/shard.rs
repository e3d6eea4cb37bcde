//! Sharding a run over several machines: `fetch --shard K/N` takes the sources whose host
//! falls in share K of N (one host's requests stay in one job, so per-host pacing holds), and
//! `check --shard K/N` the articles whose path does. The hash is SHA-256, so every machine and
//! every version of ibid splits the same list the same way; the N shares cover the list once.

use sha2::{Digest, Sha256};

/// `K/N`: this run does share K (1-based) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This run's share, 1 to `n`.
    pub k: u64,
    /// How many shares the list is split into, at least 1.
    pub n: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?}: expected K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl Shard {
    /// Does this share take the item with this key?
    pub fn takes(&self, key: &str) -> bool {
        stable_hash(key) % self.n == self.k - 1
    }
}

/// The first 8 bytes of the key's SHA-256.
pub fn stable_hash(key: &str) -> u64 {
    let h = Sha256::digest(key.as_bytes());
    u64::from_be_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]])
}

/// A URL's host, lower case, without user info or port: the key that keeps a host's requests
/// in one share.
pub fn host_key(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |x| x.1);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// An article's key: its path as the project names it, without a leading `./`.
pub fn path_key(path: &str) -> String {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_item_once_and_split_evenly() {
        let keys: Vec<String> = (0..10_000).map(|i| format!("host{i}.example")).collect();
        for n in [1, 2, 4, 7] {
            let shards: Vec<Shard> = (1..=n).map(|k| Shard { k, n }).collect();
            let mut sizes = vec![0usize; n as usize];
            for key in &keys {
                let owners: Vec<usize> = (0..shards.len())
                    .filter(|&i| shards[i].takes(key))
                    .collect();
                assert_eq!(owners.len(), 1, "{key} in {owners:?} of {n}");
                sizes[owners[0]] += 1;
            }
            let even = keys.len() / n as usize;
            for s in sizes {
                assert!(
                    s.abs_diff(even) < even / 10 + 50,
                    "share of {s} where {even} expected"
                );
            }
        }
        // stable: the same answer on every machine and in every version (computed with
        // Python's hashlib: int.from_bytes(sha256(b"news.example").digest()[:8], "big"))
        assert_eq!(stable_hash("news.example"), 0x2818_08bf_264b_340e);
        assert!(Shard { k: 3, n: 4 }.takes("news.example"));
    }

    #[test]
    fn parse_and_keys() {
        assert_eq!("2/4".parse::<Shard>().unwrap(), Shard { k: 2, n: 4 });
        for bad in ["0/4", "5/4", "1/0", "x", "1/", "/2", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(
            host_key("https://user:pw@News.Example.:8443/a?b#c"),
            "news.example"
        );
        assert_eq!(host_key("http://[::1]:8080/x"), "::1");
        assert_eq!(host_key("http://a.example"), "a.example");
        assert_eq!(path_key("./docs/./a.md"), "docs/./a.md");
        assert_eq!(path_key("docs\\a.md"), "docs/a.md");
    }
}
