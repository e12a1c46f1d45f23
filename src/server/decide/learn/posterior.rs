//! Beta-Bernoulli propensities with back-off and forgetting.
//!
//! Each (action, cell) keeps two sums: the weight of its answers and the
//! weight of its acceptances. Forgetting is forward decay: an answer at time
//! t is stored with weight 2^((t − landmark) / half-life), so an update is a
//! plain addition (safe under concurrent writers and exact on replays), and
//! reading at `now` multiplies by 2^(−(now − landmark) / half-life). Evidence
//! halves every half-life.
//!
//! The posterior of a cell borrows strength from its parent: the catalog's
//! prior seeds the everyone cell with `PRIOR_WEIGHT` pseudo-answers, and each
//! finer cell starts from its parent's mean with the same weight, so a cell
//! with little evidence ranks near its parent and one with much evidence by
//! its own rate.

/// Pseudo-answers a prior (the catalog's, or a parent cell's mean) is worth.
pub const PRIOR_WEIGHT: f64 = 5.0;

/// Decayed evidence of one cell, as of when it was read.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evidence {
    /// Answers (accepted, declined or ignored), decayed.
    pub answers: f64,
    /// Acceptances among them, decayed.
    pub accepted: f64,
}

impl Evidence {
    pub fn rate(&self) -> Option<f64> {
        (self.answers > 0.0).then(|| self.accepted / self.answers)
    }
}

/// Where the decay is measured from, and how fast it goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decay {
    pub landmark_ms: i64,
    pub half_life_days: f64,
}

impl Decay {
    fn exponent(&self, at_ms: i64) -> f64 {
        (at_ms - self.landmark_ms) as f64 / (self.half_life_days * 86_400_000.0)
    }

    /// The stored weight of an answer given at `at_ms`.
    pub fn weight(&self, at_ms: i64) -> f64 {
        self.exponent(at_ms).exp2()
    }

    /// Stored sums as evidence at `now_ms`.
    pub fn read(&self, stored_answers: f64, stored_accepted: f64, now_ms: i64) -> Evidence {
        let scale = (-self.exponent(now_ms)).exp2();
        Evidence {
            answers: stored_answers * scale,
            accepted: stored_accepted * scale,
        }
    }

    /// Whether the stored weights have grown large enough (2^256) that the
    /// landmark should move up to now before they lose precision.
    pub fn needs_rebase(&self, now_ms: i64) -> bool {
        self.exponent(now_ms) > 256.0
    }
}

/// Beta(alpha, beta) for the finest cell of a chain, given the catalog's
/// prior and each cell's evidence from everyone to the finest.
pub fn posterior(prior: f64, chain: &[Evidence]) -> (f64, f64) {
    let mut mean = prior.clamp(0.001, 0.999);
    let mut ab = (PRIOR_WEIGHT * mean, PRIOR_WEIGHT * (1.0 - mean));
    for e in chain {
        let declined = (e.answers - e.accepted).max(0.0);
        ab = (
            PRIOR_WEIGHT * mean + e.accepted.max(0.0),
            PRIOR_WEIGHT * (1.0 - mean) + declined,
        );
        mean = ab.0 / (ab.0 + ab.1);
    }
    ab
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn the_posterior_is_exact_on_a_hand_worked_sequence() {
        // Prior 0.3, weight 5. Everyone: 10 answers, 6 accepted. Gold: 4
        // answers, 1 accepted.
        // Everyone: alpha = 5 x 0.3 + 6 = 7.5, beta = 5 x 0.7 + 4 = 7.5; mean 0.5.
        // Gold: alpha = 5 x 0.5 + 1 = 3.5, beta = 5 x 0.5 + 3 = 5.5.
        let chain = [
            Evidence {
                answers: 10.0,
                accepted: 6.0,
            },
            Evidence {
                answers: 4.0,
                accepted: 1.0,
            },
        ];
        let (a, b) = posterior(0.3, &chain);
        assert_eq!(PRIOR_WEIGHT, 5.0, "the worked values assume it");
        assert!(
            (a - 3.5).abs() < 1e-12 && (b - 5.5).abs() < 1e-12,
            "{a} {b}"
        );
        // With no evidence, the prior with its weight.
        let (a, b) = posterior(0.3, &[Evidence::default(); 3]);
        assert!(
            (a - 1.5).abs() < 1e-12 && (b - 3.5).abs() < 1e-12,
            "{a} {b}"
        );
    }

    #[test]
    fn evidence_halves_after_one_half_life() {
        let decay = Decay {
            landmark_ms: 0,
            half_life_days: 30.0,
        };
        let at = 100 * DAY;
        let w = decay.weight(at);
        let now = decay.read(w, w, at);
        assert!((now.answers - 1.0).abs() < 1e-9);
        let later = decay.read(w, w, at + 30 * DAY);
        assert!((later.answers - 0.5).abs() < 1e-9, "{later:?}");
        let much_later = decay.read(w, 0.0, at + 90 * DAY);
        assert!((much_later.answers - 0.125).abs() < 1e-9);
        assert!(!decay.needs_rebase(at));
        assert!(decay.needs_rebase(300 * 30 * DAY));
    }
}
