"""Gunicorn serving the seeded database on 127.0.0.1, and what its workers cost (CPU, memory)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers: the master's children."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes, from /proc/<pid>/stat (fields 14 and 15)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """A running gunicorn: its URL and its workers."""

    def __init__(self, process: subprocess.Popen, port: int):
        self.process = process
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"

    @property
    def workers(self) -> list[int]:
        return worker_pids(self.process.pid)


@contextmanager
def gunicorn(database_url: str, plugins: list[str], workers: int, log_path: Path):
    """Serve ``wsgi:app`` with ``workers`` sync workers on a free port of 127.0.0.1."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, POSTVENTA_PLUGINS=",".join(plugins),
               SECRET_KEY="bench-secret")
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60", "wsgi:app"]
    log = log_path.open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(process, port)
    try:
        _wait_until_up(server, workers)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_up(server: Server, workers: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("gunicorn exited at start: see bench/out/gunicorn.log")
        try:
            with urllib.request.urlopen(f"{server.base_url}/health", timeout=2) as response:
                if response.status == 200 and len(server.workers) >= workers:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /health in time")
