//! Where the desk's ids come from: request ids (a counter, so a reply can be
//! matched to the request still wanted) and idempotency keys (random v4
//! UUIDs). Both live in the state, so `update` stays deterministic: a test
//! seeds the generator and gets the same keys every run; the desk seeds it
//! from the operating system, so keys never repeat across restarts.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

pub struct Ids {
    rng: ChaCha20Rng,
    last_request: u64,
}

impl Ids {
    /// Seeded from the operating system: what a running desk uses.
    pub fn from_entropy() -> Ids {
        Ids {
            rng: ChaCha20Rng::from_entropy(),
            last_request: 0,
        }
    }

    /// The same sequence for the same seed: for tests and replays.
    pub fn seeded(seed: u64) -> Ids {
        Ids {
            rng: ChaCha20Rng::seed_from_u64(seed),
            last_request: 0,
        }
    }

    /// A fresh request id.
    pub fn next_request(&mut self) -> u64 {
        self.last_request += 1;
        self.last_request
    }

    /// A fresh idempotency key: a v4 UUID from this generator.
    pub fn new_key(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_keys_and_keys_are_v4_uuids() {
        let (mut a, mut b) = (Ids::seeded(3), Ids::seeded(3));
        let keys: Vec<String> = (0..3).map(|_| a.new_key()).collect();
        assert_eq!(keys, (0..3).map(|_| b.new_key()).collect::<Vec<_>>());
        assert_ne!(keys[0], keys[1]);
        let parsed = uuid::Uuid::parse_str(&keys[0]).expect("a UUID");
        assert_eq!(parsed.get_version_num(), 4);
        assert_ne!(Ids::seeded(4).new_key(), keys[0]);
        assert_eq!((a.next_request(), a.next_request()), (1, 2));
    }
}
