"""The text stages: read, clean, structure, despin, annotate, crosslink (and pipeline, which runs them in order)."""
