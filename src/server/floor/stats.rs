//! Queue statistics from call facts: counts, service level, ASA, AHT, abandon
//! rate, the calls waiting now and a per-minute series. Pure functions of the
//! facts and the clock, no I/O; the figures are defined in `PeriodStats`'s doc.

use super::calls::CallFacts;
use crate::domain::{MinuteSeries, PeriodStats};
use chrono::DateTime;

const MINUTE_MS: i64 = 60_000;

/// The statistics of the calls offered at or after `from_ms`, for a queue whose
/// target answer time is `target_s` seconds.
pub fn period(calls: &[CallFacts], from_ms: i64, target_s: u32) -> PeriodStats {
    let target_ms = target_s as i64 * 1000;
    let mut s = PeriodStats::default();
    let (mut wait_ms, mut handled, mut handle_ms) = (0i64, 0u32, 0i64);
    for c in calls.iter().filter(|c| c.offered_at >= from_ms) {
        s.offered += 1;
        if let Some(answered) = c.answered_at {
            s.answered += 1;
            let wait = answered - c.offered_at;
            wait_ms += wait;
            if wait <= target_ms {
                s.answered_within += 1;
            }
        }
        if let Some(abandoned) = c.abandoned_at {
            s.abandoned += 1;
            if abandoned - c.offered_at > target_ms {
                s.abandoned_after += 1;
            }
        }
        if let Some(ms) = c.handle_ms() {
            handled += 1;
            handle_ms += ms;
        }
    }
    s.service_level_pct = ratio_pct(s.answered_within, s.answered + s.abandoned_after);
    s.asa_s = mean_s(wait_ms, s.answered);
    s.aht_s = mean_s(handle_ms, handled);
    s.abandon_rate_pct = ratio_pct(s.abandoned, s.offered);
    s
}

/// Abandoned calls needed before callers' patience is estimated.
pub const MIN_ABANDONS_FOR_PATIENCE: u32 = 5;

/// Callers' mean patience in seconds, from the calls offered at or after
/// `from_ms`: every second waited (by callers answered, abandoned, or still
/// waiting now) over the calls abandoned. This is the maximum-likelihood
/// estimate for exponential patience, where an answer or a call still
/// waiting only tells that the caller would have waited at least that long.
/// `None` below `MIN_ABANDONS_FOR_PATIENCE` abandons.
pub fn patience_s(calls: &[CallFacts], from_ms: i64, now_ms: i64) -> Option<f64> {
    let (mut waited_ms, mut abandoned) = (0i64, 0u32);
    for c in calls.iter().filter(|c| c.offered_at >= from_ms) {
        let left_queue = match (c.answered_at, c.abandoned_at) {
            (Some(at), _) => at,
            (None, Some(at)) => {
                abandoned += 1;
                at
            }
            (None, None) if c.waiting() => now_ms,
            (None, None) => continue,
        };
        waited_ms += (left_queue - c.offered_at).max(0);
    }
    (abandoned >= MIN_ABANDONS_FOR_PATIENCE && waited_ms > 0)
        .then(|| waited_ms as f64 / 1000.0 / abandoned as f64)
}

/// Calls waiting now, and the longest current wait in seconds.
pub fn waiting(calls: &[CallFacts], now_ms: i64) -> (u32, Option<f64>) {
    let waits: Vec<i64> = calls
        .iter()
        .filter(|c| c.waiting())
        .map(|c| (now_ms - c.offered_at).max(0))
        .collect();
    let longest = waits.iter().max().map(|ms| *ms as f64 / 1000.0);
    (waits.len() as u32, longest)
}

/// Offered, answered and abandoned per minute for the last `minutes` minutes,
/// the current (partial) minute last. Each call counts in the minute its event
/// happened in.
pub fn per_minute(calls: &[CallFacts], now_ms: i64, minutes: u32) -> MinuteSeries {
    let current = now_ms.div_euclid(MINUTE_MS);
    let first = current - minutes as i64 + 1;
    let mut series = MinuteSeries {
        start: DateTime::from_timestamp_millis(first * MINUTE_MS).unwrap_or_default(),
        offered: vec![0; minutes as usize],
        answered: vec![0; minutes as usize],
        abandoned: vec![0; minutes as usize],
    };
    let slot = |at: i64| {
        let m = at.div_euclid(MINUTE_MS);
        (first..=current).contains(&m).then(|| (m - first) as usize)
    };
    for c in calls {
        if let Some(i) = slot(c.offered_at) {
            series.offered[i] += 1;
        }
        if let Some(i) = c.answered_at.and_then(slot) {
            series.answered[i] += 1;
        }
        if let Some(i) = c.abandoned_at.and_then(slot) {
            series.abandoned[i] += 1;
        }
    }
    series
}

fn ratio_pct(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn mean_s(total_ms: i64, count: u32) -> Option<f64> {
    (count > 0).then(|| total_ms as f64 / count as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1000;
    /// A whole minute (2023-11-15 01:46:40 UTC), the clock for every test.
    const NOW: i64 = 1_700_006_400_000;

    fn call(offered: i64) -> CallFacts {
        CallFacts {
            offered_at: NOW + offered * S,
            answered_at: None,
            abandoned_at: None,
            ended_at: None,
            wrap_ms: None,
        }
    }

    /// Six calls in the last ten minutes and one 40 minutes ago, target 20 s.
    fn calls() -> Vec<CallFacts> {
        let at = |offered: i64, after: i64| Some(NOW + (offered + after) * S);
        vec![
            // 1: answered after 10 s, talk 120 s, wrap 20 s: handle 140 s.
            CallFacts {
                answered_at: at(-600, 10),
                ended_at: at(-600, 130),
                wrap_ms: Some(20 * S),
                ..call(-600)
            },
            // 2: answered after 30 s (late), talk 60 s, wrap 40 s: handle 100 s.
            CallFacts {
                answered_at: at(-500, 30),
                ended_at: at(-500, 90),
                wrap_ms: Some(40 * S),
                ..call(-500)
            },
            // 3: hung up after 5 s: a short abandon.
            CallFacts {
                abandoned_at: at(-400, 5),
                ..call(-400)
            },
            // 4: hung up after 25 s: abandoned after the target.
            CallFacts {
                abandoned_at: at(-300, 25),
                ..call(-300)
            },
            // 5: still waiting, for 45 s now.
            call(-45),
            // 6: answered after exactly 20 s (within), still talking.
            CallFacts {
                answered_at: at(-100, 20),
                ..call(-100)
            },
            // 7: 40 minutes ago, answered after 60 s, talk 60 s, no wrap-up: 60 s.
            CallFacts {
                answered_at: at(-2400, 60),
                ended_at: at(-2400, 120),
                wrap_ms: Some(0),
                ..call(-2400)
            },
        ]
    }

    #[test]
    fn a_rolling_half_hour_worked_by_hand() {
        let s = period(&calls(), NOW - 30 * 60 * S, 20);
        // Offered 1–6; answered 1, 2, 6; abandoned 3, 4.
        assert_eq!((s.offered, s.answered, s.abandoned), (6, 3, 2));
        // Within 20 s: 1 (10 s) and 6 (20 s). After the target: 4 only.
        assert_eq!((s.answered_within, s.abandoned_after), (2, 1));
        // SL = 2 / (3 answered + 1 late abandon) = 50%.
        assert_eq!(s.service_level_pct, Some(50.0));
        // ASA = (10 + 30 + 20) / 3 = 20 s.
        assert_eq!(s.asa_s, Some(20.0));
        // AHT over finished handling: (140 + 100) / 2 = 120 s.
        assert_eq!(s.aht_s, Some(120.0));
        // Abandon rate = 2 / 6.
        assert!((s.abandon_rate_pct.expect("rate") - 33.333).abs() < 0.001);
    }

    #[test]
    fn the_whole_day_adds_the_older_call() {
        let s = period(&calls(), NOW - 12 * 3600 * S, 20);
        assert_eq!((s.offered, s.answered, s.abandoned), (7, 4, 2));
        // SL = 2 / (4 + 1) = 40%; ASA = (10 + 30 + 20 + 60) / 4 = 30 s.
        assert_eq!(s.service_level_pct, Some(40.0));
        assert_eq!(s.asa_s, Some(30.0));
        // AHT = (140 + 100 + 60) / 3 = 100 s.
        assert_eq!(s.aht_s, Some(100.0));
    }

    #[test]
    fn patience_counts_every_second_waited_over_the_abandons() {
        let mut calls = calls();
        // Two abandons (5 s and 25 s) are too few to tell.
        assert_eq!(patience_s(&calls, NOW - 3600 * S, NOW), None);
        // Three more, after 10, 20 and 30 s: five abandons.
        for (offered, after) in [(-200, 10), (-150, 20), (-90, 30)] {
            calls.push(CallFacts {
                abandoned_at: Some(NOW + (offered + after) * S),
                ..call(offered)
            });
        }
        // The last 30 minutes (call 7, 40 minutes ago, is outside). Waited:
        // answered 10 + 30 + 20, abandoned 5 + 25 + 10 + 20 + 30, call 5
        // still waiting 45: 195 s over 5 abandons.
        let hour = patience_s(&calls, NOW - 30 * 60 * S, NOW).expect("five abandons");
        assert!((hour - 195.0 / 5.0).abs() < 1e-9, "{hour}");
        // The whole day adds call 7's 60 s wait.
        let day = patience_s(&calls, NOW - 12 * 3600 * S, NOW).expect("five abandons");
        assert!((day - 255.0 / 5.0).abs() < 1e-9, "{day}");
    }

    #[test]
    fn nothing_offered_has_no_rates() {
        let s = period(&[], NOW, 20);
        assert_eq!(s, PeriodStats::default());
    }

    #[test]
    fn waiting_now() {
        assert_eq!(waiting(&calls(), NOW), (1, Some(45.0)));
        assert_eq!(waiting(&[], NOW), (0, None));
    }

    #[test]
    fn the_minute_series_counts_each_event_in_its_minute() {
        let series = per_minute(&calls(), NOW + 30 * S, 30);
        assert_eq!(series.offered.len(), 30);
        // The clock is 30 s into minute NOW (index 29). Call 5 arrived 45 s
        // before NOW (minute index 28); call 6 arrived 100 s before and was
        // answered 80 s before NOW (both in minute index 27).
        assert_eq!(series.start.timestamp_millis(), NOW - 29 * 60 * S);
        assert_eq!(
            (
                series.offered[29],
                series.answered[29],
                series.abandoned[29]
            ),
            (0, 0, 0)
        );
        assert_eq!(series.offered[28], 1);
        assert_eq!((series.offered[27], series.answered[27]), (1, 1));
        // Call 1 arrived 600 s before NOW and was answered 10 s later: index 19.
        assert_eq!((series.offered[19], series.answered[19]), (1, 1));
        let total: u32 = series.offered.iter().sum();
        assert_eq!(total, 6, "the call 40 minutes ago is outside the series");
        let abandoned: u32 = series.abandoned.iter().sum();
        assert_eq!(abandoned, 2);
    }
}
