"""KubeSpawner ``profile_list`` from z2jh-configurator, loaded so that the configurator can never stop spawns.

One file of standard-library Python (3.8+), for the hub image, which has no extra packages. In
``jupyterhub_config.py`` (z2jh: ``hub.extraConfig``)::

    from z2jh_profile_loader import make_profile_list

    c.KubeSpawner.profile_list = make_profile_list(
        "http://127.0.0.1:8080/services/configurator/profile_list.json",
        cache_path="/srv/jupyterhub/z2jh-configurator/profile_list.json",
        fallback=c.KubeSpawner.get("profile_list") or [],   # the list baked into the Helm values
    )

KubeSpawner calls the returned function on every render of the spawn form and again on every spawn, and uses
the second answer to check the user's choice. So the function:

* answers from memory while the list is younger than ``min_refresh_seconds`` (no network: well under 5 ms);
* otherwise revalidates with a conditional GET (``If-None-Match``), in a worker thread so that the hub's event
  loop never blocks, waiting at most ``timeout`` seconds in all; concurrent calls share one request;
* accepts a new list only if it is a list KubeSpawner can use (``validate_profile_list``), then keeps it in
  memory and writes it atomically to ``cache_path``;
* on any failure (configurator down, an HTTP error, a timeout, a body that is not a valid list) falls back to
  the last good list in memory, then the one on disk, then ``fallback``, and logs why once per change of state;
* returns only what the user may use: profiles, choices and the free-text "Other..." entry
  (``unlisted_choice``) that carry ``allowed_groups`` are kept for members of those JupyterHub groups (and for
  admins when ``admin_sees_all``). Because the spawn is checked against this same filtered list, a user who
  posts a hidden profile's slug gets KubeSpawner's "No such profile" error, and a hidden choice or "Other..."
  entry is refused the same way.

``allowed_groups`` keys are removed from what is returned (``strip_allowed_groups``): KubeSpawner ignores
them, but they name the groups, and the filter has already applied them.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import os
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Dict, FrozenSet, Iterable, List, Optional, Tuple

__all__ = [
    "ProfileListLoader",
    "filter_profile_list",
    "make_profile_list",
    "user_groups",
    "validate_profile_list",
]

__version__ = "1"

Profile = Dict[str, Any]
ProfileList = List[Profile]

_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
_MAX_PROBLEMS = 5


def _refuse_constant(name: str) -> Any:
    raise ValueError("%s is not a JSON number" % name)


def _strict_json(text: str) -> Any:
    """Parses JSON as the standard defines it: Python's ``json`` would accept NaN and Infinity."""
    return json.loads(text, parse_constant=_refuse_constant)


def validate_profile_list(data: Any) -> List[str]:
    """Returns what makes ``data`` unusable as KubeSpawner's ``profile_list`` (at most five problems; [] = valid).

    Checks the structure KubeSpawner and its form template rely on (a list of objects with ``display_name``
    and ``slug``; objects, never ``null``, where KubeSpawner calls ``.items()``; a ``choices`` object in every
    option), and that every ``allowed_groups`` is a list of strings, so that a malformed restriction can never
    be read as "no restriction".
    """
    problems: List[str] = []

    def problem(where: str, what: str) -> None:
        if len(problems) < _MAX_PROBLEMS:
            problems.append("%s %s" % (where, what))

    def check_groups(where: str, value: Any) -> None:
        if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
            problem(where + ".allowed_groups", "must be a list of group names")

    def check_object(where: str, value: Any) -> bool:
        if not isinstance(value, dict):
            problem(where, "must be an object, not %s" % _type_name(value))
            return False
        return True

    if not isinstance(data, list):
        return ["the profile list must be a JSON list, not %s" % _type_name(data)]
    slugs = set()  # type: set
    for index, profile in enumerate(data):
        where = "profile %d" % index
        if not check_object(where, profile):
            continue
        name = profile.get("display_name")
        if not isinstance(name, str) or not name:
            problem(where, "needs a display_name (text)")
        slug = profile.get("slug")
        if not isinstance(slug, str) or not slug:
            problem(where, "needs a slug (text)")
        elif slug in slugs:
            problem(where, "repeats the slug %r" % slug)
        else:
            slugs.add(slug)
            where = "profile %r" % slug
        if "description" in profile and not isinstance(profile["description"], str):
            problem(where + ".description", "must be text")
        if "kubespawner_override" in profile:
            check_object(where + ".kubespawner_override", profile["kubespawner_override"])
        if "allowed_groups" in profile:
            check_groups(where, profile["allowed_groups"])
        if "profile_options" not in profile:
            continue
        options = profile["profile_options"]
        if not check_object(where + ".profile_options", options):
            continue
        for key, option in options.items():
            option_where = "%s option %r" % (where, key)
            if not check_object(option_where, option):
                continue
            choices = option.get("choices")
            if check_object(option_where + ".choices", choices):
                for choice_key, choice in choices.items():
                    choice_where = "%s choice %r" % (option_where, choice_key)
                    if not check_object(choice_where, choice):
                        continue
                    if "kubespawner_override" in choice:
                        check_object(choice_where + ".kubespawner_override", choice["kubespawner_override"])
                    if "allowed_groups" in choice:
                        check_groups(choice_where, choice["allowed_groups"])
            if "unlisted_choice" in option:
                unlisted = option["unlisted_choice"]
                unlisted_where = option_where + ".unlisted_choice"
                if check_object(unlisted_where, unlisted):
                    if "kubespawner_override" in unlisted:
                        check_object(unlisted_where + ".kubespawner_override", unlisted["kubespawner_override"])
                    if "allowed_groups" in unlisted:
                        check_groups(unlisted_where, unlisted["allowed_groups"])
    return problems


def user_groups(user: Any) -> FrozenSet[str]:
    """The names of a JupyterHub user's groups (``user.groups``: ORM ``Group`` objects, or plain names)."""
    groups = getattr(user, "groups", None) or []
    return frozenset(g if isinstance(g, str) else str(getattr(g, "name", g)) for g in groups)


def filter_profile_list(
    profiles: ProfileList,
    groups: Optional[Iterable[str]],
    strip_allowed_groups: bool = True,
) -> ProfileList:
    """The profiles, choices and "Other..." entries open to a member of ``groups`` (``None``: everything).

    An entry without ``allowed_groups``, or with an empty list, is open to everyone. A profile is dropped when
    one of its menus is left with no choice and no "Other..." entry (KubeSpawner could not start it). The
    result shares the deeper values (``kubespawner_override``) with ``profiles``: KubeSpawner deep-copies the
    list before it changes anything.
    """
    member = None if groups is None else frozenset(groups)

    def allowed(entry: Dict[str, Any]) -> bool:
        wanted = entry.get("allowed_groups")
        return member is None or not wanted or not member.isdisjoint(wanted)

    def copy(entry: Dict[str, Any]) -> Dict[str, Any]:
        out = dict(entry)
        if strip_allowed_groups:
            out.pop("allowed_groups", None)
        return out

    def open_unlisted(option: Dict[str, Any]) -> bool:
        unlisted = option.get("unlisted_choice")
        return isinstance(unlisted, dict) and bool(unlisted.get("enabled"))

    result = []  # type: ProfileList
    for profile in profiles:
        if not allowed(profile):
            continue
        out = copy(profile)
        options = profile.get("profile_options")
        if options:
            new_options = {}
            for key, option in options.items():
                new_option = dict(option)
                new_option["choices"] = {k: copy(c) for k, c in option["choices"].items() if allowed(c)}
                unlisted = option.get("unlisted_choice")
                if unlisted is not None:
                    if allowed(unlisted):
                        new_option["unlisted_choice"] = copy(unlisted)
                    else:
                        del new_option["unlisted_choice"]
                new_options[key] = new_option
            # A menu the filter emptied cannot be started: KubeSpawner would find no default choice.
            if any(
                (options[key]["choices"] or open_unlisted(options[key]))
                and not (option["choices"] or open_unlisted(option))
                for key, option in new_options.items()
            ):
                continue
            out["profile_options"] = new_options
        result.append(out)
    return result


class _Good(object):
    """An accepted list and where it came from."""

    __slots__ = ("profiles", "etag", "source", "received", "text")

    def __init__(self, profiles: ProfileList, etag: Optional[str], source: str, received: str, text: str) -> None:
        self.profiles = profiles
        self.etag = etag
        self.source = source  # "server" or "disk"
        self.received = received  # ISO time the server sent it
        self.text = text  # canonical JSON, to skip disk writes of an unchanged list


class _Job(object):
    """One refresh running in the worker thread, shared by the calls that arrive while it runs."""

    __slots__ = ("loop", "future", "deadline")

    def __init__(self, loop: asyncio.AbstractEventLoop, future: "asyncio.Future[None]", deadline: float) -> None:
        self.loop = loop
        self.future = future
        self.deadline = deadline


class _FetchFailed(Exception):
    """A refresh that produced no usable list; the message says why, for the hub log."""


class ProfileListLoader(object):
    """Fetches, checks, caches and filters the profile list; ``make_profile_list`` wraps one for KubeSpawner."""

    def __init__(
        self,
        url: str,
        timeout: float = 2.0,
        cache_path: Optional[str] = None,
        fallback: Optional[ProfileList] = None,
        min_refresh_seconds: float = 10.0,
        admin_sees_all: bool = True,
        group_filter: bool = True,
        strip_allowed_groups: Optional[bool] = None,
        deny_if_none_allowed: bool = True,
        max_bytes: int = 16 * 1024 * 1024,
        headers: Optional[Dict[str, str]] = None,
        logger: Optional[logging.Logger] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.timeout = float(timeout)
        self.cache_path = cache_path
        self.min_refresh_seconds = float(min_refresh_seconds)
        self.admin_sees_all = admin_sees_all
        self.group_filter = group_filter
        self.strip_allowed_groups = group_filter if strip_allowed_groups is None else strip_allowed_groups
        self.deny_if_none_allowed = deny_if_none_allowed
        self.max_bytes = max_bytes
        self.log = logger or logging.getLogger("JupyterHub").getChild("z2jh_profile_loader")
        self._clock = clock
        self._headers = {"Accept": "application/json", "User-Agent": "z2jh-profile-loader/" + __version__}
        self._headers.update(headers or {})
        host = urllib.parse.urlsplit(url).hostname or ""
        # The sidecar is on loopback: never send that through an HTTP(S)_PROXY from the hub's environment.
        handlers = [urllib.request.ProxyHandler({})] if host in _LOOPBACK_HOSTS else []
        self._opener = urllib.request.build_opener(*handlers)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="z2jh-profile-loader")
        self._lock = threading.Lock()
        self._job = None  # type: Optional[_Job]
        self._good = None  # type: Optional[_Good]
        self._checked_at = None  # type: Optional[float]
        self._problem = None  # type: Optional[str]
        self._reported = None  # type: Optional[Tuple[str, Optional[str]]]
        self._disk_problem = None  # type: Optional[str]
        self._memo_of = None  # type: Optional[ProfileList]
        self._memo = {}  # type: Dict[Optional[FrozenSet[str]], ProfileList]
        self._fallback = self._checked_fallback(fallback)
        self._good = self._read_disk()

    # -- what KubeSpawner calls ------------------------------------------------------------------------------

    async def profiles_for_spawner(self, spawner: Any) -> ProfileList:
        """The list for this spawner's user, revalidated first when it is older than ``min_refresh_seconds``."""
        try:
            if self._is_stale():
                await self._refresh_async()
        except Exception as problem:  # never let a loader bug stop a spawn: log it and use what we have
            self._note_failure("the loader failed: %r" % (problem,))
        return self._answer(getattr(spawner, "user", None))

    def load(self, user: Any = None) -> ProfileList:
        """Blocking variant of ``profiles_for_spawner``, for scripts (``user`` None: someone in no group)."""
        if self._is_stale():
            self._refresh_blocking()
        return self._answer(user)

    def close(self) -> None:
        """Waits for a refresh in flight and stops the worker thread."""
        self._executor.shutdown(wait=True)

    @property
    def source(self) -> str:
        """Where the list now served comes from: ``server``, ``disk``, ``fallback`` or ``none``."""
        good = self._good
        if good is not None:
            return good.source
        return "fallback" if self._fallback is not None else "none"

    # -- refresh ---------------------------------------------------------------------------------------------

    def _is_stale(self) -> bool:
        checked = self._checked_at
        return checked is None or self._clock() - checked >= self.min_refresh_seconds

    async def _refresh_async(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            job = self._job
            if job is None or job.loop is not loop or job.future.done():
                future = loop.run_in_executor(self._executor, self._refresh_blocking)
                job = self._job = _Job(loop, future, self._clock() + self.timeout)
        try:
            await asyncio.wait_for(asyncio.shield(job.future), max(0.0, job.deadline - self._clock()))
        except asyncio.TimeoutError:
            # The worker may still finish (and its list will be used next time); this call must not wait longer.
            self._note_failure("no answer within %g s" % self.timeout)

    def _refresh_blocking(self) -> None:
        good = self._good
        try:
            status, body, etag = self._fetch(good.etag if good is not None else None)
            if status == 304 and good is not None:
                with self._lock:
                    if good.source != "server":
                        self._good = _Good(good.profiles, good.etag, "server", good.received, good.text)
                    self._note_success()
                return
            try:
                data = _strict_json(body.decode("utf-8"))
            except ValueError as problem:
                raise _FetchFailed("the answer is not JSON (%s)" % problem)
            if data == []:
                # The configurator never means "no profiles at all" by accident: refuse rather than empty the menu.
                raise _FetchFailed("the answer is an empty list, which would replace every profile with nothing")
            problems = validate_profile_list(data)
            if problems:
                raise _FetchFailed("the answer is not a usable profile list: %s" % "; ".join(problems))
            text = json.dumps(data, sort_keys=True, separators=(",", ":"))
            fresh = _Good(data, etag, "server", _now_iso(), text)
            with self._lock:
                self._good = fresh
                self._note_success()
            if good is None or good.text != text or good.etag != etag:
                self._write_disk(fresh)
        except _FetchFailed as problem:
            self._note_failure(str(problem))
        except Exception as problem:  # a bug must not escape into the hub's thread pool silently
            self._note_failure("the loader failed: %r" % (problem,))

    def _fetch(self, etag: Optional[str]) -> Tuple[int, bytes, Optional[str]]:
        """One GET with a deadline of ``timeout`` for the whole exchange; raises ``_FetchFailed``."""
        deadline = self._clock() + self.timeout
        request = urllib.request.Request(self.url, headers=dict(self._headers))
        if etag:
            request.add_header("If-None-Match", etag)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                chunks = []
                size = 0
                while True:
                    if self._clock() > deadline:
                        raise _FetchFailed("no complete answer within %g s" % self.timeout)
                    chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise _FetchFailed("the answer is larger than %d bytes" % self.max_bytes)
                    chunks.append(chunk)
                if response.status != 200:
                    raise _FetchFailed("HTTP %d instead of 200" % response.status)
                return 200, b"".join(chunks), response.headers.get("ETag")
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return 304, b"", error.headers.get("ETag") or etag
            raise _FetchFailed("HTTP %d %s" % (error.code, error.reason))
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, socket.timeout):
                raise _FetchFailed("no answer within %g s" % self.timeout)
            raise _FetchFailed("cannot connect (%s)" % (reason,))
        except socket.timeout:
            raise _FetchFailed("no answer within %g s" % self.timeout)
        except OSError as error:
            raise _FetchFailed("connection failed (%s)" % (error,))

    def _note_success(self) -> None:
        self._checked_at = self._clock()
        self._problem = None

    def _note_failure(self, problem: str) -> None:
        with self._lock:
            self._checked_at = self._clock()
            self._problem = problem

    # -- answers and logging ---------------------------------------------------------------------------------

    def _answer(self, user: Any) -> ProfileList:
        good = self._good
        profiles = good.profiles if good is not None else (self._fallback or [])
        self._report()
        groups = None  # type: Optional[FrozenSet[str]]
        if self.group_filter and not (user is not None and self.admin_sees_all and getattr(user, "admin", False)):
            groups = user_groups(user) if user is not None else frozenset()
        result = self._filtered(profiles, groups)
        if groups is not None and profiles and not result and self.deny_if_none_allowed:
            self.log.info(
                "z2jh-configurator profile list: user %s (groups: %s) may use none of the %d profiles",
                getattr(user, "name", "?"),
                ", ".join(sorted(groups)) or "none",
                len(profiles),
            )
            raise _forbidden(
                "None of this hub's server options are open to you. "
                "Ask a hub admin to add you to a group that may use one."
            )
        return list(result)

    def _filtered(self, profiles: ProfileList, groups: Optional[FrozenSet[str]]) -> ProfileList:
        """``filter_profile_list``, remembered per set of groups until the list changes (warm calls: no copies).

        Users with the same groups share the profile dicts of one result; KubeSpawner deep-copies the list
        before it changes anything, and each call gets its own outer list.
        """
        if self._memo_of is not profiles or len(self._memo) > 256:
            self._memo_of = profiles
            self._memo = {}
        result = self._memo.get(groups)
        if result is None:
            result = self._memo[groups] = filter_profile_list(profiles, groups, self.strip_allowed_groups)
        return result

    def _report(self) -> None:
        """Logs where the list comes from and why, once per change."""
        source, problem = self.source, self._problem
        state = (source, problem)
        if state == self._reported:
            return
        with self._lock:
            if state == self._reported:
                return
            self._reported = state
        good = self._good
        if problem is None and good is not None and source == "server":
            self.log.info(
                "z2jh-configurator profile list: using %d profiles from %s", len(good.profiles), self.url
            )
        elif problem is None:
            return  # not fetched yet: the first call reports
        elif good is not None and good.source == "server":
            self.log.warning(
                "z2jh-configurator profile list: %s: %s; using the last good list (%d profiles, received %s)",
                self.url, problem, len(good.profiles), good.received,
            )
        elif good is not None:
            self.log.warning(
                "z2jh-configurator profile list: %s: %s; using the list saved in %s (%d profiles, received %s)",
                self.url, problem, self.cache_path, len(good.profiles), good.received,
            )
        elif self._fallback is not None:
            self.log.warning(
                "z2jh-configurator profile list: %s: %s; using the %d profiles of the hub configuration",
                self.url, problem, len(self._fallback),
            )
        else:
            self.log.error(
                "z2jh-configurator profile list: %s: %s; no list to fall back on, so the spawn page offers none",
                self.url, problem,
            )

    # -- fallback and disk -----------------------------------------------------------------------------------

    def _checked_fallback(self, fallback: Optional[ProfileList]) -> Optional[ProfileList]:
        if fallback is None:
            return None
        problems = validate_profile_list(fallback)
        if problems:
            self.log.error(
                "z2jh-configurator profile list: the fallback list in the hub configuration is not usable, "
                "so it is ignored: %s",
                "; ".join(problems),
            )
            return None
        return list(fallback)

    def _read_disk(self) -> Optional[_Good]:
        path = self.cache_path
        if not path or not os.path.exists(path):
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                saved = _strict_json(handle.read())
            profiles = saved["profile_list"]
            problems = validate_profile_list(profiles)
            if problems:
                raise ValueError("; ".join(problems))
        except Exception as problem:
            self.log.warning("z2jh-configurator profile list: ignoring the saved list %s: %s", path, problem)
            return None
        etag = saved.get("etag") if saved.get("url") == self.url else None
        text = json.dumps(profiles, sort_keys=True, separators=(",", ":"))
        return _Good(profiles, etag, "disk", str(saved.get("received", "?")), text)

    def _write_disk(self, good: _Good) -> None:
        path = self.cache_path
        if not path:
            return
        payload = {"url": self.url, "etag": good.etag, "received": good.received, "profile_list": good.profiles}
        try:
            directory = os.path.dirname(os.path.abspath(path))
            os.makedirs(directory, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".profile_list.", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(payload, out)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
            if self._disk_problem is not None:
                self.log.info("z2jh-configurator profile list: saving to %s works again", path)
            self._disk_problem = None
        except OSError as problem:
            message = str(problem)
            if message != self._disk_problem:
                self.log.warning(
                    "z2jh-configurator profile list: cannot save the list to %s (%s); it is kept in memory only",
                    path, message,
                )
            self._disk_problem = message


def make_profile_list(
    url: str,
    *,
    timeout: float = 2.0,
    cache_path: Optional[str] = None,
    fallback: Optional[ProfileList] = None,
    min_refresh_seconds: float = 10.0,
    admin_sees_all: bool = True,
    group_filter: bool = True,
    strip_allowed_groups: Optional[bool] = None,
    deny_if_none_allowed: bool = True,
    headers: Optional[Dict[str, str]] = None,
    logger: Optional[logging.Logger] = None,
) -> Callable[[Any], Awaitable[ProfileList]]:
    """A ``c.KubeSpawner.profile_list`` callable over the list at ``url``; see the module's documentation.

    ``fallback`` is used when neither the server nor ``cache_path`` has given a good list; pass the list baked
    into the Helm values (``c.KubeSpawner.get("profile_list")``). ``deny_if_none_allowed``: when the list has
    profiles but the user may use none, refuse (HTTP 403) instead of returning an empty list, with which
    KubeSpawner would start the hub's default server without asking.

    The function has a ``loader`` attribute (the ``ProfileListLoader``) for inspection.
    """
    loader = ProfileListLoader(
        url,
        timeout=timeout,
        cache_path=cache_path,
        fallback=fallback,
        min_refresh_seconds=min_refresh_seconds,
        admin_sees_all=admin_sees_all,
        group_filter=group_filter,
        strip_allowed_groups=strip_allowed_groups,
        deny_if_none_allowed=deny_if_none_allowed,
        headers=headers,
        logger=logger,
    )

    async def profile_list(spawner: Any) -> ProfileList:
        return await loader.profiles_for_spawner(spawner)

    profile_list.loader = loader  # type: ignore[attr-defined]
    return profile_list


def _forbidden(message: str) -> Exception:
    """Tornado's HTTPError (shown to the user as it is) inside the hub; PermissionError elsewhere."""
    try:
        from tornado.web import HTTPError
    except ImportError:  # pragma: no cover - the hub always has tornado
        return PermissionError(message)
    return HTTPError(403, message)


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
