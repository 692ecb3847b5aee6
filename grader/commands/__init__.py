"""``ml-grade`` commands that live in modules of their own (``grader.cli`` adds them to the group)."""
