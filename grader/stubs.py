"""Pristine stubs, made from the reference solutions: the one source of truth for both.

In a solution file, code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` is the learner's to write.

- Inside a function, the block becomes the stub's TODO list and ``raise NotImplementedError``: each
  ``# Step N: ...`` comment of the block (with its indented continuation lines) becomes ``# TODO N: ...``;
  other comments in the block are the solution's own and are left out.
- At module level, the block (helpers only the solution needs) is left out.

Everything else (docstrings, signatures, given code) is copied as it is. ``exercises/`` holds exactly
this generator's output; ``scripts/build_stubs.py`` rewrites it and a kit test checks it has not drifted.
"""

from __future__ import annotations

import re
from pathlib import Path

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
_STEP = re.compile(r"^(\s*)# Step (\d+):(.*)$")
_CONTINUATION = re.compile(r"^\s*#\s{2,}\S")  # a step's next line is indented under its text


class StubFormatError(ValueError):
    pass


def make_stub(solution_source: str, filename: str = "<solution>") -> str:
    """The pristine stub for one solution file's source text."""
    lines = solution_source.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.strip() != BEGIN:
            if line.strip() == END:
                raise StubFormatError(f"{filename}:{index + 1}: {END} without {BEGIN}")
            out.append(line)
            index += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        start = index
        index += 1
        block: list[str] = []
        while index < len(lines) and lines[index].strip() != END:
            if lines[index].strip() == BEGIN:
                raise StubFormatError(f"{filename}:{index + 1}: nested {BEGIN}")
            block.append(lines[index])
            index += 1
        if index == len(lines):
            raise StubFormatError(f"{filename}:{start + 1}: {BEGIN} without {END}")
        index += 1  # skip END
        if indent:
            out.extend(_todo_lines(block, indent))
            out.append(f"{indent}raise NotImplementedError")
        else:
            # Drop a module-level block with the blank lines that separated it.
            while out and not out[-1].strip() and index < len(lines) and not lines[index].strip():
                index += 1
    return "\n".join(out).rstrip("\n") + "\n"


def _todo_lines(block: list[str], indent: str) -> list[str]:
    todos: list[str] = []
    in_step = False
    for line in block:
        match = _STEP.match(line)
        if match:
            todos.append(f"{indent}# TODO {match.group(2)}:{match.group(3)}")
            in_step = True
        elif in_step and _CONTINUATION.match(line):
            todos.append(indent + line.strip())
        else:
            in_step = False
    return todos


def stub_for(solution_file: Path) -> str:
    return make_stub(solution_file.read_text(encoding="utf-8"), str(solution_file))


def write_stub_tree(solutions_dir: Path, target_dir: Path, relative_files: list[str]) -> list[Path]:
    """Write the stub of each solution file into ``target_dir`` with the same layout."""
    written = []
    for relative in relative_files:
        target = target_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(stub_for(solutions_dir / relative), encoding="utf-8")
        written.append(target)
    return written
