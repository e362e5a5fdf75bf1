"""The benchmark's fixed-rate load: locust users that each send BENCH_RATE / BENCH_USERS
requests per second, taken in turn from the same request file as wrk (method, path,
cookie, body, tab-separated), so latency is measured at a steady, moderate rate rather
than at saturation. Run by `manage.py bench`, not by hand."""

import itertools
import os
import threading

from locust import FastHttpUser, constant_throughput, task

with open(os.environ["BENCH_REQUESTS"], encoding="utf-8") as lines:
    REQUESTS = [line.rstrip("\n").split("\t") for line in lines if line.strip()]
_next = itertools.cycle(REQUESTS)
_lock = threading.Lock()
ORIGIN = os.environ["BENCH_ORIGIN"]


class Visitor(FastHttpUser):
    wait_time = constant_throughput(float(os.environ["BENCH_RATE"]) / int(os.environ["BENCH_USERS"]))

    @task
    def send(self):
        with _lock:
            method, path, cookie, *rest = next(_next)
        headers = {"X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = cookie
        if method == "POST":
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": ORIGIN}
            self.client.post(path, data=rest[0] if rest else "", headers=headers, name="bench", allow_redirects=False)
        else:
            self.client.get(path, headers=headers, name="bench", allow_redirects=False)
