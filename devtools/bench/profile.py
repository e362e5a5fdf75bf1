"""Where a page's time goes: the benchmark's endpoints requested in-process and profiled.

`manage.py profile_pages` (devtools/management/commands/profile_pages.py) requests each
endpoint of `make bench` through Django's test client, in this process, on the benchmark's
database, with the settings the server would have (DJANGO_DEBUG=false), twice: once
timed (the request, its SQL queries, and each template's own nodes, without the templates
it includes), once sampled by pyinstrument, whose shares are scaled to the timed mean.
For each endpoint it reports the mean time of a request, its SQL, the costliest
templates, and the portal's own functions that take the most time with what they call
(the request's wrappers, which hold nearly all of it, are left out).
"""

import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template.base import Template
from django.test import Client

PROJECT = str(Path(settings.BASE_DIR)) + "/"
HERE = str(Path(__file__).resolve().parent) + "/"
WRAPPER_SHARE = 0.9  # a frame holding this share of the request is a wrapper, not a cost


@dataclass
class Profile:
    key: str
    name: str
    requests: int
    mean_ms: float
    cpu_ms: float
    sql_ms: float
    queries: float
    status: int
    templates: list[tuple[str, float]] = field(default_factory=list)
    ours: list[tuple[str, float]] = field(default_factory=list)
    tree: str = ""


def _label(frame) -> str:
    path = frame.file_path_short or frame.file_path or ""
    return f"{frame.function} ({path}:{frame.line_no})" if path else frame.function


def _ours(frame) -> bool:
    """A frame of the portal's own code (not Django's, a library's or the profiler's)."""
    path = frame.file_path or ""
    return path.startswith(PROJECT) and "/.venv/" not in path and not path.startswith(HERE)


def _walk(frame, seen: frozenset, inclusive: dict):
    label = _label(frame)
    if _ours(frame) and label not in seen:  # a recursive call counts once, at its outermost frame
        inclusive[label] += frame.time
        seen = seen | {label}
    for child in frame.children:
        _walk(child, seen, inclusive)


def _request(client: Client, line: tuple) -> int:
    method, path, cookie, body = line
    client.cookies.clear()
    for part in filter(None, (piece.strip() for piece in cookie.split(";"))):
        name, _sep, value = part.partition("=")
        client.cookies[name] = value
    if method == "POST":
        response = client.post(path, body, content_type="application/x-www-form-urlencoded", secure=True)
    else:
        response = client.get(path, secure=True)
    return response.status_code


@contextmanager
def _template_timer(own: dict):
    """Time spent in each template's own nodes (not in the templates it includes)."""
    original = Template._render
    stack: list[list] = []  # [name, started, time in included templates]

    def timed(self, context):
        started = time.perf_counter()
        stack.append([self.origin.template_name or self.origin.name, started, 0.0])
        try:
            return original(self, context)
        finally:
            name, started, inner = stack.pop()
            spent = time.perf_counter() - started
            own[name] += spent - inner
            if stack:
                stack[-1][2] += spent

    Template._render = timed
    try:
        yield
    finally:
        Template._render = original


def profile_endpoint(endpoint: dict, *, repeat: int, warm: int = 3, top: int = 10) -> Profile:
    """Two runs of `repeat` requests: one timed (the request, its SQL, each template's own
    time), one sampled by pyinstrument, whose shares are scaled to the timed run's mean."""
    from pyinstrument import Profiler

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    lines = endpoint["lines"]
    for n in range(warm):
        _request(client, lines[-1 - n % len(lines)])
    sql = {"seconds": 0.0, "count": 0}
    templates: dict[str, float] = defaultdict(float)

    def timer(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["seconds"] += time.perf_counter() - started
            sql["count"] += 1

    status = 0
    with connection.execute_wrapper(timer), _template_timer(templates):
        started, cpu_started = time.perf_counter(), time.process_time()
        for n in range(repeat):
            status = _request(client, lines[(warm + n) % len(lines)])
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    per_request = 1000 / repeat
    mean_ms = elapsed * per_request

    profiler = Profiler(interval=0.001)
    profiler.start()
    for n in range(repeat):
        _request(client, lines[(warm + repeat + n) % len(lines)])
    profiler.stop()
    root = profiler.last_session.root_frame()
    inclusive: dict[str, float] = defaultdict(float)
    if root is not None:
        _walk(root, frozenset(), inclusive)
    scale = elapsed / root.time if root is not None and root.time else 0.0  # sampled seconds to timed ones
    ours = [(label, seconds * per_request * scale) for label, seconds in inclusive.items()]
    ours = [(label, ms) for label, ms in ours if ms < WRAPPER_SHARE * mean_ms]
    return Profile(
        key=endpoint["key"],
        name=endpoint["name"],
        requests=repeat,
        mean_ms=mean_ms,
        cpu_ms=cpu * per_request,
        sql_ms=sql["seconds"] * per_request,
        queries=sql["count"] / repeat,
        status=status,
        templates=sorted(((name, s * per_request) for name, s in templates.items()), key=lambda item: -item[1])[:top],
        ours=sorted(ours, key=lambda item: -item[1])[:top],
        tree=profiler.output_text(unicode=True, color=False, show_all=False),
    )


def render_profiles(profiles: list[Profile], *, heading: str) -> str:
    lines = [heading, ""]
    for profile in profiles:
        lines += [
            f"### {profile.name}",
            "",
            f"{profile.requests} requests (status {profile.status}): {profile.mean_ms:.1f} ms each "
            f"({profile.cpu_ms:.1f} ms of this process's processor time), of which "
            f"SQL {profile.sql_ms:.1f} ms in {profile.queries:.0f} queries and templates' own nodes "
            f"{sum(ms for _name, ms in profile.templates):.1f} ms (the {len(profile.templates)} costliest).",
            "",
            "| ms per request | template (its own nodes, not those it includes) |",
            "|---:|---|",
            *(f"| {ms:.2f} | `{name}` |" for name, ms in profile.templates),
            "",
            "| ms per request | the portal's function (with what it calls) |",
            "|---:|---|",
            *(f"| {ms:.2f} | `{label}` |" for label, ms in profile.ours),
            "",
        ]
    return "\n".join(lines) + "\n"
