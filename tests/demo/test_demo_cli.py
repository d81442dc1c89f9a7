"""`collector demo serve` announces its port in a file and stops cleanly on SIGTERM."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from collector.demo.cli import demo

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(path: Path, process: subprocess.Popen, limit_seconds: float = 60) -> str:
    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.1)
    raise AssertionError(f"no port file; server output: {process.communicate(timeout=5)}")


def test_serve_writes_its_port_and_stops_on_sigterm(tmp_path: Path) -> None:
    port_file = tmp_path / "world.port"
    process = subprocess.Popen(
        [sys.executable, "-m", "collector.demo.cli", "serve", "--port-file", str(port_file),
         "--now", "2020-05-01T09:00:00+08:00"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        port = int(_wait_for(port_file, process))
        clock = httpx.get(f"http://127.0.0.1:{port}/clock", headers={"Host": "control.world.test"})
        assert clock.json() == {"now": "2020-05-01T09:00:00+08:00"}
        assert httpx.get(f"http://127.0.0.1:{port}/", headers={"Host": "www.lincang.gov.cn"}).status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_refuses_a_clock_without_offset() -> None:
    result = CliRunner().invoke(demo, ["serve", "--now", "2020-05-01T09:00:00"])
    assert result.exit_code == 2 and "time zone" in result.output
