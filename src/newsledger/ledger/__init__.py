"""The ledger: articles and their merged entities, quotes, claims and events in a database."""

from newsledger.ledger.store import Ledger, resolve_url

__all__ = ["Ledger", "resolve_url"]
