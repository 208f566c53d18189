"""Faster bulk writes (issue 21): an import keeps its dry run's file checks for the apply; change rows compressed
with lz4.

`import_jobs.checked`: what the dry run found in the file alone (its rows read and checked, duplicates within the
file), compressed, so the apply re-checks only against the registry as it is then instead of reading and checking
the whole file again. Stored as is (EXTERNAL: it is compressed already). NULL for jobs checked before, or by a
release that does not write it: those are re-checked in full, as before.

`station_changes.before` / `after` (a station's snapshot, ~2.5 KB of JSON: compressed when stored) use lz4 instead of
pglz where the server has it: COPYing 40,000 create changes took 1.7-1.9 s instead of 2.8-3.0 s (machine shared,
docs/performance.md). Values stored before stay pglz; both read the same. Without lz4 nothing changes.

Rolling deploy: a new nullable column the release before neither reads nor writes; the compression is metadata.

Revision ID: 0028_bulk_writes
Revises: 0026_chord_nearest
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_bulk_writes"
down_revision = "0027_kind_cells"
branch_labels = None
depends_on = None


_HAS_LZ4 = "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"


def upgrade() -> None:
    """Add the column, stored without compression; compress change snapshots with lz4 if the server can."""
    op.add_column("import_jobs", sa.Column("checked", sa.LargeBinary(), nullable=True))
    op.execute("ALTER TABLE import_jobs ALTER COLUMN checked SET STORAGE EXTERNAL")
    if op.get_bind().execute(sa.text(_HAS_LZ4)).scalar():
        op.execute("ALTER TABLE station_changes ALTER COLUMN before SET COMPRESSION lz4, "
                   "ALTER COLUMN after SET COMPRESSION lz4")


def downgrade() -> None:
    """Drop the column; new snapshots compressed as before."""
    op.drop_column("import_jobs", "checked")
    op.execute("ALTER TABLE station_changes ALTER COLUMN before SET COMPRESSION default, "
               "ALTER COLUMN after SET COMPRESSION default")
