-- The Police and Crime Panel's side: questions to the Commissioner (a
-- member's written question for a panel meeting, the Commissioner's answer,
-- publication) and the panel's forward work programme. Identical in meaning
-- to ../postgres/0004_panel.sql; only the types differ. It refers only to
-- the tables of 0001, so it applies whether or not 0003 has.

CREATE TABLE panel_questions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    -- The member as printed ("Ashley Clark", "Canterbury City Council"), never the account's e-mail.
    member_name TEXT NOT NULL,
    member_authority TEXT NOT NULL,
    question TEXT NOT NULL,
    -- Plan priorities referred to, one `plan-id/priority-id` a line.
    priorities TEXT NOT NULL DEFAULT '',
    submitted_by INTEGER NOT NULL REFERENCES users(id),
    submitted_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('submitted', 'answered', 'published')),
    answer TEXT,
    answered_by INTEGER REFERENCES users(id),
    answered_at TEXT,
    published_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (state = 'submitted' OR answer IS NOT NULL),
    CHECK (state <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX panel_questions_by_meeting ON panel_questions (meeting_id);

CREATE TABLE work_programme (
    id INTEGER PRIMARY KEY,
    -- NULL is "each meeting" (or an item not yet given a meeting).
    meeting_date TEXT,
    section TEXT NOT NULL CHECK (section IN ('meeting-date', 'provisionally-planned', 'standard-item', 'to-consider', 'to-note')),
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('planned', 'considered', 'withdrawn')),
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (section <> 'meeting-date' OR meeting_date IS NOT NULL)
);
