"""Claim history keeps the evidence each article gives against a claim (the record's ``contradicted_by``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claim_history", Column("evidence", Text))  # JSON list, as the record gives it


def downgrade() -> None:
    with op.batch_alter_table("claim_history") as batch:
        batch.drop_column("evidence")
