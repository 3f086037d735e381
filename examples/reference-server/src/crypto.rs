//! Carrier credentials at rest: AES-256-GCM with a random 96-bit nonce per encryption, the
//! row's identity as associated data (a ciphertext copied to another row does not decrypt),
//! and the key id stored beside the ciphertext so keys can be rotated: new writes use the
//! current key, reads accept every key of the ring.

use crate::error::ServerError;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use std::collections::BTreeMap;
use std::fmt;

/// An encrypted value as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Id of the key that encrypted it.
    pub key_id: String,
    /// The 12-byte nonce.
    pub nonce: Vec<u8>,
    /// Ciphertext with the 16-byte tag.
    pub ciphertext: Vec<u8>,
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Sealed(key {}, {} bytes)",
            self.key_id,
            self.ciphertext.len()
        )
    }
}

/// The current key and the earlier ones still readable.
#[derive(Clone)]
pub struct KeyRing {
    current: String,
    keys: BTreeMap<String, [u8; 32]>,
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("current", &self.current)
            .field("ids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn check_id(id: &str) -> Result<(), ServerError> {
    if id.is_empty()
        || id.len() > 32
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ServerError::Config {
            field: "credentials key id".into(),
            detail: format!("'{id}' must be 1–32 letters, digits, '-' or '_'"),
        });
    }
    Ok(())
}

impl KeyRing {
    /// A ring whose current key is `key` under `id`.
    pub fn new(id: &str, key: [u8; 32]) -> Result<KeyRing, ServerError> {
        check_id(id)?;
        let mut keys = BTreeMap::new();
        keys.insert(id.to_string(), key);
        Ok(KeyRing {
            current: id.to_string(),
            keys,
        })
    }

    /// Adds an earlier key (readable, never used to encrypt). The current key wins on an id
    /// clash.
    pub fn with_old(mut self, id: &str, key: [u8; 32]) -> Result<KeyRing, ServerError> {
        check_id(id)?;
        self.keys.entry(id.to_string()).or_insert(key);
        Ok(self)
    }

    /// The current key's id.
    pub fn current_id(&self) -> &str {
        &self.current
    }

    fn cipher(&self, id: &str) -> Result<Aes256Gcm, ServerError> {
        let key = self.keys.get(id).ok_or_else(|| {
            ServerError::Internal(format!("credentials key '{id}' is not configured"))
        })?;
        Aes256Gcm::new_from_slice(key).map_err(|_| ServerError::Internal("bad AES key".into()))
    }

    /// Encrypts `plaintext` bound to `aad`.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Sealed, ServerError> {
        let nonce_bytes = crate::ids::random_bytes(12);
        let nonce = Nonce::try_from(nonce_bytes.as_slice())
            .map_err(|_| ServerError::Internal("nonce size".into()))?;
        let ciphertext = self
            .cipher(&self.current)?
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| ServerError::Internal("encryption failed".into()))?;
        Ok(Sealed {
            key_id: self.current.clone(),
            nonce: nonce_bytes,
            ciphertext,
        })
    }

    /// Decrypts a sealed value bound to `aad`.
    pub fn open(&self, sealed: &Sealed, aad: &[u8]) -> Result<Vec<u8>, ServerError> {
        let nonce = Nonce::try_from(sealed.nonce.as_slice())
            .map_err(|_| ServerError::Internal("stored nonce has the wrong size".into()))?;
        self.cipher(&sealed.key_id)?
            .decrypt(
                &nonce,
                Payload {
                    msg: &sealed.ciphertext,
                    aad,
                },
            )
            .map_err(|_| ServerError::Internal("stored credentials do not decrypt".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_opens_and_rotates() {
        let old = KeyRing::new("k1", [7u8; 32]).ok();
        let sealed = old.as_ref().and_then(|r| r.seal(b"secret", b"row-1").ok());
        let Some(sealed) = sealed else {
            panic!("sealing works")
        };
        assert_eq!(sealed.key_id, "k1");
        assert_ne!(sealed.ciphertext, b"secret");
        let ring = KeyRing::new("k2", [9u8; 32]).and_then(|r| r.with_old("k1", [7u8; 32]));
        let Ok(ring) = ring else { panic!("ring") };
        assert_eq!(ring.open(&sealed, b"row-1").ok(), Some(b"secret".to_vec()));
        assert!(ring.open(&sealed, b"row-2").is_err(), "bound to its row");
        let again = ring.seal(b"secret", b"row-1").ok();
        assert_eq!(again.map(|s| s.key_id), Some("k2".to_string()));
        let Ok(new_only) = KeyRing::new("k2", [9u8; 32]) else {
            panic!("ring")
        };
        assert!(new_only.open(&sealed, b"row-1").is_err());
        assert!(KeyRing::new("bad id", [0u8; 32]).is_err());
    }
}
