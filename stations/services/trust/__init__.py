"""Data a rider can trust (issue 22): check-ins, per-fact check dates, the quality score, inspections and star
ratings, photos, and merging duplicates."""
