"""Bounded load on 127.0.0.1 from a second process: wrk (Debian) or a Python keep-alive fallback."""
from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from core.demo_data import DEMO_PASSWORD

from bench.pages import csrf_token

USER_AGENT = "postventa-bench"


@dataclass
class LoadResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int

    def as_dict(self) -> dict:
        return {"requests": self.requests, "seconds": round(self.seconds, 2), "rps": round(self.rps, 1),
                "p50_ms": round(self.p50_ms, 2), "p99_ms": round(self.p99_ms, 2), "errors": self.errors}


# --- logging in over HTTP ---------------------------------------------------------------

def _cookies(response) -> dict:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {key: morsel.value for key, morsel in jar.items()}


def http_login(port: int, username: str, password: str = DEMO_PASSWORD) -> str:
    """Log in through the real form (GET for the CSRF token, POST); returns the Cookie header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login", headers={"User-Agent": USER_AGENT})
    response = conn.getresponse()
    cookies = _cookies(response)
    token = csrf_token(response.read().decode())
    body = urlencode({"username": username, "password": password, "csrf_token": token})
    conn.request("POST", "/login", body=body, headers={
        "User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"HTTP login of {username} refused: {response.status}")
    cookies.update(_cookies(response))
    conn.close()
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def check_page(port: int, path: str, cookie: str, times: int = 1) -> int:
    """GET ``path`` ``times`` times (warming the workers); the last status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status = 0
    for _ in range(times):
        conn.request("GET", path, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
        response = conn.getresponse()
        response.read()
        status = response.status
    conn.close()
    return status


# --- the generators ------------------------------------------------------------------------

def choose_generator(wanted: str) -> tuple[str, str]:
    """``("wrk", why)`` or ``("python", why)``; installs Debian's wrk when missing and running as root."""
    if wanted == "python":
        return "python", "asked for"
    if shutil.which("wrk"):
        return "wrk", "found on PATH"
    if os.geteuid() == 0 and shutil.which("apt-get"):
        installed = subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], capture_output=True,
                                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        if installed.returncode == 0 and shutil.which("wrk"):
            return "wrk", "installed with apt-get"
    if wanted == "wrk":
        raise SystemExit("wrk is not installed and cannot be installed here")
    return "python", "wrk not available"


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str) -> LoadResult:
    """The figures of ``wrk --latency`` output."""
    requests, seconds = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output).groups()[:2]
    unit = re.search(r"\d+ requests in [\d.]+(ms|s|m)", output).group(1)
    seconds = float(seconds) * {"ms": 0.001, "s": 1, "m": 60}[unit]
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s))\s*$", output, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return LoadResult(int(requests), seconds, rps, _ms(latency["50"]), _ms(latency["99"]), errors)


def run_wrk(url: str, cookie: str, duration_s: int, connections: int, threads: int) -> LoadResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", "--latency", "--timeout", "10s",
               "-H", f"Cookie: {cookie}", "-H", f"User-Agent: {USER_AGENT}", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def _python_client(port, path, cookie, duration_s, queue) -> None:
    """One keep-alive connection looping on ``path`` until the time is up."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors = [], 0
    stop = time.monotonic() + duration_s
    while time.monotonic() < stop:
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
            response = conn.getresponse()
            response.read()
            errors += response.status != 200
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
    queue.put((latencies, errors))


def run_python(port: int, path: str, cookie: str, duration_s: int, connections: int) -> LoadResult:
    """The fallback: ``connections`` processes, one keep-alive connection each."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    started = time.monotonic()
    clients = [context.Process(target=_python_client, args=(port, path, cookie, duration_s, queue))
               for _ in range(connections)]
    for client in clients:
        client.start()
    results = [queue.get() for _ in clients]
    for client in clients:
        client.join()
    seconds = time.monotonic() - started
    latencies = sorted(x for batch, _ in results for x in batch)
    errors = sum(e for _, e in results)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    return LoadResult(len(latencies), seconds, len(latencies) / duration_s,
                      statistics.median(latencies) if latencies else 0.0, p99, errors)
