"""The sync file: one SQLite database of sync runs and what each one saw."""
