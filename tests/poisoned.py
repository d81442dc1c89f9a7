"""What a job that can write the build cache could plant there: a pickle that runs code when loaded."""
from __future__ import annotations

import os
from pathlib import Path


class Payload:
    """Unpickled, it makes the folder `marker`: a test asserts the folder never appears."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (str(self.marker),)
