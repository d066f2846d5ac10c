"""A database host on loopback that the test can make hang: a TCP listener that either forwards
every connection to the real PostgreSQL (`forward`), or accepts connections and never answers
(`hang`: a host whose PostgreSQL is stuck, or whose network drops everything once the
connection is made); `freeze` also stops the bytes of connections already forwarded."""

import contextlib
import socket
import threading

HANG, FORWARD, FREEZE = "hang", "forward", "freeze"


class Blackhole:
    def __init__(self, target: tuple[str, int], mode: str = HANG):
        self.target, self.mode, self.accepted = target, mode, 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            self._sockets.append(client)
            if self.mode == FORWARD:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
                self._sockets.append(upstream)
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                while self.mode == FREEZE and not self._closed.wait(0.05):
                    pass  # frozen: the bytes are held, as a dead network holds them
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self._closed.set()
        for sock in [self._listener, *self._sockets]:
            with contextlib.suppress(OSError):
                sock.close()
