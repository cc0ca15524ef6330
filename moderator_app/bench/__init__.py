"""Benchmarks that print figures and compare against a baseline measured in the same run.

Run them as modules, e.g. `python -m moderator_app.bench.media`.
"""
