-- Faster reads for the API's busiest views (issue 15: /api/articles, /api/actors and
-- /api/stories sorted or grouped every row on each request, /api/stats read every article).
--
-- Articles newest first: an index in the very order of the listing (ORDER BY published IS NULL,
-- published DESC, seq DESC), so a page is read from the index instead of sorting every article.
CREATE INDEX articles_newest ON articles(published IS NULL, published DESC, seq DESC);

-- Stories most recently active first, likewise in the order of the listing.
CREATE INDEX stories_newest ON stories(last_date IS NULL, last_date DESC, articles DESC,
                                       created_seq);

-- The article counts of /api/stats (outlets too) from a small covering index, not the texts.
CREATE INDEX articles_counts ON articles(analysed, words, duplicate_of, outlet);

-- Actors most mentioned first: mention and article counts kept by triggers, per actor code and
-- role, and per country too (for the list of one country's actors), so a listing reads a few
-- hundred rows instead of grouping every mention. `country_key` is the country or '' (unknown).
-- The name, country and sector shown come from the mention with the greatest name, through
-- mentions_role_code_name, as the grouping query gave them.
CREATE TABLE actor_counts (
    role     TEXT NOT NULL,
    code     TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    articles INTEGER NOT NULL,               -- distinct articles with a mention of it
    PRIMARY KEY (role, code)
) WITHOUT ROWID;
CREATE INDEX actor_counts_rank ON actor_counts(role, mentions DESC, code);

CREATE TABLE actor_country_counts (
    role        TEXT NOT NULL,
    country_key TEXT NOT NULL,
    code        TEXT NOT NULL,
    mentions    INTEGER NOT NULL,
    articles    INTEGER NOT NULL,
    PRIMARY KEY (role, country_key, code)
) WITHOUT ROWID;
CREATE INDEX actor_country_counts_rank ON actor_country_counts(role, country_key, mentions DESC,
                                                               code);
CREATE INDEX mentions_role_code_name ON mentions(role, code, name);

INSERT INTO actor_counts
SELECT role, code, COUNT(*), COUNT(DISTINCT article_id) FROM mentions GROUP BY role, code;
INSERT INTO actor_country_counts
SELECT role, COALESCE(country, ''), code, COUNT(*), COUNT(DISTINCT article_id) FROM mentions
GROUP BY role, COALESCE(country, ''), code;

-- A new mention: one more mention, and one more article when it is the article's first
-- mention of that actor (in that role; in that country for the per-country counts).
CREATE TRIGGER mentions_counted AFTER INSERT ON mentions BEGIN
    INSERT INTO actor_counts VALUES (NEW.role, NEW.code, 1, 1)
    ON CONFLICT (role, code) DO UPDATE SET mentions = mentions + 1,
        articles = articles + NOT EXISTS (
            SELECT 1 FROM mentions m WHERE m.article_id = NEW.article_id AND m.code = NEW.code
            AND m.role = NEW.role AND (m.start, m.end) != (NEW.start, NEW.end));
    INSERT INTO actor_country_counts VALUES (NEW.role, COALESCE(NEW.country, ''), NEW.code, 1, 1)
    ON CONFLICT (role, country_key, code) DO UPDATE SET mentions = mentions + 1,
        articles = articles + NOT EXISTS (
            SELECT 1 FROM mentions m WHERE m.article_id = NEW.article_id AND m.code = NEW.code
            AND m.role = NEW.role AND m.country IS NEW.country
            AND (m.start, m.end) != (NEW.start, NEW.end));
END;

-- A mention gone (replaced, or its article deleted): the reverse; a count that reaches 0 goes.
CREATE TRIGGER mentions_uncounted AFTER DELETE ON mentions BEGIN
    UPDATE actor_counts SET mentions = mentions - 1,
        articles = articles - NOT EXISTS (
            SELECT 1 FROM mentions m WHERE m.article_id = OLD.article_id AND m.code = OLD.code
            AND m.role = OLD.role)
    WHERE role = OLD.role AND code = OLD.code;
    DELETE FROM actor_counts WHERE role = OLD.role AND code = OLD.code AND mentions <= 0;
    UPDATE actor_country_counts SET mentions = mentions - 1,
        articles = articles - NOT EXISTS (
            SELECT 1 FROM mentions m WHERE m.article_id = OLD.article_id AND m.code = OLD.code
            AND m.role = OLD.role AND m.country IS OLD.country)
    WHERE role = OLD.role AND country_key = COALESCE(OLD.country, '') AND code = OLD.code;
    DELETE FROM actor_country_counts WHERE role = OLD.role
        AND country_key = COALESCE(OLD.country, '') AND code = OLD.code AND mentions <= 0;
END;

-- A mention changed in place (nothing does this today): counted out, then in again.
CREATE TRIGGER mentions_recounted AFTER UPDATE OF article_id, start, end, code, country, role
ON mentions BEGIN
    SELECT RAISE(ABORT, 'mentions are replaced, never updated in place (actor_counts)');
END;
