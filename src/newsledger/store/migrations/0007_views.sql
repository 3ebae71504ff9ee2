-- Readable views for any SQLite client (datasette, DuckDB's sqlite_scan, pandas.read_sql,
-- sqlite3): one row per event with its evidence, article, claim, merged event and story; one
-- row per claim with its event. docs/schema.md describes every column. Views store nothing:
-- they read the tables as they are, and SQLite flattens them into a query, so a filter on
-- events_flat uses the indexes of events.

CREATE VIEW events_flat AS
SELECT
    e.*,  -- every column of events (a column added by a later migration joins in)
    json_extract(e.location, '$.name') AS location_name,
    json_extract(e.location, '$.country') AS location_country,
    json_extract(e.location, '$.lat') AS location_lat,
    json_extract(e.location, '$.lon') AS location_lon,
    substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence_text,
    substr(a.text, e.trigger_start + 1, e.trigger_end - e.trigger_start) AS trigger_text,
    a.title AS article_title,
    a.url AS article_url,
    a.outlet AS article_outlet,
    a.published AS article_published,
    a.ingested_at AS article_ingested_at,
    c.id AS claim_id,
    c.status AS claim_status,
    c.asserted_by AS claim_asserted_by,
    c.denied_by AS claim_denied_by,
    c.confirmed_by AS claim_confirmed_by,
    c.evidence AS claim_evidence,
    m.mentions AS merged_mentions,
    (SELECT COUNT(DISTINCT o.article_id) FROM events o WHERE o.merged_id = e.merged_id)
        AS merged_articles,
    m.corroboration,
    m.outlets AS merged_outlets,
    s.story_id
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN claims c ON c.event_id = e.id
LEFT JOIN merged_events m ON m.id = e.merged_id
LEFT JOIN story_articles s ON s.article_id = e.article_id;

CREATE VIEW claims_flat AS
SELECT
    c.id,
    c.event_id,
    c.article_id,
    c.status,
    c.asserted_by,
    c.denied_by,
    c.confirmed_by,
    c.evidence,
    e.date,
    e.source_code,
    e.target_code,
    e.cameo,
    e.plover_event,
    e.modality,
    substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence_text,
    a.url AS article_url,
    a.outlet AS article_outlet,
    a.published AS article_published
FROM claims c
JOIN events e ON e.id = c.event_id
JOIN articles a ON a.id = c.article_id;
