"""Debian chromium for the browser tests: where it is, how it is launched, and the skip without it.

Under CI a missing chromium is a failure, not a skip: `make test` installs it with apt-get.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("chromium is missing under CI: make test installs it with apt-get", pytrace=False)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")

#: No sandbox (containers), no GPU, and nothing the browser would fetch on its own (updates, sync, QUIC).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@contextmanager
def launched() -> Iterator:
    """A Playwright browser on Debian chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
