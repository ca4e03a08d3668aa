"""A web server on 127.0.0.1 serving recorded pages, for tests that fetch addresses.

``PageServer`` serves the pages in tests/fixtures/pages at fixed paths, plus
redirects, a redirect to a private address, huge, slow and dripping bodies.
``serve(path, body, content_type)`` replaces or adds a page while the server
runs, so a test can change a page between two fetches. Nothing here reaches
the internet.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.test import SimpleTestCase

PAGES = Path(__file__).parent / "fixtures" / "pages"
HUGE_BYTES = 20 * 1024 * 1024

# path → (file, Content-Type)
RECORDED_PAGES = {
    "/article": ("article.html", "text/html; charset=utf-8"),
    "/arabic": ("arabic-windows-1256.html", "text/html; charset=windows-1256"),
    "/arabic-meta": ("arabic-windows-1256-meta.html", "text/html"),
    "/arabic-undeclared": ("arabic-windows-1256.html", "text/html"),
    "/arabic-said-utf8": ("arabic-windows-1256.html", "text/html; charset=UTF-8"),
    "/arabic-meta-said-utf8": ("arabic-windows-1256-meta.html", "text/html; charset=utf-8"),
    "/lying-charset": ("lying-charset.html", "text/html; charset=ISO-8859-1"),
    "/statement.md": ("statement.md", "text/markdown"),
    "/statement.pdf": ("statement.pdf", "application/pdf"),
}


class PageHandler(BaseHTTPRequestHandler):
    server: "PageServer"

    def do_GET(self):
        self.server.requests.append((self.path, self.headers.get("Host")))
        path = self.path
        if path in self.server.served:
            status, content_type, body = self.server.served[path]
            self.send_body(status, content_type, body)
        elif path in RECORDED_PAGES:
            name, content_type = RECORDED_PAGES[path]
            self.send_body(200, content_type, (PAGES / name).read_bytes())
        elif path.startswith("/redirect/"):
            hops_left = int(path.rsplit("/", 1)[1])
            self.send_redirect("/article" if hops_left == 0 else f"/redirect/{hops_left - 1}")
        elif path == "/to-private":
            self.send_redirect("http://10.0.0.1/article")
        elif path == "/to-file":
            self.send_redirect("file:///etc/passwd")
        elif path == "/host":
            self.send_body(200, "text/plain", self.headers.get("Host", "").encode())
        elif path == "/huge":
            self.send_huge(declare_length=False)
        elif path == "/huge-declared":
            self.send_huge(declare_length=True)
        elif path == "/slow":
            self.server.release.wait(2)
            self.send_body(200, "text/html", b"<p>Too late.</p>")
        elif path == "/drip":
            self.send_drip()
        elif path == "/drip-headers":
            self.send_drip_headers()
        else:
            self.send_body(404, "text/html", b"<h1>Not found</h1>")

    def send_body(self, status: int, content_type: str, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Recorded", "yes")
        self.end_headers()
        self.wfile.write(body)

    def send_redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_huge(self, *, declare_length: bool):
        sent = 0
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            if declare_length:
                self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            chunk = b"x" * 65536
            while sent < HUGE_BYTES:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the client hung up, as it should
        finally:
            self.server.huge_bytes_sent = sent
            self.server.huge_done.set()

    def send_drip(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(60):
                self.wfile.write(b".")
                self.wfile.flush()
                if self.server.release.wait(0.05):
                    return
        except OSError:
            pass

    def send_drip_headers(self):
        self.send_response(200)
        try:
            for number in range(60):
                self.send_header(f"X-Drip-{number}", "1")
                self.flush_headers()
                if self.server.release.wait(0.05):
                    return
        except OSError:
            pass

    def log_message(self, format, *args):
        pass


class PageServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), PageHandler)
        self.requests: list[tuple[str, str]] = []
        self.release = threading.Event()
        self.huge_done = threading.Event()
        self.huge_bytes_sent = 0
        self.served: dict[str, tuple[int, str, bytes]] = {}

    def serve(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200):
        """Serve ``body`` at ``path`` from now on (over a recorded page of that path, if any)."""
        self.served[path] = (status, content_type, body.encode() if isinstance(body, str) else body)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> "PageServer":
        """Serve in a background thread until ``stop()``."""
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
        self._thread.join(5)


class PageServerTestCase(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = PageServer().start()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self):
        self.server.requests.clear()
        self.server.served.clear()
        self.server.huge_done.clear()

    def url(self, path: str) -> str:
        return self.server.url(path)
