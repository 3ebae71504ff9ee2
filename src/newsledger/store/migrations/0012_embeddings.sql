-- What articles, events, stories and merged events mean, as sentence-encoder vectors
-- (newsledger/stories/embed.py): float32, little endian, unit length for articles and events;
-- a story's and a merged event's vector is the mean of its members'. Computed once when an
-- article is stored, so clustering never recomputes them. `model` names the encoder and its
-- hash, so vectors of another encoder are never compared with these.

CREATE TABLE article_embeddings (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    model      TEXT NOT NULL,
    vector     BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE event_embeddings (
    event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    vector   BLOB NOT NULL                      -- the vector of the event's sentence
) WITHOUT ROWID;

ALTER TABLE stories ADD COLUMN embedding BLOB;  -- mean of its articles' vectors
ALTER TABLE stories ADD COLUMN touched_seq INTEGER NOT NULL DEFAULT 0;  -- order of last change
-- What its articles report, each article counted once: {"actors": {country: articles},
-- "acts": {CAMEO code: articles}}; the label names the leading ones.
ALTER TABLE stories ADD COLUMN tally TEXT NOT NULL DEFAULT '{}';
CREATE INDEX stories_touched ON stories(touched_seq);

ALTER TABLE merged_events ADD COLUMN embedding BLOB;  -- mean of its mentions' sentence vectors
