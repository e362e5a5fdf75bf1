"""What the over-HTTP checks of `make two-machines` and `make deploy-recipe` share: the
launcher's settings they keep from the processes they start, a browser's form token,
body and cookies, a complete listing's form, and running a list of checks in order."""

import http.client
import re
import textwrap
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

# The launcher's own configuration never reaches the processes it starts (they get theirs).
NOT_PASSED_ON = frozenset(
    {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "STATIC_ROOT"}
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_body(fields: dict, files: list[tuple[str, tuple[str, bytes, str]]] | None = None) -> tuple[bytes, str]:
    """A form's body and its Content-Type, as a browser sends it: URL-encoded, or with `files`
    ([(name, (filename, content, content type))], a name may repeat) multipart/form-data.
    `fields`: a value or a list of values each."""
    if not files:
        return urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
    boundary = f"wiits-check-{uuid.uuid4().hex}"
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list | tuple) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def complete_listing_form(title: str, summary: str) -> dict:
    """The fields of /technologies/new/ for a listing with nothing missing (without files)."""
    from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal

    return {
        "title": title,
        "summary": summary,
        "description": "Air heated by the sun flows through trays of produce.",
        "advantages": "No fuel.",
        "sector": Sector.objects.order_by("pk").values_list("pk", flat=True).first(),
        "sdgs": [SustainableDevelopmentGoal.objects.get(number=7).pk],
        "trl": "6",
        "ip_status": "open",
        "country_developed": "KE",
        "countries_deployed": ["KE"],
        "cooperation": [CooperationType.objects.order_by("pk").values_list("pk", flat=True).first()],
    }


def run_checks(command, checks, run, started) -> bool:
    """Run `checks` ((title, check(run) -> detail), ...) in order, stopping at the first
    failure, writing each to `command`'s output; return whether one failed."""
    passed = 0
    for title, check in checks:
        try:
            detail = check(run)
        except Exception as error:  # a failed expectation, or the portal answering nonsense
            message = str(error) if isinstance(error, AssertionError) else f"{type(error).__name__}: {error}"
            command.stdout.write(command.style.ERROR(f"  FAIL  {title}"))
            command.stdout.write(textwrap.indent(textwrap.fill(message, 100), " " * 8))
            break
        passed += 1
        command.stdout.write(command.style.SUCCESS(f"  ok    {title}"))
        command.stdout.write(textwrap.indent(textwrap.fill(detail, 100), " " * 8))
    total = len(checks)
    summary = f"{passed} of {total} checks passed in {time.monotonic() - started:.1f} s."
    command.stdout.write(command.style.SUCCESS(summary) if passed == total else command.style.ERROR(summary))
    return passed != total


def keep_cookies(cookies: dict, answer: http.client.HTTPResponse) -> None:
    """Update a client's `cookies` from an answer's Set-Cookie headers, as a browser does
    (an expired or emptied cookie is dropped)."""
    for value in answer.headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie()
        cookie.load(value)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or not morsel.value:
                cookies.pop(name, None)
            else:
                cookies[name] = morsel.value
