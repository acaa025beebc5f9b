"""The tools around the pipeline: build/check/serve, add, bench."""
