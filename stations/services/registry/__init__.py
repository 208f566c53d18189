"""The registry: stations and sites, their changes and history, sign codes, seeding, viewport and region statistics."""
