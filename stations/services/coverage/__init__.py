"""Coverage against the 1 km / 15-minute target: demand from lookups and imported points, coverage per region and
hour of the week, gaps, and suggested sites (docs/coverage.md)."""
