"""Schema revisions of the lead store, oldest first."""
