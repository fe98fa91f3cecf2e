"""Carriers: every outlet that ran an article's text (syndication). The first carrier of each stored article
is backfilled from the article row; a later copy of the same text from another publisher or URL adds a row.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_carriers",
        Column("id", Integer, primary_key=True),
        Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
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
    op.execute("INSERT INTO article_carriers (article_id, doc_id, publisher, url, title, published, "
               "published_utc, ingested_at) SELECT id, id, publisher, url, title, published, published_utc, "
               "ingested_at FROM articles ORDER BY seq")


def downgrade() -> None:
    op.drop_table("article_carriers")
