"""Build the site in-process, for tests and scripts that need real output without a shell."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.settings import read_settings

REPO_ROOT = Path(__file__).resolve().parent.parent


def build_site(content_dir: str | Path, output_dir: str | Path, settings_file: str | Path = "pelicanconf.py",
               settings: dict[str, Any] | None = None) -> Path:
    """Render `content_dir` with a settings file (relative to the repo root) into `output_dir`.

    Only PATH and OUTPUT_PATH (and any `settings` given) are overridden, so the build is the one
    `pelican -s` would make. Returns the output directory.
    """
    settings_path = Path(settings_file)
    if not settings_path.is_absolute():
        settings_path = REPO_ROOT / settings_path
    output_dir = Path(output_dir).resolve()
    settings = read_settings(str(settings_path), override={
        "PATH": str(Path(content_dir).resolve()),
        "OUTPUT_PATH": str(output_dir),
        **(settings or {}),
    })
    Pelican(settings).run()
    return output_dir
