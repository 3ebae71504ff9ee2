-- Merged events (one real-world event reported in several articles), stories (articles about
-- one developing event), and the document frequencies the story clustering weighs words with.

CREATE TABLE merged_events (
    id               TEXT PRIMARY KEY,
    source_country   TEXT,
    target_country   TEXT,
    cameo_root       TEXT NOT NULL,
    cameo            TEXT NOT NULL,                -- the code of the first mention
    plover_event     TEXT,
    quad_class       INTEGER NOT NULL,
    goldstein        REAL NOT NULL,
    date_first       TEXT,
    date_last        TEXT,
    place_country    TEXT,
    mentions         INTEGER NOT NULL DEFAULT 0,
    corroboration    INTEGER NOT NULL DEFAULT 0,   -- independent reports (wire copies once)
    outlets          TEXT NOT NULL DEFAULT '[]'    -- JSON list of outlets, wire copies included
);
CREATE INDEX merged_events_key ON merged_events(source_country, target_country, cameo_root,
                                                date_last);

ALTER TABLE events ADD COLUMN merged_id TEXT REFERENCES merged_events(id);
ALTER TABLE events ADD COLUMN merge_reason TEXT;   -- why this mention joined its merged event
CREATE INDEX events_merged ON events(merged_id);

CREATE TABLE stories (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    first_date  TEXT,
    last_date   TEXT,
    articles    INTEGER NOT NULL DEFAULT 0,
    centroid    TEXT NOT NULL,                     -- JSON {feature: weight}, the top features
    event_codes TEXT NOT NULL DEFAULT '{}',        -- JSON {CAMEO code: mentions}
    created_seq INTEGER NOT NULL                   -- order of creation
);
CREATE INDEX stories_last_date ON stories(last_date);

CREATE TABLE story_articles (
    story_id   TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    score      REAL,                               -- similarity when it joined (NULL: founder)
    reason     TEXT,
    PRIMARY KEY (article_id)
) WITHOUT ROWID;
CREATE INDEX story_articles_story ON story_articles(story_id);

-- The features that index each story for candidate retrieval (its strongest ones).
-- Keyed by date so that a lookup reads only the stories active around an article's date.
CREATE TABLE story_features (
    feature   TEXT NOT NULL,
    last_date TEXT NOT NULL,                       -- '' for undated stories
    story_id  TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (feature, last_date, story_id)
) WITHOUT ROWID;
CREATE INDEX story_features_story ON story_features(story_id);

CREATE TABLE term_frequencies (
    term      TEXT PRIMARY KEY,
    documents INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
