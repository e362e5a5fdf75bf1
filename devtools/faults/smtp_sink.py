"""A local SMTP sink for the fault script: accepts every message and stores it as a file.

Run as `python -m devtools.faults.smtp_sink --port P --spool DIR [--delay-file F]`. Each
accepted message is written (atomically: temporary name, then rename) to DIR before the
server answers 250, as a real mail server commits a message to disk before it
acknowledges it. If the file named by --delay-file holds a number, the sink waits that
many seconds after storing and before answering: a slow server, which widens the window
in which a sender that dies has handed over a message without hearing it was accepted.
"""

import argparse
import asyncio
import json
import os
import signal
import threading
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class SpoolHandler:
    def __init__(self, spool: Path, delay_file: Path | None):
        self.spool = spool
        self.delay_file = delay_file

    def _delay(self) -> float:
        if not self.delay_file:
            return 0.0
        try:
            return float(self.delay_file.read_text().strip() or 0)
        except (OSError, ValueError):
            return 0.0

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time():.6f}-{uuid.uuid4().hex}"
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "received_at": time.time(),
            "data": envelope.original_content.decode("utf-8", "replace"),
        }
        temporary = self.spool / f".{name}.tmp"
        temporary.write_text(json.dumps(record))
        os.replace(temporary, self.spool / f"{name}.json")
        delay = self._delay()
        if delay:
            await asyncio.sleep(delay)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spool", type=Path, required=True)
    parser.add_argument("--delay-file", type=Path)
    args = parser.parse_args()
    args.spool.mkdir(parents=True, exist_ok=True)
    controller = Controller(
        SpoolHandler(args.spool, args.delay_file), hostname="127.0.0.1", port=args.port, ready_timeout=10
    )
    controller.start()
    print(f"smtp sink listening on 127.0.0.1:{args.port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
