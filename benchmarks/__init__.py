"""hub-mcp benchmarks: bytes the model receives versus raw Hub JSON, and start-up time.

Run from the repository root with ``scripts/bench`` (or ``python -m benchmarks``); see
``benchmarks/README.md`` for what each number means.
"""
