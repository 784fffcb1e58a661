-- Counts kept as one page per force, source and month (src/pages.rs gives
-- the layout) instead of a row per cell: an import writes a hundred or so
-- pages where it wrote hundreds of thousands of rows. The district-level
-- rows of a store made before are converted into pages by the store when it
-- opens (Store::convert_legacy_counts), then dropped; the force-level table
-- is derived from them and goes now.

CREATE TABLE count_pages (
    force_id INTEGER NOT NULL REFERENCES forces(id),
    source INTEGER NOT NULL,
    month INTEGER NOT NULL,
    -- The records the page counts, the sum of its cells' n.
    total INTEGER NOT NULL,
    cells BLOB NOT NULL,
    PRIMARY KEY (force_id, source, month)
) WITHOUT ROWID;

ALTER TABLE counts RENAME TO legacy_counts;
DROP TABLE force_counts;
