"""Benchmark: /api/recommend on loopback under load.

Starts ``earwise serve --workers 2`` on a free port, then drives ``/api/recommend`` with 20
varied profiles (the same as benchmarks/recommend.py) for 30 s at 32 concurrent connections
using Debian's ``wrk`` (a Lua script rotates the profiles); prints requests/s, p50, p99 and
the error count. Goal: >= 500 requests/s, p99 < 100 ms, zero errors.

Run: ``make bench-web`` (installs wrk with apt when missing) or ``python benchmarks/web.py [seconds]``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from recommend import PROFILES

DURATION_S = int(sys.argv[1]) if len(sys.argv) > 1 else 30
CONNECTIONS = 32


def query(profile: dict) -> str:
    params: list[tuple[str, str]] = []
    for key, value in profile.items():
        if key == "genres":
            params += [("genre", f"{g}:{s}") for g, s in value.items()]
        elif key in ("uses", "platforms", "forms"):
            params += [
                ({"uses": "use", "platforms": "platform", "forms": "form"}[key], v) for v in value
            ]
        elif key == "budget_usd":
            params.append(("budget", str(value)))
        elif key == "budget_min_usd":
            continue
        elif key == "wireless":
            params.append(("wireless", "wireless" if value else "wired"))
        elif key in (
            "source_vrms",
            "source_zout_ohm",
            "no_amp",
            "soundstage",
            "treble_sensitive",
            "glasses",
            "head_size",
        ):
            continue
        elif isinstance(value, bool):
            params.append((key, "1" if value else "0"))
        else:
            params.append((key, str(value)))
    return "/api/recommend?" + urllib.parse.urlencode(params)


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk (or run 'make bench-web')")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "earwise.cli", "serve", "--port", str(port), "--workers", "2"],
                              stdout=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        paths = [query(p) for p in PROFILES]
        for p in paths:  # every profile answers (and warms both workers)
            for _ in range(4):
                urllib.request.urlopen(base + p, timeout=10).read()
        lua = (
            "paths = {"
            + ",".join(f'"{p}"' for p in paths)
            + "}\n"
            + (
                "counter = 0\nrequest = function()\n  counter = counter + 1\n"
                "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n"
            )
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(lua)
        out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency", "-s", f.name, base],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
        os.unlink(f.name)
    finally:
        server.terminate()
        server.wait(10)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    print(
        f"/api/recommend, {len(PROFILES)} profiles, {CONNECTIONS} connections, {DURATION_S} s, 2 workers:"
    )
    print(f"requests/s {rps:.0f}, p50 {p50}, p99 {p99}, errors {int(errors.group(1)) if errors else 0}"
          + (f", socket errors: {sock.group(1)}" if sock else ""))  # fmt: skip


if __name__ == "__main__":
    main()
