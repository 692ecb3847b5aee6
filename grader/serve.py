"""``ml-grade serve``: a learner's saved model behind the learner's own web API.

This is for using the ``deploy`` exercise, not for grading it: the learner's ``load_model`` and
``make_app`` run in this process, with every stage folder on the import path (as in grading), so a model
saved from the learner's ``logistic_regression`` loads with the learner's own class.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any, Callable

from grader.learner import ExerciseFiles


class ServeError(Exception):
    """The model cannot be served; the message says what to do."""


def learner_app(model_path: Path, graded_root: Path) -> Callable[..., Any]:
    """Load ``model_path`` with the learner's ``deploy.load_model`` and wrap it in their ``make_app``."""
    files = ExerciseFiles.of("deploy", graded_root)  # the same paths grading uses
    deploy_file = files.path
    if not deploy_file.is_file():
        raise ServeError(f"{deploy_file} does not exist")
    for folder in map(str, files.import_paths):
        if folder not in sys.path:
            sys.path.append(folder)
    spec = importlib.util.spec_from_file_location(files.module_name, deploy_file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[files.module_name] = module
    try:
        spec.loader.exec_module(module)
        model = module.load_model(str(model_path))
        return module.make_app(model)
    except NotImplementedError:
        raise ServeError(
            f"{deploy_file.name} is not finished yet: `ml-grade deploy` grades it, `ml-grade hint deploy` helps"
        ) from None
    except Exception as exc:  # noqa: BLE001 - anything the learner's code raises is reported, not a crash
        raise ServeError(f"loading {model_path} with your {deploy_file.name} failed: {type(exc).__name__}: {exc}") from exc
