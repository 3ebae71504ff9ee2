"""The columns of each exported table, with their types (docs/schema.md describes each one).

Types: ``str``, ``int``, ``float``; ``date`` (ISO YYYY-MM-DD in the ledger); ``timestamp`` (ISO
date and time, UTC); ``list`` (a JSON list of strings in the ledger: JSON text in CSV, a list
in Parquet and JSON); ``json`` (other JSON kept as JSON text in CSV and Parquet, decoded in
JSON lines). Names are those of the SQL views and tables they are read from.
"""

from __future__ import annotations

Column = tuple[str, str]

EVENTS: tuple[Column, ...] = (
    ("id", "str"), ("article_id", "str"),
    ("date", "date"), ("date_precision", "str"), ("date_end", "date"),
    ("source_code", "str"), ("source_name", "str"), ("source_text", "str"),
    ("source_start", "int"), ("source_end", "int"), ("source_country", "str"),
    ("target_code", "str"), ("target_name", "str"), ("target_text", "str"),
    ("target_start", "int"), ("target_end", "int"), ("target_country", "str"),
    ("cameo", "str"), ("cameo_root", "str"), ("quad_class", "int"), ("goldstein", "float"),
    ("plover_event", "str"), ("plover_mode", "str"),
    ("polarity", "str"), ("modality", "str"), ("attributed_to", "list"),
    ("location_name", "str"), ("location_country", "str"),
    ("location_lat", "float"), ("location_lon", "float"),
    ("quantities", "json"), ("content", "list"),
    ("sentence_text", "str"), ("sentence_start", "int"), ("sentence_end", "int"),
    ("trigger_text", "str"), ("trigger_start", "int"), ("trigger_end", "int"),
    ("rule", "str"), ("provenance", "str"), ("confidence", "float"),
    ("article_title", "str"), ("article_url", "str"), ("article_outlet", "str"),
    ("article_published", "date"), ("article_ingested_at", "timestamp"),
    ("claim_id", "str"), ("claim_status", "str"), ("claim_asserted_by", "list"),
    ("claim_denied_by", "list"), ("claim_confirmed_by", "list"), ("claim_evidence", "json"),
    ("merged_id", "str"), ("merge_reason", "str"), ("merged_mentions", "int"),
    ("merged_articles", "int"), ("corroboration", "int"), ("merged_outlets", "list"),
    ("story_id", "str"),
)

CLAIMS: tuple[Column, ...] = (
    ("id", "str"), ("event_id", "str"), ("article_id", "str"), ("status", "str"),
    ("asserted_by", "list"), ("denied_by", "list"), ("confirmed_by", "list"),
    ("evidence", "json"), ("date", "date"), ("source_code", "str"), ("target_code", "str"),
    ("cameo", "str"), ("plover_event", "str"), ("modality", "str"), ("sentence_text", "str"),
    ("article_url", "str"), ("article_outlet", "str"), ("article_published", "date"),
)

ARTICLES: tuple[Column, ...] = (
    ("id", "str"), ("title", "str"), ("url", "str"), ("outlet", "str"),
    ("outlet_country", "str"), ("outlet_code", "str"),
    ("published", "date"), ("date_source", "str"),
    ("dateline_place", "str"), ("dateline_country", "str"),
    ("words", "int"), ("duplicate_of", "str"), ("similarity", "float"), ("source", "str"),
    ("ingested_at", "timestamp"), ("story_id", "str"), ("text", "str"),
)

MENTIONS: tuple[Column, ...] = (
    ("article_id", "str"), ("start", "int"), ("end", "int"), ("text", "str"), ("code", "str"),
    ("name", "str"), ("country", "str"), ("sector", "str"), ("role", "str"),
    ("sentence", "int"), ("rule", "str"), ("article_published", "date"),
)

STORIES: tuple[Column, ...] = (
    ("id", "str"), ("label", "str"), ("first_date", "date"), ("last_date", "date"),
    ("articles", "int"), ("outlets", "list"), ("event_codes", "json"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "events": EVENTS, "claims": CLAIMS, "articles": ARTICLES, "mentions": MENTIONS,
    "stories": STORIES,
}



def available(table: str, names: set[str]) -> tuple[Column, ...]:
    """The columns of ``table`` present in the ledger's schema (``names``: the columns its
    query returns), in export order."""
    return tuple(column for column in TABLES[table] if column[0] in names)


# The date column each table is partitioned by with ``partition="month"``.
PARTITION_DATE = {"events": "date", "claims": "date", "articles": "published",
                  "mentions": "article_published", "stories": "last_date"}
