"""Indexes for an entity's page (events where it is actor or target, its affiliates) and for the links a
replaced article's removal updates, so neither scans the events or entities table.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_actor_id", "events", ["actor_id"])
    op.create_index("ix_events_target_id", "events", ["target_id"])
    op.create_index("ix_events_claim_id", "events", ["claim_id"])
    op.create_index("ix_entities_affiliation_id", "entities", ["affiliation_id"])


def downgrade() -> None:
    for name, table in (("ix_events_actor_id", "events"), ("ix_events_target_id", "events"),
                        ("ix_events_claim_id", "events"), ("ix_entities_affiliation_id", "entities")):
        op.drop_index(name, table_name=table)
