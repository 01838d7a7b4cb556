"""seqedit's benchmark suite: ``python -m benchmarks [--smoke] [--only NAME]``.

Not shipped in the wheel. Every figure is a ratio or a percentile measured within one run, so
the noise of a shared machine mostly cancels out; goals are shown beside the figures but nothing
here fails a build. ``--smoke`` runs everything tiny so the test suite can keep it working.
"""
