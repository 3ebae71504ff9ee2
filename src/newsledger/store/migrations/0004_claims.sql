-- Claims (who asserts, denies and confirms an event) and the content of statements.

ALTER TABLE events ADD COLUMN content TEXT NOT NULL DEFAULT '[]';  -- ids of reported events

CREATE TABLE claims (
    id           TEXT PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    event_id     TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    status       TEXT NOT NULL,                    -- reported | disputed | denied | confirmed
    asserted_by  TEXT NOT NULL DEFAULT '[]',       -- JSON lists of actor codes
    denied_by    TEXT NOT NULL DEFAULT '[]',
    confirmed_by TEXT NOT NULL DEFAULT '[]',
    evidence     TEXT NOT NULL DEFAULT '[]'        -- JSON: [{role, by, text, span, cue}]
);
CREATE INDEX claims_article ON claims(article_id);
CREATE INDEX claims_event ON claims(event_id);
CREATE INDEX claims_status ON claims(status);
