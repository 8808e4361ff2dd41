"""Units of the organisation and their hierarchy in time (lineage: rename, move, merge, split)."""
