"""Merge the staff, sync and reports branches, which were built in parallel on the registry.

Revision ID: 0005_merge
Revises: 0002_staff, 0003_sync, 0004_reports
Create Date: 2026-11-25
"""

revision = "0005_merge"
down_revision = ("0002_staff", "0003_sync", "0004_reports")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to change."""
