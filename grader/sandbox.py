"""What learner code may do while it is graded, and the limits that hold it.

The worker (:mod:`grader.worker`) calls :func:`enter` before it runs any learner code:

* resource limits: memory (address space), CPU time, open files, file size, processes;
* when the grader runs as root (containers, Gradescope): an unprivileged user (``nobody``), so learner code
  cannot write the kit, the suites or the results, nor signal the grader;
* a guard (a Python audit hook, which no Python code can remove, and an import hook) that refuses, with a
  message that names the reason:
    - importing other machine-learning libraries: this kit is numpy only;
    - reading the reference solutions, the suites or the kit's tests;
    - writing or deleting files anywhere but the worker's own scratch folder;
    - signalling processes outside the worker's process group;
    - the network, except this machine's loopback (a suite serves the learner's app on 127.0.0.1).

The guard is a fence for honest mistakes and casual cheating, not a security boundary against native code
(``ctypes`` can step around an audit hook): the OS limits and the unprivileged user are that boundary where
the platform gives them. Nothing here is needed for correctness: grading compares results in the
grader's own process, so a worker that escapes the guard still cannot turn a failing test into a pass.

The grader's side uses :func:`forbidden_imports` (a static check before anything runs),
:func:`run_as` (whether and as whom the worker drops privileges) and :func:`kill_marked` (processes that
left the worker's process group).
"""

from __future__ import annotations

import _thread
import ast
import errno
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

FORBIDDEN_PACKAGES = frozenset({
    "sklearn", "scipy", "torch", "tensorflow", "keras", "jax", "jaxlib", "statsmodels", "pandas",
    "xgboost", "lightgbm", "catboost",
})
NUMPY_ONLY = "this kit is numpy only: write it with numpy and Python's standard library"
OFF_LIMITS = "the reference solutions and the kit's tests are off limits while your code is graded"

MAX_OPEN_FILES = 256
MAX_PROCESSES = 128  # processes and threads of the worker's user (RLIMIT_NPROC counts both)
CPU_SECONDS = 600  # a whole suite's CPU time; the grader's wall-clock limit per call bites long before
MARK_VARIABLE = "ML_GRADE_WORKER"  # set in the worker's environment; its children inherit it


# --- the grader's side -----------------------------------------------------------------------------------
def forbidden_imports(source: str) -> list[tuple[int, str]]:
    """``(line, module)`` for each import of a forbidden package or of the reference solutions in ``source``.

    Sees ``import x``, ``from x import y``, ``__import__("x")``, ``importlib.import_module("x")`` and code
    in string literals given to ``exec``/``eval``/``compile``. A file that does not parse has none: the
    import in the worker reports the syntax error with its line.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            argument = node.args[0].value
            if callee in ("__import__", "import_module") and isinstance(argument, str):
                names = [argument]
            elif callee in ("exec", "eval", "compile") and isinstance(argument, str):
                found += [(node.lineno, name) for _, name in forbidden_imports(argument)]
        found += [(node.lineno, name) for name in names if _is_forbidden(name) or _is_solutions(name)]
    return sorted(set(found))


def _is_forbidden(module: str) -> bool:
    return module.partition(".")[0] in FORBIDDEN_PACKAGES


def _is_solutions(module: str) -> bool:
    return module.partition(".")[0] == "solutions" or module.startswith("grader.suites")


def why_forbidden(module: str) -> str:
    return OFF_LIMITS if _is_solutions(module) else NUMPY_ONLY


def _capability_effective(number: int) -> bool:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> number & 1)
    except (OSError, ValueError, IndexError):
        pass
    return False


CAP_DAC_READ_SEARCH = 2


def _reachable_by_others(path: Path) -> bool:
    """Whether a user with no special rights can reach and read ``path`` (each folder above it searchable)."""
    import stat

    try:
        path = path.resolve()
        for folder in reversed(path.parents):
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                return False
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return bool(mode & stat.S_IROTH) and (not stat.S_ISDIR(mode) or bool(mode & stat.S_IXOTH))


def run_as(graded_root: Path) -> tuple[tuple[int, int] | None, str]:
    """``((uid, gid), how)`` the worker should drop to, or ``(None, why not)``; the text completes
    "learner code ...".

    Only a grader running as root drops. The worker keeps the right to *read* every file
    (CAP_DAC_READ_SEARCH) where it has it, so it can still read the kit, Python and the learner's files
    wherever they are; elsewhere it drops only when an ordinary user can read all of those.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None, "runs as the grader's own user (the grader is not root)"
    try:
        import pwd

        entry = pwd.getpwnam("nobody")
        ids = (entry.pw_uid, entry.pw_gid)
    except (ImportError, KeyError):
        ids = (65534, 65534)
    if _capability_effective(CAP_DAC_READ_SEARCH):
        return ids, "runs as nobody (may read files, write only its scratch folder)"
    import sysconfig

    import numpy

    needed = [Path(sys.executable), Path(numpy.__file__).parent, Path(__file__).parent, graded_root]
    needed += [Path(sysconfig.get_path(key)) for key in ("stdlib", "platstdlib", "purelib", "platlib")]
    unreachable = [path for path in needed if not _reachable_by_others(path)]
    if unreachable:
        return None, f"runs as root: the user nobody cannot read {unreachable[0]} (make it readable by all)"
    return ids, "runs as nobody"


def kill_marked(mark: str) -> int:
    """Kill every process whose environment carries this worker's mark; returns how many (Linux only).

    Catches what left the worker's process group (``setsid``, a double fork) before the group was killed.
    """
    wanted = f"{MARK_VARIABLE}={mark}".encode()
    killed = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if wanted not in environ.read().split(b"\0"):
                    continue
            os.kill(int(entry), signal.SIGKILL)
            killed += 1
        except (OSError, ValueError):
            continue
    return killed


# --- the worker's side -------------------------------------------------------------------------------------
@dataclass
class Fence:
    """What learner code may touch; built from the worker's configuration."""

    scratch: str  # the only folder learner code may write in (the worker's working directory)
    graded_root: str  # the learner's tree: always readable, even when it lies inside the kit
    off_limits: list[str] = field(default_factory=list)  # folders learner code may neither read nor write
    max_processes: int = MAX_PROCESSES
    started: int = 0  # processes this process started

    def readable(self, path: str) -> bool:
        return _inside(path, self.graded_root) or not any(_inside(path, folder) for folder in self.off_limits)

    def writable(self, path: str) -> bool:
        return _inside(path, self.scratch) or path in ("/dev/null", "/dev/stdout", "/dev/stderr")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _real(path) -> str | None:
    if isinstance(path, int) or path is None:
        return None  # an open file descriptor: what it points to was checked when it was opened
    try:
        return os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return None


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Audit events that change the file system, and which of their arguments are the paths they change.
_CHANGING_EVENTS = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1), "os.link": (1,),
    "os.symlink": (1,), "os.truncate": (0,), "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,),
    "os.mkfifo": (0,), "os.mknod": (0,), "os.setxattr": (0,), "os.removexattr": (0,), "shutil.rmtree": (0,),
    "shutil.copyfile": (1,), "shutil.copytree": (1,), "shutil.move": (0, 1), "os.chflags": (0,),
}
_READING_EVENTS = {"os.listdir": 0, "os.scandir": 0, "glob.glob": 0}
_PROCESS_EVENTS = {"os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.system", "subprocess.Popen", "pty.spawn"}
_NETWORK_EVENTS = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                   "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.getnameinfo"}


class _Guard:
    def __init__(self, fence: Fence) -> None:
        self.fence = fence
        # Threads inside the hook: its own calls (realpath, ...) are not checked again. Per thread, so that
        # another thread's event is never waved through while one is being checked.
        self.busy: set[int] = set()

    def __call__(self, event: str, args: tuple) -> None:
        thread = _thread.get_ident()
        if thread in self.busy:
            return
        self.busy.add(thread)
        try:
            self.check(event, args)
        finally:
            self.busy.discard(thread)

    def check(self, event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None))[:3]
            real = _real(path)
            if real is None:
                return
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writing:
                self.check_write(real)
            else:
                self.check_read(real)
        elif event in _CHANGING_EVENTS:
            for index in _CHANGING_EVENTS[event]:
                real = _real(args[index]) if index < len(args) else None
                if real is not None:
                    self.check_write(real)
        elif event in _READING_EVENTS:
            real = _real(args[_READING_EVENTS[event]] if args else ".")
            if real is not None:
                self.check_read(real)
        elif event == "import":
            name = args[0] if args else ""
            if isinstance(name, str) and _is_forbidden(name):
                raise ImportError(f"{name} cannot be imported: {NUMPY_ONLY}", name=name)
            _keep_import_fence_first()
        elif event == "resource.setrlimit":
            raise PermissionError("your code tried to change the grader's resource limits")
        elif event in ("os.kill", "os.killpg"):
            self.check_signal(event, args)
        elif event in _PROCESS_EVENTS:
            self.fence.started += 1
            if self.fence.started > self.fence.max_processes:
                raise BlockingIOError(errno.EAGAIN, f"your code started more than {self.fence.max_processes} processes")
        elif event in _NETWORK_EVENTS:
            self.check_network(event, args)

    def check_write(self, real: str) -> None:
        if not self.fence.writable(real):
            raise PermissionError(
                f"your code tried to change {real}: while it is graded, your code may write files only in "
                f"its own scratch folder (the current directory, {self.fence.scratch})"
            )

    def check_read(self, real: str) -> None:
        if not self.fence.readable(real):
            raise PermissionError(f"your code tried to read {real}: {OFF_LIMITS}")
        parts = real.split(os.sep)
        for index, part in enumerate(parts[:-1]):
            if part in ("site-packages", "dist-packages") and _is_forbidden(parts[index + 1].removesuffix(".py")):
                raise ImportError(f"{parts[index + 1]} cannot be used: {NUMPY_ONLY}")

    def check_network(self, event: str, args: tuple) -> None:
        """Only this machine's loopback: a suite may serve the learner's app on 127.0.0.1 and call it."""
        if event.startswith("socket.get"):
            host = args[0] if args else None
        else:
            address = args[1] if len(args) > 1 else None
            if not isinstance(address, tuple):
                return  # a Unix socket (multiprocessing): a path, no network
            host = address[0]
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if host in (None, "", "localhost", "::1") or (isinstance(host, str) and host.startswith("127.")):
            return
        raise PermissionError(f"your code tried to reach {host} over the network: only this machine (127.0.0.1) is allowed while grading")

    def check_signal(self, event: str, args: tuple) -> None:
        target, own_group = args[0], os.getpgid(0)
        if event == "os.killpg":
            allowed = target in (0, own_group)
        elif target > 0:
            try:
                allowed = target == os.getpid() or os.getpgid(target) == own_group
            except OSError:
                allowed = True  # no such process: kill() itself will say so
        else:
            allowed = target == 0 or -target == own_group
        if not allowed:
            raise PermissionError(f"your code tried to send a signal to process {target}, which it did not start")


class _NumpyOnlyFinder:
    """First on ``sys.meta_path``: ``importlib.import_module("sklearn")`` meets it too."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if _is_forbidden(fullname):
            raise ImportError(f"{fullname} cannot be imported: {NUMPY_ONLY}", name=fullname)
        return None


_FINDER = _NumpyOnlyFinder()


def _keep_import_fence_first() -> None:
    if not sys.meta_path or sys.meta_path[0] is not _FINDER:
        if _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)
        sys.meta_path.insert(0, _FINDER)


def _set_limits(memory_mb: int | None, file_size_mb: int | None, processes: int | None) -> None:
    try:
        import resource
    except ImportError:  # Windows: only the grader's wall-clock limit per call applies
        return
    limits = [(resource.RLIMIT_CORE, 0), (resource.RLIMIT_CPU, CPU_SECONDS), (resource.RLIMIT_NOFILE, MAX_OPEN_FILES)]
    if memory_mb:
        limits.append((resource.RLIMIT_AS, memory_mb * 2**20))
    if file_size_mb:
        limits.append((resource.RLIMIT_FSIZE, file_size_mb * 2**20))
    if processes and hasattr(resource, "RLIMIT_NPROC"):
        limits.append((resource.RLIMIT_NPROC, processes))
    for which, soft in limits:
        try:
            _, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(which, (soft, soft))  # hard too: learner code cannot raise it again
        except (ValueError, OSError):
            pass


def _processes_of(uid: int) -> int:
    count = 0
    try:
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    count += os.stat(f"/proc/{entry}").st_uid == uid
                except OSError:
                    pass
    except OSError:
        return 0
    return count


def _drop_privileges(uid: int, gid: int) -> None:
    """Become ``uid``/``gid`` for good, keeping only the right to read files if it was held."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_keepcaps, pr_set_no_new_privs = 8, 38
    keep_reading = _capability_effective(CAP_DAC_READ_SEARCH)
    if keep_reading:
        libc.prctl(pr_set_keepcaps, 1, 0, 0, 0)
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if keep_reading:
        _set_capabilities(libc, 1 << CAP_DAC_READ_SEARCH)
        libc.prctl(pr_set_keepcaps, 0, 0, 0, 0)
    libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0)  # no set-uid program can give children root back
    if os.getuid() != uid or os.geteuid() != uid:
        raise SystemExit("the worker could not drop its privileges")


def _set_capabilities(libc, mask: int) -> None:
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (Data * 2)(Data(mask, mask, 0), Data(0, 0, 0))
    if libc.capset(ctypes.byref(header), data) != 0:
        data = (Data * 2)(Data(0, 0, 0), Data(0, 0, 0))
        libc.capset(ctypes.byref(header), data)


def enter(config: dict) -> None:
    """Limit and fence this process before any learner code runs (see the module docstring)."""
    run_as = config.get("run_as")
    if run_as:
        _drop_privileges(*run_as)
    uid = os.getuid() if hasattr(os, "getuid") else None
    # RLIMIT_NPROC counts every process of the user, so leave room above what the user already runs.
    processes = MAX_PROCESSES + (_processes_of(uid) if uid not in (None, 0) else 0)
    _set_limits(config.get("memory_mb"), config.get("file_size_mb"), processes)
    fence = Fence(
        scratch=os.path.realpath(config["scratch"]),
        graded_root=os.path.realpath(config["graded_root"]),
        off_limits=[os.path.realpath(folder) for folder in config.get("off_limits", [])],
    )
    if hasattr(os, "register_at_fork"):
        # A child forked by learner code starts no processes of its own: no fork bomb, whoever runs it.
        os.register_at_fork(after_in_child=lambda: setattr(fence, "started", fence.max_processes))
    _keep_import_fence_first()
    sys.addaudithook(_Guard(fence))
