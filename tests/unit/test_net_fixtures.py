"""The misbehaving servers of :mod:`tests.net_fixtures` clean up after themselves."""

from __future__ import annotations

import socket
import time

from tests.net_fixtures import SilentServer


class _HeldUpServer(SilentServer):
    """Its accept loop is held up between accept() and tracking the connection until the
    server has begun to exit (a thread preempted on a loaded machine)."""

    def _track(self, conn: socket.socket) -> None:
        self._stop.wait(5)
        time.sleep(0.2)
        super()._track(conn)


def test_a_connection_accepted_as_the_server_exits_is_closed() -> None:
    # (an accepted socket left open failed test_clean_switch's silent-server test with a
    # ResourceWarning when it was collected, on a loaded CI machine)
    server = _HeldUpServer()
    with server, socket.create_connection(("127.0.0.1", server.port)):
        deadline = time.monotonic() + 10
        while server.accepted < 1:
            assert time.monotonic() < deadline, "the connection was not accepted"
            time.sleep(0.01)
    assert len(server._conns) == 1
    assert server._conns[0].fileno() == -1  # closed
