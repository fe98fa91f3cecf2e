"""Serving the ledger: the JSON API (``api``) and the HTML pages (``web``), templates and static files."""
