"""A store whose time per document does not grow with the ledger.

- claims keep the (publication time, ingestion seq) of the history entry their status came from, so a new
  entry updates the status in O(1) instead of re-reading the claim's whole history;
- event lookups read a date window of one actor, target or sentence (indexes on type + that + date);
- entity blocking keys become narrow (surname + given initial; word-start blocks for other types) and
  claim keys become word pairs: both tables are rebuilt from the stored names and claim texts.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newsledger.ledger import merge

    op.add_column("claims", sa.Column("status_utc", sa.String(40)))
    op.add_column("claims", sa.Column("status_seq", sa.Integer))
    for old in ("ix_events_type_actor", "ix_events_type_target", "ix_events_type_text"):
        op.drop_index(old, table_name="events")
    op.create_index("ix_events_type_actor_date", "events", ["type", "actor_id", "date_start"])
    op.create_index("ix_events_type_target_date", "events", ["type", "target_id", "date_start"])
    op.create_index("ix_events_type_text_date", "events", ["type", "text_key", "date_start"])

    conn = op.get_bind()
    # claim status keys: the entry each status came from (same rule as the store's full recompute)
    hist: dict[int, list] = {}
    for cid, status, utc, seq in conn.execute(sa.text(
            "SELECT claim_id, status, published_utc, seq FROM claim_history")):
        hist.setdefault(cid, []).append((utc or "", seq, status))
    for cid, rows in hist.items():
        rows.sort(key=lambda r: (r[0], r[1]))
        evidence = [r for r in rows if r[2] != "asserted"]
        best = evidence[-1] if evidence else rows[-1]
        conn.execute(sa.text("UPDATE claims SET status_utc = :u, status_seq = :s WHERE id = :i"),
                     {"u": best[0], "s": best[1], "i": cid})

    conn.execute(sa.text("DELETE FROM entity_keys"))
    rows = []
    # an unnamed speaker's key is scoped to its article's text (merge.UNMERGED_TYPES)
    scope = dict(conn.execute(sa.text(
        "SELECT m.entity_id, MIN(a.text_hash) FROM entity_mentions m JOIN articles a ON a.id = m.article_id "
        "JOIN entities e ON e.id = m.entity_id WHERE e.type IN ('UNNAMED') GROUP BY m.entity_id")).all())
    for eid, etype, name, aliases in conn.execute(sa.text("SELECT id, type, name, aliases FROM entities")):
        names = [a for a in json.loads(aliases or "[]") if isinstance(a, str)]
        rows += [{"k": k, "e": eid} for k in merge.entity_keys(etype, name, names, scope.get(eid) or "")]
    if rows:
        conn.execute(sa.text("INSERT INTO entity_keys (key, entity_id) VALUES (:k, :e)"), rows)

    conn.execute(sa.text("DELETE FROM claim_keys"))
    rows = []
    for cid, skey, text in conn.execute(sa.text("SELECT id, source_key, text FROM claims")):
        rows += [{"s": skey, "t": t, "c": cid} for t in merge.claim_keys(text)]
    if rows:
        conn.execute(sa.text("INSERT INTO claim_keys (source_key, token, claim_id) VALUES (:s, :t, :c)"), rows)


def downgrade() -> None:
    for name in ("ix_events_type_actor_date", "ix_events_type_target_date", "ix_events_type_text_date"):
        op.drop_index(name, table_name="events")
    op.create_index("ix_events_type_actor", "events", ["type", "actor_id"])
    op.create_index("ix_events_type_target", "events", ["type", "target_id"])
    op.create_index("ix_events_type_text", "events", ["type", "text_key"])
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("status_seq")
        batch.drop_column("status_utc")
