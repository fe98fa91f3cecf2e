"""Event lookups answered from their indexes: a store whose time per document stays flat as events grow.

Merging looks up stored events by (type, actor | target | sentence, date window) and keeps those of the same
negation whose other party agrees. With only (type, party, date) in the index, every event of a frequent
actor in the window was fetched from the table to be judged; with the judged columns in the index (SQLite
judges them there and fetches only the rows that pass), the cost is a run of adjacent index entries. The
actor and target indexes lead with the party, so they also answer "events of this entity" (the entity page,
a removal's SET NULL), and the two single-column indexes of revision 0003 go: fewer indexes to write per event.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD = (("ix_events_type_actor_date", ["type", "actor_id", "date_start"]),
       ("ix_events_type_target_date", ["type", "target_id", "date_start"]),
       ("ix_events_type_text_date", ["type", "text_key", "date_start"]),
       ("ix_events_actor_id", ["actor_id"]),
       ("ix_events_target_id", ["target_id"]))
NEW = (("ix_events_actor_lookup", ["actor_id", "type", "date_start", "date_end", "negated", "target_id"]),
       ("ix_events_target_lookup", ["target_id", "type", "date_start", "date_end", "negated", "actor_id"]),
       ("ix_events_text_lookup", ["type", "text_key", "date_start", "date_end", "negated", "actor_id", "target_id"]))


def upgrade() -> None:
    for name, _cols in OLD:
        op.drop_index(name, table_name="events")
    for name, cols in NEW:
        op.create_index(name, "events", cols)


def downgrade() -> None:
    for name, _cols in NEW:
        op.drop_index(name, table_name="events")
    for name, cols in OLD:
        op.create_index(name, "events", cols)
