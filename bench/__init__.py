"""Benchmarks (not timed tests): see bench/README.md."""
