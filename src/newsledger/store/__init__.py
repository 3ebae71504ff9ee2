"""The ledger's storage: one SQLite file with a versioned schema (see ``migrations/``)."""

from .db import connect, transaction

__all__ = ["connect", "transaction"]
