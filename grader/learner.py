"""The grader's side of the worker boundary: start a worker, send requests, wrap what comes back.

A suite sees the learner's module as a :class:`RemoteObject` and writes ordinary code::

    model = learner.LinearRegression()
    model.fit(X, y)
    y_hat = model.predict(X)      # a real numpy array in the grader's process

Arrays and plain values come back by value; every other object stays in the worker and is a
``RemoteObject`` here. Each request has a time limit; a worker that hangs, exits or crashes is killed and
replaced, and the test that was using it fails with a :class:`LearnerError` that says why.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import protocol, sandbox

DEFAULT_TIME_LIMIT = 10.0
SHORT_TIME_LIMIT = 1.0  # the least a call that already timed out once in a run gets again
DEFAULT_MEMORY_MB = 4096
DEFAULT_FILE_SIZE_MB = 64
PRINTED_KEEP_BYTES = 4000


@dataclass
class LearnerFrame:
    file: str
    line: int
    function: str
    code: str


@dataclass
class LearnerError(Exception):
    """Learner code failed: it raised, hung, or took its worker down."""

    operation: str
    type_name: str
    message: str
    frames: list[LearnerFrame] = field(default_factory=list)
    traceback: str = ""

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    @property
    def where(self) -> LearnerFrame | None:
        """The innermost frame in the learner's own file, where the error was raised."""
        return self.frames[-1] if self.frames else None

    def summary(self) -> str:
        text = f"{self.operation} raised {self.type_name}" + (f": {self.message}" if self.message else "")
        return text


class LearnerNotStarted(LearnerError):
    """The learner's code raised NotImplementedError: the function is still a stub."""

    @property
    def stub_elsewhere(self) -> str:
        """``"fit() in decision_tree.py"`` when the stub hit is in another file than the called code, else ''.

        E.g. a finished forest whose tree (another exercise, imported) is still a stub.
        """
        if not self.frames or Path(self.frames[0].file).name == Path(self.frames[-1].file).name:
            return ""
        return f"{self.frames[-1].function}() in {Path(self.frames[-1].file).name}"

    def summary(self) -> str:
        if self.stub_elsewhere:
            return f"{self.operation} cannot run yet: it calls {self.stub_elsewhere}, which is not implemented yet"
        return f"{self.operation} is not implemented yet"


class LearnerTimeout(LearnerError):
    def summary(self) -> str:
        return self.message


class LearnerCrash(LearnerError):
    def summary(self) -> str:
        return self.message


_SIGNAL_CAUSES = {
    "SIGSEGV": "crashed with a segmentation fault",
    "SIGBUS": "crashed with a bus error",
    "SIGABRT": "aborted",
    "SIGKILL": "was killed (often: it used too much memory)",
    "SIGXCPU": "used too much CPU time",
    "SIGXFSZ": "wrote a file that was too large",
}


def _exit_cause(returncode: int | None) -> str:
    if returncode is None:
        return "stopped answering"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return _SIGNAL_CAUSES.get(name, f"was stopped by {name}")
    return f"exited with status {returncode} (did your code call os._exit() or sys.exit()?)"


class _OutputCapture(threading.Thread):
    """Drains the worker's stdout+stderr pipe, keeping the first few KB and counting the rest."""

    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.lock = threading.Lock()
        self.kept = bytearray()
        self.total = 0
        self.holding = False  # a chunk has been read but not yet kept

    def run(self) -> None:
        fd = self.stream.fileno()
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                return
            self.holding = True
            if not chunk:
                self.holding = False
                return
            with self.lock:
                room = PRINTED_KEEP_BYTES - len(self.kept)
                if room > 0:
                    self.kept += chunk[:room]
                self.total += len(chunk)
            self.holding = False

    def catch_up(self, limit: float = 0.5) -> None:
        """Wait until this thread has kept everything already in the pipe.

        The worker flushes what the learner printed before it replies, so when a reply arrives the text
        is in the pipe; on a busy machine this thread may not have read it yet.
        """
        deadline = time.monotonic() + limit
        quiet_checks = 0
        # Twice quiet: a read may be just returning. A finished thread has kept everything up to the end of
        # the stream (which select would keep reporting as readable).
        while quiet_checks < 2 and self.is_alive() and time.monotonic() < deadline:
            try:
                readable = select.select([self.stream.fileno()], [], [], 0)[0]
            except (OSError, ValueError):  # closed, or a platform where pipes cannot be polled
                return
            quiet_checks = 0 if readable or self.holding else quiet_checks + 1
            time.sleep(0.001)

    def take(self) -> tuple[str, int]:
        self.catch_up()
        with self.lock:
            text, total = self.kept.decode("utf-8", "replace"), self.total
            self.kept.clear()
            self.total = 0
        return text, total


def off_limits() -> list[Path]:
    """Folders of the kit learner code may not read: the reference solutions, the suites, the kit's tests
    (the graded tree itself stays readable when it is one of them, as with ``--dir solutions``)."""
    from grader.roadmap import KIT_ROOT, SUITES_DIR

    return [KIT_ROOT / "solutions", SUITES_DIR, KIT_ROOT / "tests"]


@dataclass
class ExerciseFiles:
    """What the worker needs to load one exercise of a graded tree."""

    path: Path  # the learner's module file
    module_name: str  # the bare name other exercises import it by
    graded_root: Path  # the graded tree (exercises/ or --dir); frames under it are the learner's
    import_paths: list[Path]  # every stage folder of the graded tree

    @classmethod
    def of(cls, exercise_name: str, graded_root: Path) -> ExerciseFiles:
        from grader.roadmap import load_roadmap

        roadmap = load_roadmap()
        path = graded_root / roadmap.get(exercise_name).file
        return cls(path, path.stem, graded_root, [graded_root / stage for stage in roadmap.stage_dirs()])


class WorkerClient:
    """One worker process for one exercise; restarted after it hangs or dies."""

    def __init__(
        self,
        files: ExerciseFiles,
        time_limit: float = DEFAULT_TIME_LIMIT,
        memory_mb: int | None = DEFAULT_MEMORY_MB,
    ) -> None:
        self.files = files
        self.time_limit = time_limit
        self.memory_mb = memory_mb
        self.generation = 0  # bumped on each restart; handles of a dead worker are stale
        self.process: subprocess.Popen | None = None
        self.warnings: list[dict] = []  # warnings raised by learner code during the last request
        self.last_seconds: float | None = None  # how long the last request ran in the worker (learner code only)
        self._printed_note: list[str] = []
        self._tmpdir: tempfile.TemporaryDirectory | None = None
        self._run_as: tuple[int, int] | None = None
        self._mark = ""
        self.isolation = ""  # how the worker is isolated (or why it is not), for reports and benchmarks
        self._proxies: dict[int, RemoteObject] = {}
        self._timed_out: set[str] = set()  # operations that hung in this run: later calls get a shorter limit

    # --- life cycle ----------------------------------------------------------------------------------
    def start(self) -> None:
        if self.process is not None:
            return
        request_read, self._request_write = os.pipe()
        self._response_read, response_write = os.pipe()
        self._tmpdir = tempfile.TemporaryDirectory(prefix="ml-grade-worker-")
        scratch = self._tmpdir.name
        run_as, self.isolation = sandbox.run_as(self.files.graded_root)
        if run_as is not None:
            os.chown(scratch, *run_as)
        self._run_as = run_as
        self._mark = secrets.token_hex(8)
        config = {
            "graded_root": str(self.files.graded_root),
            "scratch": scratch,
            "off_limits": [str(folder) for folder in off_limits()],
            "run_as": run_as,
            "memory_mb": self.memory_mb,
            "file_size_mb": DEFAULT_FILE_SIZE_MB,
        }
        env = {key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")}
        # One BLAS thread: faster start-up, reproducible sums, and two workers fit two cores.
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONHASHSEED="0")
        env.update(HOME=scratch, TMPDIR=scratch, **{sandbox.MARK_VARIABLE: self._mark})
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-m", "grader.worker", str(request_read), str(response_write), json.dumps(config)],
            pass_fds=(request_read, response_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=scratch,
            env=env,
            start_new_session=True,
        )
        os.close(request_read)
        os.close(response_write)
        self._output = _OutputCapture(self.process.stdout)
        self._output.start()
        self._proxies = {}

    def stop(self) -> None:
        """Kill the worker and everything it started; safe to call twice."""
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            os.close(self._request_write)
        with contextlib.suppress(OSError):
            os.close(self._response_read)
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # children the learner left behind
        sandbox.kill_marked(self._mark)  # and those that left the process group
        self._output.join(timeout=1)
        self._note_output(self._output.take())
        process.stdout.close()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None
        self.generation += 1

    def scratch_folder(self, prefix: str = "files-") -> Path:
        """A fresh folder learner code may write in (e.g. to save a model), inside the worker's scratch folder."""
        self.start()
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=self._tmpdir.name))
        if self._run_as is not None:
            os.chown(folder, *self._run_as)
        return folder.resolve()

    # --- printed output ------------------------------------------------------------------------------
    def _note_output(self, taken: tuple[str, int]) -> None:
        text, total = taken
        if not total:
            return
        if total > len(text.encode("utf-8", "replace")):
            text += f"\n... ({total:,} bytes printed in all; the rest is not shown)"
        self._printed_note.append(text)

    def take_printed(self) -> str:
        """What learner code printed since the last call (capped), or ''."""
        if self.process is not None:
            self._note_output(self._output.take())
        text = "".join(self._printed_note)
        self._printed_note = []
        return text

    # --- requests ------------------------------------------------------------------------------------
    def _read_reply(self, deadline: float) -> tuple[dict, list[bytes]]:
        buffer = bytearray()
        needed = 8
        length = None
        while len(buffer) < needed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._response_read], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self._response_read, max(needed - len(buffer), 1 << 16))
            if not chunk:
                raise EOFError
            buffer += chunk
            if length is None and len(buffer) >= 8:
                (length,) = struct.unpack(">Q", bytes(buffer[:8]))
                if length > protocol.MAX_FRAME_BYTES:
                    raise protocol.ProtocolError(f"a reply of {length} bytes is too large")
                needed = 8 + length
        return protocol.unpack(bytes(buffer[8:]))

    def request(self, op: str, args: list, operation: str, time_limit: float | None = None) -> Any:
        """Send one request; return the decoded value or raise a :class:`LearnerError`."""
        self.start()
        blobs: list[bytes] = []
        frame = protocol.pack({"op": op, "args": protocol.encode(args, blobs, self._handle_tag)}, blobs)
        limit = self.time_limit if time_limit is None else time_limit
        full_limit, note = limit, ""
        if operation in self._timed_out:
            # It hung earlier in this run: do not make the learner wait the full limit once per test.
            if op == "load":
                raise LearnerTimeout(operation, "Timeout", f"{operation} did not return within {limit:g} s "
                                     "(in an earlier test; not tried again)")
            limit = min(limit, max(SHORT_TIME_LIMIT, limit / 5))
            note = f" (cut from {full_limit:g} s: it already timed out earlier in this run)" if limit < full_limit else ""
        try:
            protocol.write_frame(self._request_write, frame)
            header, reply_blobs = self._read_reply(time.monotonic() + limit)
        except TimeoutError:
            self.stop()
            self._timed_out.add(operation)
            raise LearnerTimeout(operation, "Timeout", f"{operation} did not return within {limit:g} s{note}") from None
        except (EOFError, OSError, protocol.ProtocolError):
            process = self.process
            returncode = process.wait(timeout=5) if process is not None else None
            self.stop()
            cause = _exit_cause(returncode)
            raise LearnerCrash(operation, "WorkerCrash", f"the process running your code {cause} during {operation}") from None
        self.warnings = header.get("warnings", [])
        self.last_seconds = header.get("seconds")
        if not header["ok"]:
            raise self._error(operation, header["error"])
        return protocol.decode(header["value"], reply_blobs, self._proxy)

    def _error(self, operation: str, error: dict) -> LearnerError:
        kind = LearnerNotStarted if error["not_implemented"] else LearnerError
        frames = [LearnerFrame(**frame) for frame in error["frames"]]
        return kind(operation, error["type"], error["message"], frames, error["traceback"])

    def _handle_tag(self, value: Any) -> dict:
        if isinstance(value, RemoteObject):
            if value._generation != self.generation:
                raise LearnerCrash(
                    "using an object", "StaleObject",
                    "this object was lost when the process running your code was restarted after an earlier failure",
                )
            return {"$handle": value._handle}
        raise protocol.ProtocolError(f"cannot send a {type(value).__name__} to the learner's code")

    def _proxy(self, tag: dict) -> RemoteObject:
        handle = tag["$handle"]
        proxy = self._proxies.get(handle)
        if proxy is None:
            proxy = RemoteObject(self, handle, tag.get("type", "object"), tag.get("callable", False))
            self._proxies[handle] = proxy
        return proxy

    # --- what suites use -----------------------------------------------------------------------------
    def load_module(self) -> RemoteObject:
        """Import the learner's file afresh in the worker (earlier tests leave no module state)."""
        self.request("reset", [], "reset")
        self._proxies = {}
        files = self.files
        return self.request(
            "load",
            [str(files.path), files.module_name, [str(p) for p in files.import_paths]],
            f"importing {files.path.name}",
        )

    def put(self, value: Any) -> RemoteObject:
        """Keep ``value`` in the worker and return a handle to it (to see later what learner code did to it)."""
        return self.request("put", [value], "storing a value")

    def fetch(self, remote: RemoteObject) -> Any:
        """The current value of a worker-side array or plain value."""
        return self.request("fetch", [remote], "reading a value back")


class RemoteObject:
    """An object that lives in the worker: attribute access and calls become requests."""

    __slots__ = ("_client", "_handle", "_type_name", "_callable", "_generation", "_label")

    def __init__(self, client: WorkerClient, handle: int, type_name: str, is_callable: bool) -> None:
        object.__setattr__(self, "_client", client)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_type_name", type_name)
        object.__setattr__(self, "_callable", is_callable)
        object.__setattr__(self, "_generation", client.generation)
        object.__setattr__(self, "_label", type_name)

    def _labelled(self, label: str) -> RemoteObject:
        object.__setattr__(self, "_label", label)
        return self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        label = name if self._type_name == "module" else f"{self._label}.{name}"
        value = self._client.request("getattr", [self, name], label)
        if isinstance(value, RemoteObject):
            value._labelled(label)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        self._client.request("setattr", [self, name, value], f"setting {self._label}.{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        label = f"{self._label}()"
        return self._client.request("call", [self, list(args), dict(kwargs)], label)

    def __repr__(self) -> str:
        return f"<learner's {self._type_name}>"
