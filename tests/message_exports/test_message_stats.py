"""The circular's message figures: received, replied, on time, overdue, open, reply times, 办结率."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from collector.message_exports import Message, due_date, message_stats, rate_text
from collector.message_exports.stats import completion_rate
from collector.periods import CHINA_TZ, Period
from collector.registry import MessagePlatform

Q2 = Period(2020, 2)
AFTER_Q2 = datetime(2020, 7, 15, 12, 0, tzinfo=CHINA_TZ)
#: The seed circular: messages per report_label in 2020 Q2 (市人社局's platform received none).
SEED_COUNTS = {"市级": 26, "临翔区": 23, "永德县": 7, "凤庆县": 7, "云县": 2, "双江": 4, "镇康县": 12, "沧源县": 10,
               "耿马县": 2, "市公安局": 2, "市人社局": 0}


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=CHINA_TZ)


def platform(pid: str, label: str) -> MessagePlatform:
    return MessagePlatform(id=pid, name=f"{label}网民留言", unit=f"{label}单位", belongs_to="5309000001",
                           export=f"http://example.test/{pid}.csv", report_label=label)


def message(mid: str, received: datetime, replied: datetime | None, closed: bool | None = None,
            pid: str = "p") -> Message:
    return Message(mid, pid, received, replied, "办公室", "已办结" if replied else "办理中",
                   closed if closed is not None else replied is not None)


def one_platform(messages: list[Message], as_of: datetime = AFTER_Q2, limit_days: int = 5) -> dict:
    return message_stats([platform("p", "市级")], {"p": messages}, Q2, as_of, limit_days)["platforms"][0]


def seed_quarter() -> tuple[list[MessagePlatform], dict[str, list[Message]]]:
    """95 messages over the 11 platforms, spread over Q2 (holidays included), all closed within 5 working days."""
    platforms = [platform(f"p{n:02d}", label) for n, label in enumerate(SEED_COUNTS)]
    messages: dict[str, list[Message]] = {}
    start = at(2020, 4, 1, 9, 0)
    for p, count in zip(platforms, SEED_COUNTS.values()):
        received = [start + timedelta(hours=21 * k + 7 * len(messages)) for k in range(count)]
        messages[p.id] = [message(f"{p.id}-{k}", t, t + timedelta(days=k % 4, hours=2), pid=p.id)
                          for k, t in enumerate(received)]
    outside = [message("q1", at(2020, 3, 31, 23, 0), at(2020, 4, 1, 9, 0)),
               message("q3", at(2020, 7, 1, 0, 5), at(2020, 7, 2, 9, 0))]
    messages["p00"] += outside
    return platforms, messages


# ----------------------------------------------------------------- the seed's quarter

def test_seed_quarter_gives_the_seed_counts_per_unit_and_100_percent() -> None:
    platforms, messages = seed_quarter()
    stats = message_stats(platforms, messages, Q2, AFTER_Q2)
    assert {u["report_label"]: u["received"] for u in stats["units"]} == SEED_COUNTS
    assert stats["totals"]["received"] == 95
    assert stats["totals"]["on_time"] == stats["totals"]["replied"] == 95
    assert stats["totals"]["overdue"] == stats["totals"]["open"] == 0
    assert stats["totals"]["completion_rate_text"] == "100%"
    assert [u["completion_rate_text"] for u in stats["units"]] == ["100%"] * 10 + ["—"]


def test_one_overdue_message_lowers_the_rate_to_one_decimal() -> None:
    platforms, messages = seed_quarter()
    late = messages["p01"][0]
    messages["p01"][0] = message(late.id, late.received_at, due_plus_a_day(late.received_at), pid="p01")
    stats = message_stats(platforms, messages, Q2, AFTER_Q2)
    assert stats["totals"]["on_time"] == 94 and stats["totals"]["overdue"] == 1
    assert stats["totals"]["completion_rate_text"] == "98.9%"  # 94 / 95
    assert stats["units"][1]["completion_rate_text"] == "95.7%"  # 临翔区 22 / 23
    assert stats["units"][0]["completion_rate_text"] == "100%"


def due_plus_a_day(received: datetime) -> datetime:
    return due_date(received, 5) + timedelta(days=1, hours=12)


def test_output_is_plain_data_in_registry_order() -> None:
    platforms, messages = seed_quarter()
    stats = message_stats(platforms, messages, Q2, AFTER_Q2)
    assert [p["id"] for p in stats["platforms"]] == [p.id for p in platforms]
    assert stats == message_stats(platforms, dict(reversed(list(messages.items()))), Q2, AFTER_Q2)


# ----------------------------------------------------------------- one platform

def test_only_messages_received_in_the_period_count() -> None:
    figures = one_platform([message("a", at(2020, 3, 31, 23, 59), at(2020, 4, 1, 9)),
                            message("b", at(2020, 4, 1, 0, 0), at(2020, 4, 1, 9)),
                            message("c", at(2020, 6, 30, 23, 59), at(2020, 7, 1, 9)),
                            message("d", at(2020, 7, 1, 0, 0), at(2020, 7, 1, 9))])
    assert figures["received"] == 2


def test_on_time_counts_working_days_across_labour_day() -> None:
    # received Thursday 4-30: due 5-11 (5-6, 5-7, 5-8, 5-9 make-up Saturday, 5-11)
    on_time = message("a", at(2020, 4, 30, 16, 20), at(2020, 5, 11, 17, 0))
    late = message("b", at(2020, 4, 30, 16, 20), at(2020, 5, 12, 9, 0))
    figures = one_platform([on_time, late])
    assert (figures["on_time"], figures["overdue"]) == (1, 1)
    assert (figures["median_days"], figures["p90_days"]) == (5.5, 6)


def test_a_message_unreplied_past_its_due_date_is_overdue_and_open() -> None:
    received = at(2020, 6, 1, 10)
    figures = one_platform([message("a", received, None)], as_of=at(2020, 6, 9, 0, 0))
    assert (figures["received"], figures["replied"], figures["overdue"], figures["open"]) == (1, 0, 1, 1)
    assert figures["completion_rate_text"] == "0.0%"


def test_a_message_unreplied_within_its_limit_is_open_but_not_overdue() -> None:
    figures = one_platform([message("a", at(2020, 6, 29, 10), None)], as_of=at(2020, 6, 30, 23, 59, 59))
    assert (figures["overdue"], figures["open"]) == (0, 1)


def test_replies_after_as_of_are_not_yet_known() -> None:
    figures = one_platform([message("a", at(2020, 6, 29, 10), at(2020, 7, 1, 9))], as_of=at(2020, 6, 30, 23, 59, 59))
    assert (figures["replied"], figures["open"], figures["completion_rate_text"]) == (0, 1, "0.0%")


def test_messages_received_after_as_of_are_not_counted() -> None:
    figures = one_platform([message("a", at(2020, 5, 10, 10), at(2020, 5, 11, 9))], as_of=at(2020, 5, 1))
    assert figures["received"] == 0 and figures["completion_rate_text"] == "—"


def test_a_reply_on_time_that_is_not_closed_counts_as_on_time_but_not_for_the_rate() -> None:
    figures = one_platform([message("a", at(2020, 6, 1, 10), at(2020, 6, 2, 10), closed=False)])
    assert (figures["on_time"], figures["open"], figures["completion_rate_text"]) == (1, 1, "0.0%")


def test_closed_without_a_reply_time_is_never_on_time() -> None:
    figures = one_platform([message("a", at(2020, 6, 1, 10), None, closed=True)])
    assert (figures["open"], figures["on_time"], figures["overdue"]) == (0, 0, 1)


def test_the_limit_is_a_setting() -> None:
    reply_on_day_3 = message("a", at(2020, 6, 1, 10), at(2020, 6, 4, 10))
    assert one_platform([reply_on_day_3], limit_days=5)["on_time"] == 1
    assert one_platform([reply_on_day_3], limit_days=2)["on_time"] == 0


def test_reply_times_in_working_days_and_hours() -> None:
    received = at(2020, 6, 1, 10)  # Monday
    figures = one_platform([message(str(k), received, received + timedelta(days=k)) for k in range(10)])
    # replies on 6-1 .. 6-10: working days 0,1,2,3,4,5(Sat->6-8),5(Sun->6-8),5,6,7
    assert (figures["median_days"], figures["p90_days"]) == (4.5, 6)
    assert (figures["median_hours"], figures["p90_hours"]) == (108, 192)


def test_a_platform_without_data_has_no_figures_rather_than_zero() -> None:
    stats = message_stats([platform("a", "市级"), platform("b", "市级")], {"a": []}, Q2, AFTER_Q2)
    assert stats["platforms"][1]["received"] is None
    assert stats["units"][0]["platforms_without_data"] == 1 and stats["units"][0]["received"] == 0


# ----------------------------------------------------------------- the rate as the circular writes it

@pytest.mark.parametrize(("closed", "received", "text"), [
    (95, 95, "100%"), (31, 34, "91.2%"), (94, 95, "98.9%"), (0, 3, "0.0%"), (1, 8, "12.5%"), (1, 16, "6.3%"),
    (1999, 2000, "99.9%"), (19999, 20000, "99.9%"),
])
def test_completion_rate_text(closed: int, received: int, text: str) -> None:
    assert rate_text(completion_rate(closed, received)) == text


def test_no_messages_no_rate() -> None:
    assert completion_rate(0, 0) is None and rate_text(None) == "—"


# ----------------------------------------------------------------- spread of reply times (pandas)

def test_reply_times_have_median_p90_mean_and_max_in_working_and_calendar_days() -> None:
    received = at(2020, 6, 1, 10)  # Monday
    figures = one_platform([message(str(k), received, received + timedelta(days=k)) for k in range(10)])
    # working days 0,1,2,3,4,5,5,5,6,7 (the weekend of 6-6/6-7 counts as Monday 6-8); calendar days 0..9
    assert [figures[k] for k in ("median_days", "p90_days", "mean_days", "max_days")] == [4.5, 6, 3.8, 7]
    assert [figures[k] for k in ("median_calendar_days", "p90_calendar_days", "mean_calendar_days",
                                 "max_calendar_days")] == [4.5, 8, 4.5, 9]
    assert (figures["mean_hours"], figures["max_hours"]) == (108, 216)


def test_p90_is_the_nearest_rank_a_value_that_occurred() -> None:
    received = at(2020, 4, 1, 10)
    figures = one_platform([message(str(k), received, received + timedelta(days=k)) for k in range(1, 21)])
    assert figures["p90_calendar_days"] == 18  # rank ceil(0.9 * 20) = 18; interpolation would say 18.1


def test_reply_figures_are_over_replied_messages_only() -> None:
    figures = one_platform([message("open", at(2020, 4, 1, 10), None)])
    assert figures["replied"] == 0
    assert all(figures[k] is None for k in ("median_days", "mean_days", "max_calendar_days", "p90_hours"))


def test_counts_over_n_days_include_open_messages_still_waiting() -> None:
    messages = [
        message("same-day", at(2020, 5, 6, 9), at(2020, 5, 6, 17)),
        message("8-days", at(2020, 5, 6, 9), at(2020, 5, 14, 9)),
        message("20-days", at(2020, 5, 6, 9), at(2020, 5, 26, 9)),
        message("open", at(2020, 4, 1, 9), None),  # 105 days waiting on 2020-07-15
        message("closed-no-time", at(2020, 4, 1, 9), None, closed=True),  # how long it took is unknown
    ]
    assert one_platform(messages)["over_days"] == {7: 3, 15: 2, 30: 1, 92: 1}
    assert one_platform(messages, as_of=at(2020, 6, 1, 12))["over_days"] == {7: 3, 15: 2, 30: 1, 92: 0}


def test_a_unit_pools_its_platforms_messages_rather_than_averaging_their_figures() -> None:
    platforms = [platform("a", "临翔区"), platform("b", "临翔区"), platform("c", "市级")]
    received = at(2020, 5, 6, 9)
    messages = {"a": [message("a1", received, received + timedelta(days=1), pid="a")],
                "b": [message(f"b{k}", received, received + timedelta(days=k), pid="b") for k in (3, 5)],
                "c": [message("c1", received, None, pid="c")]}
    stats = message_stats(platforms, messages, Q2, AFTER_Q2)
    unit = stats["units"][0]
    assert (unit["report_label"], unit["received"], unit["mean_calendar_days"]) == ("临翔区", 3, 3)
    assert [p["mean_calendar_days"] for p in stats["platforms"]] == [1, 4, None]
    assert stats["totals"]["received"] == 4 and stats["totals"]["open"] == 1
    assert stats["totals"]["over_days"] == {7: 1, 15: 1, 30: 1, 92: 0}


def test_every_platform_unit_and_total_row_has_every_figure() -> None:
    from collector.message_exports.stats import FIGURES

    platforms, messages = seed_quarter()
    stats = message_stats(platforms + [platform("none", "市级")], messages, Q2, AFTER_Q2)
    for row in stats["platforms"] + stats["units"] + [stats["totals"]]:
        assert set(FIGURES) <= set(row)
