"""Ingest: read inputs, clean them into articles, and recognise duplicates."""

from .clean import Cleaned, Cleaner, to_article_fields
from .dedup import Fingerprint, content_id
from .sources import ReadOptions, read_inputs

__all__ = ["Cleaned", "Cleaner", "Fingerprint", "ReadOptions", "content_id", "read_inputs",
           "to_article_fields"]
