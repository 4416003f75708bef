"""A real JupyterHub (Debian's jupyterhub 3.0 and configurable-http-proxy) configured with the loader.

The hub runs on loopback with the dummy authenticator and ``hub_fixture/profile_spawner.py``, a Spawner that
uses ``profile_list`` exactly as KubeSpawner does (KubeSpawner needs Kubernetes and cannot be installed here).
Its loader reads the project's real server through a forwarder the test can take down.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from typing import Dict, List, Optional, Tuple

from support import HUB_DIR, Forwarder, StandIn, free_port, kill_group, real_site, wait_until

FIXTURE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hub_fixture")
JUPYTERHUB = shutil.which("jupyterhub")
PROXY = shutil.which("configurable-http-proxy")
MISSING = [name for name, path in (("jupyterhub", JUPYTERHUB), ("node-configurable-http-proxy", PROXY)) if not path]
# alice is an admin; dave and erin only spawn, so that the others' spawn pages never redirect to a running server.
USERS = {"alice": [], "bob": [], "carol": ["ml-research"], "dave": ["ml-research"], "erin": []}
PAGE_USERS = ["alice", "bob", "carol"]

CONFIG = """\
import sys

sys.path[:0] = [{hub_dir!r}, {fixture_dir!r}]
from z2jh_profile_loader import make_profile_list  # noqa: E402

c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.auth_token = "proxy-token-0123456789abcdef"
c.JupyterHub.db_url = "sqlite:///{work}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{work}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{work}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
c.DummyAuthenticator.password = "testpass"
c.Authenticator.admin_users = {{"alice"}}
c.Authenticator.allowed_users = {users!r}
c.JupyterHub.load_groups = {groups!r}
c.JupyterHub.spawner_class = "profile_spawner.ProfileSpawner"
c.ProfileSpawner.record_path = "{work}/spawns.jsonl"
c.ProfileSpawner.server_url = {server_url!r}

# As in z2jh: the list baked into the values is set first (singleuser.profileList), and the loader's
# hub.extraConfig snippet replaces it with the callable, keeping it as the fallback.
c.ProfileSpawner.profile_list = [{{"display_name": "Baked", "slug": "baked"}}]
c.ProfileSpawner.profile_list = make_profile_list(
    {url!r},
    timeout=2.0,
    min_refresh_seconds=0,  # every render and spawn asks the server, so the test sees each change at once
    cache_path="{work}/cache/profile_list.json",
    fallback=c.ProfileSpawner.get("profile_list") or [],
)
"""


class JupyterHubTest(unittest.TestCase):
    """The spawn page and spawns of a real hub whose spawner calls the loader."""

    @classmethod
    def setUpClass(cls) -> None:
        if MISSING:  # never skipped: a missing package is a failure that says what to install
            raise RuntimeError("needs Debian's %s: apt-get install -y jupyterhub node-configurable-http-proxy" % ", ".join(MISSING))
        if MISSING:
            raise AssertionError("apt-get install jupyterhub node-configurable-http-proxy (missing: %s)" % MISSING)
        site = real_site()
        with urllib.request.urlopen(site.profile_list_url, timeout=10) as response:
            cls.published = json.load(response)
        cls.work = tempfile.mkdtemp(prefix="z2jh-hub-test-")
        cls.forwarder = Forwarder(site.profile_list_url)
        cls.single_user = StandIn()  # answers 200 to JupyterHub's "is the server up?" check
        cls.port = free_port()
        config = CONFIG.format(
            hub_dir=HUB_DIR,
            fixture_dir=FIXTURE_DIR,
            port=cls.port,
            hub_port=free_port(),
            proxy_api_port=free_port(),
            proxy=PROXY,
            work=cls.work,
            users=set(USERS),
            groups={"ml-research": [u for u, g in USERS.items() if "ml-research" in g]},
            server_url=cls.single_user.url.rsplit("/", 1)[0],
            url=cls.forwarder.url,
        )
        config_path = os.path.join(cls.work, "jupyterhub_config.py")
        with open(config_path, "w", encoding="utf-8") as handle:
            handle.write(config)
        env = dict(os.environ)
        # Debian's configurable-http-proxy finds its modules in /usr/share/nodejs only through NODE_PATH.
        env["NODE_PATH"] = os.pathsep.join(filter(None, ["/usr/share/nodejs", env.get("NODE_PATH")]))
        cls.log_path = os.path.join(cls.work, "hub.log")
        cls.log_file = open(cls.log_path, "w", encoding="utf-8")
        assert JUPYTERHUB is not None
        cls.hub = subprocess.Popen(
            [JUPYTERHUB, "-f", config_path],
            cwd=cls.work, env=env, stdout=cls.log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
        cls.base = "http://127.0.0.1:%d" % cls.port
        try:
            wait_until(cls._hub_is_up, 60, "JupyterHub to start")
        except AssertionError:
            cls.tearDownClass()
            raise

    @classmethod
    def _hub_is_up(cls) -> bool:
        if cls.hub.poll() is not None:
            with open(cls.log_path, encoding="utf-8") as log:
                raise AssertionError("JupyterHub exited:\n" + log.read())
        try:
            with urllib.request.urlopen(cls.base + "/hub/api/", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    @classmethod
    def tearDownClass(cls) -> None:
        kill_group(cls.hub)
        cls.log_file.close()
        cls.forwarder.stop()
        cls.single_user.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    def login(self, user: str) -> urllib.request.OpenerDirector:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        body = urllib.parse.urlencode({"username": user, "password": "testpass"}).encode()
        status, _ = fetch(opener, self.base + "/hub/login", body)
        self.assertEqual(status, 302, "login of %s" % user)
        return opener

    def spawn_page_profiles(self, user: str) -> List[str]:
        status, page = fetch(self.login(user), self.base + "/hub/spawn")
        self.assertEqual(status, 200, page)
        return re.findall(r'<span class="profile-name">(.*?)</span>', page)

    def expected(self, user: str) -> List[str]:
        groups = set(USERS[user])
        return [
            p["display_name"]
            for p in self.published
            if user == "alice" or not p.get("allowed_groups") or groups & set(p["allowed_groups"])
        ]

    def spawns(self) -> List[Dict[str, str]]:
        path = os.path.join(self.work, "spawns.jsonl")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as record:
            return [json.loads(line) for line in record]

    def hub_log(self) -> str:
        with open(self.log_path, encoding="utf-8") as log:
            return log.read()

    def test_the_spawn_page_offers_each_user_what_their_groups_allow(self) -> None:
        for user in PAGE_USERS:
            with self.subTest(user=user):
                self.assertEqual(self.spawn_page_profiles(user), self.expected(user))
        self.assertIn("GPU (NVIDIA T4)", self.expected("carol"))
        self.assertNotIn("GPU (NVIDIA T4)", self.expected("bob"))
        self.assertIn("z2jh-configurator profile list: using %d profiles from" % len(self.published), self.hub_log())

    def test_a_spawn_is_checked_against_the_filtered_list(self) -> None:
        # JupyterHub 3.0 shows a generic "Unhandled error starting server" and logs the spawner's reason.
        status, page = fetch(self.login("erin"), self.base + "/hub/spawn", b"profile=gpu")
        self.assertEqual(status, 200)
        self.assertIn("spawn-error-msg", page)
        self.assertNotIn("GPU (NVIDIA T4)", page)
        self.assertIn("No such profile: gpu. Options include: data-science, rstudio", self.hub_log())
        self.assertNotIn({"user": "erin", "profile": "gpu"}, self.spawns())

        status, _ = fetch(self.login("dave"), self.base + "/hub/spawn", b"profile=gpu")
        self.assertEqual(status, 302)
        wait_until(lambda: {"user": "dave", "profile": "gpu"} in self.spawns(), 20, "dave's spawn")

    def test_the_spawn_page_keeps_its_list_while_the_configurator_is_down(self) -> None:
        before = self.spawn_page_profiles("alice")
        self.forwarder.down = True
        try:
            self.assertEqual(self.spawn_page_profiles("alice"), before)
            self.assertRegex(self.hub_log(), r"profile list: .*connection failed.*using the last good list")
        finally:
            self.forwarder.down = False
        self.assertEqual(self.spawn_page_profiles("alice"), before)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Lets a test see JupyterHub's 302s instead of following them."""

    def redirect_request(self, *args: object) -> None:
        return None


def fetch(opener: urllib.request.OpenerDirector, url: str, data: Optional[bytes] = None) -> Tuple[int, str]:
    """GET (or POST ``data``) and return the status and body, also for 3xx/4xx/5xx answers."""
    try:
        with opener.open(url, data=data, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


if __name__ == "__main__":
    unittest.main()
