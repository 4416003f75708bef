"""The hub-side loader (hub/z2jh_profile_loader.py) against the project's real server and small stand-ins."""

from __future__ import annotations

import ast
import asyncio
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import unittest
import urllib.request
from typing import Any, List

from support import HUB_DIR, CapturedLog, Spawner, StandIn, User, down_url, real_site

import z2jh_profile_loader as loader_module
from z2jh_profile_loader import ProfileListLoader, filter_profile_list, make_profile_list, validate_profile_list

LOGGER = "test.z2jh_profile_loader"

PROFILES = [
    {"display_name": "Small", "slug": "small", "default": True},
    {
        "display_name": "Choose",
        "slug": "choose",
        "profile_options": {
            "image": {
                "display_name": "Image",
                "choices": {
                    "scipy": {"display_name": "SciPy", "kubespawner_override": {"image": "scipy:1"}},
                    "secret": {
                        "display_name": "Secret",
                        "allowed_groups": ["staff"],
                        "kubespawner_override": {"image": "secret:1"},
                    },
                },
                "unlisted_choice": {
                    "enabled": True,
                    "display_name": "Custom image",
                    "allowed_groups": ["builders"],
                    "kubespawner_override": {"image": "{value}"},
                },
            }
        },
    },
    {"display_name": "GPU", "slug": "gpu", "allowed_groups": ["gpu-users", "staff"]},
    {
        "display_name": "Staff only menu",
        "slug": "staff-menu",
        "profile_options": {
            "size": {
                "display_name": "Size",
                "choices": {"big": {"display_name": "Big", "allowed_groups": ["staff"]}},
            }
        },
    },
]


def slugs(profiles: List[dict]) -> List[str]:
    return [p["slug"] for p in profiles]


def call(function: Any, user: User) -> List[dict]:
    """Calls a profile_list callable as KubeSpawner does (awaiting it)."""
    return asyncio.run(function(Spawner(user)))


def is_forbidden(problem: BaseException) -> bool:
    return getattr(problem, "status_code", None) == 403 or isinstance(problem, PermissionError)


class LoaderCase(unittest.TestCase):
    """Per test: a log catcher, a temporary folder, loaders closed at the end."""

    def setUp(self) -> None:
        self.log = CapturedLog(LOGGER)
        self.addCleanup(self.log.close)
        self.tmp = tempfile.mkdtemp(prefix="z2jh-loader-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def loader(self, url: str, **options: Any) -> Any:
        options.setdefault("logger", logging.getLogger(LOGGER))
        function = make_profile_list(url, **options)
        self.addCleanup(function.loader.close)
        return function

    def stand_in(self) -> StandIn:
        server = StandIn()
        self.addCleanup(server.stop)
        return server


class RealServerTest(LoaderCase):
    """The list as the project's own server (`serve`) publishes it."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.site = real_site()
        with urllib.request.urlopen(cls.site.profile_list_url, timeout=10) as response:
            cls.published = json.load(response)

    def test_fetches_and_checks_the_published_list(self) -> None:
        profile_list = self.loader(self.site.profile_list_url, min_refresh_seconds=0)
        admin = call(profile_list, User("alice", admin=True))
        self.assertEqual(slugs(admin), slugs(self.published))
        self.assertEqual(profile_list.loader.source, "server")
        self.assertEqual(validate_profile_list(self.published), [])
        self.assertTrue(any("using %d profiles from" % len(self.published) in m for m in self.log.messages()))

    def test_revalidates_with_the_etag_and_gets_304(self) -> None:
        profile_list = self.loader(self.site.profile_list_url, min_refresh_seconds=0)
        statuses = record_statuses(profile_list.loader)
        first = call(profile_list, User("alice", admin=True))
        second = call(profile_list, User("alice", admin=True))
        self.assertEqual(statuses, [200, 304])
        self.assertEqual(first, second)

    def test_filters_the_published_list_by_group(self) -> None:
        restricted = [p["slug"] for p in self.published if p.get("allowed_groups")]
        self.assertIn("gpu", restricted, "the sample content restricts the GPU profile to ml-research")
        profile_list = self.loader(self.site.profile_list_url)
        self.assertNotIn("gpu", slugs(call(profile_list, User("bob"))))
        self.assertIn("gpu", slugs(call(profile_list, User("carol", groups=["ml-research"]))))
        self.assertIn("gpu", slugs(call(profile_list, User("alice", admin=True))))
        strict = self.loader(self.site.profile_list_url, admin_sees_all=False)
        self.assertNotIn("gpu", slugs(call(strict, User("alice", admin=True))))

    def test_a_hidden_profile_cannot_be_spawned(self) -> None:
        # KubeSpawner validates the spawn against a second call of the same function, so the hidden slug is
        # missing there too and the spawn fails with "No such profile".
        profile_list = self.loader(self.site.profile_list_url)
        form = call(profile_list, User("bob"))
        at_spawn = call(profile_list, User("bob"))
        self.assertNotIn("gpu", slugs(form))
        with self.assertRaisesRegex(ValueError, "No such profile: gpu"):
            kubespawner_get_profile(at_spawn, "gpu")

    def test_the_disk_cache_outlives_the_loader(self) -> None:
        cache = os.path.join(self.tmp, "cache", "profile_list.json")
        first = self.loader(self.site.profile_list_url, cache_path=cache)
        expected = call(first, User("alice", admin=True))
        self.assertTrue(os.path.exists(cache))
        self.assertEqual(os.listdir(os.path.dirname(cache)), ["profile_list.json"], "no temporary file is left")
        # A new hub process whose configurator is down starts from the saved list.
        offline = self.loader(down_url(), cache_path=cache)
        self.assertEqual(call(offline, User("alice", admin=True)), expected)
        self.assertEqual(offline.loader.source, "disk")
        # One whose configurator is up revalidates the saved list with its ETag instead of downloading it.
        online = self.loader(self.site.profile_list_url, cache_path=cache)
        statuses = record_statuses(online.loader)
        self.assertEqual(call(online, User("alice", admin=True)), expected)
        self.assertEqual((statuses, online.loader.source), ([304], "server"))


class FallbackTest(LoaderCase):
    """Down, broken, slow or erroring servers: the last good list, then the saved one, then the baked one."""

    def test_server_down_falls_back_to_memory_disk_then_the_baked_list(self) -> None:
        server = self.stand_in()
        server.serve_json(PROFILES)
        cache = os.path.join(self.tmp, "profile_list.json")
        profile_list = self.loader(server.url, cache_path=cache, min_refresh_seconds=0)
        admin = User("alice", admin=True)
        self.assertEqual(slugs(call(profile_list, admin)), slugs(PROFILES))
        server.stop()
        self.assertEqual(slugs(call(profile_list, admin)), slugs(PROFILES))
        self.assertIn("using the last good list", self.log.messages(logging.WARNING)[-1])

        from_disk = self.loader(server.url, cache_path=cache, fallback=[PROFILES[0]])
        self.assertEqual(slugs(call(from_disk, admin)), slugs(PROFILES))
        self.assertEqual(from_disk.loader.source, "disk")
        self.assertIn("using the list saved in " + cache, self.log.messages(logging.WARNING)[-1])

        baked = self.loader(server.url, cache_path=os.path.join(self.tmp, "none.json"), fallback=[PROFILES[0]])
        self.assertEqual(slugs(call(baked, admin)), ["small"])
        self.assertIn("using the 1 profiles of the hub configuration", self.log.messages(logging.WARNING)[-1])

        nothing = self.loader(server.url)
        self.assertEqual(call(nothing, admin), [])
        self.assertIn("no list to fall back on", self.log.messages(logging.ERROR)[-1])

    def test_refuses_answers_that_are_not_a_usable_list(self) -> None:
        server = self.stand_in()
        profile_list = self.loader(server.url, fallback=[PROFILES[0]], min_refresh_seconds=0)
        admin = User("alice", admin=True)
        cases = [
            (b"<html>Bad gateway</html>", "is not JSON"),
            (b'{"profiles": []}', "must be a JSON list, not dict"),
            (b'[{"display_name": "No slug"}]', "needs a slug"),
            (b'[{"display_name": "A", "slug": "a", "profile_options": null}]', "profile_options must be an object"),
            (b'[{"display_name": "A", "slug": "a", "profile_options": {"o": {"display_name": "O"}}}]',
             "choices must be an object, not null"),
            (b'[{"display_name": "A", "slug": "a", "allowed_groups": "staff"}]', "must be a list of group names"),
            (b'[{"display_name": "A", "slug": "a"}, {"display_name": "B", "slug": "a"}]', "repeats the slug"),
            (b"[]", "is an empty list"),
            (b'[{"display_name": "A", "slug": "a", "kubespawner_override": {"cpu_limit": NaN}}]',
             "NaN is not a JSON number"),
            (b'[{"display_name": "A", "slug": "a", "kubespawner_override": {"cpu_limit": Infinity}}]',
             "Infinity is not a JSON number"),
            (b'[{"display_name": "A", "slug": "a", "kubespawner_override": {"mem_limit": -Infinity}}]',
             "-Infinity is not a JSON number"),
        ]
        for body, reason in cases:
            with self.subTest(reason=reason):
                server.body, server.etag = body, None
                self.assertEqual(slugs(call(profile_list, admin)), ["small"])
                self.assertIn(reason, self.log.messages(logging.WARNING)[-1])

    def test_http_errors_fall_back(self) -> None:
        server = self.stand_in()
        server.serve_json(PROFILES)
        profile_list = self.loader(server.url, min_refresh_seconds=0)
        admin = User("alice", admin=True)
        call(profile_list, admin)
        server.status, server.etag = 503, None
        self.assertEqual(slugs(call(profile_list, admin)), slugs(PROFILES))
        self.assertIn("HTTP 503", self.log.messages(logging.WARNING)[-1])

    def test_a_slow_server_is_given_up_on_after_the_timeout(self) -> None:
        server = self.stand_in()
        server.serve_json(PROFILES)
        server.delay = 3.0
        profile_list = self.loader(server.url, timeout=0.3, fallback=[PROFILES[0]])
        started = time.monotonic()
        result = call(profile_list, User("alice", admin=True))
        self.assertLess(time.monotonic() - started, 2.0, "the caller waited for the slow server")
        self.assertEqual(slugs(result), ["small"])
        self.assertIn("no answer within 0.3 s", self.log.messages(logging.WARNING)[-1])

    def test_logs_once_per_change_of_state(self) -> None:
        server = self.stand_in()
        server.serve_json(PROFILES)
        profile_list = self.loader(server.url, min_refresh_seconds=0)
        admin = User("alice", admin=True)
        call(profile_list, admin)
        server.status, server.etag = 500, None
        for _ in range(5):
            call(profile_list, admin)
        server.serve_json(PROFILES, etag='"v2"')
        for _ in range(3):
            call(profile_list, admin)
        messages = self.log.messages(logging.INFO)
        self.assertEqual(len(messages), 3, messages)
        self.assertIn("using 4 profiles from", messages[0])
        self.assertIn("HTTP 500", messages[1])
        self.assertIn("using 4 profiles from", messages[2])


class RefreshTest(LoaderCase):
    """When the loader goes to the network."""

    def test_a_warm_cache_does_not_touch_the_network(self) -> None:
        server = self.stand_in()
        server.serve_json(PROFILES)
        profile_list = self.loader(server.url, min_refresh_seconds=60)
        for _ in range(10):
            call(profile_list, User("bob"))
        self.assertEqual(len(server.requests), 1)

    def test_revalidates_after_min_refresh_seconds_and_picks_up_changes(self) -> None:
        server = self.stand_in()
        server.serve_json(PROFILES)
        now = [0.0]
        profile_list = self.loader(server.url, min_refresh_seconds=10)
        profile_list.loader._clock = lambda: now[0]
        admin = User("alice", admin=True)
        call(profile_list, admin)
        now[0] = 9.0
        call(profile_list, admin)
        self.assertEqual(len(server.requests), 1)
        now[0] = 10.0
        call(profile_list, admin)
        self.assertEqual(server.requests[-1].get("If-None-Match"), '"v1"')
        server.serve_json(PROFILES[:1], etag='"v2"')
        now[0] = 20.0
        self.assertEqual(slugs(call(profile_list, admin)), ["small"])

    def test_concurrent_calls_share_one_request(self) -> None:
        server = self.stand_in()
        server.serve_json(PROFILES)
        server.delay = 0.3
        profile_list = self.loader(server.url)

        async def many() -> List[List[dict]]:
            return await asyncio.gather(*(profile_list(Spawner(User("u%d" % i))) for i in range(10)))

        results = asyncio.run(many())
        self.assertEqual(len(server.requests), 1)
        self.assertTrue(all(r == results[0] for r in results))


class GroupFilterTest(LoaderCase):
    """allowed_groups on profiles, choices and the "Other..." entry; admins; what is returned."""

    def setUp(self) -> None:
        super().setUp()
        self.server = self.stand_in()
        self.server.serve_json(PROFILES)

    def test_profiles_and_choices_follow_the_users_groups(self) -> None:
        profile_list = self.loader(self.server.url)
        plain = call(profile_list, User("bob"))
        self.assertEqual(slugs(plain), ["small", "choose"])
        image = plain[1]["profile_options"]["image"]
        self.assertEqual(list(image["choices"]), ["scipy"])
        self.assertNotIn("unlisted_choice", image)

        staff = call(profile_list, User("sam", groups=["staff"]))
        self.assertEqual(slugs(staff), ["small", "choose", "gpu", "staff-menu"])
        self.assertEqual(list(staff[1]["profile_options"]["image"]["choices"]), ["scipy", "secret"])

        builders = call(profile_list, User("ben", groups=["builders", "gpu-users"]))
        self.assertEqual(slugs(builders), ["small", "choose", "gpu"])
        self.assertTrue(builders[1]["profile_options"]["image"]["unlisted_choice"]["enabled"])

    def test_admins_see_everything_unless_configured_otherwise(self) -> None:
        self.assertEqual(slugs(call(self.loader(self.server.url), User("alice", admin=True))), slugs(PROFILES))
        strict = self.loader(self.server.url, admin_sees_all=False)
        self.assertEqual(slugs(call(strict, User("alice", admin=True))), ["small", "choose"])

    def test_allowed_groups_keys_are_removed_from_what_is_returned(self) -> None:
        result = call(self.loader(self.server.url), User("alice", admin=True))
        self.assertNotIn("allowed_groups", json.dumps(result))
        kept = call(self.loader(self.server.url, strip_allowed_groups=False), User("alice", admin=True))
        self.assertEqual(kept[2]["allowed_groups"], ["gpu-users", "staff"])

    def test_filtering_never_changes_the_cached_list(self) -> None:
        profile_list = self.loader(self.server.url)
        call(profile_list, User("bob"))
        self.assertEqual(profile_list.loader._good.profiles, PROFILES)

    def test_group_filter_can_be_switched_off(self) -> None:
        result = call(self.loader(self.server.url, group_filter=False), User("bob"))
        self.assertEqual(slugs(result), slugs(PROFILES))
        self.assertEqual(result[2]["allowed_groups"], ["gpu-users", "staff"])

    def test_a_user_allowed_nothing_is_refused_rather_than_given_the_default_server(self) -> None:
        self.server.serve_json([PROFILES[2]])
        profile_list = self.loader(self.server.url)
        with self.assertRaises(Exception) as raised:
            call(profile_list, User("bob"))
        self.assertTrue(is_forbidden(raised.exception), raised.exception)
        lenient = self.loader(self.server.url, deny_if_none_allowed=False)
        self.assertEqual(call(lenient, User("bob")), [])

    def test_the_filter_applies_to_the_fallback_list_too(self) -> None:
        profile_list = self.loader(down_url(), fallback=PROFILES)
        self.assertEqual(slugs(call(profile_list, User("bob"))), ["small", "choose"])

    def test_filter_profile_list_without_groups_keeps_everything(self) -> None:
        self.assertEqual(filter_profile_list(PROFILES, None, strip_allowed_groups=False), PROFILES)


# Keys as 2i2c's hubs write them, and a slug that is no file name: users' saved choices name them verbatim.
VERBATIM = [
    {
        "display_name": "Allocations",
        "slug": "GPU_Large",
        "profile_options": {
            "resource_allocation": {
                "display_name": "Resource allocation",
                "choices": {
                    "mem_2_gb": {"display_name": "2 GB", "kubespawner_override": {"mem_limit": "2G"}},
                    "Mem_4.GB": {
                        "display_name": "4 GB",
                        "allowed_groups": ["staff"],
                        "kubespawner_override": {"mem_limit": "4G"},
                    },
                    "02-R": {"display_name": "R", "kubespawner_override": {"mem_limit": "1G"}},
                },
            }
        },
    },
    {"display_name": "Small", "slug": "small", "default": True},
]


class VerbatimKeysTest(LoaderCase):
    """Keys with "_", ".", upper case are treated exactly like slug keys: accepted, filtered, never changed."""

    def setUp(self) -> None:
        super().setUp()
        self.server = self.stand_in()
        self.server.serve_json(VERBATIM)

    def test_accepts_them_and_passes_them_through_unchanged(self) -> None:
        self.assertEqual(validate_profile_list(VERBATIM), [])
        admin = call(self.loader(self.server.url), User("alice", admin=True))
        self.assertEqual(slugs(admin), ["GPU_Large", "small"])
        self.assertEqual(list(admin[0]["profile_options"]), ["resource_allocation"])
        self.assertEqual(
            list(admin[0]["profile_options"]["resource_allocation"]["choices"]), ["mem_2_gb", "Mem_4.GB", "02-R"]
        )

    def test_filters_their_choices_by_group_like_any_other(self) -> None:
        profile_list = self.loader(self.server.url)
        plain = call(profile_list, User("bob"))
        menu = plain[0]["profile_options"]["resource_allocation"]
        self.assertEqual(list(menu["choices"]), ["mem_2_gb", "02-R"])
        staff = call(profile_list, User("sam", groups=["staff"]))
        self.assertIn("Mem_4.GB", staff[0]["profile_options"]["resource_allocation"]["choices"])
        # A saved {"profile": "GPU_Large", ...} still finds its profile at spawn time.
        at_spawn = call(profile_list, User("bob"))
        self.assertEqual(kubespawner_get_profile(at_spawn, "GPU_Large")["display_name"], "Allocations")
        with self.assertRaisesRegex(ValueError, "No such profile: gpu-large"):
            kubespawner_get_profile(plain, "gpu-large")


class LoaderFileTest(unittest.TestCase):
    """The loader ships as one file of standard-library Python that the hub image (3.8+) can run."""

    def setUp(self) -> None:
        with open(os.path.join(HUB_DIR, "z2jh_profile_loader.py"), encoding="utf-8") as handle:
            self.source = handle.read()

    def test_parses_as_python_3_8(self) -> None:
        ast.parse(self.source, feature_version=(3, 8))

    @unittest.skipUnless(hasattr(sys, "stdlib_module_names"), "needs Python 3.10+ to list the standard library")
    def test_imports_only_the_standard_library(self) -> None:
        imported = set()
        for node in ast.walk(ast.parse(self.source)):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
        # tornado is imported only inside the hub (for the 403 a user allowed nothing gets), with a fallback.
        outside = imported - set(sys.stdlib_module_names) - {"__future__", "tornado"}  # type: ignore[attr-defined]
        self.assertEqual(outside, set())

    def test_exports_are_documented(self) -> None:
        for name in loader_module.__all__:
            self.assertTrue(getattr(loader_module, name).__doc__, name)


def record_statuses(loader: ProfileListLoader) -> List[int]:
    """Wraps the loader's HTTP exchange to record each status it got (200, 304)."""
    statuses = []  # type: List[int]
    fetch = loader._fetch

    def recording(etag: Any) -> Any:
        result = fetch(etag)
        statuses.append(result[0])
        return result

    loader._fetch = recording  # type: ignore[method-assign]
    return statuses


def kubespawner_get_profile(profile_list: List[dict], slug: str) -> dict:
    """KubeSpawner 7.1's check of a requested profile (_validate_user_options / _get_profile)."""
    for profile in profile_list:
        if profile["slug"] == slug:
            return profile
    raise ValueError(
        "No such profile: %s. Options include: %s" % (slug, ", ".join(p["slug"] for p in profile_list))
    )


if __name__ == "__main__":
    unittest.main()
