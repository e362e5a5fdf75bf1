"""Helpers shared by the tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Transaction control that ATOMIC_REQUESTS adds on SQLite only: not queries of the page.
_CONTROL = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}


def count_queries(client, url) -> int:
    """The SQL queries one GET of `url` makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return sum(1 for query in queries if query["sql"].split()[0].upper() not in _CONTROL)


class RawHTTP:
    """A browser-less client for a real server (pytest-django's live_server) that sends the
    Host header it is told to, keeps cookies and answers CSRF like a form would."""

    def __init__(self, base_url: str):
        from urllib.parse import urlsplit

        parts = urlsplit(base_url)
        self.address = (parts.hostname, parts.port)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, host: str, data=None, headers=None):
        import http.client
        from http.cookies import SimpleCookie
        from urllib.parse import urlencode

        connection = http.client.HTTPConnection(*self.address, timeout=30)
        body = None
        sent = {"Host": host, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if data is not None:
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def get(self, path: str, *, host: str, **kwargs):
        return self.request("GET", path, host=host, **kwargs)

    def post(self, path: str, data: dict, *, host: str, **kwargs):
        if "csrftoken" not in self.cookies:
            self.get(path, host=host)
        return self.request("POST", path, host=host, data=data, **kwargs)
