"""How much time the loader adds to a spawn-form render or a spawn (not a test: it only prints numbers).

    python3 hub/bench_loader.py                        # a list served from memory by a loopback stand-in
    python3 hub/bench_loader.py --list dist/client/profile_list.json
    python3 hub/bench_loader.py --url http://127.0.0.1:4321/profile_list.json   # the project's own server

Three cases, each timed as KubeSpawner calls the loader (``await profile_list(spawner)``) for a user in a group:
``warm`` (the list is younger than ``min_refresh_seconds``: memory only), ``warm, new set of groups`` (the
first call for a set of groups also runs the group filter), ``revalidate`` (a
conditional GET answered 304) and ``download`` (a 200 with the whole list). ``--profiles N`` also times a
synthetic list of N profiles with three menus each.
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import json
import logging
import os
import statistics
import sys
import threading
import time
from typing import Any, Callable, List

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from z2jh_profile_loader import make_profile_list  # noqa: E402


class _Group(object):
    def __init__(self, name: str) -> None:
        self.name = name


class _User(object):
    name = "bench"
    admin = False
    groups = [_Group("ml-research"), _Group("staff")]


class _Spawner(object):
    user = _User()


def synthetic(count: int) -> List[dict]:
    """N profiles, each with an image, a node and a size menu, some choices restricted to a group."""
    profiles = []
    for index in range(count):
        options = {}
        for menu in ("image", "node", "size"):
            options[menu] = {
                "display_name": menu,
                "choices": {
                    "%s-%d" % (menu, c): dict(
                        {"display_name": "%s %d" % (menu, c), "kubespawner_override": {"image": "x/y:%d" % c}},
                        **({"allowed_groups": ["staff"]} if c % 3 == 0 else {})
                    )
                    for c in range(8)
                },
            }
        profile = {"display_name": "Profile %d" % index, "slug": "p-%d" % index, "profile_options": options}
        if index % 4 == 0:
            profile["allowed_groups"] = ["ml-research"]
        profiles.append(profile)
    return profiles


def serve(body: bytes) -> str:
    """A loopback server answering the list with an ETag (and 304 to If-None-Match); returns its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.headers.get("If-None-Match") == '"bench"':
                self.send_response(304)
                self.send_header("ETag", '"bench"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", '"bench"')
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d/profile_list.json" % server.server_address[1]


def timed(calls: int, before: Callable[[Any], None], profile_list: Any) -> List[float]:
    """Milliseconds for each of ``calls`` awaited calls, on one event loop (as in the hub)."""

    async def run() -> List[float]:
        spawner = _Spawner()
        await profile_list(spawner)  # first fetch, not timed
        times = []
        for _ in range(calls):
            before(profile_list.loader)
            start = time.perf_counter()
            await profile_list(spawner)
            times.append((time.perf_counter() - start) * 1000)
        return times

    return asyncio.run(run())


def report(name: str, times: List[float]) -> None:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        "%-34s mean %7.3f ms   median %7.3f ms   p99 %7.3f ms   (%d calls)"
        % (name, statistics.mean(times), statistics.median(times), p99, len(times))
    )


def bench(label: str, url: str, calls: int) -> None:
    logging.getLogger("bench").addHandler(logging.NullHandler())
    options = {"logger": logging.getLogger("bench"), "timeout": 5.0}

    def keep(loader: Any) -> None:
        pass

    def expire(loader: Any) -> None:
        loader._checked_at = None  # older than min_refresh_seconds: revalidate

    def forget(loader: Any) -> None:
        loader._checked_at = None
        if loader._good is not None:
            loader._good.etag = None  # no validator: the whole list again

    def new_groups(loader: Any) -> None:
        loader._memo = {}  # as if each call came from a user with another set of groups

    warm = make_profile_list(url, min_refresh_seconds=3600, **options)
    report(label + " warm", timed(calls, keep, warm))
    report(label + " warm, new set of groups", timed(calls, new_groups, warm))
    revalidate = make_profile_list(url, min_refresh_seconds=3600, **options)
    report(label + " revalidate (304)", timed(max(calls // 10, 20), expire, revalidate))
    download = make_profile_list(url, min_refresh_seconds=3600, **options)
    report(label + " download (200)", timed(max(calls // 10, 20), forget, download))
    for function in (warm, revalidate, download):
        function.loader.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server's profile_list.json instead of a stand-in")
    parser.add_argument("--list", help="a profile_list.json to serve from the stand-in")
    parser.add_argument("--profiles", type=int, default=200, help="size of the synthetic list (0: skip it)")
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    print("Python %s" % sys.version.split()[0])
    if args.url:
        bench("server", args.url, args.calls)
    else:
        here = os.path.dirname(os.path.abspath(__file__))
        path = args.list or os.path.join(here, "..", "test", "fixtures", "golden", "profile_list.json")
        with open(path, "rb") as handle:
            body = handle.read()
        bench("%d profiles" % len(json.loads(body)), serve(body), args.calls)
    if args.profiles:
        body = json.dumps(synthetic(args.profiles)).encode("utf-8")
        bench("%d synthetic profiles" % args.profiles, serve(body), max(args.calls // 10, 50))


if __name__ == "__main__":
    main()
