"""Services: keyword-only functions over an explicit session; they raise domain errors only."""
