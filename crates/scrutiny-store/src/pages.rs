//! Count pages: the counts of one force, source and month kept as one blob
//! in the catalog (table `count_pages`), rather than as a row per cell.
//!
//! An import adds a few hundred thousand cells (seed-2024: about 300
//! thousand) but only a hundred or so (source, month) pages; writing a page
//! is one row, where a row per cell bound eight values per cell. Reports read
//! the pages of the months they need and sum the districts out in memory.
//!
//! The layout of a page, version 1: one byte `1`, then the cells sorted by
//! key (code id, district id, flags, detail), each 16 bytes little-endian:
//! code id u32, district id u32, flags u16, detail u16, n u32. Keys are unique.

use rustc_hash::FxHashMap;
use sqlx::{Connection, SqliteConnection, SqlitePool};

use crate::Error;

/// The version byte every page starts with.
const FORMAT: u8 = 1;
const CELL_BYTES: usize = 16;

/// One cell of a page: records of one offence code (or police.uk type),
/// district, flag set and detail (outcome type, suspect event, ASB type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct PageCell {
    pub code_id: u32,
    pub district_id: u32,
    pub flags: u16,
    pub detail: u16,
    pub n: u32,
}

impl PageCell {
    fn key(&self) -> (u32, u32, u16, u16) {
        (self.code_id, self.district_id, self.flags, self.detail)
    }
}

/// The blob of `cells`, which must be sorted by key with no key twice.
pub(crate) fn encode(cells: &[PageCell]) -> Vec<u8> {
    debug_assert!(cells.windows(2).all(|pair| pair[0].key() < pair[1].key()), "page cells sorted, keys unique");
    let mut bytes = Vec::with_capacity(1 + cells.len() * CELL_BYTES);
    bytes.push(FORMAT);
    for cell in cells {
        bytes.extend_from_slice(&cell.code_id.to_le_bytes());
        bytes.extend_from_slice(&cell.district_id.to_le_bytes());
        bytes.extend_from_slice(&cell.flags.to_le_bytes());
        bytes.extend_from_slice(&cell.detail.to_le_bytes());
        bytes.extend_from_slice(&cell.n.to_le_bytes());
    }
    bytes
}

/// The cells of a page blob, refusing a damaged or unknown one.
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<PageCell>, Error> {
    let Some((&format, body)) = bytes.split_first() else {
        return Err(Error::corrupt("a count page is empty"));
    };
    if format != FORMAT {
        return Err(Error::corrupt(format!(
            "a count page has layout version {format}; this Scrutiny reads version {FORMAT} (upgrade Scrutiny)"
        )));
    }
    if body.len() % CELL_BYTES != 0 {
        return Err(Error::corrupt(format!(
            "a count page is {} bytes long, not 1 + a multiple of {CELL_BYTES}",
            bytes.len()
        )));
    }
    let u32_at = |chunk: &[u8], at: usize| u32::from_le_bytes(chunk[at..at + 4].try_into().expect("4 bytes"));
    let u16_at = |chunk: &[u8], at: usize| u16::from_le_bytes(chunk[at..at + 2].try_into().expect("2 bytes"));
    let cells: Vec<PageCell> = body
        .chunks_exact(CELL_BYTES)
        .map(|chunk| PageCell {
            code_id: u32_at(chunk, 0),
            district_id: u32_at(chunk, 4),
            flags: u16_at(chunk, 8),
            detail: u16_at(chunk, 10),
            n: u32_at(chunk, 12),
        })
        .collect();
    if !cells.windows(2).all(|pair| pair[0].key() < pair[1].key()) {
        return Err(Error::corrupt("a count page's cells are out of order or repeated"));
    }
    Ok(cells)
}

/// `stored` and `added` (both sorted, keys unique) as one page, the counts
/// of a key in both added together.
pub(crate) fn merge(stored: &[PageCell], added: &[PageCell]) -> Result<Vec<PageCell>, Error> {
    let mut merged = Vec::with_capacity(stored.len() + added.len());
    let (mut left, mut right) = (stored.iter().peekable(), added.iter().peekable());
    loop {
        let next = match (left.peek(), right.peek()) {
            (Some(a), Some(b)) if a.key() == b.key() => {
                let n = a
                    .n
                    .checked_add(b.n)
                    .ok_or_else(|| Error::internal("a count cell would exceed 4,294,967,295 records in one month"))?;
                let cell = PageCell { n, ..**a };
                left.next();
                right.next();
                cell
            }
            (Some(a), Some(b)) if a.key() < b.key() => *left.next().expect("peeked"),
            (Some(_), Some(_)) | (None, Some(_)) => *right.next().expect("peeked"),
            (Some(_), None) => *left.next().expect("peeked"),
            (None, None) => break,
        };
        merged.push(next);
    }
    Ok(merged)
}

/// Sorts `cells` by key and adds up the counts of a key given more than once.
fn coalesce(mut cells: Vec<PageCell>) -> Result<Vec<PageCell>, Error> {
    cells.sort_unstable();
    let mut coalesced: Vec<PageCell> = Vec::with_capacity(cells.len());
    for cell in cells {
        match coalesced.last_mut() {
            Some(kept) if kept.key() == cell.key() => {
                kept.n = kept.n.checked_add(cell.n).ok_or_else(too_many)?;
            }
            _ => coalesced.push(cell),
        }
    }
    Ok(coalesced)
}

fn too_many() -> Error {
    Error::internal("a count cell would exceed 4,294,967,295 records in one month")
}

/// The records a page counts.
pub(crate) fn total(cells: &[PageCell]) -> u64 {
    cells.iter().map(|cell| u64::from(cell.n)).sum()
}

/// A count id (code or district) as a page stores it.
pub(crate) fn id_u32(id: i64) -> Result<u32, Error> {
    u32::try_from(id).map_err(|_| Error::corrupt(format!("dictionary id {id} is outside 0..=4294967295")))
}

/// Adds `added` — new cells by (source, month), in any order — to the force's
/// pages: a page that exists gets the cells merged in, a new one is written.
pub(crate) async fn add(
    connection: &mut SqliteConnection,
    force_id: i64,
    added: FxHashMap<(u8, i32), Vec<PageCell>>,
) -> Result<(), Error> {
    let Some(first) = added.keys().map(|(_, month)| *month).min() else {
        return Ok(());
    };
    let last = added.keys().map(|(_, month)| *month).max().expect("not empty");
    let stored: FxHashMap<(u8, i32), Vec<u8>> = sqlx::query_as::<_, (i64, i64, Vec<u8>)>(
        "SELECT source, month, cells FROM count_pages WHERE force_id = ? AND month BETWEEN ? AND ?",
    )
    .bind(force_id)
    .bind(i64::from(first))
    .bind(i64::from(last))
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .map(|(source, month, cells)| ((source as u8, month as i32), cells))
    .collect();
    let mut pages: Vec<((u8, i32), Vec<PageCell>)> = added.into_iter().collect();
    pages.sort_unstable_by_key(|(page, _)| *page);
    for ((source, month), cells) in pages {
        let cells = coalesce(cells)?;
        let cells = match stored.get(&(source, month)) {
            Some(bytes) => merge(&decode(bytes)?, &cells)?,
            None => cells,
        };
        sqlx::query(
            "INSERT INTO count_pages (force_id, source, month, total, cells) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (force_id, source, month) DO UPDATE SET total = excluded.total, cells = excluded.cells",
        )
        .bind(force_id)
        .bind(i64::from(source))
        .bind(i64::from(month))
        .bind(total(&cells) as i64)
        .bind(encode(&cells))
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

/// Converts the row-per-cell counts of a store made before count pages
/// (table `legacy_counts`, left by migration 0003) into pages, and drops
/// them, in one transaction; does nothing when there are none.
pub(crate) async fn convert_legacy_counts(pool: &SqlitePool) -> Result<(), Error> {
    let legacy: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'legacy_counts'")
            .fetch_optional(pool)
            .await?;
    if legacy.is_none() {
        return Ok(());
    }
    let mut connection = pool.acquire().await?;
    let mut transaction = connection.begin_with("BEGIN IMMEDIATE").await?;
    let forces: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT force_id FROM legacy_counts ORDER BY force_id")
        .fetch_all(&mut *transaction)
        .await?;
    // One force at a time, so that a large store is never held in memory whole.
    for force_id in forces {
        let rows: Vec<(i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT source, month, code_id, district_id, flags, detail, n FROM legacy_counts WHERE force_id = ?",
        )
        .bind(force_id)
        .fetch_all(&mut *transaction)
        .await?;
        let mut pages: FxHashMap<(u8, i32), Vec<PageCell>> = FxHashMap::default();
        for (source, month, code_id, district_id, flags, detail, n) in rows {
            let n = u32::try_from(n).map_err(|_| Error::corrupt(format!("a legacy count of {n} records")))?;
            pages.entry((source as u8, month as i32)).or_default().push(PageCell {
                code_id: id_u32(code_id)?,
                district_id: id_u32(district_id)?,
                flags: flags as u16,
                detail: detail as u16,
                n,
            });
        }
        add(&mut transaction, force_id, pages).await?;
    }
    sqlx::query("DROP TABLE legacy_counts").execute(&mut *transaction).await?;
    transaction.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(code_id: u32, district_id: u32, flags: u16, detail: u16, n: u32) -> PageCell {
        PageCell { code_id, district_id, flags, detail, n }
    }

    #[test]
    fn a_page_decodes_to_the_cells_it_was_made_of() {
        let cells =
            vec![cell(1, 2, 0, 0, 5), cell(1, 2, 3, 0, 1), cell(7, 0, 0, 22, 70_000), cell(u32::MAX, 9, 1, 2, 3)];
        let bytes = encode(&cells);
        assert_eq!(bytes.len(), 1 + 4 * 16);
        assert_eq!(decode(&bytes).unwrap(), cells);
        assert_eq!(decode(&encode(&[])).unwrap(), vec![]);
        assert_eq!(total(&cells), 70_009);
    }

    #[test]
    fn damaged_pages_are_refused() {
        let bytes = encode(&[cell(1, 2, 0, 0, 5), cell(3, 2, 0, 0, 5)]);
        assert!(decode(&[]).unwrap_err().message().contains("empty"));
        assert!(decode(&bytes[..bytes.len() - 1]).unwrap_err().message().contains("multiple of 16"));
        let mut newer = bytes.clone();
        newer[0] = 2;
        assert!(decode(&newer).unwrap_err().message().contains("layout version 2"));
        let swapped = [&bytes[..1], &bytes[17..], &bytes[1..17]].concat();
        assert!(decode(&swapped).unwrap_err().message().contains("out of order"));
    }

    #[test]
    fn merging_adds_the_counts_of_shared_keys_and_keeps_the_order() {
        let stored = [cell(1, 1, 0, 0, 2), cell(2, 1, 0, 0, 3), cell(4, 1, 0, 0, 1)];
        let added = [cell(0, 9, 0, 0, 1), cell(2, 1, 0, 0, 4), cell(3, 1, 0, 0, 6), cell(5, 1, 0, 0, 1)];
        let merged = merge(&stored, &added).unwrap();
        assert_eq!(
            merged,
            vec![
                cell(0, 9, 0, 0, 1),
                cell(1, 1, 0, 0, 2),
                cell(2, 1, 0, 0, 7),
                cell(3, 1, 0, 0, 6),
                cell(4, 1, 0, 0, 1),
                cell(5, 1, 0, 0, 1)
            ]
        );
        assert_eq!(total(&merged), total(&stored) + total(&added));
        assert_eq!(merge(&[], &added).unwrap(), added.to_vec());
        assert_eq!(merge(&stored, &[]).unwrap(), stored.to_vec());
        assert!(merge(&[cell(1, 1, 0, 0, u32::MAX)], &[cell(1, 1, 0, 0, 1)]).is_err(), "overflow is an error");
    }

    #[test]
    fn cells_given_twice_are_added_up() {
        let cells = vec![cell(2, 1, 0, 0, 1), cell(1, 1, 0, 0, 2), cell(2, 1, 0, 0, 3)];
        assert_eq!(coalesce(cells).unwrap(), vec![cell(1, 1, 0, 0, 2), cell(2, 1, 0, 0, 4)]);
        assert!(coalesce(vec![cell(1, 1, 0, 0, u32::MAX), cell(1, 1, 0, 0, 1)]).is_err());
    }
}
