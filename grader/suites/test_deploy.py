"""Hidden suite for exercise 27, deploy.

Saving is judged by what comes back, not by the layout of the file. Kit estimators (a softmax
classifier with string labels, a ridge regressor; ``grader.support.estimators``) are fitted in the
worker and saved into a temporary folder this suite creates. The file must be where it was asked for,
and ``np.load(path, allow_pickle=False)`` here must read every entry of it: a pickle inside is refused.
``load_model`` must give back a model with the same hyper-parameters (and their types), the same learned
arrays (and dtypes), single numbers back as Python numbers (not 0-d arrays), and the same predictions.
An attribute that cannot be stored without pickle is a ``TypeError``; a file save_model did not write
is a ``ValueError``.

Serving is judged over real HTTP. The learner's app runs in the worker behind a small threaded server
(``grader.support.serving``) on 127.0.0.1 and a free port, and this suite sends it raw HTTP requests,
each with a time limit of a few seconds, so an app that waits for ever fails with a message instead of
hanging. Every response must be JSON with a correct Content-Type and Content-Length. Predictions must
equal the kit model's, computed here (integer labels, string labels, numbers). Bad requests (not JSON,
not an object, no "instances", bad rows, a wrong number of features) must get 400 with an "error"
message, and the next good request must still be answered; an unknown path 404, a wrong method 405, a
model that raises 500. Fifty requests sent at once, each with its own instances, must each get their own
answer. Their bodies are held back until all fifty have reached the app, so they truly run in it at the
same time: an app that keeps a request where the next one overwrites it while the first waits for its
body (on self, in a module variable) gives some of them another request's answer. The wording of error
messages is not judged, only that there is one.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

import numpy as np
import pytest

from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout, RemoteObject
from grader.protocol import KitObject
from grader.support.checks import expect_value_error, fail, show
from grader.support import estimators

TIMEOUT = 3.0  # seconds for one HTTP exchange
N_FEATURES = 4  # of every model fitted here
LABEL_SETS = (["cat", "dog", "mouse"], ["setosa", "versicolor", "virginica"], ["low", "medium", "high"])
READ_EXACTLY = ("read exactly int(environ.get('CONTENT_LENGTH') or 0) bytes from environ['wsgi.input']: read() "
                "without a size waits for the end of the stream, which never comes while the client waits for "
                "its answer")


# What wsgiref or json say when the app breaks a rule, and what to do about it.
RULES = (
    ("Status must be", "the status is a string such as \"200 OK\" (f\"{code} {HTTPStatus(code).phrase}\")"),
    ("must be of type str", "header names and values are strings: (\"Content-Length\", str(len(body)))"),
    ("before start_response", "call start_response(status, headers) before returning the body"),
    ("bytes instance", "the body is bytes: return [json.dumps(payload).encode(\"utf-8\")]"),
    ("not JSON serializable", "json.dumps cannot encode numpy values: send predictions.tolist()"),
    ("Headers already set", "start_response was called twice for one request: is a request's start_response kept "
                            "where another request can use it?"),
)


def advice_for(raised: list) -> str:
    """' — what to do' for the last exception the app raised, when it is a rule we recognise."""
    for words, advice in RULES:
        if raised and words in raised[-1]:
            return f" — {advice}"
    return ""


# --- models in the worker and here -------------------------------------------------------------------
def kit_model(worker, rng, estimator, labels=None, **params):
    """The same kit estimator fitted on the same data in the worker (a handle) and here (for expected answers).

    The classifiers learn three classes, named by ``labels`` (a list) or 0, 1, 2.
    """
    X = rng.normal(size=(60, N_FEATURES))
    if estimator == "RidgeRegressor":
        y = X @ rng.normal(size=N_FEATURES) + rng.normal() + 0.1 * rng.normal(size=60)
    else:
        classes = np.argmax(X[:, :3] + 0.3 * rng.normal(size=(60, 3)), axis=1)
        y = classes if labels is None else np.asarray(labels)[classes]
    handle = worker.put(KitObject(f"grader.support.estimators:{estimator}", **params))
    handle.fit(X, y)
    return handle, getattr(estimators, estimator)(**params).fit(X, y)


def classifier_parameters(rng):
    """Hyper-parameters of a SoftmaxClassifier, none of them the default, of three types."""
    return {
        "learning_rate": float(np.round(rng.uniform(0.2, 0.9), 3)),
        "n_iters": int(rng.integers(40, 160)),
        "l2": float(np.round(rng.uniform(0.001, 0.05), 4)),
        "name": str(rng.choice(["spam filter", "iris-v2", "model 7"])),
    }


@pytest.fixture
def folder(worker):
    """A fresh folder for model files, in the worker's scratch folder: the only place learner code may write."""
    return worker.scratch_folder("deploy-")


# --- saving and loading --------------------------------------------------------------------------------
def read_npz(path: Path, call: str) -> dict:
    """Every entry of the file, read here with np.load(path, allow_pickle=False); says why it cannot be."""
    if not path.is_file():
        with_suffix = path.with_name(path.name + ".npz")
        if with_suffix.is_file():
            fail(f"{call} wrote {with_suffix.name} instead of {path.name}: given a file name, np.savez adds '.npz' "
                 "when it is missing — open the file yourself and save through it: "
                 "with open(path, 'wb') as file: np.savez(file, ...)")
        others = sorted(p.name for p in path.parent.iterdir())
        fail(f"{call} wrote no file at {path.name}" + (f" (the folder holds {others})" if others else ""))
    try:
        data = np.load(path, allow_pickle=False)
    except ValueError as exc:
        if "pickle" in str(exc):
            fail(f"{call} wrote a pickle, not an .npz: np.load(path, allow_pickle=False) refuses it. Loading a pickle "
                 "runs code from the file; write named arrays with np.savez instead")
        fail(f"np.load(path, allow_pickle=False) cannot read the file {call} wrote: {exc}")
    except Exception as exc:  # noqa: BLE001 - a damaged file of any kind
        fail(f"np.load(path, allow_pickle=False) cannot read the file {call} wrote: {type(exc).__name__}: {exc}")
    if isinstance(data, np.ndarray):
        fail(f"{call} wrote a single .npy array ({show(data)}); expected an .npz archive of named arrays (np.savez)")
    entries = {}
    with data:
        for key in data.files:
            try:
                entries[key] = data[key]
            except ValueError:
                fail(f"entry {key!r} of the file {call} wrote holds pickled Python objects, which "
                     "np.load(path, allow_pickle=False) refuses: np.savez pickles whatever is not a plain array "
                     "(a dict, a list of mixed things, a model). Store the class name and hyper-parameters as one "
                     "JSON string, np.array(json.dumps(...)), and only arrays of numbers or strings beside it")
    return entries


def load_back(learner, path: Path, call: str) -> RemoteObject:
    loaded = learner.load_model(str(path))
    if not isinstance(loaded, RemoteObject) or loaded._callable:
        fail(f"{call} returned {show(loaded)}; expected a new model object")
    return loaded


def expect_hyper_parameters(loaded, params: dict, defaults: dict, call: str) -> None:
    for name, value in params.items():
        got = getattr(loaded, name)
        if isinstance(got, np.ndarray):
            fail(f"{call}.{name} is {show(got)}; expected {value!r}, a plain {type(value).__name__} as it was saved: "
                 "keep the hyper-parameters in the JSON description, which keeps their types")
        if type(got) is not type(value) or got != value:
            if got == defaults.get(name) and value != defaults.get(name):
                fail(f"{call}.{name} is {got!r}, the default; expected {value!r}, the value of the saved model — save "
                     "the hyper-parameters (the arguments of __init__) and create the model with cls(**hyper_parameters)")
            fail(f"{call}.{name} is {got!r} ({type(got).__name__}); expected {value!r} ({type(value).__name__}), as it "
                 "was saved")


def expect_same_array(got, want: np.ndarray, call: str) -> None:
    if not isinstance(got, np.ndarray):
        fail(f"{call} is {show(got)}; expected the saved array {show(want)}")
    if got.dtype != want.dtype:
        fail(f"{call} has dtype {got.dtype}; expected {want.dtype}, the dtype of the saved array (store the array itself "
             "in the .npz: np.savez keeps shapes and dtypes)")
    if got.shape != want.shape or not np.array_equal(got, want):
        fail(f"{call} is {show(got)}; expected the saved array {show(want)}, value for value")


def expect_same_scalar(got, want, call: str) -> None:
    if isinstance(got, np.ndarray):
        fail(f"{call} came back as {show(got)}, a 0-d array; expected the {type(want).__name__} {want!r} it was — "
             "remember which attributes were single values and turn them back into Python ones (array.item()): a 0-d "
             "array is not a number for json.dumps or isinstance")
    if not isinstance(got, type(want)) or got != want:
        fail(f"{call} is {got!r} ({type(got).__name__}); expected {want!r}, a Python {type(want).__name__} as it was "
             "saved (array.item() gives one)")


@pytest.mark.points(2)
def test_save_writes_one_npz_without_pickle(learner, worker, rng, folder):
    """save_model writes an .npz at exactly the given path, which np.load(path, allow_pickle=False) reads"""
    labels = list(LABEL_SETS[int(rng.integers(len(LABEL_SETS)))])
    model, _ = kit_model(worker, rng, "SoftmaxClassifier", labels=labels, **classifier_parameters(rng))
    path = folder / "classifier"  # no suffix: np.savez(path_string) would add one
    call = f"save_model(model, path) with path {path.name!r} (no suffix)"
    returned = learner.save_model(model, str(path))
    if returned is not None:
        fail(f"{call} returned {show(returned)}; expected None (it writes the file, nothing more)")
    entries = read_npz(path, call)
    if not entries:
        fail(f"{call} wrote an empty .npz; expected the model in it")
    coef = model.coef_
    if not any(isinstance(a, np.ndarray) and a.dtype == coef.dtype and a.shape == coef.shape and np.array_equal(a, coef)
               for a in entries.values()):
        fail(f"the file {call} wrote has no entry equal to the model's coef_ ({show(coef)}; its entries: "
             f"{sorted(entries)}): store each learned array as an array of the .npz, under its own name")


@pytest.mark.points(2)
def test_round_trip_classifier(learner, worker, rng, folder):
    """load_model(path) gives back a classifier with string labels: same hyper-parameters, arrays, dtypes, predictions"""
    labels = list(LABEL_SETS[int(rng.integers(len(LABEL_SETS)))])
    params = classifier_parameters(rng)
    model, _ = kit_model(worker, rng, "SoftmaxClassifier", labels=labels, **params)
    path = folder / "softmax.npz"
    learner.save_model(model, str(path))
    read_npz(path, "save_model(model, path)")
    call = "load_model(path)"
    loaded = load_back(learner, path, call)
    if loaded._type_name != "SoftmaxClassifier":
        fail(f"{call} returned a {loaded._type_name}; expected a SoftmaxClassifier, the class of the saved model")
    defaults = {"learning_rate": 0.5, "n_iters": 200, "l2": 0.0, "name": "softmax"}
    expect_hyper_parameters(loaded, params, defaults, call)
    for name in ("classes_", "coef_", "intercept_"):
        expect_same_array(getattr(loaded, name), getattr(model, name), f"{call}.{name}")
    expect_same_scalar(loaded.n_features_in_, N_FEATURES, f"{call}.n_features_in_")
    X = rng.normal(size=(25, N_FEATURES))
    want = model.predict(X)
    got = loaded.predict(X)
    if not isinstance(got, np.ndarray) or got.shape != want.shape or not np.array_equal(got, want):
        fail(f"{call}.predict(X) returned {show(got)}; expected {show(want)}, the saved model's predictions")


@pytest.mark.points(1)
def test_round_trip_regressor(learner, worker, rng, folder):
    """load_model(path) gives back a regressor with its alpha, coef_ and a float intercept_, predicting the same"""
    alpha = float(np.round(rng.uniform(0.1, 5.0), 3))
    model, _ = kit_model(worker, rng, "RidgeRegressor", alpha=alpha)
    path = folder / "ridge.npz"
    learner.save_model(model, str(path))
    read_npz(path, "save_model(model, path)")
    call = "load_model(path)"
    loaded = load_back(learner, path, call)
    expect_hyper_parameters(loaded, {"alpha": alpha}, {"alpha": 1.0}, call)
    expect_same_array(loaded.coef_, model.coef_, f"{call}.coef_")
    expect_same_scalar(loaded.intercept_, model.intercept_, f"{call}.intercept_")
    expect_same_scalar(loaded.n_features_in_, N_FEATURES, f"{call}.n_features_in_")
    X = rng.normal(size=(20, N_FEATURES))
    want = model.predict(X)
    got = loaded.predict(X)
    if not isinstance(got, np.ndarray) or got.shape != want.shape or not np.array_equal(got, want):
        fail(f"{call}.predict(X) returned {show(got)}; expected {show(want)}, the saved model's predictions")


@pytest.mark.points(1)
def test_unstorable_attribute_is_a_type_error(learner, worker, rng, folder):
    """save_model raises TypeError naming a learned attribute it cannot store (a dict, a list of arrays, a model)"""
    other, _ = kit_model(worker, rng, "RidgeRegressor")
    cases = [
        ("history_", {"loss": rng.uniform(size=3).tolist()}, "a dict"),
        ("layers_", [rng.normal(size=(3, 2)), rng.normal(size=2)], "a list of arrays of different shapes"),
        ("base_model_", other, "another model"),
    ]
    for i, (name, value, what) in enumerate(cases):
        model, _ = kit_model(worker, rng, "RidgeRegressor")
        setattr(model, name, value)
        call = f"save_model(model, path) for a model whose {name} is {what}"
        try:
            returned = learner.save_model(model, str(folder / f"model-{i}.npz"))
        except (LearnerNotStarted, LearnerTimeout):
            raise
        except LearnerError as error:
            if error.type_name != "TypeError":
                fail(f"{call} raised {error.type_name}: {error.message}; expected a TypeError that names {name}")
            if name not in error.message:
                fail(f"{call} raised TypeError({error.message!r}); expected its message to name the attribute {name!r}")
            continue
        fail(f"{call} returned {show(returned)}; expected a TypeError that names {name}: it cannot be stored without "
             "pickle (np.savez would pickle it silently, and np.load(allow_pickle=False) could not read it back)")
    model, _ = kit_model(worker, rng, "RidgeRegressor")
    model._cache = {"not": "learned"}  # private: not a learned attribute, not stored
    path = folder / "private.npz"
    try:
        learner.save_model(model, str(path))
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        fail(f"save_model(model, path) for a model with a private attribute _cache raised {error.type_name}: "
             f"{error.message}; expected it to save: the learned attributes are the public ones that end in '_'")
    read_npz(path, "save_model(model, path)")


@pytest.mark.points(1)
def test_load_rejects_other_files(learner, rng, folder):
    """load_model raises ValueError for a file that save_model did not write (plain arrays, text)"""
    arrays = folder / "weights.npz"
    np.savez(arrays, weights=rng.normal(size=(3, N_FEATURES)), bias=rng.normal(size=3))
    message = expect_value_error(lambda: learner.load_model(str(arrays)),
                                 "load_model(path) for an .npz of plain arrays (weights, bias) with no model description",
                                 "(the file was not written by save_model)")
    if not message.strip():
        fail("load_model(path) for an .npz of plain arrays raised ValueError without a message; say what is wrong")
    text = folder / "notes.txt"
    text.write_text("these are not the weights you are looking for\n", encoding="utf-8")
    expect_value_error(lambda: learner.load_model(str(text)), "load_model(path) for a text file",
                       "(it is not a model file)")


# --- serving over HTTP -------------------------------------------------------------------------------------
@dataclass
class Reply:
    status: int
    reason: str
    headers: dict  # lower-case names
    body: bytes
    raised: list = field(default_factory=list)  # what the app raised while answering

    def json(self):
        """The body as JSON, or None."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None

    def describe(self) -> str:
        text = self.body.decode("utf-8", "replace")
        return repr(text if len(text) <= 160 else text[:157] + "...")


def exchange(port: int, method: str, path: str, body: bytes | None = None, *, send_length: bool = True,
             before_body=None, timeout: float = TIMEOUT) -> Reply:
    """One raw HTTP/1.1 request, and its answer read until the server closes the connection.

    ``before_body()`` runs between the headers and the body. Raises TimeoutError when the answer is not
    complete ``timeout`` seconds after the request was sent, OSError or ValueError when it cannot be had.
    """
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    if body is not None:
        lines.append("Content-Type: application/json")
        if send_length:
            lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        if before_body is not None:
            before_body()
        if body:
            connection.sendall(body)
        deadline = time.monotonic() + timeout  # for the answer, once the whole request is sent
        data = bytearray()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            connection.settimeout(remaining)
            chunk = connection.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    head, separator, content = bytes(data).partition(b"\r\n\r\n")
    if not separator:
        raise ValueError(f"the server closed the connection without a complete answer ({len(data)} bytes)")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Reply(int(parts[1]), parts[2] if len(parts) > 2 else "", headers, content)


class Served:
    """The learner's app behind a server in the worker, and this side's way to talk to it."""

    def __init__(self, handle: RemoteObject, port: int) -> None:
        self.handle = handle
        self.port = port

    def errors(self) -> list:
        try:
            return list(self.handle.errors)
        except LearnerError:
            return []

    def request(self, method: str, path: str, body: bytes | None = None, *, call: str, send_length: bool = True) -> Reply:
        seen = len(self.errors())
        try:
            reply = exchange(self.port, method, path, body, send_length=send_length)
        except TimeoutError:
            raised = self.errors()[seen:]
            fail(f"{call} got no answer within {TIMEOUT:g} s" + (f" (the app raised {raised[-1]})" if raised else "")
                 + (f" — {READ_EXACTLY}" if body is not None else " — does the app wait for something?"))
        except (OSError, ValueError) as exc:
            raised = self.errors()[seen:]
            fail(f"{call} got no answer: {exc}" + (f" (the app raised {raised[-1]})" if raised else ""))
        reply.raised = self.errors()[seen:]
        return reply


@contextlib.contextmanager
def served(learner, worker, model):
    """make_app(model) served from the worker on 127.0.0.1 and a free port, shut down afterwards."""
    app = learner.make_app(model)
    if not isinstance(app, RemoteObject) or not app._callable:
        fail(f"make_app(model) returned {show(app)}; expected a WSGI application: a function "
             "app(environ, start_response), defined inside make_app and returned")
    handle = worker.put(KitObject("grader.support.serving:serve_in_thread", app))
    try:
        yield Served(handle, int(handle.port))
    finally:
        with contextlib.suppress(LearnerError):
            handle.shutdown()


def expect_reply(reply: Reply, call: str, status: int, advice: str = ""):
    """The reply must have ``status`` and be JSON with the right headers; returns the decoded body."""
    payload = reply.json()
    raised = f"the app raised {reply.raised[-1]}" if reply.raised else ""
    if reply.status != status:
        message = (f"{call} was answered {reply.status} {reply.reason}; expected {status} {HTTPStatus(status).phrase}"
                   + (f" ({raised})" if raised else f", body {reply.describe()}"))
        if advice_for(reply.raised):
            fail(message + advice_for(reply.raised))
        if status == 400 and reply.status == 200 and isinstance(payload, dict) and "error" in payload:
            message += (" — a bad request must get status 400 (Bad Request), not 200 with an error text: clients "
                        "check the status code first")
        elif status == 400 and reply.status == 200:
            message += " — the request is not valid, yet the app answered it: check it and answer 400 with an error"
        elif status == 400 and reply.status == 500:
            message += (" — it is the client's mistake, so a 400 with {\"error\": ...}; 500 means the server failed. "
                        "Check the request before predicting, and turn each problem into a 400")
        elif status in (404, 405) and reply.status in (200, 400):
            message += (" — 404 Not Found is for a path the app does not serve, 405 Method Not Allowed for a known "
                        "path with the wrong method")
        fail(message + (f" — {advice}" if advice else ""))
    content_type = reply.headers.get("content-type", "")
    if not content_type.lower().startswith("application/json"):
        fail(f"{call}: the answer's Content-Type is {content_type!r}; expected 'application/json'"
             + (f" ({raised}, and the server sent its own error page)" if raised else "")
             + f", body {reply.describe()}")
    length = reply.headers.get("content-length")
    if length is None:
        fail(f"{call}: the answer has no Content-Length header; expected one, str(len(body)) of the bytes sent")
    if length.strip() != str(len(reply.body)):
        fail(f"{call}: the answer's Content-Length is {length!r} but its body has {len(reply.body)} bytes: send "
             "str(len(body)) of the encoded bytes")
    if not isinstance(payload, dict):
        fail(f"{call}: the body {reply.describe()} is not a JSON object; expected one, encoded as UTF-8 "
             "(json.dumps(...).encode())")
    return payload


def expect_error_message(payload: dict, call: str) -> None:
    message = payload.get("error")
    if not isinstance(message, str) or not message.strip():
        fail(f"{call} was answered {payload!r}; expected a JSON object with an \"error\" message for the client")


def instances_body(X) -> bytes:
    return json.dumps({"instances": np.asarray(X).tolist()}).encode("utf-8")


def expect_predictions(server: Served, X, kit, call: str) -> None:
    """POST /predict with X must be answered 200 {"predictions": kit.predict(X) as JSON values}."""
    reply = server.request("POST", "/predict", instances_body(X), call=call)
    payload = expect_reply(reply, call, 200)
    want = kit.predict(np.asarray(X, dtype=float)).tolist()
    if "predictions" not in payload:
        fail(f"{call} was answered {show(payload)}; expected {{\"predictions\": [...]}}")
    got = payload["predictions"]
    if not isinstance(got, list) or len(got) != len(want):
        fail(f"{call} with {len(want)} instances was answered \"predictions\": {show(got)}; expected a list of "
             f"{len(want)} predictions, one per instance")
    if isinstance(want[0], float):
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in got)
        if not numeric or not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            fail(f"{call} was answered \"predictions\": {show(got)}; expected {show(want)}, the model's predictions")
    elif got != want or any(type(g) is not type(w) for g, w in zip(got, want)):
        fail(f"{call} was answered \"predictions\": {show(got)}; expected {show(want)}, the model's predictions "
             "(labels as the model predicts them)")


@pytest.mark.points(1)
def test_health(learner, worker, rng):
    """GET /health is answered 200 with the JSON {"status": "ok"}"""
    model, _ = kit_model(worker, rng, "RidgeRegressor")
    with served(learner, worker, model) as server:
        call = "GET /health"
        payload = expect_reply(server.request("GET", "/health", call=call), call, 200)
        if payload.get("status") != "ok":
            fail(f"{call} was answered {payload!r}; expected {{\"status\": \"ok\"}}")


@pytest.mark.points(2)
def test_predict(learner, worker, rng):
    """POST /predict is answered {"predictions": [...]}, the model's: integer labels, string labels, numbers"""
    labels = list(LABEL_SETS[int(rng.integers(len(LABEL_SETS)))])
    for name, params, kind in (("SoftmaxClassifier", {}, "integer labels"),
                               ("SoftmaxClassifier", {"labels": labels}, "string labels"),
                               ("RidgeRegressor", {}, "a regressor")):
        model, kit = kit_model(worker, rng, name, **params)
        with served(learner, worker, model) as server:
            for n in (1, int(rng.integers(5, 12))):
                X = rng.normal(size=(n, N_FEATURES))
                expect_predictions(server, X, kit, f"POST /predict with {n} instance{'s' * (n > 1)} ({kind})")
            X = rng.integers(-3, 4, size=(3, N_FEATURES))
            expect_predictions(server, X, kit, f"POST /predict with {X.tolist()} (whole numbers, {kind})")


MALFORMED = (
    ("cut short", b'{"instances": [[0.5, 1.0, -2.0, 3.5]'),
    ("not JSON", b"instances=0.5,1.0,-2.0,3.5"),
    ("a JSON list, not an object", b"[[0.5, 1.0, -2.0, 3.5]]"),
    ("a JSON string, not an object", b'"0.5, 1.0, -2.0, 3.5"'),
    ("an object without \"instances\"", b'{"rows": [[0.5, 1.0, -2.0, 3.5]]}'),
    ("empty (Content-Length: 0)", b""),
)


@pytest.mark.points(2)
def test_malformed_body_is_400(learner, worker, rng):
    """a body that is not JSON, not a JSON object, empty, or has no "instances" gets 400 and a JSON error"""
    model, kit = kit_model(worker, rng, "SoftmaxClassifier")
    with served(learner, worker, model) as server:
        for what, body in MALFORMED:
            call = f"POST /predict with a body that is {what}: {body.decode()!r}"
            reply = server.request("POST", "/predict", body, call=call)
            expect_error_message(expect_reply(reply, call, 400), call)
        call = "POST /predict with no body and no Content-Length header"
        reply = server.request("POST", "/predict", b"", send_length=False, call=call)
        expect_error_message(expect_reply(reply, call, 400, "a missing Content-Length means an empty body"), call)
        expect_predictions(server, rng.normal(size=(3, N_FEATURES)), kit,
                           "POST /predict with 3 good instances, after the bad requests")


@pytest.mark.points(1)
def test_bad_instances_are_400(learner, worker, rng):
    """instances that are not a non-empty list of equal-length rows of numbers get 400 and a JSON error"""
    model, kit = kit_model(worker, rng, "SoftmaxClassifier")
    row = np.round(rng.normal(size=N_FEATURES), 2).tolist()
    cases = (
        ("an empty list", []),
        ("one flat row instead of a list of rows", row),
        ("a string", "0.5, 1.0, -2.0, 3.5"),
        ("null", None),
        ("an object", {"x": row}),
        ("rows of different lengths", [row, row[:-1]]),
        ("a row of strings", [["a", "b", "c", "d"]]),
        ("a row with a null", [row[:2] + [None] + row[3:]]),
    )
    with served(learner, worker, model) as server:
        for what, instances in cases:
            body = json.dumps({"instances": instances}).encode("utf-8")
            call = f"POST /predict with \"instances\" {what}: {body.decode()}"
            reply = server.request("POST", "/predict", body, call=call)
            expect_error_message(expect_reply(reply, call, 400, "check the instances before predicting"), call)
        expect_predictions(server, rng.normal(size=(2, N_FEATURES)), kit,
                           "POST /predict with 2 good instances, after the bad requests")


@pytest.mark.points(1)
def test_wrong_number_of_features_is_400(learner, worker, rng):
    """instances with more or fewer features than model.n_features_in_ get 400 and a JSON error, not a crash"""
    model, kit = kit_model(worker, rng, "SoftmaxClassifier", labels=list(LABEL_SETS[0]))
    with served(learner, worker, model) as server:
        for d in (N_FEATURES - 1, N_FEATURES + 1):
            X = rng.normal(size=(2, d))
            call = f"POST /predict with 2 instances of {d} features, to a model fitted on {N_FEATURES}"
            reply = server.request("POST", "/predict", instances_body(X), call=call)
            expect_error_message(expect_reply(reply, call, 400, "compare the row length with model.n_features_in_ "
                                              "before calling predict"), call)
        expect_predictions(server, rng.normal(size=(2, N_FEATURES)), kit,
                           f"POST /predict with 2 instances of {N_FEATURES} features, after the bad ones")


@pytest.mark.points(1)
def test_unknown_path_and_wrong_method(learner, worker, rng):
    """an unknown path gets 404, a wrong method (GET /predict, POST /health) gets 405, each with a JSON error"""
    model, _ = kit_model(worker, rng, "RidgeRegressor")
    with served(learner, worker, model) as server:
        for method, path, body, status in (("GET", "/no/such/page", None, 404), ("GET", "/predictions", None, 404),
                                           ("POST", "/nowhere", b"", 404), ("GET", "/predict", None, 405),
                                           ("POST", "/health", b"", 405), ("DELETE", "/predict", None, 405)):
            call = f"{method} {path}"
            reply = server.request(method, path, body, call=call)
            expect_error_message(expect_reply(reply, call, status), call)
        call = "GET /health, after those"
        expect_reply(server.request("GET", "/health", call=call), call, 200)


@pytest.mark.points(1)
def test_model_error_is_500(learner, worker, rng):
    """when the model itself raises, the app answers 500 with a JSON error, and goes on serving"""
    model, _ = kit_model(worker, rng, "SoftmaxClassifier")
    model.coef_ = np.zeros((3, N_FEATURES + 3))  # broken: predict raises ValueError for any valid request
    with served(learner, worker, model) as server:
        call = (f"POST /predict with 2 valid instances to a model whose predict raises ValueError (its coef_ has "
                f"{N_FEATURES + 3} columns for {N_FEATURES} features)")
        reply = server.request("POST", "/predict", instances_body(rng.normal(size=(2, N_FEATURES))), call=call)
        if reply.status == 500 and reply.raised:
            tip = advice_for(reply.raised) or " — catch the model's exception and answer 500 with a JSON error"
            fail(f"{call} was answered by the server's own error page ({reply.describe()}): the app raised "
                 f"{reply.raised[-1]}{tip}")
        expect_error_message(expect_reply(reply, call, 500, "the request was valid: the model failed, which is the "
                                          "server's fault (500 Internal Server Error)"), call)
        call = "GET /health, after the model failed"
        expect_reply(server.request("GET", "/health", call=call), call, 200)


def send_together(server: Served, bodies: list) -> list:
    """POST /predict each body at the same time: every request connects and sends its headers, and only
    when all of them have reached the app (which then waits for its body) are the bodies sent."""
    release = threading.Event()
    before = int(server.handle.requests)

    def one(body):
        try:
            return exchange(server.port, "POST", "/predict", body, before_body=lambda: release.wait(2 * TIMEOUT),
                            timeout=2 * TIMEOUT)
        except (OSError, ValueError) as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        futures = [pool.submit(one, body) for body in bodies]
        try:
            server.handle.wait_for_requests(before + len(bodies), 2 * TIMEOUT)
        finally:
            release.set()
        return [future.result() for future in futures]


@pytest.mark.points(2)
def test_concurrent_requests(learner, worker, rng):
    """50 requests at the same time each get their own predictions: nothing is shared between requests"""
    model, kit = kit_model(worker, rng, "RidgeRegressor")
    batches = [rng.normal(size=(int(rng.integers(1, 6)), N_FEATURES)) for _ in range(50)]
    expected = [kit.predict(X) for X in batches]
    with served(learner, worker, model) as server:
        replies = send_together(server, [instances_body(X) for X in batches])
        raised = server.errors()
    wrong, mixed_up = [], 0
    for i, reply in enumerate(replies):
        call = f"request {i} of 50 sent at once (POST /predict with {len(batches[i])} instances)"
        if isinstance(reply, TimeoutError):
            wrong.append(f"{call} got no answer within {2 * TIMEOUT:g} s")
            continue
        if isinstance(reply, Exception):
            wrong.append(f"{call} got no answer: {reply}")
            continue
        payload = reply.json()
        got = payload.get("predictions") if isinstance(payload, dict) else None
        if reply.status != 200 or not isinstance(got, list):
            wrong.append(f"{call} was answered {reply.status} {reply.reason}, body {reply.describe()}")
            continue
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in got)
        if numbers and len(got) == len(expected[i]) and np.allclose(got, expected[i], rtol=1e-9, atol=1e-12):
            continue
        others = [j for j, want in enumerate(expected) if j != i and numbers and len(got) == len(want)
                  and np.allclose(got, want, rtol=1e-9, atol=1e-12)]
        mixed_up += bool(others)
        whose = f" — the predictions for request {others[0]}'s instances" if others else ""
        wrong.append(f"{call} got \"predictions\": {show(got)}; expected {show(expected[i].tolist())}{whose}")
    if not wrong:
        return
    message = f"{len(wrong)} of 50 requests sent at the same time got a wrong answer; the first: {wrong[0]}"
    if raised:
        message += f". The app raised {raised[-1]}{advice_for(raised)}"
    if all(w.endswith(f"within {2 * TIMEOUT:g} s") for w in wrong):
        message += f" — {READ_EXACTLY}"
    elif mixed_up or len(wrong) < 50:
        message += (" — a web server answers many requests at once, in threads, with the same app: keep everything "
                    "about a request in local variables of app, never in module-level variables, in attributes of "
                    "the model or of an app object (self)")
    fail(message)
