"""Speed and quality benchmarks for hasten. Results live in ``benchmarks/results/``."""
