"""A small threaded web server for WSGI applications: the learner's ``make_app`` behind real HTTP.

``serve_in_thread`` is for the ``deploy`` suite. The suite asks the worker to build it around the
learner's app (``KitObject("grader.support.serving:serve_in_thread", app_handle)``), so learner code only
ever runs in the worker, while the suite talks to ``http://127.0.0.1:<port>`` from the grader's process.
It serves in a background thread and every connection in a thread of its own (50 requests at once are
answered at once), logs nothing, and keeps each exception the app raised as a short string in
``.errors``, so a failed test can say what went wrong inside the app. ``.wait_for_requests(n)`` waits
until ``n`` requests have reached the app: a suite that holds back the bodies of its requests until then
makes them run in the app truly at the same time.

``serve_forever`` is for ``ml-grade serve``: the same server in the foreground, one log line per
request and the full traceback of any exception, until Ctrl+C.

Both are ``wsgiref.simple_server`` with ``socketserver.ThreadingMixIn``: the standard library only.
"""

from __future__ import annotations

import socketserver
import sys
import sysconfig
import threading
import traceback
from typing import Any, Callable
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

_LIBRARY_DIRS = tuple({sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")})


def describe_exception(exc: BaseException) -> str:
    """``"TypeError: message (deploy.py, line 42, in app: code)"``: the error and the innermost line of
    code that is not Python's or an installed library's (the learner's, as a rule)."""
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    frames = [
        frame for frame in traceback.extract_tb(exc.__traceback__)
        if not frame.filename.startswith(_LIBRARY_DIRS) and "wsgiref" not in frame.filename
    ]
    if frames:
        frame = frames[-1]
        name = frame.filename.replace("\\", "/").rsplit("/", 1)[-1]
        code = f": {frame.line.strip()}" if frame.line else ""
        text += f" ({name}, line {frame.lineno}, in {frame.name}{code})"
    return text


class _Handler(ServerHandler):
    """wsgiref's handler, which also tells the server about the exceptions it catches."""

    def log_exception(self, exc_info) -> None:
        server = self.request_handler.server
        server.errors.append(describe_exception(exc_info[1]))
        if not server.quiet:
            super().log_exception(exc_info)


class _RequestHandler(WSGIRequestHandler):
    """One connection: wsgiref's request handler with the handler above, multithreaded, quiet on demand."""

    def handle(self) -> None:  # as WSGIRequestHandler.handle, with _Handler
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline, self.request_version, self.command = "", "", ""
            self.send_error(414)
            return
        if not self.parse_request():  # an error was already sent
            return
        handler = _Handler(self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True)
        handler.request_handler = self
        self.server.count_request()
        handler.run(self.server.get_app())

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """A WSGI server that answers each connection in its own (daemon) thread."""

    daemon_threads = True
    request_queue_size = 128  # 50 clients connecting at once are all accepted, none retries

    def __init__(self, server_address, handler_class=_RequestHandler, quiet: bool = True) -> None:
        self.quiet = quiet
        self.errors: list[str] = []
        self.requests = 0  # requests handed to the app so far
        self.requests_changed = threading.Condition()
        super().__init__(server_address, handler_class)

    def count_request(self) -> None:
        with self.requests_changed:
            self.requests += 1
            self.requests_changed.notify_all()

    def server_bind(self) -> None:
        # As HTTPServer.server_bind without socket.getfqdn, which can wait for a DNS lookup.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]
        self.setup_environ()

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if exc is not None:
            self.errors.append(describe_exception(exc))
        if not self.quiet:
            super().handle_error(request, client_address)


class RunningServer:
    """A server answering in a background thread: ``.port``, ``.url``, ``.errors``, ``.shutdown()``."""

    def __init__(self, server: ThreadingWSGIServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, self.port = server.server_address[:2]
        self.url = f"http://{host}:{self.port}"

    @property
    def errors(self) -> list[str]:
        """The exceptions raised while answering requests so far, oldest first, one string each."""
        return list(self._server.errors)

    @property
    def requests(self) -> int:
        """How many requests have been handed to the app so far."""
        return self._server.requests

    def wait_for_requests(self, count: int, timeout: float) -> int:
        """Wait until ``count`` requests have been handed to the app (at most ``timeout`` seconds).

        Returns how many have. A test that holds back the bodies of its requests until then knows that
        they all run in the app at the same time.
        """
        with self._server.requests_changed:
            self._server.requests_changed.wait_for(lambda: self._server.requests >= count, timeout)
            return self._server.requests

    def shutdown(self) -> None:
        """Stop accepting requests and close the socket; safe to call twice."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.shutdown()

    def __repr__(self) -> str:
        return f"<RunningServer {self.url}>"


def serve_in_thread(app: Callable, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Serve ``app`` on ``host:port`` (0: a free port) from a background thread, without logging."""
    if not callable(app):
        raise TypeError(f"a WSGI application is a callable app(environ, start_response); got {type(app).__name__}")
    server = ThreadingWSGIServer((host, port), quiet=True)
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True,
                              name=f"serving on port {server.server_address[1]}")
    thread.start()
    return RunningServer(server, thread)


def serve_forever(app: Callable, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``app`` on ``host:port`` until Ctrl+C, logging one line per request to stderr."""
    with ThreadingWSGIServer((host, port), quiet=False) as server:
        server.set_app(app)
        bound_host, bound_port = server.server_address[:2]
        print(f"Serving on http://{bound_host}:{bound_port} (Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nStopped.", flush=True)
