//! Seeded random numbers (ChaCha8) and the small sampling helpers the
//! generator needs: uniform draws, weighted picks, shuffles and
//! largest-remainder allocation of a total over weights.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// A deterministic random stream: the same seed and stream give the same
/// numbers on every machine.
pub(crate) struct Random {
    rng: ChaCha8Rng,
}

impl Random {
    /// `stream` separates the phases of one force (crimes, flags, outcomes, ...)
    /// so that changing one phase does not shift the numbers of the others.
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Self { rng }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// Uniform in `0..n` (`n` > 0); the multiply-shift bias is below 2^-32.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `low..=high`.
    pub(crate) fn between(&mut self, low: u32, high: u32) -> u32 {
        debug_assert!(low <= high);
        low + self.below((high - low) as usize + 1) as u32
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[-1, 1)`.
    pub(crate) fn symmetric(&mut self) -> f64 {
        self.unit() * 2.0 - 1.0
    }

    pub(crate) fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    /// Rounds `value` down or up at random so that the expectation is `value`.
    pub(crate) fn round(&mut self, value: f64) -> u64 {
        if value <= 0.0 {
            return 0;
        }
        let floor = value.floor();
        floor as u64 + u64::from(self.chance(value - floor))
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            let other = self.below(index + 1);
            items.swap(index, other);
        }
    }

    /// Moves a uniform random sample of `count` items to the front.
    pub(crate) fn sample_to_front<T>(&mut self, items: &mut [T], count: usize) {
        let count = count.min(items.len());
        for index in 0..count {
            let other = index + self.below(items.len() - index);
            items.swap(index, other);
        }
    }
}

/// A weighted choice among a fixed list, picked by binary search.
#[derive(Debug, Clone)]
pub(crate) struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    /// `None` if there is nothing with a positive weight.
    pub(crate) fn new(weights: impl IntoIterator<Item = f64>) -> Option<Self> {
        let mut total = 0.0;
        let cumulative: Vec<f64> = weights
            .into_iter()
            .map(|weight| {
                total += weight.max(0.0);
                total
            })
            .collect();
        (total > 0.0).then_some(Self { cumulative })
    }

    pub(crate) fn pick(&self, random: &mut Random) -> usize {
        let total = *self.cumulative.last().expect("a weighted choice is never empty");
        let target = random.unit() * total;
        let index = self.cumulative.partition_point(|&bound| bound <= target);
        // Skip zero-weight entries that share the bound (floating point edge).
        index.min(self.cumulative.len() - 1)
    }

    pub(crate) fn len(&self) -> usize {
        self.cumulative.len()
    }
}

/// Splits `total` over `weights` in proportion, rounding by largest remainder
/// (ties to the earlier entry), so that the parts add up to `total` exactly.
/// `None` if the weights are all zero and `total` is not.
pub(crate) fn allocate(total: u64, weights: &[f64]) -> Option<Vec<u64>> {
    let sum: f64 = weights.iter().map(|weight| weight.max(0.0)).sum();
    if total == 0 {
        return Some(vec![0; weights.len()]);
    }
    if sum <= 0.0 {
        return None;
    }
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given = 0u64;
    for (index, weight) in weights.iter().enumerate() {
        let exact = total as f64 * weight.max(0.0) / sum;
        let floor = exact.floor() as u64;
        parts.push(floor);
        given += floor;
        if *weight > 0.0 {
            remainders.push((exact - floor as f64, index));
        }
    }
    remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = total.saturating_sub(given);
    let mut cursor = 0;
    while left > 0 {
        let (_, index) = remainders[cursor % remainders.len()];
        parts[index] += 1;
        left -= 1;
        cursor += 1;
    }
    Some(parts)
}

/// Like [`allocate`], but no part may exceed its cap: parts that would are
/// held at the cap and the rest is spread over the others. `None` if the
/// total exceeds what the caps (of entries with positive weight) allow.
pub(crate) fn allocate_capped(total: u64, weights: &[f64], caps: &[u64]) -> Option<Vec<u64>> {
    let mut parts = vec![0u64; weights.len()];
    let mut open: Vec<bool> = weights.iter().zip(caps).map(|(weight, cap)| *weight > 0.0 && *cap > 0).collect();
    let mut left = total;
    loop {
        if left == 0 {
            return Some(parts);
        }
        let active: Vec<f64> =
            weights.iter().zip(&open).map(|(weight, open)| if *open { *weight } else { 0.0 }).collect();
        let shares = allocate(left, &active)?;
        let mut capped_any = false;
        for index in 0..parts.len() {
            if open[index] && parts[index] + shares[index] >= caps[index] {
                capped_any = true;
            }
        }
        if !capped_any {
            for (part, share) in parts.iter_mut().zip(shares) {
                *part += share;
            }
            return Some(parts);
        }
        for index in 0..parts.len() {
            if open[index] && parts[index] + shares[index] >= caps[index] {
                left -= caps[index] - parts[index];
                parts[index] = caps[index];
                open[index] = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_adds_up_and_respects_caps() {
        assert_eq!(allocate(10, &[1.0, 1.0, 1.0]).unwrap(), vec![4, 3, 3]);
        assert_eq!(allocate(0, &[0.0]).unwrap(), vec![0]);
        assert!(allocate(1, &[0.0, 0.0]).is_none());
        let parts = allocate_capped(100, &[10.0, 1.0, 1.0], &[50, 100, 100]).unwrap();
        assert_eq!(parts, vec![50, 25, 25]);
        assert!(allocate_capped(10, &[1.0, 0.0], &[5, 100]).is_none());
    }

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let mut first = Random::new(7, 1);
        let mut second = Random::new(7, 1);
        let mut other_stream = Random::new(7, 2);
        let a: Vec<u64> = (0..4).map(|_| first.next_u64()).collect();
        let b: Vec<u64> = (0..4).map(|_| second.next_u64()).collect();
        let c: Vec<u64> = (0..4).map(|_| other_stream.next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let weighted = Weighted::new([0.0, 1.0, 0.0]).unwrap();
        assert!((0..100).all(|_| weighted.pick(&mut first) == 1));
    }
}
