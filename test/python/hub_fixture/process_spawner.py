"""A JupyterHub Spawner that starts a small stand-in single-user server process, for hubs without Kubernetes.

``start`` runs ``python3 -m http.server`` on a free loopback port (JupyterHub only needs an HTTP answer, any
status below 500, at the server's URL), ``poll`` asks whether the process still runs and ``stop`` ends it.
JupyterHub itself saves each spawn's ``user_options`` (``POST /hub/api/users/<name>/server`` with a JSON body)
in its database, running or stopped, which is what the configurator's usage counts read.
"""

import socket
import subprocess
import sys
import tempfile
from typing import Any, Optional

from jupyterhub.spawner import Spawner


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProcessSpawner(Spawner):
    """Starts one stand-in server process per JupyterHub server."""

    _process = None  # type: Optional[subprocess.Popen[bytes]]

    async def start(self) -> str:
        port = _free_port()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
             "--directory", tempfile.gettempdir()],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return "http://127.0.0.1:%d" % port

    async def poll(self) -> Any:
        if self._process is None:
            return 0
        return self._process.poll()

    async def stop(self, now: bool = False) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
