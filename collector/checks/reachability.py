"""站点无法访问: is the homepage answering within 15 s, judged over 7-day windows of many attempts.

Each round makes one attempt per site, without retries (a retry would hide the failure the
indicator counts). The period judgment slides a window of `window_days` over the attempts and
vetoes when the failure share reaches `max_failure_share` in any window with enough attempts.
"""
from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from collector.checks.base import Check, CheckContext, JudgedFinding, register
from collector.fetch import FetchResult
from collector.observations import Evidence, Finding, Observation
from collector.periods import Period
from collector.profile import Profile
from collector.registry import Entry


def attempt_failed(result: FetchResult, timeout_seconds: float) -> bool:
    """A failed attempt: no answer, an error status, or an answer slower than the timeout."""
    return (result.error is not None or result.status is None or result.status >= 400
            or result.elapsed_ms > timeout_seconds * 1000)


@register
class Reachability(Check):
    name = "reachability"
    title = "首页可访问性"
    indicator = "站点无法访问"
    applies_to = frozenset({"website", "column"})
    cadence = "frequent"

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        timeout = float(ctx.profile.setting(self.name, "timeout_seconds"))
        result = await ctx.fetcher.get(entry.url, retries=0)
        if result.error == "refused_address":  # we would not connect: no attempt was made
            return self.unreachable(entry, ctx, result)
        failed = attempt_failed(result, timeout)
        figures = {"status": result.status, "elapsed_ms": round(result.elapsed_ms, 1), "failed": failed}
        if result.error:
            figures["error"] = result.error
        return self.observation(entry, ctx, figures, [], outcome="ok")

    def judge(self, entry: Entry, observations: list[Observation], period: Period,
              profile: Profile) -> list[JudgedFinding]:
        settings = profile.check(self.name)
        windows = failure_windows(attempts_of(observations), int(settings["window_days"]))
        bad = [(end, attempts, failures) for end, attempts, failures in windows
               if attempts >= int(settings["min_attempts_for_verdict"])
               and failures / attempts >= float(settings["max_failure_share"])]
        if not bad:
            return []
        worst = max(bad, key=lambda w: w[2] / w[1])
        finding = Finding(
            code="site_unreachable", indicator=self.indicator, severity=settings["severity"],
            message=(f"{settings['window_days']} 天内首页访问失败 {worst[2]}/{worst[1]} 次"
                     f"（{worst[2] / worst[1]:.1%}），达到 {float(settings['max_failure_share']):.0%} 的否决线"),
            key="window",
            evidence=Evidence(url=entry.url, location=f"截至 {worst[0].date().isoformat()} 的 {settings['window_days']} 天"),
        )
        return [JudgedFinding(self.name, finding, bad[0][0], bad[-1][0], len(bad))]

    def period_figures(self, observations: list[Observation], profile: Profile) -> dict:
        settings = profile.check(self.name)
        observations = attempts_of(observations)
        attempts = len(observations)
        failures = sum(1 for o in observations if o.figures.get("failed"))
        windows = [w for w in failure_windows(observations, int(settings["window_days"]))
                   if w[1] >= int(settings["min_attempts_for_verdict"])]
        elapsed = [o.figures["elapsed_ms"] for o in observations if not o.figures.get("failed")]
        return {
            "attempts": attempts,
            "failures": failures,
            "failure_share": round(failures / attempts, 4) if attempts else None,
            "worst_week_failure_share": round(max((f / a for _, a, f in windows), default=0.0), 4) if windows else None,
            "median_response_ms": round(statistics.median(elapsed), 1) if elapsed else None,
        }


def attempts_of(observations: list[Observation]) -> list[Observation]:
    """Observations that were attempts (an address we refused to connect to was none)."""
    return [o for o in observations if "failed" in o.figures]


def failure_windows(observations: list[Observation], window_days: int) -> list[tuple[datetime, int, int]]:
    """(window end, attempts, failures) for a window ending at each attempt, in time order."""
    ordered = sorted(observations, key=lambda o: o.at)
    result = []
    start = 0
    failures = 0
    span = timedelta(days=window_days)
    for end, obs in enumerate(ordered):
        failures += bool(obs.figures.get("failed"))
        while ordered[start].at <= obs.at - span:
            failures -= bool(ordered[start].figures.get("failed"))
            start += 1
        result.append((obs.at, end - start + 1, failures))
    return result
