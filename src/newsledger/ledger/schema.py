"""The ledger's tables (SQLAlchemy Core).

Articles keep their full record JSON (the audit trail); merged ledger items
(entities, quotes, claims, events) live in normalized tables, and every item
links back to the articles and spans that support it through a ``*_mentions``
table. ``*_keys`` tables are blocking indexes: merging looks candidates up by
key instead of scanning the ledger, so ingest stays linear in the number of
documents.

The schema is created and changed only by the Alembic migrations in
``migrations/``; these Table objects must mirror the newest migration.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

def art_fk() -> ForeignKey:
    return ForeignKey("articles.id", ondelete="CASCADE")


articles = Table(
    "articles", metadata,
    Column("id", String(200), primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),  # ingestion order, for stable ordering
    Column("url", Text, index=True),
    Column("publisher", Text),
    Column("title", Text),
    Column("published", String(40)),
    Column("published_utc", String(40), index=True),  # sortable UTC form of ``published``
    Column("language", String(16)),
    Column("text_hash", String(64), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("record", Text, nullable=False),  # the full record JSON (schema newsledger.record/1)
    Column("ingested_at", String(40), nullable=False),
)

# Every outlet that ran an article's text (revision 0004): the first is the article's own; a copy of the
# same text from another publisher or URL (syndication) adds one, so no outlet vanishes from the provenance.
article_carriers = Table(
    "article_carriers", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(200), art_fk(), nullable=False),
    Column("doc_id", String(200)),  # the id the copy arrived under
    Column("publisher", Text),
    Column("url", Text),
    Column("title", Text),
    Column("published", String(40)),
    Column("published_utc", String(40)),
    Column("ingested_at", String(40), nullable=False),
    Index("ix_article_carriers_article", "article_id"),
    Index("ix_article_carriers_url", "url"),
)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("code", String(64)),
    Column("aliases", Text, nullable=False, default="[]"),  # JSON list
    Column("titles", Text, nullable=False, default="[]"),  # JSON list
    Column("affiliation_id", Integer, ForeignKey("entities.id", ondelete="SET NULL")),
    Column("name_key", Text, nullable=False),
    Index("ix_entities_type_name", "type", "name_key"),
    Index("ix_entities_affiliation_id", "affiliation_id"),  # revision 0003
)

entity_keys = Table(
    "entity_keys", metadata,
    Column("key", String(300), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_entity_keys_entity", "entity_id"),
)

entity_mentions = Table(
    "entity_mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), art_fk(), nullable=False, index=True),
    Column("record_id", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("text_key", String(64), nullable=False, index=True),
    Column("speaker_id", Integer, ForeignKey("entities.id", ondelete="SET NULL"), index=True),
    Column("speaker_text", Text),
    Column("cue", Text),
    Column("kind", String(16)),
)

quote_mentions = Table(
    "quote_mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("quote_id", Integer, ForeignKey("quotes.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), art_fk(), nullable=False, index=True),
    Column("record_id", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("source_id", Integer, ForeignKey("entities.id", ondelete="SET NULL"), index=True),
    Column("source_key", String(300), nullable=False, index=True),
    Column("source_text", Text),
    Column("cue", Text),
    Column("status", String(16), nullable=False, index=True),
    Column("status_cue", Text),
    Column("status_utc", String(40)),  # revision 0005: (time, seq) of the history entry the status came from
    Column("status_seq", Integer),
)

claim_keys = Table(
    "claim_keys", metadata,
    Column("source_key", String(300), primary_key=True),
    Column("token", String(80), primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_claim_keys_claim", "claim_id"),
)

claim_history = Table(
    "claim_history", metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), art_fk(), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("status_cue", Text),
    Column("published", String(40)),
    Column("published_utc", String(40)),
    Column("seq", Integer, nullable=False),
    Column("evidence", Text),  # JSON: the record's contradicted_by for this claim (revision 0002)
)

claim_mentions = Table(
    "claim_mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), art_fk(), nullable=False, index=True),
    Column("record_id", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("type", String(32), nullable=False),
    Column("mode", String(32)),
    Column("actor_id", Integer, ForeignKey("entities.id", ondelete="SET NULL")),
    Column("actor_text", Text),
    Column("target_id", Integer, ForeignKey("entities.id", ondelete="SET NULL")),
    Column("target_text", Text),
    Column("date_start", String(32)),
    Column("date_end", String(32)),
    Column("date_precision", String(16)),
    Column("date_text", Text),
    Column("location", Text),  # JSON object or null
    Column("loc_name", Text),
    Column("loc_country", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("figures", Text, nullable=False, default="[]"),  # JSON list of figure objects
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="SET NULL")),
    Column("negated", Boolean, nullable=False, default=False),
    Column("text_key", String(64)),
    # revision 0006: merge lookups judged inside the index (see that revision); the first two also serve
    # "events of this entity"
    Index("ix_events_actor_lookup", "actor_id", "type", "date_start", "date_end", "negated", "target_id"),
    Index("ix_events_target_lookup", "target_id", "type", "date_start", "date_end", "negated", "actor_id"),
    Index("ix_events_text_lookup", "type", "text_key", "date_start", "date_end", "negated", "actor_id", "target_id"),
    Index("ix_events_date", "date_start"),
    Index("ix_events_claim_id", "claim_id"),  # revision 0003
)

event_mentions = Table(
    "event_mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), art_fk(), nullable=False, index=True),
    Column("record_id", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

# Full-text search documents (one per article text and per quote mention). On SQLite the FTS5 table
# ``search_fts`` (created by the migration, not declared here) indexes ``body``; on PostgreSQL the
# migration adds a generated ``tsv`` tsvector column with a GIN index.
search_docs = Table(
    "search_docs", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("ref", String(32), nullable=False),
    Column("article_id", String(200), art_fk(), nullable=False, index=True),
    Column("body", Text, nullable=False),
)

MENTION_TABLES = {"entity": entity_mentions, "quote": quote_mentions, "claim": claim_mentions, "event": event_mentions}
