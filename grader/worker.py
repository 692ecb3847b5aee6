"""The worker: the only process that imports and runs learner code.

Started by :mod:`grader.learner` as ``python -I -B -m grader.worker REQUEST_FD RESPONSE_FD CONFIG_JSON``
in a temporary working directory and its own session. It reads requests from a private pipe, runs them,
and answers on another; whatever the learner prints goes to stdout/stderr, which the grader captures
apart. Only arrays and plain values go back; any other object stays here and is named by a handle.

Every request is answered, whatever the learner's code does: exceptions, ``sys.exit`` and
``KeyboardInterrupt`` become an error reply that says where in the learner's file they came from.
What cannot be answered (a hang, ``os._exit``, a segfault, a kill) is noticed by the grader.
Before serving, the worker limits and fences itself (:mod:`grader.sandbox`).
"""

from __future__ import annotations

import builtins
import errno
import importlib
import importlib.util
import json
import os
import sys
import time
import traceback
import warnings
from typing import Any

from grader import protocol, sandbox

_clock = time.perf_counter  # bound at import, so learner code that patches time cannot fake its timing


class Worker:
    def __init__(self, graded_root: str, memory_mb: int | None, file_size_mb: int | None = None) -> None:
        self.graded_root = os.path.realpath(graded_root)
        self.memory_mb = memory_mb
        self.file_size_mb = file_size_mb
        self.pid = os.getpid()  # a child forked by learner code must never answer the grader
        self.builtins = dict(vars(builtins))  # put back after each request: this code relies on them too
        self.objects: dict[int, Any] = {}
        self.handle_of: dict[int, int] = {}  # id(obj) -> handle, so `fit` returning self keeps its handle
        self.next_handle = 1
        self._blobs: list[bytes] = []  # the array blobs of the request being served

    # --- handles -------------------------------------------------------------------------------------
    def handle_for(self, value: Any) -> dict:
        handle = self.handle_of.get(id(value))
        if handle is None or self.objects.get(handle) is not value:
            handle = self.next_handle
            self.next_handle += 1
            self.objects[handle] = value
            self.handle_of[id(value)] = handle
        kind = type(value)
        return {
            "$handle": handle,
            "type": getattr(kind, "__qualname__", kind.__name__),
            "callable": callable(value),
        }

    def resolve(self, tag: dict) -> Any:
        if "$kit" in tag:
            module_name, _, attr = tag["$kit"].partition(":")
            if not module_name.startswith("grader."):
                raise protocol.ProtocolError(f"not a kit factory: {tag['$kit']}")
            factory = getattr(importlib.import_module(module_name), attr)
            args = protocol.decode(tag["args"], self._blobs, self.resolve)
            kwargs = protocol.decode(tag["kwargs"], self._blobs, self.resolve)
            return factory(*args, **kwargs)
        try:
            return self.objects[tag["$handle"]]
        except KeyError:
            raise protocol.ProtocolError(f"unknown handle {tag['$handle']}") from None

    # --- requests ------------------------------------------------------------------------------------
    def load(self, path: str, module_name: str, import_paths: list[str]) -> Any:
        # Earlier exercises are importable by bare name; appended, so they never shadow numpy or stdlib.
        for folder in import_paths:
            if folder not in sys.path:
                sys.path.append(folder)
        for name, module in list(sys.modules.items()):
            module_file = getattr(module, "__file__", None) or ""
            if module_file and os.path.realpath(module_file).startswith(self.graded_root + os.sep):
                del sys.modules[name]
        importlib.invalidate_caches()
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(module_name, None)
            raise
        return module

    def dispatch(self, header: dict) -> Any:
        op = header["op"]
        args = protocol.decode(header.get("args", []), self._blobs, self.resolve)
        if op == "load":
            return self.load(*args)
        if op == "getattr":
            target, name = args
            return getattr(target, name)
        if op == "setattr":
            target, name, value = args
            setattr(target, name, value)
            return None
        if op == "call":
            target, positional, keywords = args
            return target(*positional, **keywords)
        if op == "put":
            return args[0]
        if op == "fetch":
            return args[0]
        if op == "reset":
            self.objects.clear()
            self.handle_of.clear()
            return None
        if op == "ping":
            return "pong"
        raise protocol.ProtocolError(f"unknown request {op!r}")

    def error_reply(self, exc: BaseException) -> dict:
        if isinstance(exc, MemoryError):
            traceback.clear_frames(exc.__traceback__)  # frees what the learner's frames held, to build the reply
        frames = traceback.extract_tb(exc.__traceback__)
        learner_frames = [
            {"file": f.filename, "line": f.lineno, "function": f.name, "code": (f.line or "").strip()}
            for f in frames
            if os.path.realpath(f.filename).startswith(self.graded_root + os.sep)
        ]
        if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
            if os.path.realpath(exc.filename).startswith(self.graded_root + os.sep):
                code = (exc.text or "").strip()
                learner_frames.append({"file": exc.filename, "line": exc.lineno, "function": "", "code": code})
        learner_trace = "".join(
            traceback.format_list(
                [f for f in frames if os.path.realpath(f.filename).startswith(self.graded_root + os.sep)]
            )
        )
        return {
            "ok": False,
            "error": {
                "type": type(exc).__name__,
                "message": self.explain(exc),
                "not_implemented": isinstance(exc, NotImplementedError),
                "frames": learner_frames,
                "traceback": learner_trace,
            },
        }

    def explain(self, exc: BaseException) -> str:
        """The exception's message, naming the limit when one was hit."""
        message = str(exc)
        if isinstance(exc, SystemExit):
            return f"your code called sys.exit({exc.code!r})" if exc.code is not None else "your code called sys.exit()"
        if isinstance(exc, MemoryError):
            limit = f"more than {self.memory_mb} MB of memory, the limit" if self.memory_mb else "too much memory"
            return f"your code used {limit}" + (f" ({message})" if message else "")
        code = getattr(exc, "errno", None)
        if code == errno.EFBIG:
            return f"your code wrote a file larger than {self.file_size_mb} MB, the limit ({message})"
        if code == errno.EMFILE:
            return f"your code opened more than {sandbox.MAX_OPEN_FILES} files at once, the limit ({message})"
        if code == errno.EAGAIN and isinstance(exc, BlockingIOError):
            return f"your code started too many processes or threads (the limit is about {sandbox.MAX_PROCESSES}): {message}"
        return message

    def serve(self, request_fd: int, response_fd: int) -> None:
        while True:
            try:
                header, self._blobs = protocol.read_frame(request_fd)
            except protocol.ProtocolError:
                return  # the grader went away
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                started = _clock()
                try:
                    try:
                        value = self.dispatch(header)
                    finally:
                        vars(builtins).update(self.builtins)
                    seconds = _clock() - started  # the learner's own time, before encoding the reply
                    blobs: list[bytes] = []
                    if header["op"] == "fetch":
                        encoded = protocol.encode(value, blobs)
                    elif header["op"] == "put":
                        encoded = self.handle_for(value)
                    else:
                        encoded = protocol.encode(value, blobs, self.handle_for)
                    reply = {"ok": True, "value": encoded, "seconds": seconds}
                except BaseException as exc:  # noqa: BLE001 - every learner failure becomes a reply
                    reply, blobs = self.error_reply(exc), []
            if os.getpid() != self.pid:
                os._exit(0)  # learner code forked and this child came back here: only the worker answers
            reply["warnings"] = [
                {"category": w.category.__name__, "message": str(w.message), "file": w.filename, "line": w.lineno}
                for w in caught[:20]
            ]
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:  # noqa: BLE001 - a learner may have replaced the stream
                    pass
            try:
                frame = protocol.pack(reply, blobs)
            except Exception as exc:  # noqa: BLE001 - e.g. a reply too odd to serialise
                frame = protocol.pack(self.error_reply(exc), [])
            protocol.write_frame(response_fd, frame)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    request_fd, response_fd = int(argv[0]), int(argv[1])
    config = json.loads(argv[2])
    sys.stdin = open(os.devnull)
    import numpy  # noqa: F401 - imported before learner code and before the memory limit bites

    sandbox.enter(config)
    worker = Worker(config["graded_root"], config.get("memory_mb"), config.get("file_size_mb"))
    worker.serve(request_fd, response_fd)
    # Leave without running learner atexit handlers or waiting for learner threads.
    os._exit(0)


if __name__ == "__main__":
    main()
