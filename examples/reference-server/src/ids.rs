//! Random identifiers and secrets, from the operating system's CSPRNG (through `rand`'s
//! thread generator, which is seeded from it and cryptographically secure).

use rand::RngCore;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// `n` random bytes.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rand::rng().fill_bytes(&mut v);
    v
}

/// A random token of `len` characters from a 32-letter lower-case alphabet (5 bits each).
pub fn random_token(len: usize) -> String {
    random_bytes(len)
        .into_iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect()
}

/// A new object id: `<prefix>_<16 random characters>` (80 bits).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_token(16))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_and_distinct() {
        let a = new_id("key");
        assert!(a.starts_with("key_") && a.len() == 20);
        assert_ne!(a, new_id("key"));
        assert!(random_token(40).bytes().all(|b| ALPHABET.contains(&b)));
    }
}
