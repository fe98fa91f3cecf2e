"""Initial ledger schema: articles with their records, merged items, mention links, blocking keys, full text.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Text

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def art_fk() -> ForeignKey:
    return ForeignKey("articles.id", ondelete="CASCADE")


def upgrade() -> None:

    op.create_table(
        "articles",
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

    op.create_table(
        "entities",
        Column("id", Integer, primary_key=True),
        Column("name", Text, nullable=False),
        Column("type", String(32), nullable=False),
        Column("code", String(64)),
        Column("aliases", Text, nullable=False, default="[]"),  # JSON list
        Column("titles", Text, nullable=False, default="[]"),  # JSON list
        Column("affiliation_id", Integer, ForeignKey("entities.id", ondelete="SET NULL")),
        Column("name_key", Text, nullable=False),
        Index("ix_entities_type_name", "type", "name_key"),
    )

    op.create_table(
        "entity_keys",
        Column("key", String(300), primary_key=True),
        Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        Index("ix_entity_keys_entity", "entity_id"),
    )

    op.create_table(
        "entity_mentions",
        Column("id", Integer, primary_key=True),
        Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("article_id", String(200), art_fk(), nullable=False, index=True),
        Column("record_id", String(32), nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
    )

    op.create_table(
        "quotes",
        Column("id", Integer, primary_key=True),
        Column("text", Text, nullable=False),
        Column("text_key", String(64), nullable=False, index=True),
        Column("speaker_id", Integer, ForeignKey("entities.id", ondelete="SET NULL"), index=True),
        Column("speaker_text", Text),
        Column("cue", Text),
        Column("kind", String(16)),
    )

    op.create_table(
        "quote_mentions",
        Column("id", Integer, primary_key=True),
        Column("quote_id", Integer, ForeignKey("quotes.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("article_id", String(200), art_fk(), nullable=False, index=True),
        Column("record_id", String(32), nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
    )

    op.create_table(
        "claims",
        Column("id", Integer, primary_key=True),
        Column("text", Text, nullable=False),
        Column("source_id", Integer, ForeignKey("entities.id", ondelete="SET NULL"), index=True),
        Column("source_key", String(300), nullable=False, index=True),
        Column("source_text", Text),
        Column("cue", Text),
        Column("status", String(16), nullable=False, index=True),
        Column("status_cue", Text),
    )

    op.create_table(
        "claim_keys",
        Column("source_key", String(300), primary_key=True),
        Column("token", String(80), primary_key=True),
        Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
        Index("ix_claim_keys_claim", "claim_id"),
    )

    op.create_table(
        "claim_history",
        Column("id", Integer, primary_key=True),
        Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("article_id", String(200), art_fk(), nullable=False, index=True),
        Column("status", String(16), nullable=False),
        Column("status_cue", Text),
        Column("published", String(40)),
        Column("published_utc", String(40)),
        Column("seq", Integer, nullable=False),
    )

    op.create_table(
        "claim_mentions",
        Column("id", Integer, primary_key=True),
        Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("article_id", String(200), art_fk(), nullable=False, index=True),
        Column("record_id", String(32), nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
    )

    op.create_table(
        "events",
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
        Index("ix_events_type_actor", "type", "actor_id"),
        Index("ix_events_type_target", "type", "target_id"),
        Index("ix_events_type_text", "type", "text_key"),
        Index("ix_events_date", "date_start"),
    )

    op.create_table(
        "event_mentions",
        Column("id", Integer, primary_key=True),
        Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("article_id", String(200), art_fk(), nullable=False, index=True),
        Column("record_id", String(32), nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
    )

    op.create_table(
        "search_docs",
        Column("id", Integer, primary_key=True),
        Column("kind", String(16), nullable=False),
        Column("ref", String(32), nullable=False),
        Column("article_id", String(200), art_fk(), nullable=False, index=True),
        Column("body", Text, nullable=False),
    )

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # external-content FTS5 index over search_docs.body, kept in sync by triggers
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_docs', content_rowid='id', "
                   "tokenize='porter unicode61')")
        op.execute("CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN "
                   "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END")
        op.execute("CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN "
                   "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END")
    elif bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE search_docs ADD COLUMN tsv tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('english', body)) STORED")
        op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (tsv)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    for name in ("search_docs", "event_mentions", "events", "claim_mentions", "claim_history", "claim_keys",
                 "claims", "quote_mentions", "quotes", "entity_mentions", "entity_keys", "entities", "articles"):
        op.drop_table(name)
