"""The one small interface every check implements, and the registry of checks.

A check observes one entry at one time (`observe`, async, fetching through the round's shared
fetcher) and later judges a period's observations of that entry (`judge`, pure). The round runner
and the summary never import a particular check: they go through `all_checks()`.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from collections.abc import Awaitable, Callable, Hashable
from typing import ClassVar, Literal, TypeVar

from collector.fetch import Fetcher, FetchResult
from collector.fetch.blocked import BLOCKED, blocked_reason
from collector.observations import Finding, JudgedFinding, Observation, merge_findings
from collector.periods import Period
from collector.profile import Profile
from collector.registry import Entry, Registry

Cadence = Literal["frequent", "daily", "weekly"]
T = TypeVar("T")


@dataclass
class CheckContext:
    """What a check may use during one round: the time, the profile, and a shared, cached fetcher."""

    as_of: datetime
    profile: Profile
    registry: Registry
    fetcher: Fetcher
    _shared: dict[Hashable, asyncio.Future] = field(default_factory=dict)

    def once(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> Awaitable[T]:
        """Run `make()` at most once per round for `key`, whichever checks ask, and share the result.

        Shielded: one check being cancelled must not cancel the work another check awaits.
        """
        task = self._shared.get(key)
        if task is None:
            task = self._shared[key] = asyncio.ensure_future(make())
        return asyncio.shield(task)

    async def run_cpu(self, fn: Callable[..., T], *args: object) -> T:
        """Run CPU-heavy work (parsing a big page, reading an attachment) in a worker thread.

        On the event loop it would stall every other request of the round, and with them the
        response times the reachability check measures.
        """
        return await asyncio.to_thread(fn, *args)

    async def fetch(self, url: str) -> FetchResult:
        """GET url at most once per round, whichever checks ask for it.

        A rate limit or WAF challenge page comes back as the error "blocked" (reason in
        error_detail): no check may judge a challenge page as the site's content.
        """
        return await self.once(("GET", url), lambda: self._fetch(url))

    async def _fetch(self, url: str) -> FetchResult:
        result = await self.fetcher.get(url)
        reason = blocked_reason(result)
        return replace(result, error=BLOCKED, error_detail=reason) if reason else result  # type: ignore[arg-type]

    @property
    def today(self) -> date:
        return self.as_of.date()


class Check:
    name: ClassVar[str]
    title: ClassVar[str]          # Chinese label on scorecards
    indicator: ClassVar[str]
    applies_to: ClassVar[frozenset[str]]
    cadence: ClassVar[Cadence] = "daily"

    def applies(self, entry: Entry) -> bool:
        return entry.kind in self.applies_to and entry.status == "运行"

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        raise NotImplementedError

    def judge(self, entry: Entry, observations: list[Observation], period: Period,
              profile: Profile) -> list[JudgedFinding]:
        """Default: the findings observations carry, merged by key with first and last seen."""
        return merge_findings(self.name, observations)

    def period_figures(self, observations: list[Observation], profile: Profile) -> dict:
        """Figures shown for the period: by default those of the latest observation."""
        latest = max(observations, key=lambda o: o.at, default=None)
        return dict(latest.figures) if latest else {}

    def unchecked_reason(self, observations: list[Observation], profile: Profile) -> str | None:
        """Why this period's observations decide nothing (None when they do): by default, when
        not one observation could look at the entry. Reachability needs enough attempts."""
        if any(o.outcome in ("ok", "finding") for o in observations):
            return None
        return could_not_check_reason(observations)

    def unreachable(self, entry: Entry, ctx: CheckContext, result: FetchResult) -> Observation:
        """The entry could not be checked this round (never a pass, never a finding)."""
        figures = {"error": result.failure}
        if result.error == BLOCKED:
            figures["blocked"] = result.error_detail
        return self.observation(entry, ctx, figures, [], outcome="unreachable")

    def observation(self, entry: Entry, ctx: CheckContext, figures: dict, findings: list[Finding],
                    outcome: str | None = None) -> Observation:
        return Observation(at=ctx.as_of, entry=entry.id, kind=entry.kind, check=self.name,
                           outcome=outcome or ("finding" if findings else "ok"),  # type: ignore[arg-type]
                           figures=figures, findings=tuple(findings))


_OUTCOME_WORDS = {"unreachable": "无法访问", "error": "检查出错"}


def could_not_check_reason(observations: list[Observation]) -> str:
    """"未能检查" and the reasons observations recorded, most frequent first: "未能检查：connect ×3"."""
    reasons: dict[str, int] = {}
    for obs in observations:
        errors = obs.figures.get("errors")
        reason = str(obs.figures.get("blocked") or obs.figures.get("error")
                     or ("；".join(map(str, errors)) if isinstance(errors, list) and errors
                         else _OUTCOME_WORDS.get(obs.outcome, obs.outcome)))
        reasons[reason] = reasons.get(reason, 0) + 1
    if not reasons:
        return "本期无观测记录"
    ordered = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    return "未能检查：" + "；".join(f"{reason} ×{n}" for reason, n in ordered)


_CHECKS: dict[str, Check] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: make a check known to rounds and summaries."""
    _CHECKS[cls.name] = cls()
    return cls


def all_checks() -> list[Check]:
    import collector.checks  # noqa: F401  (imports every check module, which registers it)

    return [check for _, check in sorted(_CHECKS.items())]


def get_check(name: str) -> Check:
    all_checks()
    return _CHECKS[name]
