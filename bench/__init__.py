"""Benchmarks: `python -m bench.<name>`; each prints its figures and writes bench/results/<name>.json."""
