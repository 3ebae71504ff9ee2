"""newsledger: turn news into a ledger of political events.

    import newsledger
    x = newsledger.extract(text, published="2024-06-24")   # code one text, no store
    ledger = newsledger.Ledger("news.db")                  # a SQLite file; ":memory:" works too
    report = ledger.ingest(["articles/", "feed.xml"])
"""

from .errors import ConfigError, InputError, LedgerError, NewsledgerError
from .extract import Extraction, extract
from .ledger import IngestReport, Ledger
from .model import Article, Dateline
from .version import __version__

__all__ = [
    "Article",
    "ConfigError",
    "Dateline",
    "Extraction",
    "IngestReport",
    "InputError",
    "Ledger",
    "LedgerError",
    "NewsledgerError",
    "__version__",
    "extract",
]
