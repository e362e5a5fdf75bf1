"""The one address in front of the two machines: a tiny reverse proxy, as a load balancer.

It stands for the TLS-terminating proxy of a deployment: it tells the portal the request
came over HTTPS (`X-Forwarded-Proto`) and from which address (`X-Forwarded-For`, the
connecting client's, which the portal trusts with ALLAUTH_TRUSTED_PROXY_COUNT=1). Requests
go to the machines in turn; a check may name the machine it wants with the request header
`X-Two-Machines-Backend: a` (removed before forwarding). Every answer says which machine
gave it in `X-Served-By`.
"""

import http.client
import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PIN_HEADER = "X-Two-Machines-Backend"
SERVED_BY = "X-Served-By"
# Hop-by-hop headers belong to one connection, not to the request or the answer.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}


def _handler(backends: dict[str, int]) -> type[BaseHTTPRequestHandler]:
    turns = itertools.cycle(sorted(backends))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self):
            name = self.headers.get(PIN_HEADER)
            if name not in backends:
                with lock:
                    name = next(turns)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {
                key: value
                for key, value in self.headers.items()
                if key.lower() not in HOP_BY_HOP | {PIN_HEADER.lower(), "x-forwarded-for", "x-forwarded-proto"}
            }
            headers["X-Forwarded-For"] = self.client_address[0]
            headers["X-Forwarded-Proto"] = "https"
            connection = http.client.HTTPConnection("127.0.0.1", backends[name], timeout=30)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
            except OSError as error:
                self.send_error(502, f"machine {name} did not answer: {error}")
                return
            finally:
                connection.close()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(key, value)
            self.send_header(SERVED_BY, name)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

        do_GET = do_POST = do_HEAD = _forward

        def log_message(self, format, *args):
            pass  # the check prints what matters

    return Handler


class Proxy:
    """`with Proxy({"a": 8001, "b": 8002}) as proxy:` serves on 127.0.0.1:`proxy.port`."""

    def __init__(self, backends: dict[str, int]):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(backends))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="two-machines-proxy", daemon=True)

    def __enter__(self) -> "Proxy":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()
