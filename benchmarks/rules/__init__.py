"""Microbenchmarks, one module per rule (``bench_hsNNN.py``); see README.md."""
