"""The far lookup's take-while scan (`nearest_live_chord`, migration 0026) plans without JIT whatever the session says.

Its query has no LIMIT (the loop stops the scan), so the planner costs it as reading every live station: ~604,000 at
1M, over `jit_above_cost`. The app's read pools turn JIT off, but a session that does not (psql, pgbench, another
tool on the same database) compiled it on every call: 224 ms for one lookup ~660 km from the nearest stations at 1M,
against 2-8 ms without (docs/performance.md).

Rolling deploy: the same function, one setting more; the release before calls it the same way.

Revision ID: 0029_chord_without_jit
Revises: 0028_bulk_writes
Create Date: 2026-12-07
"""

from alembic import op

revision = "0029_chord_without_jit"
down_revision = "0028_bulk_writes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER FUNCTION nearest_live_chord(float8, float8, float8) SET jit = off")


def downgrade() -> None:
    op.execute("ALTER FUNCTION nearest_live_chord(float8, float8, float8) RESET jit")
