"""Coordinate systems (WGS-84, GCJ-02, BD-09), coordinate validation and geodesic distances."""
