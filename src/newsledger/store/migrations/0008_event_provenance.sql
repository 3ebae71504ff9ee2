-- Which coder decided each event: 'rule' (the lexicon alone), 'model' (the learned coder alone,
-- at CAMEO root level) or 'both' (the lexicon's leaf code, of the root the model read).
ALTER TABLE events ADD COLUMN provenance TEXT NOT NULL DEFAULT 'rule';
CREATE INDEX events_provenance ON events(provenance);
