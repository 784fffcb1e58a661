//! Survey statistics: means with t-based confidence intervals, proportions
//! with Wilson score intervals, Welch's t-test and the two-proportion z-test
//! for year-on-year change, the margin of error of a sample, raking to
//! population margins with the Kish effective sample size, and top-N lists.
//!
//! Quantiles and distribution functions come from `statrs`.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use crate::Error;

/// The two-sided critical value of the standard normal for `confidence` (0.95 → 1.96).
pub fn normal_critical(confidence: f64) -> f64 {
    let normal = Normal::standard();
    normal.inverse_cdf(1.0 - (1.0 - confidence) / 2.0)
}

fn t_critical(confidence: f64, degrees_of_freedom: f64) -> f64 {
    let t = StudentsT::new(0.0, 1.0, degrees_of_freedom).expect("degrees of freedom are positive");
    t.inverse_cdf(1.0 - (1.0 - confidence) / 2.0)
}

/// A mean with its t-based confidence interval. The interval is absent for
/// fewer than two values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanEstimate {
    pub n: u64,
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator).
    pub sd: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// The mean of `values` with a `confidence` interval from Student's t on n − 1
/// degrees of freedom; `None` for no values.
pub fn mean_with_ci(values: &[f64], confidence: f64) -> Option<MeanEstimate> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return Some(MeanEstimate { n: 1, mean, sd: 0.0, ci_low: None, ci_high: None });
    }
    let variance = values.iter().map(|value| (value - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let sd = variance.sqrt();
    let half = t_critical(confidence, n - 1.0) * sd / n.sqrt();
    Some(MeanEstimate { n: values.len() as u64, mean, sd, ci_low: Some(mean - half), ci_high: Some(mean + half) })
}

/// A share with its Wilson score interval, numerator and denominator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Proportion {
    pub numerator: u64,
    pub denominator: u64,
    /// numerator / denominator, as a fraction (0.1971), not a percentage.
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Proportion {
    pub fn percent(&self) -> f64 {
        self.share * 100.0
    }
}

/// `numerator` out of `denominator` with the Wilson score interval at
/// `confidence`; `None` for a zero denominator (there is no share).
pub fn wilson(numerator: u64, denominator: u64, confidence: f64) -> Option<Proportion> {
    if denominator == 0 || numerator > denominator {
        return None;
    }
    let n = denominator as f64;
    let p = numerator as f64 / n;
    let z = normal_critical(confidence);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Proportion { numerator, denominator, share: p, ci_low: centre - half, ci_high: centre + half })
}

/// The outcome of a two-sample test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TestResult {
    /// t or z.
    pub statistic: f64,
    /// Welch–Satterthwaite degrees of freedom (t-test only).
    pub degrees_of_freedom: Option<f64>,
    /// Two-sided p-value.
    pub p_value: f64,
    /// p < 1 − confidence.
    pub significant: bool,
}

/// Summary of one sample of a scale question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleSummary {
    pub n: u64,
    pub mean: f64,
    pub sd: f64,
}

impl From<&MeanEstimate> for SampleSummary {
    fn from(estimate: &MeanEstimate) -> Self {
        Self { n: estimate.n, mean: estimate.mean, sd: estimate.sd }
    }
}

/// Welch's unequal-variances t-test of `current` against `previous`; `None`
/// when either sample has fewer than two values or both have no spread.
pub fn welch_t(current: SampleSummary, previous: SampleSummary, confidence: f64) -> Option<TestResult> {
    if current.n < 2 || previous.n < 2 {
        return None;
    }
    let (n1, n2) = (current.n as f64, previous.n as f64);
    let (v1, v2) = (current.sd.powi(2) / n1, previous.sd.powi(2) / n2);
    let se = (v1 + v2).sqrt();
    if se == 0.0 {
        return None;
    }
    let statistic = (current.mean - previous.mean) / se;
    let degrees_of_freedom = (v1 + v2).powi(2) / (v1.powi(2) / (n1 - 1.0) + v2.powi(2) / (n2 - 1.0));
    let t = StudentsT::new(0.0, 1.0, degrees_of_freedom).expect("degrees of freedom are positive");
    let p_value = 2.0 * (1.0 - t.cdf(statistic.abs()));
    Some(TestResult {
        statistic,
        degrees_of_freedom: Some(degrees_of_freedom),
        p_value,
        significant: p_value < 1.0 - confidence,
    })
}

/// A change of a share between two samples, in percentage points, with the
/// pooled two-proportion z-test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProportionChange {
    /// (current − previous) × 100: percentage points, not a percent change.
    pub percentage_points: f64,
    pub test: Option<TestResult>,
}

/// The change from `previous` to `current` in percentage points and the
/// pooled two-proportion z-test; the test is absent when the pooled share is
/// 0 or 1 (no variation to test against).
pub fn two_proportion_z(current: &Proportion, previous: &Proportion, confidence: f64) -> ProportionChange {
    let percentage_points = (current.share - previous.share) * 100.0;
    let (n1, n2) = (current.denominator as f64, previous.denominator as f64);
    let pooled = (current.numerator + previous.numerator) as f64 / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    let test = (se > 0.0).then(|| {
        let statistic = (current.share - previous.share) / se;
        let p_value = 2.0 * (1.0 - Normal::standard().cdf(statistic.abs()));
        TestResult { statistic, degrees_of_freedom: None, p_value, significant: p_value < 1.0 - confidence }
    });
    ProportionChange { percentage_points, test }
}

/// The margin of error of a share estimated from a simple random sample of
/// `n` at `confidence`, at its widest (p = 0.5), with the finite population
/// correction when the population is known. A fraction (0.0162 = ±1.62
/// percentage points).
pub fn margin_of_error(n: u64, population: Option<u64>, confidence: f64) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let n_f = n as f64;
    let mut margin = normal_critical(confidence) * (0.25 / n_f).sqrt();
    if let Some(population) = population.filter(|population| *population > 1 && *population >= n) {
        let big_n = population as f64;
        margin *= ((big_n - n_f) / (big_n - 1.0)).sqrt();
    }
    Some(margin)
}

/// Raking (iterative proportional fitting): weights for respondents so that
/// the weighted share of each category of each dimension equals its
/// population target.
///
/// `categories[r][d]` is respondent r's category in dimension d;
/// `targets[d][c]` the population share of category c in dimension d (each
/// dimension's targets sum to 1). Weights are scaled to average 1.
pub fn rake(
    categories: &[Vec<usize>],
    targets: &[Vec<f64>],
    max_iterations: usize,
    tolerance: f64,
) -> Result<Vec<f64>, Error> {
    let respondents = categories.len();
    if respondents == 0 {
        return Err(Error::parse("raking needs at least one respondent"));
    }
    for (dimension, shares) in targets.iter().enumerate() {
        let total: f64 = shares.iter().sum();
        if (total - 1.0).abs() > 1e-6 {
            return Err(Error::parse(format!("raking targets of dimension {dimension} sum to {total}, not 1")));
        }
        for (category, share) in shares.iter().enumerate() {
            let present = categories.iter().any(|row| row[dimension] == category);
            if *share > 0.0 && !present {
                return Err(Error::parse(format!(
                    "raking: no respondent is in category {category} of dimension {dimension}, whose target is {share}"
                )));
            }
        }
    }
    let mut weights = vec![1.0; respondents];
    let total = respondents as f64;
    for _ in 0..max_iterations {
        let mut largest_gap: f64 = 0.0;
        for (dimension, shares) in targets.iter().enumerate() {
            let mut sums = vec![0.0; shares.len()];
            for (row, weight) in categories.iter().zip(&weights) {
                sums[row[dimension]] += weight;
            }
            let weight_total: f64 = sums.iter().sum();
            for (category, share) in shares.iter().enumerate() {
                largest_gap = largest_gap.max((sums[category] / weight_total - share).abs());
            }
            for (row, weight) in categories.iter().zip(weights.iter_mut()) {
                let category = row[dimension];
                if sums[category] > 0.0 {
                    *weight *= shares[category] * weight_total / sums[category];
                }
            }
        }
        if largest_gap < tolerance {
            let sum: f64 = weights.iter().sum();
            return Ok(weights.into_iter().map(|weight| weight * total / sum).collect());
        }
    }
    Err(Error::parse(format!("raking did not converge in {max_iterations} iterations")))
}

/// Kish's effective sample size of weighted data: (Σw)² / Σw².
pub fn kish_effective_n(weights: &[f64]) -> f64 {
    let sum: f64 = weights.iter().sum();
    let squares: f64 = weights.iter().map(|weight| weight * weight).sum();
    if squares == 0.0 { 0.0 } else { sum * sum / squares }
}

/// The weighted mean of `values`.
pub fn weighted_mean(values: &[f64], weights: &[f64]) -> Option<f64> {
    let total: f64 = weights.iter().sum();
    (total > 0.0).then(|| values.iter().zip(weights).map(|(value, weight)| value * weight).sum::<f64>() / total)
}

/// The `n` largest counts, largest first; ties in the order given (so a
/// definition's option order breaks them).
pub fn top_n<T: Clone>(counts: &[(T, u64)], n: usize) -> Vec<(T, u64)> {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|a, b| counts[*b].1.cmp(&counts[*a].1).then(a.cmp(b)));
    order.into_iter().take(n).map(|index| counts[index].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!((actual - expected).abs() < tolerance, "{actual} is not within {tolerance} of {expected}");
    }

    #[test]
    fn mean_interval_matches_scipy() {
        let values = [3.0, 7.0, 8.0, 5.0, 6.0, 9.0, 10.0, 4.0, 6.0, 7.0];
        let estimate = mean_with_ci(&values, 0.95).unwrap();
        close(estimate.mean, 6.5, 1e-12);
        // numpy.std(v, ddof=1)
        close(estimate.sd, 2.173067468400883, 1e-12);
        // scipy.stats.t.interval(0.95, df=9, loc=6.5, scale=scipy.stats.sem(v)) (scipy 1.17.1)
        close(estimate.ci_low.unwrap(), 4.9454811793392395, 1e-9);
        close(estimate.ci_high.unwrap(), 8.05451882066076, 1e-9);
        assert!(mean_with_ci(&[], 0.95).is_none());
        assert_eq!(mean_with_ci(&[4.0], 0.95).unwrap().ci_low, None);
    }

    #[test]
    fn wilson_matches_statsmodels() {
        // statsmodels.stats.proportion.proportion_confint(719, 3648, alpha=0.05, method='wilson') (statsmodels 0.15.0)
        let victims = wilson(719, 3648, 0.95).unwrap();
        close(victims.ci_low, 0.18450686739010283, 1e-9);
        close(victims.ci_high, 0.2103189965142723, 1e-9);
        close(victims.percent(), 19.709429824561404, 1e-9);
        // proportion_confint(186, 212, alpha=0.05, method='wilson')
        let fairly = wilson(186, 212, 0.95).unwrap();
        close(fairly.ci_low, 0.8263689828287256, 1e-9);
        close(fairly.ci_high, 0.9149158512999981, 1e-9);
        // proportion_confint(0, 20, alpha=0.05, method='wilson')
        let none = wilson(0, 20, 0.95).unwrap();
        close(none.ci_low, 0.0, 1e-12);
        close(none.ci_high, 0.1611251580528194, 1e-9);
        assert!(wilson(1, 0, 0.95).is_none());
        assert!(wilson(3, 2, 0.95).is_none());
    }

    #[test]
    fn welch_matches_scipy() {
        let a = [6.0, 7.0, 5.0, 8.0, 9.0, 4.0, 6.0, 7.0, 7.0, 8.0, 5.0, 6.0];
        let b = [5.0, 4.0, 6.0, 3.0, 7.0, 5.0, 4.0, 2.0, 6.0];
        let a = SampleSummary::from(&mean_with_ci(&a, 0.95).unwrap());
        let b = SampleSummary::from(&mean_with_ci(&b, 0.95).unwrap());
        // scipy.stats.ttest_ind(a, b, equal_var=False): statistic, pvalue, df (scipy 1.17.1)
        let test = welch_t(a, b, 0.95).unwrap();
        close(test.statistic, 2.7268579335829233, 1e-9);
        close(test.p_value, 0.014643933743929001, 1e-7);
        close(test.degrees_of_freedom.unwrap(), 16.470827394443532, 1e-9);
        assert!(test.significant);
        // scipy.stats.ttest_ind_from_stats(6.38, 2.31, 3648, 6.5, 2.2, 1400, equal_var=False)
        let summary = |n, mean, sd| SampleSummary { n, mean, sd };
        let test = welch_t(summary(3648, 6.38, 2.31), summary(1400, 6.5, 2.2), 0.95).unwrap();
        close(test.statistic, -1.710817045798206, 1e-9);
        close(test.p_value, 0.08723187213877723, 1e-7);
        assert!(!test.significant);
    }

    #[test]
    fn two_proportion_z_matches_statsmodels() {
        let current = wilson(186, 212, 0.95).unwrap();
        let previous = wilson(126, 136, 0.95).unwrap();
        // statsmodels.stats.proportion.proportions_ztest([186, 126], [212, 136])
        let change = two_proportion_z(&current, &previous, 0.95);
        close(change.percentage_points, (186.0 / 212.0 - 126.0 / 136.0) * 100.0, 1e-12);
        let test = change.test.unwrap();
        close(test.statistic, -1.4678677987711197, 1e-9);
        close(test.p_value, 0.14214013660924943, 1e-7);
        assert!(!test.significant);
        // proportions_ztest([719, 326], [3648, 1400])
        let change = two_proportion_z(&wilson(719, 3648, 0.95).unwrap(), &wilson(326, 1400, 0.95).unwrap(), 0.95);
        let test = change.test.unwrap();
        close(test.statistic, -2.8075805248726318, 1e-9);
        close(test.p_value, 0.0049915198713048085, 1e-7);
        assert!(test.significant);
        let all = wilson(5, 5, 0.95).unwrap();
        assert!(two_proportion_z(&all, &all, 0.95).test.is_none());
    }

    #[test]
    fn margin_of_error_with_finite_population() {
        // scipy.stats.norm.ppf(0.975) * sqrt(0.25 / 3648) * sqrt((1800000 - 3648) / (1800000 - 1))
        close(margin_of_error(3648, Some(1_800_000), 0.95).unwrap(), 0.016208777830344568, 1e-12);
        // scipy.stats.norm.ppf(0.975)
        close(normal_critical(0.95), 1.959963984540054, 1e-12);
        assert!(margin_of_error(0, None, 0.95).is_none());
        assert!(margin_of_error(100, None, 0.95).unwrap() > margin_of_error(100, Some(1000), 0.95).unwrap());
    }

    #[test]
    fn raking_matches_an_independent_ipf() {
        let categories: Vec<Vec<usize>> =
            [(0, 0), (0, 1), (0, 1), (1, 0), (1, 0), (1, 1), (2, 0), (2, 1), (2, 1), (2, 1)]
                .iter()
                .map(|(age, sex)| vec![*age, *sex])
                .collect();
        let targets = vec![vec![0.3, 0.45, 0.25], vec![0.48, 0.52]];
        let weights = rake(&categories, &targets, 1000, 1e-12).unwrap();
        // Reference from numpy 2 (an independent IPF on the table of counts):
        //   tab = 3×2 counts of (age, sex) above; t = tab.copy(); 1000 times:
        //   t *= (ta * t.sum() / t.sum(1))[:, None]; t *= (ts * t.sum() / t.sum(0))[None, :]
        //   weight = (t / tab)[age, sex], scaled so the weights average 1.
        let expected = [
            1.055245232981588,
            0.9723773835092058,
            0.9723773835092058,
            1.5403201759783016,
            1.5403201759783016,
            1.419359648043396,
            0.6641144150618081,
            0.6119618616460638,
            0.6119618616460638,
            0.6119618616460638,
        ];
        for (weight, expected) in weights.iter().zip(expected) {
            close(*weight, expected, 1e-9);
        }
        // (Σw)² / Σw² of the same weights.
        close(kish_effective_n(&weights), 8.827003925750324, 1e-9);
        // The weighted margins are the targets.
        let share = |dimension: usize, category: usize| {
            categories.iter().zip(&weights).filter(|(row, _)| row[dimension] == category).map(|(_, w)| w).sum::<f64>()
                / 10.0
        };
        close(share(0, 1), 0.45, 1e-9);
        close(share(1, 0), 0.48, 1e-9);
        assert!(rake(&categories, &[vec![0.5, 0.5, 0.5]], 10, 1e-9).is_err());
        assert!(rake(&categories, &[vec![0.5, 0.2, 0.2, 0.1]], 10, 1e-9).is_err());
    }

    #[test]
    fn top_n_breaks_ties_in_definition_order() {
        let counts = [("a", 5), ("b", 9), ("c", 5), ("d", 1)];
        assert_eq!(top_n(&counts, 3), vec![("b", 9), ("a", 5), ("c", 5)]);
        assert_eq!(top_n(&counts, 10).len(), 4);
    }
}
