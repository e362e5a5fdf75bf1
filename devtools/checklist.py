"""What the over-HTTP checks of `make two-machines` and `make deploy-recipe` share: running
a list of checks in order and writing each result as the commands print them."""

import http.client
import textwrap
import time
from http.cookies import SimpleCookie


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
