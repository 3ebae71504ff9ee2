-- events_flat names its columns, with the event's provenance (migration 0008: which coder
-- decided it, rule, model or both) beside its rule and confidence. The view of 0007 read
-- `e.*`, so a column added to events changed the view unannounced; now every column is listed,
-- in the order of the CSV and Parquet exports (docs/schema.md), and a new column joins the view
-- by a migration of its own. The rows and the other columns are those of 0007.

DROP VIEW IF EXISTS events_flat;

CREATE VIEW events_flat AS
SELECT
    e.id,
    e.article_id,
    e.date,
    e.date_precision,
    e.date_end,
    e.source_code,
    e.source_name,
    e.source_text,
    e.source_start,
    e.source_end,
    e.source_country,
    e.target_code,
    e.target_name,
    e.target_text,
    e.target_start,
    e.target_end,
    e.target_country,
    e.cameo,
    e.cameo_root,
    e.quad_class,
    e.goldstein,
    e.plover_event,
    e.plover_mode,
    e.polarity,
    e.modality,
    e.attributed_to,
    e.location,
    json_extract(e.location, '$.name') AS location_name,
    json_extract(e.location, '$.country') AS location_country,
    json_extract(e.location, '$.lat') AS location_lat,
    json_extract(e.location, '$.lon') AS location_lon,
    e.quantities,
    e.content,
    substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence_text,
    e.sentence_start,
    e.sentence_end,
    substr(a.text, e.trigger_start + 1, e.trigger_end - e.trigger_start) AS trigger_text,
    e.trigger_start,
    e.trigger_end,
    e.rule,
    e.provenance,
    e.confidence,
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
    e.merged_id,
    e.merge_reason,
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
