"""The demo world's prose draws exactly as random.Random would, so a seed always gives the same text."""
from __future__ import annotations

import random

import pytest

from collector.demo.text import _SENTENCES, _TITLES, PLACES, TOPICS, TYPE_FAMILY, Prose


class ReferenceProse:
    """The prose as first written, with random.Random's own randint and choice."""

    def __init__(self, seed: str):
        self.rng = random.Random(seed)

    def fill(self, template: str, unit: str, year: int) -> str:
        r = self.rng
        return template.format(
            unit=unit, topic=r.choice(TOPICS), place=r.choice(PLACES), year=year, year2=year + 2,
            n1=r.randint(12, 300), n2=r.randint(5, 120), n3=r.randint(200, 5000), pct=r.randint(90, 100),
            doc=r.randint(1, 60), month=r.randint(1, 12), day=r.randint(1, 28),
            stamp=f"{year}{r.randint(1, 12):02d}{r.randint(1, 28):02d}",
        )

    def title(self, column_type: str, unit: str, year: int) -> str:
        return self.fill(self.rng.choice(_TITLES[TYPE_FAMILY[column_type]]), unit, year)

    def paragraphs(self, unit: str, year: int) -> tuple[str, ...]:
        r = self.rng
        return tuple("".join(self.fill(r.choice(_SENTENCES), unit, year) for _ in range(r.randint(2, 3)))
                     for _ in range(r.randint(3, 5)))


@pytest.mark.parametrize("seed", ["portal/5309000001", "column/fgw", "account/微博/临沧发布", "external", ""])
def test_the_same_seed_gives_the_text_random_random_would(seed: str) -> None:
    fast, reference = Prose(seed), ReferenceProse(seed)
    for n, column_type in enumerate(list(TYPE_FAMILY) * 20):
        assert fast.title(column_type, "临沧市水务局", 2020) == reference.title(column_type, "临沧市水务局", 2020)
        assert fast.paragraphs("临沧市水务局", 2019 + n % 3) == reference.paragraphs("临沧市水务局", 2019 + n % 3)
        # callers draw from prose.rng between texts: the state stays shared
        assert fast.rng.random() == reference.rng.random()
        assert fast.rng.randint(0, 10**9) == reference.rng.randint(0, 10**9)


def test_a_draw_below_any_bound_matches_randrange() -> None:
    fast, reference = Prose("bounds"), random.Random("bounds")
    for n in [1, 2, 3, 7, 8, 9, 25, 289, 4801, 2**31 - 1, 2**31, 10**12]:
        assert [fast._below(n) for _ in range(50)] == [reference.randrange(n) for _ in range(50)]
