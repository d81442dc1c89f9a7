"""Progress in plain mode (CI, piped output): each line says how far, how long, and about how long is left."""
from __future__ import annotations

import re

from collector.progress import Progress


def test_plain_progress_lines_say_how_far_how_long_and_how_long_is_left(capsys):
    with Progress(plain=True, log_every_seconds=0) as progress:
        bar = progress.task("rounds", 4)
        bar.advance("2020-06-29 09:00")
        bar.advance("2020-06-30 09:00")
        bar.close()
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"rounds: 1/4 25%, \d+s elapsed, about \d+s left 2020-06-29 09:00", lines[0])
    assert re.fullmatch(r"rounds: 2/4 50%, \d+s elapsed, about \d+s left 2020-06-30 09:00", lines[1])
    assert re.fullmatch(r"rounds: 2/4 done in \d+s", lines[2])


def test_the_estimate_assumes_the_remaining_steps_cost_what_the_done_ones_did():
    with Progress(plain=True) as progress:
        bar = progress.task("rounds", 10)
        bar._started -= 60  # a minute ago
        bar.done = 4
        assert bar.timing() == "40%, 1m00s elapsed, about 1m30s left"
        bar.done = 0
        assert bar.timing() == "1m00s elapsed"
