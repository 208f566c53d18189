"""Bulk import of stations from CSV/XLSX: a dry run with a per-row report, then an idempotent apply.

A file is read as a stream with its size, rows, columns and (XLSX) zip checked against `Limits` before and
while it is read. Apply re-checks the stored file against the registry as it is then; duplicates (in the file or
already registered) are skipped, so importing the same file twice changes nothing. Mode `all` writes nothing
when any row has an error; mode `valid` writes the valid rows. Both run in the caller's transaction, so a failure
leaves no partial data. The app runs them in a worker process (`runner`); the CLI and tests call them directly.
"""

from __future__ import annotations

from stations.services.importer.applying import Mode, apply
from stations.services.importer.checking import check, dry_run
from stations.services.importer.limits import Limits
from stations.services.importer.options import Options
from stations.services.importer.progress import Cancelled, Progress
from stations.services.importer.templates import template_csv, template_xlsx

__all__ = ["Cancelled", "Limits", "Mode", "Options", "Progress", "apply", "check", "dry_run", "template_csv",
           "template_xlsx"]
