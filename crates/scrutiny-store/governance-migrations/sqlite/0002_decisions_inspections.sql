-- Decision records with their sign-offs, and inspection reports with their
-- recommendations and dated updates. Identical in meaning to
-- ../postgres/0002_decisions_inspections.sql; only the types and trigger syntax differ.

-- The last reference number allocated per year (OPCC.D.NNN.YY): allocation
-- is one upsert, so concurrent drafts never share or skip a number.
CREATE TABLE decision_counters (
    year INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    reference_year INTEGER NOT NULL,
    reference_number INTEGER NOT NULL CHECK (reference_number > 0),
    -- The reference as printed (OPCC.D.024.20), for search.
    reference TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    -- The record this one corrects (a signed one), if it is a new version.
    supersedes_id INTEGER UNIQUE REFERENCES decisions(id),
    originator TEXT NOT NULL,
    title TEXT NOT NULL,
    executive_summary TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    decision TEXT NOT NULL,
    disclosure TEXT NOT NULL CHECK (disclosure IN ('open', 'confidential')),
    confidential_reason TEXT NOT NULL DEFAULT '',
    objectives TEXT NOT NULL DEFAULT '',
    objectives_statement TEXT NOT NULL DEFAULT '',
    equality_impact TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('draft', 'signing', 'signed', 'published')),
    created_at TEXT NOT NULL,
    published_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (reference_year, reference_number, revision),
    CHECK (disclosure = 'open' OR confidential_reason <> '')
);

-- Once signing starts the record's text never changes, whoever connects.
CREATE TRIGGER decisions_fixed_once_signed BEFORE UPDATE ON decisions
WHEN OLD.state <> 'draft' AND (
    NEW.reference_year IS NOT OLD.reference_year OR NEW.reference_number IS NOT OLD.reference_number
    OR NEW.reference IS NOT OLD.reference OR NEW.revision IS NOT OLD.revision OR NEW.supersedes_id IS NOT OLD.supersedes_id
    OR NEW.originator IS NOT OLD.originator OR NEW.title IS NOT OLD.title
    OR NEW.executive_summary IS NOT OLD.executive_summary OR NEW.recommendation IS NOT OLD.recommendation
    OR NEW.decision IS NOT OLD.decision OR NEW.disclosure IS NOT OLD.disclosure
    OR NEW.confidential_reason IS NOT OLD.confidential_reason OR NEW.objectives IS NOT OLD.objectives
    OR NEW.objectives_statement IS NOT OLD.objectives_statement OR NEW.equality_impact IS NOT OLD.equality_impact
    OR NEW.created_at IS NOT OLD.created_at
    OR (OLD.state IN ('signed', 'published') AND NEW.state NOT IN ('signed', 'published'))
    OR (OLD.state = 'published' AND (NEW.state <> 'published' OR NEW.published_at IS NOT OLD.published_at))
)
BEGIN SELECT RAISE(ABORT, 'a signed decision record cannot be changed'); END;
CREATE TRIGGER decisions_kept_once_signed BEFORE DELETE ON decisions
WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed decision record cannot be changed'); END;

CREATE TABLE decision_signoffs (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    signatory TEXT NOT NULL CHECK (signatory IN ('cfo', 'chief-executive', 'pcc')),
    name TEXT NOT NULL,
    comment TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (decision_id, signatory)
);
CREATE TRIGGER decision_signoffs_no_update BEFORE UPDATE ON decision_signoffs
BEGIN SELECT RAISE(ABORT, 'a signed decision record cannot be changed'); END;
CREATE TRIGGER decision_signoffs_no_delete BEFORE DELETE ON decision_signoffs
BEGIN SELECT RAISE(ABORT, 'a signed decision record cannot be changed'); END;

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    title TEXT NOT NULL,
    published_on TEXT NOT NULL,
    -- When the PCC's response was published (Police Act 1996 s.55: within 56 days).
    response_published_on TEXT,
    response_note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    position INTEGER NOT NULL,
    recommendation_text TEXT NOT NULL,
    force_position TEXT NOT NULL DEFAULT '',
    lead TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('awaiting-review', 'being-progressed', 'complete')),
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (inspection_id, position)
);

-- The dated history of each recommendation: appended, never changed.
CREATE TABLE recommendation_updates (
    id INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    status TEXT NOT NULL,
    force_position TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX recommendation_updates_by_recommendation ON recommendation_updates (recommendation_id);
CREATE TRIGGER recommendation_updates_no_update BEFORE UPDATE ON recommendation_updates
BEGIN SELECT RAISE(ABORT, 'the history of a recommendation cannot be changed'); END;
CREATE TRIGGER recommendation_updates_no_delete BEFORE DELETE ON recommendation_updates
BEGIN SELECT RAISE(ABORT, 'the history of a recommendation cannot be changed'); END;
