//! Arbitration: priority = propensity x context weight x value x lever, the
//! best shown first, at most `max_shown` and at most one of an exclusive
//! group. The propensity comes from the [`Scorer`]: a draw from each
//! action's posterior (the catalog's prior until answers arrive), so an
//! action with little evidence still gets shown (Thompson sampling). A small control
//! group is ranked by the priors alone. The chance of each shown action is
//! kept for evaluation by geometric resampling (Neu and Bartók, 2013): the
//! whole policy (control coin included) is drawn again until it shows that
//! action again; the number of draws N has mean exactly 1/chance, so the
//! inverse weights off-policy evaluation divides by are unbiased, where a
//! chance estimated by counting a fixed number of draws is not (1/p̂
//! overstates rare showings, by 8% in the simulator's priors estimate).

use super::catalog::{Action, Catalog, Dimension, Weighs};
use super::facts::Contact;
use super::{Item, Status};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The most times the policy is drawn again for one decision: a shown
/// action not shown again by then is logged with chance 1/MAX_RESAMPLES (an
/// action that rare is shown in fewer than one decision in a thousand).
const MAX_RESAMPLES: usize = 1024;

/// Where propensities come from for one decision.
pub struct Scorer {
    rng: ChaCha8Rng,
    control_share: f64,
    /// Per catalog action: the posterior (alpha, beta) for this contact's
    /// context; an action without one is scored by its prior.
    posteriors: Vec<(f64, f64)>,
}

impl Scorer {
    /// Draws with `seed`: the control group, and one (alpha, beta) per
    /// catalog action.
    pub fn new(seed: u64, control_share: f64, posteriors: Vec<(f64, f64)>) -> Scorer {
        Scorer {
            rng: ChaCha8Rng::seed_from_u64(seed),
            control_share,
            posteriors,
        }
    }

    /// Whether this decision falls in the control group.
    pub fn control(&mut self) -> bool {
        self.rng.gen::<f64>() < self.control_share
    }

    /// The expected propensity of catalog action `index`.
    fn mean(&self, index: usize, action: &Action) -> f64 {
        self.posteriors
            .get(index)
            .map_or(action.prior, |(a, b)| a / (a + b))
    }

    /// A draw from the posterior of catalog action `index`.
    fn draw(&mut self, index: usize, action: &Action) -> f64 {
        match self.posteriors.get(index) {
            Some(&(a, b)) => beta(&mut self.rng, a, b),
            None => action.prior,
        }
    }
}

/// Ranks `candidates` (eligible and allowed) and says which are shown.
pub fn rank(
    catalog: &Catalog,
    contact: &Contact,
    candidates: &mut [Item],
    scorer: &mut Scorer,
    control: bool,
) -> Vec<Item> {
    let weights: Vec<f64> = candidates
        .iter()
        .map(|it| {
            let action = &catalog.actions[it.action];
            let base = context_weight(catalog, contact, action) * action.lever;
            base * it.value.map_or(0.0, |v| v.minor_units as f64)
        })
        .collect();
    let means: Vec<f64> = candidates
        .iter()
        .map(|it| scorer.mean(it.action, &catalog.actions[it.action]))
        .collect();
    let priors: Vec<f64> = candidates
        .iter()
        .map(|it| catalog.actions[it.action].prior)
        .collect();
    // The control group ranks by the priors; otherwise a draw per action.
    let used: Vec<f64> = if control {
        priors.clone()
    } else {
        candidates
            .iter()
            .map(|it| scorer.draw(it.action, &catalog.actions[it.action]))
            .collect()
    };
    let priorities: Vec<f64> = used.iter().zip(&weights).map(|(p, w)| p * w).collect();
    let outcome = select(catalog, candidates, &priorities);
    let by_priors: Vec<f64> = priors.iter().zip(&weights).map(|(p, w)| p * w).collect();
    let control_slate = shown_flags(&select(catalog, candidates, &by_priors));
    let resamples = resample_until_shown(&shown_flags(&outcome), || {
        if scorer.control() {
            return control_slate.clone();
        }
        let drawn: Vec<f64> = candidates
            .iter()
            .zip(&weights)
            .map(|(it, w)| scorer.draw(it.action, &catalog.actions[it.action]) * w)
            .collect();
        shown_flags(&select(catalog, candidates, &drawn))
    });
    candidates
        .iter()
        .enumerate()
        .map(|(i, it)| Item {
            status: outcome[i].clone(),
            propensity: means[i],
            show_probability: resamples[i].map_or(0.0, |n| 1.0 / n as f64),
            priority: priorities[i],
            ..it.clone()
        })
        .collect()
}

fn shown_flags(statuses: &[Status]) -> Vec<bool> {
    statuses
        .iter()
        .map(|s| matches!(s, Status::Shown(_)))
        .collect()
}

/// Geometric resampling: for each item `shown`, how many slates `draw`
/// made until one showed it again (at most [`MAX_RESAMPLES`]); `None` for
/// an item not shown. One run of draws serves every shown item.
fn resample_until_shown(shown: &[bool], mut draw: impl FnMut() -> Vec<bool>) -> Vec<Option<usize>> {
    let mut found: Vec<Option<usize>> = vec![None; shown.len()];
    let mut waiting = shown.iter().filter(|s| **s).count();
    let mut n = 0;
    while waiting > 0 && n < MAX_RESAMPLES {
        n += 1;
        for (i, again) in draw().into_iter().enumerate() {
            if again && shown[i] && found[i].is_none() {
                found[i] = Some(n);
                waiting -= 1;
            }
        }
    }
    shown
        .iter()
        .zip(found)
        .map(|(s, f)| s.then(|| f.unwrap_or(MAX_RESAMPLES)))
        .collect()
}

/// The statuses of `candidates` ranked by `priorities`: the best shown, at
/// most one of an exclusive group and `max_shown` in all.
fn select(catalog: &Catalog, candidates: &[Item], priorities: &[f64]) -> Vec<Status> {
    let actions: Vec<usize> = candidates.iter().map(|c| c.action).collect();
    slate(catalog, &actions, priorities, catalog.settings.max_shown)
}

/// Which of the actions named by `codes` a slate ranked by `scores` shows;
/// a code the catalog does not have is never shown.
pub fn shows(catalog: &Catalog, codes: &[&str], scores: &[f64], max_shown: usize) -> Vec<bool> {
    let known: Vec<(usize, usize)> = codes
        .iter()
        .enumerate()
        .filter_map(|(k, code)| Some((k, catalog.position(code)?)))
        .collect();
    let actions: Vec<usize> = known.iter().map(|(_, index)| *index).collect();
    let known_scores: Vec<f64> = known.iter().map(|(k, _)| scores[*k]).collect();
    let mut shown = vec![false; codes.len()];
    for ((k, _), status) in known
        .iter()
        .zip(slate(catalog, &actions, &known_scores, max_shown))
    {
        shown[*k] = matches!(status, Status::Shown(_));
    }
    shown
}

/// The statuses of catalog `actions` ranked by `scores`: the best shown, at
/// most one of an exclusive group and `max_shown` in all. (Greedy, which is
/// also the best slate for a sum of scores under these two limits.)
pub fn slate(
    catalog: &Catalog,
    actions: &[usize],
    scores: &[f64],
    max_shown: usize,
) -> Vec<Status> {
    let mut order: Vec<usize> = (0..actions.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .total_cmp(&scores[a])
            .then(actions[a].cmp(&actions[b]))
    });
    let mut statuses = vec![Status::Shown(0); actions.len()];
    let mut taken: Vec<(usize, &str)> = Vec::new();
    let mut shown = 0;
    for i in order {
        let action = &catalog.actions[actions[i]];
        let group = catalog.group(action);
        if group.exclusive {
            if let Some((_, by)) = taken.iter().find(|(g, _)| *g == action.group) {
                statuses[i] = Status::Suppressed(format!(
                    "one {} action at a time: `{by}` ranked higher",
                    group.name
                ));
                continue;
            }
        }
        if shown >= max_shown {
            statuses[i] = Status::Suppressed(format!("outranked: {max_shown} shown at most"));
            continue;
        }
        statuses[i] = Status::Shown(shown);
        shown += 1;
        taken.push((action.group, action.code.as_str()));
    }
    statuses
}

/// The product of the context weights that apply to `action`'s kind or group.
fn context_weight(catalog: &Catalog, contact: &Contact, action: &Action) -> f64 {
    catalog
        .context
        .iter()
        .filter(|w| match w.applies_to {
            Weighs::Kind(kind) => kind == action.kind,
            Weighs::Group(group) => group == action.group,
        })
        .filter(|w| match w.dimension {
            Dimension::Queue => contact.queue.as_deref() == Some(w.value.as_str()),
            Dimension::Channel => contact.channel == w.value,
        })
        .map(|w| w.weight)
        .product()
}

/// A draw from Beta(a, b), as the ratio of two Gamma draws.
pub fn beta(rng: &mut impl Rng, a: f64, b: f64) -> f64 {
    let x = gamma(rng, a);
    let y = gamma(rng, b);
    if x + y <= 0.0 {
        return a / (a + b);
    }
    x / (x + y)
}

/// A draw from Gamma(shape, 1) (Marsaglia and Tsang; shape below 1 boosted).
fn gamma(rng: &mut impl Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.gen();
        if u < 1.0 - 0.0331 * x.powi(4) || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_draws_have_the_right_mean() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for (a, b) in [(2.0, 8.0), (0.5, 0.5), (30.0, 10.0)] {
            let n = 20_000;
            let mean: f64 = (0..n).map(|_| beta(&mut rng, a, b)).sum::<f64>() / n as f64;
            assert!((mean - a / (a + b)).abs() < 0.01, "Beta({a}, {b}): {mean}");
        }
    }

    #[test]
    fn the_control_group_takes_its_share_of_ten_thousand_decisions() {
        // 2% of 10,000 is 200; three standard deviations are 42. Each
        // decision's scorer is seeded on its own, as the service does.
        let control = (0..10_000u64)
            .filter(|seed| {
                Scorer::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15), 0.02, vec![]).control()
            })
            .count();
        assert!((158..=242).contains(&control), "{control} of 10,000");
        let none = (0..1_000u64)
            .filter(|s| Scorer::new(*s, 0.0, vec![]).control())
            .count();
        assert_eq!(none, 0);
    }

    #[test]
    fn geometric_resampling_waits_for_each_shown_item_once() {
        // Slates in turn: only item 2, then items 0 and 2, then item 0.
        let slates = [
            vec![false, false, true],
            vec![true, false, true],
            vec![true, false, false],
        ];
        let mut next = slates.iter().cycle().cloned();
        let n = resample_until_shown(&[true, false, true], || next.next().unwrap_or_default());
        assert_eq!(n, vec![Some(2), None, Some(1)]);
        // A shown item never drawn again counts as the cap.
        let n = resample_until_shown(&[true], || vec![false]);
        assert_eq!(n, vec![Some(MAX_RESAMPLES)]);
    }

    #[test]
    fn resampling_gives_an_unbiased_inverse_chance_where_counting_does_not() {
        // An action the priors' slate shows (the 2% control group) and a
        // learned draw shows 1% of the time: chance 0.02 + 0.98 x 0.01.
        let (share, learned) = (0.02, 0.01);
        let p = share + (1.0 - share) * learned;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let trials = 20_000;
        let mut mean_n = 0.0;
        for _ in 0..trials {
            let n = resample_until_shown(&[true], || {
                vec![rng.gen::<f64>() < share || rng.gen::<f64>() < learned]
            });
            mean_n += n[0].unwrap_or(0) as f64 / trials as f64;
        }
        assert!(
            (mean_n - 1.0 / p).abs() < 1.0,
            "mean N {mean_n}, 1/p {}",
            1.0 / p
        );
        // Counting 64 learned draws, as before: the learned part is 0 in
        // half the decisions, and the mean of 1/p̂ is 14% too high.
        let mut mean_inverse = 0.0;
        for _ in 0..trials {
            let count = (0..64).filter(|_| rng.gen::<f64>() < learned).count();
            let p_hat = share + (1.0 - share) * count as f64 / 64.0;
            mean_inverse += 1.0 / p_hat / trials as f64;
        }
        assert!(mean_inverse > 1.1 / p, "counting: {mean_inverse}");
    }
}
