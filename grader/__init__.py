"""ml-from-scratch's grader: the `ml-grade` CLI, the grading engine and the hidden suites.

Kept import-free: the worker imports this package before any learner code, and `ml-grade --help`
should not pay for numpy or pytest.
"""
