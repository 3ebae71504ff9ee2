-- Articles, where each was read from, their fingerprints for near-duplicate search, sentences,
-- and full-text search over title and text.

CREATE TABLE articles (
    seq              INTEGER PRIMARY KEY,           -- stable row number, used by the FTS index
    id               TEXT NOT NULL UNIQUE,          -- hash of the normalised title and text
    title            TEXT,
    url              TEXT,
    outlet           TEXT,
    published        TEXT,                          -- ISO date, YYYY-MM-DD
    dateline_place   TEXT,
    dateline_country TEXT,                          -- ISO 3166-1 alpha-3
    text             TEXT NOT NULL,                 -- cleaned text: every span points into it
    words            INTEGER NOT NULL,
    duplicate_of     TEXT REFERENCES articles(id),  -- the first copy, for a near-duplicate
    similarity       REAL,                          -- estimated overlap with duplicate_of
    source           TEXT NOT NULL,                 -- where it was first read
    analysed         INTEGER NOT NULL DEFAULT 0,    -- 1 once the language stages have run
    ingested_at      TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;

-- Every place an article was read from: a file, a line of a JSONL file, a feed entry, a URL.
-- An exact copy read from a second place adds a row here and nothing else.
CREATE TABLE article_sources (
    source     TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url        TEXT,
    outlet     TEXT,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (source, article_id)
) WITHOUT ROWID;
CREATE INDEX article_sources_article ON article_sources(article_id);

CREATE TABLE fingerprints (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature  BLOB NOT NULL,                       -- MinHash signature, uint32 values
    shingles   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE fingerprint_bands (
    band_key   INTEGER NOT NULL,                    -- LSH band hash (band number included)
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;

CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
