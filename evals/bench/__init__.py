"""Benchmarks: `make bench` (python -m evals.bench)."""
