-- The catalog of a record store: forces, imports, record segments, which
-- months each source covers, and the counts every report is computed from.

CREATE TABLE forces (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('extract', 'police-uk')),
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    force_id INTEGER REFERENCES forces(id),
    system TEXT,
    extracted_on TEXT,
    rows_read INTEGER NOT NULL,
    rows_stored INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    rows_replaced INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    rejects_file TEXT
);

CREATE TABLE import_files (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL
);

-- Immutable files of records under segments/. A police.uk segment holds one
-- force-month and is replaced when a changed file for that month is imported.
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    force_id INTEGER NOT NULL REFERENCES forces(id),
    file TEXT NOT NULL UNIQUE,
    source INTEGER,
    month INTEGER,
    records INTEGER NOT NULL
);
CREATE INDEX segments_by_force ON segments (force_id);

-- A month a source is supplied for. Months absent here are "not supplied".
CREATE TABLE coverage (
    force_id INTEGER NOT NULL REFERENCES forces(id),
    source INTEGER NOT NULL,
    month INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    content_hash TEXT,
    PRIMARY KEY (force_id, source, month)
) WITHOUT ROWID;

-- Dictionaries: offence codes (or police.uk crime types) and district names.
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
);

CREATE TABLE districts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- Counts of records by the attributes measures filter on, maintained at
-- import. month is months since year 0 (YearMonth::index); flags is the
-- crime's flag bits; detail is the outcome type, suspect event or ASB type.
CREATE TABLE counts (
    force_id INTEGER NOT NULL,
    source INTEGER NOT NULL,
    month INTEGER NOT NULL,
    code_id INTEGER NOT NULL,
    district_id INTEGER NOT NULL,
    flags INTEGER NOT NULL,
    detail INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (force_id, source, month, code_id, district_id, flags, detail)
) WITHOUT ROWID;

-- The same counts with districts summed, which is what force-level reports read.
CREATE TABLE force_counts (
    force_id INTEGER NOT NULL,
    source INTEGER NOT NULL,
    month INTEGER NOT NULL,
    code_id INTEGER NOT NULL,
    flags INTEGER NOT NULL,
    detail INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (force_id, source, month, code_id, flags, detail)
) WITHOUT ROWID;
