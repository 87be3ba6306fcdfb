"""Benchmarks of pulumi-aep at the engine's limit: ``python -m bench`` (``make bench``) writes bench/results/."""
