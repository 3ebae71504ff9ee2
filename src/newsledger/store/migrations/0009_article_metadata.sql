-- Where an article's metadata came from: the rule that gave its publication date ('metadata',
-- 'html', 'url', 'text'; NULL when undated), and its outlet's country (ISO-3) and media actor
-- code (data/outlets.tsv joined to data/actors/media.tsv, else <country>MED).
ALTER TABLE articles ADD COLUMN date_source TEXT;
ALTER TABLE articles ADD COLUMN outlet_country TEXT;
ALTER TABLE articles ADD COLUMN outlet_code TEXT;
CREATE INDEX articles_outlet_country ON articles(outlet_country);
