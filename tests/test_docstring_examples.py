"""The examples in the solutions' docstrings (which the stubs share) show what the code really returns.

They run as doctests against the reference solutions, with numpy scalars printed as plain numbers
(``legacy="1.25"`` on numpy 2), the way the examples are written.
"""

import doctest
import importlib.util
import sys

import numpy as np
import pytest

from grader.roadmap import load_roadmap
from tests.conftest import SOLUTIONS


@pytest.fixture
def readable_numpy():
    saved = np.get_printoptions()
    if int(np.__version__.split(".")[0]) >= 2:
        np.set_printoptions(legacy="1.25")
    yield
    np.set_printoptions(**saved)


@pytest.mark.parametrize("name", load_roadmap().names())
def test_examples_in_docstrings(name, readable_numpy, monkeypatch):
    for stage in load_roadmap().stage_dirs():
        monkeypatch.syspath_prepend(str(SOLUTIONS / stage))  # a forest imports its tree by bare name
    path = SOLUTIONS / load_roadmap().get(name).file
    spec = importlib.util.spec_from_file_location(f"docstring_examples_{name}", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [test for test in finder.find(module, module.__name__) if test.examples]
    assert tests, f"{path.name} has no docstring examples"
    for test in tests:
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} docstring example(s) in {path.name} do not match (see the output above)"
