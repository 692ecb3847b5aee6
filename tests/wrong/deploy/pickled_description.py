"""Mistake: save_model stores the description as a dict in the .npz (np.savez pickles it); load_model reads it with allow_pickle=True."""

import importlib
import inspect
import json
from http import HTTPStatus

import numpy as np

MODEL_KEY = "__model__"  # the entry of the .npz file that holds the JSON description of the model


class BadRequest(Exception):
    """A request the client got wrong: the app answers it with status 400 and ``{"error": message}``."""


# BEGIN SOLUTION
def _is_storable_array(value):
    """Numbers, booleans or strings: the arrays that .npy stores without pickle."""
    return isinstance(value, np.ndarray) and value.dtype.kind in "biufcUS"


def _read_instances(environ, n_features):
    """The request's ``"instances"`` as a float array of shape (n, d); BadRequest if anything is wrong."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadRequest("the Content-Length header is not a number") from None
    if length <= 0:
        raise BadRequest('the request has no body; send JSON such as {"instances": [[1.0, 2.0]]}')
    body = environ["wsgi.input"].read(length)  # exactly the body: read() alone would wait for more forever
    try:
        payload = json.loads(body)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadRequest(f"the body is not valid JSON ({exc})") from None
    if not isinstance(payload, dict):
        raise BadRequest('the body must be a JSON object such as {"instances": [[1.0, 2.0]]}')
    if "instances" not in payload:
        raise BadRequest('the JSON object has no "instances" field')
    instances = payload["instances"]
    if not isinstance(instances, list) or not instances:
        raise BadRequest('"instances" must be a non-empty list of rows, such as [[1.0, 2.0], [3.0, 4.0]]')
    for i, row in enumerate(instances):
        if not isinstance(row, list) or not row:
            raise BadRequest(f'instance {i} is not a list of numbers: each instance is one row, such as [1.0, 2.0]')
        if not all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in row):
            raise BadRequest(f"instance {i} holds something that is not a number")
    if len({len(row) for row in instances}) > 1:
        raise BadRequest("the instances have different lengths: every row needs the same number of features")
    X = np.array(instances, dtype=float)
    if not np.all(np.isfinite(X)):
        raise BadRequest("the instances hold NaN or infinite values")
    if n_features is not None and X.shape[1] != n_features:
        raise BadRequest(f"each instance must have {n_features} features; got {X.shape[1]}")
    return X


# END SOLUTION
def save_model(model, path):
    """Store a fitted model in an ``.npz`` file at exactly ``path``, without pickle.

    The file holds one array per learned array attribute (under its own name) and one more,
    ``MODEL_KEY``, a string array with this JSON description::

        {"class": "linear_regression:LinearRegression",      # type(model).__module__ : __qualname__
         "hyper_parameters": {"fit_intercept": false},        # getattr(model, p) for p in __init__'s parameters
         "scalars": {"intercept_": 0.0}}                      # learned attributes that are plain values

    The learned attributes are the names in ``vars(model)`` that end in ``_`` and do not start with
    ``_``. Each must be an ndarray of numbers, booleans or strings (stored as an array, dtype kept), or a
    single ``int``, ``float``, ``bool`` or ``str`` (numpy ones too; stored in ``"scalars"``). Anything else
    (a dict, a list, an object array, another model) raises ``TypeError`` naming the attribute, before
    anything is written. Write through a file you open yourself (``open(path, "wb")``): given a name,
    ``np.savez`` would add ``.npz`` to it.

    Parameters
    ----------
    model : a fitted estimator whose ``__init__`` only stores its arguments
    path : str or os.PathLike

    Returns
    -------
    None

    Examples
    --------
    >>> import os, tempfile
    >>> from linear_regression import LinearRegression        # exercise 4
    >>> model = LinearRegression(fit_intercept=False).fit([[1.0], [2.0]], [2.0, 4.0])     # y = 2 x
    >>> path = os.path.join(tempfile.mkdtemp(), "line.npz")
    >>> save_model(model, path)
    >>> sorted(np.load(path, allow_pickle=False).files)
    ['__model__', 'coef_']
    """
    # BEGIN SOLUTION
    # Step 1: the class as "module:qualname", and the hyper-parameters: every parameter of
    #         inspect.signature(type(model)) read with getattr; each must pass json.dumps (TypeError if not).
    cls = type(model)
    hyper_parameters = {}
    for name, parameter in inspect.signature(cls).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        value = getattr(model, name)
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            raise TypeError(f"hyper-parameter {name!r} ({type(value).__name__}) cannot be stored as JSON") from None
        hyper_parameters[name] = value
    # Step 2: sort the learned attributes (public, ending in "_") into arrays and scalars
    #         (scalar.item() turns a numpy scalar into a Python one); anything else is a TypeError.
    arrays, scalars = {}, {}
    for name, value in vars(model).items():
        if name.startswith("_") or not name.endswith("_"):
            continue
        if _is_storable_array(value):
            arrays[name] = value
        elif isinstance(value, (bool, int, float, str, np.bool_, np.integer, np.floating, np.str_)):
            scalars[name] = value.item() if isinstance(value, np.generic) else value
        else:
            raise TypeError(f"learned attribute {name!r} is a {type(value).__name__}: save_model stores only "
                            "arrays of numbers or strings and single numbers or strings")
    # Step 3: put the description in one JSON string, and write it with the arrays through an open file.
    description = {"class": f"{cls.__module__}:{cls.__qualname__}", "hyper_parameters": hyper_parameters,
                   "scalars": scalars}
    with open(path, "wb") as file:
        np.savez(file, **{MODEL_KEY: description}, **arrays)
    # END SOLUTION


def load_model(path):
    """Build the model stored by :func:`save_model` at ``path``: a new instance, ready to predict.

    Read the file with ``np.load(path, allow_pickle=False)`` (never allow pickle), decode the JSON
    description, import the class (``importlib.import_module(module)``, then ``getattr`` for each part of
    the qualname), create ``cls(**hyper_parameters)`` and set every learned attribute: the arrays with
    their dtype, the scalars as the Python values they were.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    model : a new instance of the stored class

    Raises
    ------
    ValueError
        If ``path`` is not a file written by ``save_model`` (not an ``.npz``, no ``MODEL_KEY`` entry, or
        pickled data in it); the message says so.

    Examples
    --------
    >>> import os, tempfile
    >>> from linear_regression import LinearRegression
    >>> path = os.path.join(tempfile.mkdtemp(), "line.npz")
    >>> save_model(LinearRegression(fit_intercept=False).fit([[1.0], [2.0]], [2.0, 4.0]), path)
    >>> model = load_model(path)
    >>> model.fit_intercept, model.coef_, model.intercept_, model.predict([[3.0]])
    (False, array([2.]), 0.0, array([6.]))
    """
    # BEGIN SOLUTION
    # Step 1: np.load(path, allow_pickle=False); a ValueError unless it is an .npz holding MODEL_KEY;
    #         decode the JSON description stored there.
    try:
        data = np.load(path, allow_pickle=True)
    except (ValueError, EOFError, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ValueError(f"{path} is not a model file: {exc}") from None
    if not isinstance(data, np.lib.npyio.NpzFile) or MODEL_KEY not in data.files:
        raise ValueError(f"{path} is not a model saved by save_model: it has no {MODEL_KEY!r} entry")
    with data:
        try:
            description = data[MODEL_KEY].item()
            arrays = {name: data[name] for name in data.files if name != MODEL_KEY}
        except ValueError as exc:  # bad JSON, or an object array that would need pickle
            raise ValueError(f"{path} is not a model saved by save_model: {exc}") from None
    # Step 2: import the module and find the class named "module:qualname".
    module_name, _, qualname = description["class"].partition(":")
    cls = importlib.import_module(module_name)
    for part in qualname.split("."):
        cls = getattr(cls, part)
    # Step 3: build cls(**hyper_parameters), then set the learned arrays and scalars; return the model.
    model = cls(**description["hyper_parameters"])
    for name, value in {**arrays, **description["scalars"]}.items():
        setattr(model, name, value)
    return model
    # END SOLUTION


def make_app(model):
    """A WSGI application that serves ``model``'s predictions as JSON.

    The app is a function ``app(environ, start_response)``; a web server calls it once per request::

        GET  /health                                       -> 200 {"status": "ok"}
        POST /predict  {"instances": [[1.0, 2.0], ...]}    -> 200 {"predictions": [...]}

    ``instances`` has shape ``(n, n_features)``: a non-empty list of rows, all the same length, of
    numbers; with ``model.n_features_in_`` (when the model has it) as that length. The predictions are
    ``model.predict(X).tolist()``: ``json.dumps`` cannot encode numpy values, ``.tolist()`` turns them into
    Python ones (string labels stay strings).

    Every other request gets ``{"error": "<what went wrong, for the client>"}`` with its status:
    400 for a body that is not JSON, not a JSON object, has no ``"instances"``, or bad instances; 404 for
    another path; 405 for another method (e.g. ``GET /predict``); 500 when the model itself raises.

    Every response is JSON: call ``start_response(status, headers)`` once, with a status line such as
    ``"400 Bad Request"`` (``f"{code} {HTTPStatus(code).phrase}"``) and the headers
    ``[("Content-Type", "application/json"), ("Content-Length", str(len(body)))]``, then return
    ``[body]``, the JSON text encoded as bytes. Read the body as exactly ``CONTENT_LENGTH`` bytes of
    ``environ["wsgi.input"]`` (a missing or empty ``CONTENT_LENGTH`` means no body): ``read()`` without a
    size waits for the end of the stream, which never comes while the client waits for the answer.

    The app must keep nothing between requests: many run at the same time, in threads.

    Parameters
    ----------
    model : a fitted estimator with ``predict``

    Returns
    -------
    app : callable ``app(environ, start_response) -> list of bytes``

    Examples
    --------
    Call the app as a server would, with a hand-made ``environ`` (a handy way to test it):

    >>> import io
    >>> from linear_regression import LinearRegression
    >>> app = make_app(LinearRegression(fit_intercept=False).fit([[1.0], [2.0]], [2.0, 4.0]))
    >>> body = b'{"instances": [[1.0], [3.0]]}'
    >>> environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/predict",
    ...            "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    >>> app(environ, lambda status, headers: print(status, headers))
    200 OK [('Content-Type', 'application/json'), ('Content-Length', '27')]
    [b'{"predictions": [2.0, 6.0]}']
    >>> app({"REQUEST_METHOD": "GET", "PATH_INFO": "/predict"}, lambda status, headers: print(status))
    405 Method Not Allowed
    [b'{"error": "use POST for /predict"}']
    """
    # BEGIN SOLUTION
    # Step 1: read the number of features once (getattr(model, "n_features_in_", None)), then define
    #         app(environ, start_response) inside make_app: it sees model, and keeps no other state.
    n_features = getattr(model, "n_features_in_", None)
    routes = {"/health": "GET", "/predict": "POST"}

    def app(environ, start_response):
        # Step 2: in app, route on environ["PATH_INFO"] and environ["REQUEST_METHOD"]: 404 for an
        #         unknown path, 405 for the wrong method, 200 {"status": "ok"} for GET /health.
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path not in routes:
            status, payload = 404, {"error": f"no such path {path!r}: use GET /health or POST /predict"}
        elif method != routes[path]:
            status, payload = 405, {"error": f"use {routes[path]} for {path}"}
        elif path == "/health":
            status, payload = 200, {"status": "ok"}
        else:
            # Step 3: for POST /predict, read exactly CONTENT_LENGTH bytes, parse the JSON and check the
            #         instances (a helper function that raises BadRequest for each problem keeps app
            #         short); answer a BadRequest with 400 {"error": str(exc)}.
            try:
                X = _read_instances(environ, n_features)
            except BadRequest as exc:
                status, payload = 400, {"error": str(exc)}
            else:
                # Step 4: predict; 200 {"predictions": predictions.tolist()}, or 500 with an error if the
                #         model raises.
                try:
                    status, payload = 200, {"predictions": np.asarray(model.predict(X)).tolist()}
                except Exception as exc:  # the model's fault, not the client's
                    status, payload = 500, {"error": f"the model failed to predict ({type(exc).__name__})"}
        # Step 5: encode the JSON body as bytes, call start_response with the status line and both
        #         headers, and return [body].
        body = json.dumps(payload).encode("utf-8")
        start_response(f"{status} {HTTPStatus(status).phrase}",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    # Step 6: return app.
    return app
    # END SOLUTION
