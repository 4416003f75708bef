"""A JupyterHub Spawner that uses ``profile_list`` the way KubeSpawner 7.1 does, for a hub without Kubernetes.

KubeSpawner cannot be installed here (no Kubernetes, no PyPI), so the hub test configures this stand-in. What
matters for the loader is copied from KubeSpawner (kubespawner/spawner.py, 7.1.0):

* ``profile_list`` is a list or a callable ``f(spawner)``, awaited when it returns an awaitable;
* the options form is a callable, so JupyterHub renders it again on every GET of /hub/spawn, each time calling
  ``profile_list`` (``_render_options_form_dynamically``); an empty list means no form;
* ``start`` calls ``profile_list`` again (``load_user_options``) and refuses an unknown slug with KubeSpawner's
  message ``No such profile: <slug>. Options include: ...``; no slug means the first default profile.

Instead of a pod, ``start`` records the user and profile in ``record_path`` (one JSON line each) and points
JupyterHub at ``server_url``, a stand-in single-user server that the test runs.
"""

import html
import json
from typing import Any, Dict, List

from jupyterhub.spawner import Spawner
from jupyterhub.utils import maybe_future
from traitlets import Callable, List as ListTrait, Unicode, Union, default


class ProfileSpawner(Spawner):
    """Stands in for KubeSpawner: renders the profiles' names as the form and checks the slug at start."""

    profile_list = Union([ListTrait(), Callable()], default_value=[], config=True, help="As KubeSpawner's.")
    record_path = Unicode(config=True, help="File that gets one JSON line per start.")
    server_url = Unicode(config=True, help="URL of the stand-in single-user server.")

    _running = False

    async def _profiles(self) -> List[Dict[str, Any]]:
        profiles = self.profile_list
        if callable(profiles):
            profiles = await maybe_future(profiles(self))
        return profiles

    @default("options_form")
    def _options_form_default(self) -> Any:
        return self._render_options_form

    async def _render_options_form(self, spawner: Any) -> str:
        profiles = await self._profiles()
        if not profiles:
            return ""
        # KubeSpawner's template inserts display_name as it is (the configurator escapes it).
        rows = [
            '<label><input type="radio" name="profile" value="%s"%s> <span class="profile-name">%s</span></label>'
            % (html.escape(p["slug"]), " checked" if p.get("default") else "", p["display_name"])
            for p in profiles
        ]
        return '<div id="profile-spawner-form">%s</div>' % "".join(rows)

    @default("options_from_form")
    def _options_from_form_default(self) -> Any:
        return self._options_from_form

    def _options_from_form(self, form_data: Dict[str, List[str]]) -> Dict[str, str]:
        return {"profile": form_data.get("profile", [""])[0]}

    async def start(self) -> str:
        profiles = await self._profiles()
        slug = self.user_options.get("profile") or ""
        chosen = ""
        if profiles:
            if slug:
                matches = [p for p in profiles if p["slug"] == slug]
                if not matches:
                    raise ValueError(
                        "No such profile: %s. Options include: %s"
                        % (slug, ", ".join(p["slug"] for p in profiles))
                    )
                chosen = matches[0]["slug"]
            else:
                chosen = next((p for p in profiles if p.get("default")), profiles[0])["slug"]
        with open(self.record_path, "a", encoding="utf-8") as record:
            record.write(json.dumps({"user": self.user.name, "profile": chosen}) + "\n")
        self._running = True
        return self.server_url

    async def poll(self) -> Any:
        return None if self._running else 0

    async def stop(self, now: bool = False) -> None:
        self._running = False
