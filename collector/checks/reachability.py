"""站点无法访问: is the homepage answering within 15 s, judged over 7-day windows of many attempts.

Each round makes one attempt per site, without retries (a retry would hide the failure the
indicator counts); it is the round's shared attempt (`ctx.attempt`), which homepage freshness reads
too and retries only from there, so the homepage is requested once per round. The period judgment slides a window of `window_days` over the attempts and
vetoes when the failure share reaches `max_failure_share` in any window with enough attempts.

Only answers about the site count as attempts. An attempt the site refused *us* (429, 503 with
Retry-After, a WAF challenge page: collector.fetch.blocked) is recorded as blocked, and one that
failed for a reason of ours (an error kind this check does not know, such as a refused address)
as not checked: both are outcome "error", in no window, and shown on the scorecard. A 2xx answer
larger than the size cap is reachable: the site answered, we merely did not read it all.
Without a window of enough attempts the check decides nothing ("未检查", see unchecked_reason).
"""
from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timedelta

from dataclasses import dataclass

from collector.checks.base import Check, CheckContext, Code, Settings, register, setting
from collector.fetch import FetchResult
from collector.fetch.blocked import blocked_reason
from collector.observations import Evidence, Finding, JudgedFinding, Observation
from collector.periods import Period
from collector.profile import Profile
from collector.registry import Entry


#: Fetch errors that are the site's failure to answer. Any other kind is ours: not checked.
SITE_FAILURES = frozenset({"timeout", "dns", "connect", "tls", "protocol", "truncated", "too_many_redirects"})


def attempt_state(result: FetchResult, timeout_seconds: float) -> tuple[str, str | None]:
    """("ok" | "failed" | "blocked" | "not_checked", reason) for one attempt.

    failed: no answer, an error status, or an answer slower than the timeout.
    """
    reason = blocked_reason(result)
    if reason:
        return "blocked", reason
    slow = result.elapsed_ms > timeout_seconds * 1000
    if result.error == "too_large" and result.status is not None:
        return ("failed" if result.status >= 400 or slow else "ok"), None
    if result.error is not None:
        if result.error in SITE_FAILURES:
            return "failed", result.error
        return "not_checked", f"{result.error}: {result.error_detail}".rstrip(": ")[:200]
    if result.status is None:
        return "not_checked", "no status"
    return ("failed" if result.status >= 400 or slow else "ok"), None


def counted(observations: list[Observation]) -> list[Observation]:
    """The attempts that answer whether the site is reachable (not blocked, not unchecked)."""
    return [o for o in observations if o.outcome == "ok"]


@dataclass(frozen=True)
class ReachabilitySettings(Settings):
    timeout_seconds: float = setting(15.0, "打开超时（秒）")
    window_days: int = setting(7, "监测窗口（天）")
    attempts_per_day: int = setting(20, "每日访问次数")
    max_failure_share: float = setting(0.05, "失败比例上限")
    min_attempts_for_verdict: int = setting(70, "作出判定所需最少访问次数")


@register
class Reachability(Check[ReachabilitySettings]):
    name = "reachability"
    title = "首页可访问性"
    indicator = "站点无法访问"
    applies_to = frozenset({"website", "column"})
    cadence = "frequent"
    settings = ReachabilitySettings
    codes = {"site_unreachable": Code("首页无法访问的比例达到否决线", "veto")}
    figures = {
        "attempts": "访问次数",
        "failures": "失败次数",
        "failure_share": "失败比例",
        "worst_week_failure_share": "最差一周失败比例",
        "median_response_ms": "响应时间中位数（毫秒）",
        "blocked_reasons": "限流或拦截",
        "not_checked": "未能访问次数（非网站原因，不计入）",
        "not_checked_reasons": "未能访问原因",
        "status": "HTTP 状态码",
        "elapsed_ms": "响应时间（毫秒）",
        "failed": "访问失败",
    }

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        timeout = float(self.configured(ctx.profile).timeout_seconds)
        result = await ctx.attempt(entry.url)  # the round's one attempt, shared with other checks
        state, reason = attempt_state(result, timeout)
        figures = {"status": result.status, "elapsed_ms": round(result.elapsed_ms, 1), "failed": state == "failed"}
        if result.error:
            figures["error"] = result.error
        if state == "blocked":
            figures["blocked"] = reason
        elif state == "not_checked":
            figures["not_checked"] = reason
        return self.observation(entry, ctx, figures, [], outcome="ok" if state in ("ok", "failed") else "error")

    def judge(self, entry: Entry, observations: list[Observation], period: Period,
              profile: Profile) -> list[JudgedFinding]:
        settings = self.configured(profile)
        windows = failure_windows(counted(observations), settings.window_days)
        bad = [(end, attempts, failures) for end, attempts, failures in windows
               if attempts >= settings.min_attempts_for_verdict
               and failures / attempts >= settings.max_failure_share]
        if not bad:
            return []
        worst = max(bad, key=lambda w: w[2] / w[1])
        finding = Finding(
            code="site_unreachable", indicator=self.indicator, severity=self.severity(settings, "site_unreachable"),
            message=(f"{settings.window_days} 天内首页访问失败 {worst[2]}/{worst[1]} 次"
                     f"（{worst[2] / worst[1]:.1%}），达到 {float(settings.max_failure_share):.0%} 的否决线"),
            key="window",
            evidence=Evidence(url=entry.url, location=f"截至 {worst[0].date().isoformat()} 的 {settings.window_days} 天"),
        )
        return [JudgedFinding(self.name, finding, bad[0][0], bad[-1][0], len(bad))]

    def period_figures(self, observations: list[Observation], profile: Profile) -> dict:
        settings = self.configured(profile)
        attempts = counted(observations)
        failures = sum(1 for o in attempts if o.figures.get("failed"))
        windows = [w for w in failure_windows(attempts, settings.window_days)
                   if w[1] >= settings.min_attempts_for_verdict]
        elapsed = [o.figures["elapsed_ms"] for o in attempts if not o.figures.get("failed")]
        blocked = Counter(str(o.figures["blocked"]) for o in observations if o.figures.get("blocked"))
        not_checked = Counter(str(o.figures.get("not_checked") or o.figures.get("error") or "error")
                              for o in observations if o.outcome != "ok" and not o.figures.get("blocked"))
        figures = {
            "attempts": len(attempts),
            "failures": failures,
            "failure_share": round(failures / len(attempts), 4) if attempts else None,
            "worst_week_failure_share": round(max((f / a for _, a, f in windows), default=0.0), 4) if windows else None,
            "median_response_ms": round(statistics.median(elapsed), 1) if elapsed else None,
            "blocked": sum(blocked.values()),
        }
        if blocked:
            figures["blocked_reasons"] = dict(sorted(blocked.items(), key=lambda kv: (-kv[1], kv[0])))
        if not_checked:
            figures["not_checked"] = sum(not_checked.values())
            figures["not_checked_reasons"] = dict(sorted(not_checked.items(), key=lambda kv: (-kv[1], kv[0])))
        return figures

    def unchecked_reason(self, observations: list[Observation], profile: Profile) -> str | None:
        """Reachability decides once some window holds enough counted attempts (blocked ones never count)."""
        settings = self.configured(profile)
        needed = settings.min_attempts_for_verdict
        windows = failure_windows(counted(observations), settings.window_days)
        most = max((a for _, a, _ in windows), default=0)
        if most >= needed:
            return None
        reason = f"{settings.window_days} 天内有效访问最多 {most} 次，不足判定所需的 {needed} 次"
        blocked = sum(1 for o in observations if o.figures.get("blocked"))
        if blocked:
            reason += f"；另有 {blocked} 次访问被限流或拦截，不计入"
        others = sum(1 for o in observations if o.outcome != "ok" and not o.figures.get("blocked"))
        if others:
            reason += f"；{others} 次未能访问（非网站原因）"
        return reason


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
