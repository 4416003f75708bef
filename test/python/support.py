"""Shared pieces of the hub-side tests: the project's real server, small stand-in servers, a log catcher."""

from __future__ import annotations

import atexit
import http.server
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, List, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HUB_DIR = os.path.join(ROOT, "hub")
if HUB_DIR not in sys.path:
    sys.path.insert(0, HUB_DIR)


def node_env(**extra: str) -> Dict[str, str]:
    """The environment for the project's Node tools: Node 24 from node_modules/.bin first, no hub variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    env["PATH"] = os.path.join(ROOT, "node_modules", ".bin") + os.pathsep + env.get("PATH", "")
    env.update({"NO_COLOR": "1", "CONFIGURATOR_CHECK_IMAGES": "false"})
    env.update(extra)
    return env


class RealSite(object):
    """The project's own server (`serve`) over a throwaway copy of the sample content, built once per run."""

    def __init__(self) -> None:
        self.work = tempfile.mkdtemp(prefix="z2jh-loader-test-")
        shutil.copytree(os.path.join(ROOT, "content"), os.path.join(self.work, "content"))
        self.dist = os.path.join(ROOT, "test-results", "python-loader")
        # The CLI as `npx z2jh-configurator` runs it, with the project's Node 24 (first on PATH in node_env).
        node = os.path.join(ROOT, "node_modules", ".bin", "node")
        main = os.path.join(ROOT, "bin", "z2jh-configurator.mjs")
        build = subprocess.run(
            [node, main, "-C", self.work, "build", "--out", self.dist],
            cwd=ROOT, env=node_env(), capture_output=True, text=True, timeout=300,
        )
        if build.returncode != 0:
            raise RuntimeError("build failed:\n%s\n%s" % (build.stdout, build.stderr))
        self.process = subprocess.Popen(
            [node, main, "-C", self.work, "serve", "--dist", self.dist],
            cwd=ROOT,
            env=node_env(
                HOST="127.0.0.1", PORT="0", CONFIGURATOR_CONTENT_REPO=os.path.join(self.work, "repo")
            ),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.output = ""
        self.base = self._wait_for_url()
        self.profile_list_url = self.base + "profile_list.json"
        threading.Thread(target=self._drain, daemon=True).start()

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + 60
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output += line
            match = re.search(r"running at (http://\S+?/) ", line)
            if match:
                return match.group(1)
        self.stop()
        raise RuntimeError("the server did not start:\n" + self.output)

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output += line

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.work, ignore_errors=True)


_site = None  # type: Optional[RealSite]


def real_site() -> RealSite:
    """The project's server, started on first use and stopped when the test run ends."""
    global _site
    if _site is None:
        _site = RealSite()
        atexit.register(_site.stop)
    return _site


class StandIn(object):
    """A small HTTP server on 127.0.0.1 whose answers a test sets: JSON with an ETag, garbage, errors, delays."""

    def __init__(self) -> None:
        self.body = b"[]"  # type: bytes
        self.etag = None  # type: Optional[str]
        self.status = 200
        self.delay = 0.0
        self.requests = []  # type: List[Dict[str, str]]
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                stand_in.requests.append(dict(self.headers.items()))
                if stand_in.delay:
                    time.sleep(stand_in.delay)
                if stand_in.etag and self.headers.get("If-None-Match") == stand_in.etag:
                    self.send_response(304)
                    self.send_header("ETag", stand_in.etag)
                    self.end_headers()
                    return
                self.send_response(stand_in.status)
                if stand_in.etag:
                    self.send_header("ETag", stand_in.etag)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(stand_in.body)))
                self.end_headers()
                try:
                    self.wfile.write(stand_in.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/profile_list.json" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve_json(self, data: Any, etag: Optional[str] = '"v1"') -> None:
        self.body = json.dumps(data).encode("utf-8")
        self.etag = etag
        self.status = 200

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def down_url() -> str:
    """A URL on loopback where nothing listens: connections are refused at once."""
    return "http://127.0.0.1:%d/profile_list.json" % free_port()


class CapturedLog(logging.Handler):
    """Collects a logger's records, to check what the hub log would say and how often."""

    def __init__(self, name: str) -> None:
        super().__init__(logging.DEBUG)
        self.records = []  # type: List[logging.LogRecord]
        self.logger = logging.getLogger(name)
        self.logger.setLevel(logging.DEBUG)
        self.logger.propagate = False
        self.logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, level: int = logging.DEBUG) -> List[str]:
        return [r.getMessage() for r in self.records if r.levelno >= level]

    def close(self) -> None:
        self.logger.removeHandler(self)
        super().close()


class User(object):
    """What the loader reads of JupyterHub's user: ``name``, ``admin`` and ``groups`` (ORM objects with ``name``)."""

    class Group(object):
        def __init__(self, name: str) -> None:
            self.name = name

    def __init__(self, name: str, groups: List[str] = (), admin: bool = False) -> None:  # type: ignore[assignment]
        self.name = name
        self.admin = admin
        self.groups = [User.Group(g) for g in groups]


class Spawner(object):
    """The part of KubeSpawner the loader sees: ``spawner.user``."""

    def __init__(self, user: User) -> None:
        self.user = user


def kill_group(process: "subprocess.Popen[Any]") -> None:
    """Stops a process started with start_new_session=True, and what it started (JupyterHub's proxy)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Polls ``check`` every 0.1 s; fails with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


class Forwarder(object):
    """Forwards GETs to ``target`` (keeping If-None-Match and ETag); while ``down``, drops every connection."""

    def __init__(self, target: str) -> None:
        self.down = False
        forwarder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if forwarder.down:
                    self.close_connection = True
                    return
                request = urllib.request.Request(target)
                if self.headers.get("If-None-Match"):
                    request.add_header("If-None-Match", self.headers["If-None-Match"])
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        status, headers, body = response.status, response.headers, response.read()
                except urllib.error.HTTPError as error:
                    status, headers, body = error.code, error.headers, error.read()
                self.send_response(status)
                for name in ("ETag", "Content-Type", "Cache-Control"):
                    if headers.get(name):
                        self.send_header(name, headers[name])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/profile_list.json" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
