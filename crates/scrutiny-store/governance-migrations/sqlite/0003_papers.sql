-- Meeting papers: the generated quarterly paper (a snapshot of what the
-- board saw) and uploaded PDF/DOCX files, with their bytes, digest and the
-- text extracted for search. Identical in meaning to ../postgres/0003_papers.sql.

CREATE TABLE papers (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    agenda_item_id INTEGER REFERENCES agenda_items(id),
    title TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN
        ('performance', 'inspections-audits-reviews', 'people', 'finance', 'collaboration', 'other')),
    source TEXT NOT NULL CHECK (source IN ('generated', 'uploaded')),
    media_type TEXT NOT NULL CHECK (media_type IN
        ('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
    file_name TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    -- Lower-case hex SHA-256 of content: what the audit log records of the file.
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    -- The generated paper's HTML, kept beside its PDF.
    html TEXT,
    -- The file's text (PDF text layer, DOCX paragraphs), for search.
    text_content TEXT NOT NULL,
    attached_by INTEGER REFERENCES users(id),
    attached_by_name TEXT NOT NULL,
    attached_at TEXT NOT NULL,
    published_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (length(sha256) = 64 AND size_bytes = length(content))
);
CREATE INDEX papers_by_meeting ON papers (meeting_id);

-- A paper is what the board saw: its file never changes once attached, and
-- once published it stays published.
CREATE TRIGGER papers_file_fixed BEFORE UPDATE ON papers
WHEN NEW.content IS NOT OLD.content OR NEW.sha256 IS NOT OLD.sha256 OR NEW.size_bytes IS NOT OLD.size_bytes
    OR NEW.media_type IS NOT OLD.media_type OR NEW.html IS NOT OLD.html OR NEW.text_content IS NOT OLD.text_content
    OR NEW.meeting_id IS NOT OLD.meeting_id OR NEW.source IS NOT OLD.source
    OR (OLD.published_at IS NOT NULL AND NEW.published_at IS NOT OLD.published_at)
BEGIN SELECT RAISE(ABORT, 'a paper''s file cannot be changed'); END;
CREATE TRIGGER papers_kept_once_published BEFORE DELETE ON papers
WHEN OLD.published_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a published paper cannot be deleted'); END;
