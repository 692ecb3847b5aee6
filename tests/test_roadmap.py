"""The roadmap declares each exercise once, and everything it declares exists."""

import ast
import sys

import pytest

from grader.roadmap import KIT_ROOT, SUITES_DIR, UnknownExercise, load_roadmap
from grader.stubs import StubFormatError, make_stub, stub_for

ROADMAP = load_roadmap()
STANDARD_LIBRARY = sys.stdlib_module_names  # Python 3.10+


def test_every_entry_has_stub_solution_and_suite():
    for exercise in ROADMAP.exercises:
        assert (KIT_ROOT / "solutions" / exercise.file).is_file(), exercise.name
        assert exercise.suite.is_file(), exercise.name
        assert len(exercise.hints) >= 3, exercise.name
        assert all(name in ROADMAP.names() for name in exercise.prerequisites), exercise.name


def test_no_suite_or_solution_without_an_entry():
    suites = {path.stem.removeprefix("test_") for path in SUITES_DIR.glob("test_*.py")}
    solutions = {path.stem for path in (KIT_ROOT / "solutions").glob("*/*.py")}
    assert suites == set(ROADMAP.names())
    assert solutions == set(ROADMAP.names())


def test_names_and_orders_are_unique():
    assert len(set(ROADMAP.names())) == len(ROADMAP.exercises)
    assert len({exercise.order for exercise in ROADMAP.exercises}) == len(ROADMAP.exercises)


def test_unknown_name_suggests_close_ones():
    with pytest.raises(UnknownExercise) as caught:
        ROADMAP.get("logistic_regresion")
    assert caught.value.suggestions[0] == "logistic_regression"
    with pytest.raises(UnknownExercise) as caught:
        ROADMAP.get("regression")
    assert "linear_regression" in caught.value.suggestions


@pytest.mark.parametrize("name", ROADMAP.names())
def test_solutions_and_stubs_use_numpy_only(name):
    exercise = ROADMAP.get(name)
    for source in ((KIT_ROOT / "solutions" / exercise.file).read_text(), stub_for(KIT_ROOT / "solutions" / exercise.file)):
        imported = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add((node.module or "").split(".")[0])
        allowed = {"numpy", *STANDARD_LIBRARY, *ROADMAP.names()}
        assert imported <= allowed, f"{name} imports {sorted(imported - allowed)}: numpy and the standard library only"


@pytest.mark.parametrize("name", ROADMAP.names())
def test_stub_teaches(name):
    stub = stub_for(KIT_ROOT / "solutions" / ROADMAP.get(name).file)
    tree = ast.parse(stub)
    assert "# TODO 1:" in stub and "raise NotImplementedError" in stub
    assert "BEGIN SOLUTION" not in stub and "# Step" not in stub
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{name}: {node.name} has no docstring"


def test_stub_generator():
    source = (
        "import numpy as np\n\n\n"
        "def f(x):\n"
        '    """Doc."""\n'
        "    # BEGIN SOLUTION\n"
        "    # Step 1: square it,\n"
        "    #         elementwise.\n"
        "    # an explanatory comment the stub does not need\n"
        "    y = x ** 2\n"
        "    # Step 2: return it.\n"
        "    return y\n"
        "    # END SOLUTION\n\n\n"
        "# BEGIN SOLUTION\n"
        "def _helper():\n"
        "    pass\n"
        "# END SOLUTION\n"
    )
    assert make_stub(source) == (
        "import numpy as np\n\n\n"
        "def f(x):\n"
        '    """Doc."""\n'
        "    # TODO 1: square it,\n"
        "    #         elementwise.\n"
        "    # TODO 2: return it.\n"
        "    raise NotImplementedError\n"
    )
    with pytest.raises(StubFormatError):
        make_stub("def f():\n    # BEGIN SOLUTION\n    pass\n")
    with pytest.raises(StubFormatError):
        make_stub("def f():\n    pass\n    # END SOLUTION\n")


def test_committed_stubs_are_generated(request):
    """exercises/ holds exactly the generated stubs. Run in the kit's CI only: a learner edits exercises/."""
    import os

    if os.environ.get("ML_GRADE_CHECK_STUBS") != "1":
        pytest.skip("checked in the kit's CI (ML_GRADE_CHECK_STUBS=1): exercises/ is the learner's working copy")
    for exercise in ROADMAP.exercises:
        committed = (KIT_ROOT / "exercises" / exercise.file).read_text(encoding="utf-8")
        assert committed == stub_for(KIT_ROOT / "solutions" / exercise.file), (
            f"exercises/{exercise.file} differs from its solution's stub: run python scripts/build_stubs.py"
        )


@pytest.mark.parametrize("exercise", ROADMAP.exercises, ids=lambda exercise: exercise.name)
def test_hints_do_not_paste_the_solution(exercise):
    """Hints may quote a line or two of the solution (the last ones nearly give it away), never the code."""
    import re

    source = (KIT_ROOT / "solutions" / exercise.file).read_text(encoding="utf-8")
    blocks = re.findall(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", source, re.S)
    code = {line.strip() for block in blocks for line in block.splitlines()
            if len(line.strip()) >= 20 and not line.strip().startswith("#")}
    quoted = {line for line in code if any(line in hint for hint in exercise.hints)}
    assert len(quoted) <= max(2, len(code) // 10), f"the hints paste the solution: {sorted(quoted)}"
