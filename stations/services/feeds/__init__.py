"""What map providers and other systems read: the change feed, exports, OGC API Features, vector tiles,
listings, API keys and webhooks."""
