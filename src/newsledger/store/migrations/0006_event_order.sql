-- Event listings come newest first: an index in that order lets a page of events be read
-- without sorting every match, and the date index it replaces is its prefix. Filters on the
-- target country (an actor's events either way, a dyad seen from the target) get theirs.
DROP INDEX IF EXISTS events_date;
CREATE INDEX events_newest ON events(date DESC, article_id, sentence_start, trigger_start);
CREATE INDEX events_target_country ON events(target_country, date);
