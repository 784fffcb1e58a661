//! Rendered public responses, kept in memory while nothing they show can
//! have changed, so that a busy public page is rendered once, not on every
//! visit.
//!
//! An entry is served only while the *generation* it was rendered under is
//! current: the governance database's latest audit entry (every change is
//! audited in the same transaction as the change, by any process), the
//! records store's latest imports, and the day (overdue actions and
//! inspection clocks count days). An entry is also dropped after
//! [`MAX_AGE_SECONDS`], which bounds how long a change can go unseen where
//! the generation cannot see it at once (on PostgreSQL two concurrent
//! transactions may commit out of order of their audit ids). The cache holds
//! at most [`MAX_ENTRIES`] responses and [`MAX_BYTES`] of bodies; past that,
//! responses are served uncached until the generation moves on.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};

/// How long an entry may be served, whatever the generation says.
pub const MAX_AGE_SECONDS: i64 = 10;
/// The most responses kept.
pub const MAX_ENTRIES: usize = 4096;
/// The most body bytes kept.
pub const MAX_BYTES: usize = 64 << 20;

/// One response as it was sent (with its ETag).
#[derive(Debug, Clone)]
pub struct Cached {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// When it was rendered (seconds, the application's clock).
    pub at: i64,
}

#[derive(Debug, Default)]
struct State {
    generation: String,
    bytes: usize,
    entries: HashMap<String, Cached>,
}

/// The cache of public responses by URL (path and query).
#[derive(Debug, Default)]
pub struct PageCache {
    state: Mutex<State>,
    /// Responses sent as kept.
    hits: std::sync::atomic::AtomicU64,
}

impl PageCache {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The response for `url` rendered under `generation` no more than
    /// [`MAX_AGE_SECONDS`] before `now`, if one is kept. A new generation
    /// empties the cache.
    pub fn get(&self, generation: &str, url: &str, now: i64) -> Option<Cached> {
        let mut state = self.state();
        if state.generation != generation {
            *state = State { generation: generation.to_string(), ..State::default() };
            return None;
        }
        let cached = state.entries.get(url)?;
        if now - cached.at > MAX_AGE_SECONDS || now < cached.at {
            let stale = state.entries.remove(url).expect("just found");
            state.bytes -= stale.body.len();
            return None;
        }
        self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(cached.clone())
    }

    /// How many responses have been sent as kept.
    pub fn hits(&self) -> u64 {
        self.hits.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Keeps `response` for `url` if it was rendered under the current
    /// generation and there is room.
    pub fn put(&self, generation: &str, url: &str, response: Cached) {
        let mut state = self.state();
        if state.generation != generation {
            return;
        }
        let replaced = state.entries.get(url).map_or(0, |cached| cached.body.len());
        let bytes = state.bytes - replaced + response.body.len();
        if bytes > MAX_BYTES || (replaced == 0 && state.entries.len() >= MAX_ENTRIES) {
            return;
        }
        state.bytes = bytes;
        state.entries.insert(url.to_string(), response);
    }

    /// How many responses are kept.
    pub fn len(&self) -> usize {
        self.state().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str, at: i64) -> Cached {
        Cached { status: StatusCode::OK, headers: HeaderMap::new(), body: Bytes::from(text.to_string()), at }
    }

    #[test]
    fn keeps_a_response_for_its_generation_and_not_past_its_age() {
        let cache = PageCache::default();
        assert!(cache.get("g1", "/public", 100).is_none(), "empty");
        cache.put("g1", "/public", page("home", 100));
        assert_eq!(cache.get("g1", "/public", 105).unwrap().body, "home");
        assert_eq!(cache.hits(), 1);
        assert!(cache.get("g1", "/public/questions", 105).is_none(), "by URL");
        assert!(cache.get("g1", "/public", 100 + MAX_AGE_SECONDS + 1).is_none(), "too old");
        assert!(cache.is_empty(), "the old entry is dropped");
        cache.put("g1", "/public", page("home", 120));
        assert!(cache.get("g2", "/public", 121).is_none(), "a new generation");
        assert!(cache.is_empty(), "a new generation empties the cache");
        cache.put("g1", "/public", page("rendered before the change", 121));
        assert!(cache.is_empty(), "a response of an old generation is not kept");
    }

    #[test]
    fn is_bounded() {
        let cache = PageCache::default();
        assert!(cache.get("g", "/", 0).is_none());
        for n in 0..MAX_ENTRIES + 10 {
            cache.put("g", &format!("/public/search?q={n}"), page("x", 0));
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
        cache.put("g", "/public/search?q=0", page("replaced", 0));
        assert_eq!(cache.get("g", "/public/search?q=0", 0).unwrap().body, "replaced", "a kept URL is replaced");
        let cache = PageCache::default();
        assert!(cache.get("g", "/", 0).is_none());
        cache.put("g", "/big", Cached { body: Bytes::from(vec![0; MAX_BYTES + 1]), ..page("", 0) });
        assert!(cache.is_empty(), "a body over the byte limit is not kept");
    }
}
