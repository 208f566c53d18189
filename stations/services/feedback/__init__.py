"""The worker feedback loop: reports and "I was here" from the map, and their moderation."""
