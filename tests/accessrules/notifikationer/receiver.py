"""A test receiver of notifications: an HTTPS server on loopback with a certificate made for
it with openssl, that verifies every delivery with the Standard Webhooks library and keeps
what it got. `mode` makes it answer 2xx ("up"), 503 ("down") or nothing until the client
gives up ("hang"). Runs in a thread of the test process, or as its own process
(`python -m tests.accessrules.notifikationer.receiver PORT CERT KEY SECRETS_FILE OUT_FILE`)."""

import json
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (the receiver's, and the CA
    bundle the service is told to trust)."""
    cert, key = folder / "receiver.crt", folder / "receiver.key"
    if not cert.exists():
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
    return cert, key


class Receiver:
    def __init__(self, cert: Path, key: Path, port: int = 0, host: str = "127.0.0.1"):
        self.mode = "up"
        self.delay = 0.0  # seconds before a 2xx
        self.secrets: list[str] = []
        self.received: list[dict] = []  # verified deliveries: headers, event, time
        self.refused: list[str] = []  # deliveries whose signature did not verify
        self.connections = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keeps the connection, as a real server would

            def log_message(self, *args):
                pass

            def setup(self):
                with receiver.lock:
                    receiver.connections += 1
                super().setup()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.mode == "hang":
                    time.sleep(60)
                    return
                if receiver.mode == "down":
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                time.sleep(receiver.delay)
                receiver.accept(body, headers)
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/haendelser", host: str = "localhost") -> str:
        return f"https://{host}:{self.port}{path}"

    def accept(self, body: bytes, headers: dict) -> None:
        for secret in self.secrets:
            try:
                event = Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            with self.lock:
                self.received.append({"headers": headers, "event": event, "at": time.time()})
            return
        with self.lock:
            self.refused.append(headers.get("webhook-id", ""))

    def ids(self) -> list[str]:
        with self.lock:
            return [r["event"]["id"] for r in self.received]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def main(port, cert, key, secrets_file, out_file, mode="up"):
    """As a process: the secrets are read from a file (one a line) at each delivery; every
    verified event is appended to `out_file` as a JSON line (id, time received)."""
    receiver = Receiver(Path(cert), Path(key), int(port))
    receiver.mode = mode
    out = open(out_file, "a", buffering=1)  # noqa: SIM115

    def accept(body, headers):
        receiver.secrets = Path(secrets_file).read_text().split()
        before = len(receiver.received)
        Receiver.accept(receiver, body, headers)
        if len(receiver.received) > before:
            event = receiver.received[-1]["event"]
            out.write(json.dumps({"id": event["id"], "at": time.time()}) + "\n")
        else:
            out.write(json.dumps({"refused": headers.get("webhook-id")}) + "\n")

    receiver.accept = accept
    receiver.server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
