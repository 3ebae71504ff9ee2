-- Actor mentions: every phrase of an article resolved to a coded actor, with its span and the
-- rule or knowledge-base entry that resolved it.

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,               -- character span in the article's text
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    code       TEXT NOT NULL,                  -- CAMEO-style actor code, e.g. PRKMIL
    name       TEXT NOT NULL,
    country    TEXT,                           -- ISO-3, IGO…, NULL when unknown (---)
    sector     TEXT,
    role       TEXT NOT NULL,                  -- actor | modifier
    sentence   INTEGER NOT NULL,
    rule       TEXT NOT NULL,
    PRIMARY KEY (article_id, start, end, code)
) WITHOUT ROWID;
CREATE INDEX mentions_code ON mentions(code);
CREATE INDEX mentions_country ON mentions(country);
