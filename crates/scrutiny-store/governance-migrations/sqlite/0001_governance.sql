-- The governance workflow: accounts and sessions, meetings and their agenda,
-- questions and the force's responses, actions, and the audit log.
-- Identical in meaning to ../postgres/0001_governance.sql; only the types differ.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'editor', 'force', 'panel')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('board', 'panel')),
    title TEXT NOT NULL,
    meeting_date TEXT NOT NULL,
    venue TEXT NOT NULL,
    attendees TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX meetings_by_date ON meetings (meeting_date);

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    paper TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (meeting_id, position)
);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    paper TEXT NOT NULL,
    priority TEXT NOT NULL,
    question TEXT NOT NULL,
    asked_by INTEGER NOT NULL REFERENCES users(id),
    asked_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('asked', 'responded', 'published')),
    response TEXT,
    responder_id INTEGER REFERENCES users(id),
    responded_at TEXT,
    published_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX questions_by_meeting ON questions (meeting_id);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    action_text TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_date TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'discharged')),
    progress TEXT NOT NULL DEFAULT '',
    discharge_note TEXT,
    discharged_where TEXT CHECK (discharged_where IN ('meeting-item', 'paper', 'outside-meeting')),
    discharged_reference TEXT,
    discharged_at TEXT,
    raised_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX actions_by_meeting ON actions (meeting_id);

-- Written in the same transaction as the change it records; never updated or deleted.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    actor TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    change TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
