"""A data file's text: what every writer of one makes, read back to the same values."""
from __future__ import annotations

import random

import yaml

from govcensus_data.model import data_file_text


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_front_matter_reads_back_to_the_values_written_even_past_the_fold_width() -> None:
    rng = random.Random(12)
    pieces = ["临沧市", "a b", "  ", "\n", "x" * 60, "：", "@@ ", "- ", "\t", "'", '"', "\\", "# ", ": ", "\u3000"]
    for _ in range(300):
        long = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 500)))
        front = {"title": long, "findings": [{"evidence": {"snippet": long}}], "n": 3}
        assert front_matter(data_file_text(front, "正文\n")) == front


def test_front_matter_keeps_the_order_given_and_unicode_as_is() -> None:
    text = data_file_text({"period": "2020Q2", "entry": {"name": "临沧市水务局", "id": "zfxxgk-slj"}}, "")
    assert text == "---\nperiod: 2020Q2\nentry:\n  name: 临沧市水务局\n  id: zfxxgk-slj\n---\n"


def test_bytes_equal_pyyaml_own_dumper_on_ordinary_files() -> None:
    """Files written before libyaml dumped them are not rewritten for a change of writer."""
    front = {"period": "2020Q2", "result": "fail", "score": 91.5, "as_of": "2020-06-30T23:59:59+08:00",
             "findings": [{"code": "dead_link", "evidence": {"url": "http://www.lincang.gov.cn/a b",
                                                             "snippet": "“放管服”改革 …\n第二行"}}]}
    assert data_file_text(front, "") == "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False,
                                                                  width=1000) + "---\n"
