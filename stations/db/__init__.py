"""Database access: engine and sessions, ORM models, the embedded cluster, spatial SQL."""
