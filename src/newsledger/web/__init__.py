"""The web page and HTTP API over a ledger (``newsledger serve``)."""

from .app import create_app

__all__ = ["create_app"]
