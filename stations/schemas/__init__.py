"""Request and response models; no ORM object or geometry leaks out of these."""
