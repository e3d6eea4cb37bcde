//! WARC digests as other tools write them: `sha1:` in base32 (wget, warcio, Heritrix, pywb's
//! indexes, often without the prefix), `sha256:` in hex (ibid, Browsertrix). Compared in one
//! canonical form, `algorithm:lowercase-hex`, so an index and its records agree whatever
//! encoding each used.

use sha1::Sha1;
use sha2::{Digest as _, Sha256};

/// The hash functions a foreign archive's digests are checked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// SHA-1 (20 bytes): wget, warcio, Heritrix, pywb.
    Sha1,
    /// SHA-256 (32 bytes): ibid, Browsertrix.
    Sha256,
}

impl Algorithm {
    fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
        }
    }
    fn len(self) -> usize {
        match self {
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
        }
    }
}

/// A digest value, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// Which hash function the value is of.
    pub algorithm: Algorithm,
    /// The raw hash, decoded from hex or base32: 20 bytes for SHA-1, 32 for SHA-256.
    pub bytes: Vec<u8>,
}

/// Why a digest field cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// An algorithm this reader does not compute (md5, sha512 ...): nothing to verify.
    Unsupported(String),
    /// A value that is not a digest of its algorithm.
    Malformed(String),
}

impl Digest {
    /// `sha1:BASE32`, `sha1:hex`, `sha256:hex`, `sha-256:BASE32`; a bare value is taken as
    /// the algorithm its length says (32 base32 or 40 hex characters: sha1; 64 hex: sha256).
    pub fn parse(field: &str) -> Result<Digest, Unusable> {
        let field = field.trim();
        let (algorithm, value) = match field.split_once(':') {
            Some((a, v)) => {
                let a = a.to_ascii_lowercase().replace('-', "");
                let algorithm = match a.as_str() {
                    "sha1" => Algorithm::Sha1,
                    "sha256" => Algorithm::Sha256,
                    _ => return Err(Unusable::Unsupported(a)),
                };
                (algorithm, v.trim())
            }
            None => match field.len() {
                32 | 40 => (Algorithm::Sha1, field),
                52 | 64 => (Algorithm::Sha256, field),
                _ => return Err(Unusable::Malformed(field.chars().take(80).collect())),
            },
        };
        let bytes = decode_hex(value)
            .filter(|b| b.len() == algorithm.len())
            .or_else(|| decode_base32(value).filter(|b| b.len() == algorithm.len()))
            .ok_or_else(|| {
                Unusable::Malformed(format!(
                    "{}:{}",
                    algorithm.name(),
                    value.chars().take(80).collect::<String>()
                ))
            })?;
        Ok(Digest { algorithm, bytes })
    }

    /// `sha1:` or `sha256:` + lowercase hex.
    pub fn canonical(&self) -> String {
        format!(
            "{}:{}",
            self.algorithm.name(),
            crate::snapshot::warc::hex(&self.bytes)
        )
    }

    /// Digest of `parts` (concatenated) with this digest's algorithm.
    pub fn of_parts(algorithm: Algorithm, parts: &[&[u8]]) -> Digest {
        let bytes = match algorithm {
            Algorithm::Sha1 => {
                let mut h = Sha1::new();
                parts.iter().for_each(|p| h.update(p));
                h.finalize().to_vec()
            }
            Algorithm::Sha256 => {
                let mut h = Sha256::new();
                parts.iter().for_each(|p| h.update(p));
                h.finalize().to_vec()
            }
        };
        Digest { algorithm, bytes }
    }

    /// Does `data` hash to this digest?
    pub fn matches(&self, data: &[u8]) -> bool {
        Digest::of_parts(self.algorithm, &[data]) == *self
    }
}

/// A digest field in canonical form; a value that cannot be parsed is kept as written, so it
/// still compares equal to itself.
pub fn canonical(field: &str) -> String {
    match Digest::parse(field) {
        Ok(d) => d.canonical(),
        Err(_) => field.trim().to_string(),
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let nib = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    s.as_bytes()
        .chunks(2)
        .map(|p| Some(nib(p[0])? << 4 | nib(p[1])?))
        .collect()
}

/// RFC 4648 base32 (either case, padding optional).
fn decode_base32(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut acc, mut bits) = (0u64, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        let v = match c.to_ascii_uppercase() {
            b @ b'A'..=b'Z' => b - b'A',
            b @ b'2'..=b'7' => b - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | v as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// RFC 4648 base32, upper case, unpadded: how wget and warcio write sha1 digests.
#[cfg(test)]
pub fn base32(bytes: &[u8]) -> String {
    const A: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u64, 0u32);
    for &b in bytes {
        acc = (acc << 8) | b as u64;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(A[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(A[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encodings_other_tools_write_agree() {
        // sha1 of "hello": hex aaf4c61d..., base32 VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N
        let hex = "sha1:aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d";
        for form in [
            "sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N",
            "SHA-1:vl2mmho4yxukfwv63yhtwsbm3gxksq2n",
            "VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N",
            "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
            hex,
        ] {
            let d = Digest::parse(form).unwrap_or_else(|e| panic!("{form}: {e:?}"));
            assert_eq!(d.canonical(), hex, "{form}");
            assert!(d.matches(b"hello"));
            assert!(!d.matches(b"hello!"));
        }
        let d = Digest::parse(hex).unwrap();
        assert_eq!(base32(&d.bytes), "VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N");
        let s = Digest::parse(&crate::snapshot::warc::digest(b"hello")).unwrap();
        assert_eq!(s.algorithm, Algorithm::Sha256);
        assert!(s.matches(b"hello"));
    }

    #[test]
    fn unusable_fields_say_why() {
        assert_eq!(
            Digest::parse("md5:XUFAKrxLKna5cZ2REBfFkg=="),
            Err(Unusable::Unsupported("md5".into()))
        );
        assert!(matches!(
            Digest::parse("sha1:not-base32!"),
            Err(Unusable::Malformed(_))
        ));
        assert!(matches!(
            Digest::parse("sha256:abcd"),
            Err(Unusable::Malformed(_))
        ));
        assert!(matches!(Digest::parse("-"), Err(Unusable::Malformed(_))));
        assert_eq!(canonical("-"), "-");
    }
}
