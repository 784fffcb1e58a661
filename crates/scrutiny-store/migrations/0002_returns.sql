-- Returns: figures a force reports that are not in its crime records
-- (definitions/returns.toml), and monthly call handling summed from its
-- per-call records. A (force, measure, month) absent here is "not supplied".

CREATE TABLE return_imports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    force_id INTEGER NOT NULL REFERENCES forces(id),
    rows_read INTEGER NOT NULL,
    values_stored INTEGER NOT NULL,
    values_unchanged INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    rejects_file TEXT
);

-- One returned value; never overwritten by a later import.
CREATE TABLE return_values (
    force_id INTEGER NOT NULL REFERENCES forces(id),
    measure TEXT NOT NULL,
    month INTEGER NOT NULL,
    value INTEGER NOT NULL CHECK (value >= 0),
    source TEXT NOT NULL,
    owner TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES return_imports(id),
    PRIMARY KEY (force_id, measure, month)
) WITHOUT ROWID;

-- The calls of one channel presented in one month, summed from per-call
-- records at import; the percentages and averages are computed from these.
CREATE TABLE call_months (
    force_id INTEGER NOT NULL REFERENCES forces(id),
    channel TEXT NOT NULL,
    month INTEGER NOT NULL,
    received INTEGER NOT NULL,
    answered INTEGER NOT NULL CHECK (answered <= received),
    answered_under_10s INTEGER NOT NULL CHECK (answered_under_10s <= answered),
    answer_seconds INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES return_imports(id),
    PRIMARY KEY (force_id, channel, month)
) WITHOUT ROWID;
