-- Coded events: one row per (source, target, code) found in a sentence of an article, with the
-- evidence (sentence and trigger spans) and the rule or model that produced it.

CREATE TABLE events (
    id               TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source_code      TEXT,
    source_name      TEXT,
    source_text      TEXT,
    source_start     INTEGER,
    source_end       INTEGER,
    target_code      TEXT,
    target_name      TEXT,
    target_text      TEXT,
    target_start     INTEGER,
    target_end       INTEGER,
    source_country   TEXT,                          -- for dyad queries: country-level codes
    target_country   TEXT,
    cameo            TEXT NOT NULL,                 -- a string: '010' is not '10'
    cameo_root       TEXT NOT NULL,
    quad_class       INTEGER NOT NULL,
    goldstein        REAL NOT NULL,
    plover_event     TEXT,
    plover_mode      TEXT,
    polarity         TEXT NOT NULL,
    modality         TEXT NOT NULL,
    attributed_to    TEXT NOT NULL DEFAULT '[]',    -- JSON list of actor codes, nearest first
    date             TEXT,
    date_precision   TEXT,
    date_end         TEXT,
    location         TEXT,                          -- JSON {name, country, lat, lon}
    quantities       TEXT NOT NULL DEFAULT '[]',    -- JSON list
    sentence_start   INTEGER NOT NULL,
    sentence_end     INTEGER NOT NULL,
    trigger_start    INTEGER NOT NULL,
    trigger_end      INTEGER NOT NULL,
    rule             TEXT NOT NULL,
    confidence       REAL NOT NULL
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_source ON events(source_code);
CREATE INDEX events_target ON events(target_code);
CREATE INDEX events_dyad ON events(source_country, target_country, date);
CREATE INDEX events_cameo ON events(cameo_root, cameo);
CREATE INDEX events_date ON events(date);
