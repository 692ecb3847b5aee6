"""Support modules shared by the grader (not exercise code)."""
