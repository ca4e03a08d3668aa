"""A webhook receiver on 127.0.0.1, written from the algorithm the README documents.

It checks each delivery's ``X-Webhook-Signature: t=<unix>,v1=<hex>`` itself:
HMAC-SHA256 keyed with the shared secret over ``"<t>." + body``, compared in
constant time, the timestamp no older than five minutes. It answers with the
statuses it is told to, in order (then 200), and records every request. Nothing
here imports the code under test.
"""

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def verify_signature(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """The receiver's check, from the README: parse t and v1, recompute, compare, refuse stale timestamps."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        received = parts["v1"]
    except (KeyError, ValueError):
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    fresh = abs((time.time() if now is None else now) - timestamp) <= TOLERANCE_SECONDS
    return fresh and hmac.compare_digest(expected, received)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: int


class ReceiverHandler(BaseHTTPRequestHandler):
    server: "Receiver"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        header = self.headers.get("X-Webhook-Signature", "")
        with self.server.lock:
            status = self.server.statuses.pop(0) if self.server.statuses else 200
            self.server.received.append(
                Received(
                    path=self.path,
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=body,
                    verified=verify_signature(self.server.secret, header, body),
                    answered=status,
                )
            )
        if self.path == "/huge":
            self.send_huge()
            return
        if self.path == "/slow":
            time.sleep(2)
        answer = f"answer {len(self.server.received)}: {status}".encode()
        try:
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except OSError:
            pass  # the sender stopped waiting

    def send_huge(self):
        """An endless answer: the sender must stop reading on its own."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        sent = 0
        try:
            while sent < 50 * 1024 * 1024:
                self.wfile.write(b"y" * 65536)
                sent += 65536
        except OSError:
            pass  # the sender hung up, as it should
        finally:
            self.server.huge_bytes_sent = sent

    def log_message(self, format, *args):
        pass


class Receiver(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, secret: str):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.secret = secret
        self.statuses: list[int] = []
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.huge_bytes_sent = 0

    def answer_with(self, *statuses: int) -> None:
        """Answer the next requests with these statuses, then 200."""
        self.statuses = list(statuses)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def start(self) -> "Receiver":
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(5)
