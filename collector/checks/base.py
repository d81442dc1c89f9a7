"""The one small interface every check implements, its declarations, and the registry of checks.

A check observes one entry at one time (`observe`, async, fetching through the round's shared
fetcher) and later judges a period's observations of that entry (`judge`, pure). The round runner
and the summary never import a particular check: they go through `all_checks()`.

Everything a reader sees about a check — its title, the Chinese label and default severity of
each finding code, the labels of its figures and settings — is declared on the check class and
nowhere else; profiles are verified against these declarations, and `collector summarize` copies
them into the catalogue the site reads (collector/summarize/catalogue.py).
"""
from __future__ import annotations

import asyncio
import copy
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date, datetime
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Any, ClassVar, Generic, Literal, TypeVar, cast

from collector.fetch import Fetcher, FetchResult
from collector.fetch.blocked import BLOCKED, blocked_reason
from collector.observations import Finding, JudgedFinding, Observation, Outcome, Severity, merge_findings
from collector.periods import Period
from collector.profile import Profile
from govcensus_data.words import KIND_LABELS, SEVERITY_LABELS
from collector.registry import Entry, Registry

Cadence = Literal["frequent", "daily", "weekly"]
T = TypeVar("T")
#: Below this input size, `CheckContext.run_cpu` works on the event loop (about 10 ms of parsing).
CPU_INLINE_BYTES = 128 * 1024

#: The severities every check's codes use, and the entry kinds a check may apply to (`applies_to`):
#: part of the interface. Their words (SEVERITY_LABELS, KIND_LABELS) are govcensus_data.words', which
#: the site shows too.
SEVERITIES = frozenset(SEVERITY_LABELS)


@dataclass(frozen=True)
class Code:
    """What a finding code means to a reader (`label`) and how heavily it counts unless the
    profile says otherwise (`severity`: its `severity` / `severity_…` setting)."""

    label: str
    severity: Severity


def setting(default: Any, label: str, note: str = "") -> Any:
    """A field of a check's settings dataclass: its default, its Chinese label for the methodology
    page and, where a label alone says too little, a note on why it exists."""
    meta = {"label": label, "note": note}
    if isinstance(default, (dict, list)):
        return field(default_factory=lambda: copy.deepcopy(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Settings:
    """Settings every check has. A check's own settings subclass this with more `setting(...)` fields.

    `confirmations` holds the profile's `confirm_…: true` flags: thresholds we could not verify
    word for word, which the methodology page marks as such.
    """

    indicator: str = setting("", "指标")
    severity: Severity | None = setting(None, "判定")
    confirmations: tuple[str, ...] = field(default=(), metadata={"label": "", "note": "", "internal": True})


S = TypeVar("S", bound=Settings)


def setting_fields(settings: type[Settings]) -> dict[str, Any]:
    """The profile keys a settings class accepts, with their dataclass fields."""
    return {f.name: f for f in fields(settings) if not f.metadata.get("internal")}


def setting_default(f: Any) -> Any:
    return f.default_factory() if f.default_factory is not MISSING else f.default


#: Figures the interface itself writes (`unreachable`, `could_not_check_reason`): every check has them.
COMMON_FIGURES: Mapping[str, str] = {
    "error": "未能检查的原因",
    "errors": "检查出错",
    "blocked": "被限流或拦截次数（不计入访问次数）",
    "unreachable": "无法访问",
    "url": "网址",
    "name": "名称",
    "type": "类型",
}


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

    async def run_cpu(self, fn: Callable[..., T], *args: object, size: int | None = None) -> T:
        """Run CPU-heavy work (parsing a page, reading an attachment), in a worker thread when it is big.

        `size` is the length of the input the work grows with. Work on less than CPU_INLINE_BYTES
        runs here, on the event loop, for a few milliseconds: a worker thread does not make pure
        Python work parallel (the GIL), and handing thousands of small pages to threads that then
        fight the loop for the GIL tripled a round's CPU (bench/round.py: 25.5 s against 9.5 s
        for 2,000 homepages). Big inputs, and work of unknown size, still go to a thread, so that
        one large page cannot stall every other request of the round and the response times the
        reachability check measures.
        """
        if size is not None and size < CPU_INLINE_BYTES:
            return fn(*args)
        return await asyncio.to_thread(fn, *args)

    async def fetch(self, url: str) -> FetchResult:
        """GET url at most once per round, whichever checks ask for it.

        A rate limit or WAF challenge page comes back as the error "blocked" (reason in
        error_detail): no check may judge a challenge page as the site's content.
        """
        return await self.once(("GET", url), lambda: self._fetch(url))

    def attempt(self, url: str) -> Awaitable[FetchResult]:
        """The round's single attempt at url (no retry, nothing classified), shared by every check.

        Reachability counts it as it is; `fetch` continues from it with the retries left, so a
        round sends one request for a homepage that reachability and homepage freshness both read.
        """
        return self.once(("attempt", url), lambda: self.fetcher.get(url, retries=0))

    async def _fetch(self, url: str) -> FetchResult:
        result = await self.fetcher.get(url, after=await self.attempt(url))
        reason = blocked_reason(result)
        return replace(result, error=BLOCKED, error_detail=reason) if reason else result  # type: ignore[arg-type]

    @property
    def today(self) -> date:
        return self.as_of.date()


class Check(Generic[S]):
    """The interface every check implements: declarations as class attributes, two methods.

    Declarations (read by rounds, scoring, summaries, the catalogue and the site — nowhere else
    may a check's words be written):

    - `name`: the stable code in data files (`"https_ipv6"`); `title`: its Chinese title;
      `indicator`: the inspection indicator it serves; `applies_to`: entry kinds
      (`KIND_LABELS`); `cadence`: `"frequent"`, `"daily"` or `"weekly"`.
    - `codes`: every finding code it may emit -> `Code(label, default severity)`. A profile's
      scoring item may only name declared codes; a code not scored must default to `"info"`.
    - `figures`: every figure key it writes -> its Chinese label (`COMMON_FIGURES` are added).
    - `figure_values`: a figure whose values are codes ("nxdomain", "list") -> each code in the
      words the portal shows (`COMMON_FIGURE_VALUES` are added): a reader never sees our codes.
    - `diagnostic_figures`: figures for staff, not for readers (a transport's own English detail,
      a server's reply line): the scorecard keeps them, the local preview shows them, the public
      site does not. What a reader needs of the same failure goes in another figure, in words.
    - `settings`: a frozen dataclass subclassing `Settings`, one `setting(default, label, note)`
      per profile key. The profile is verified against it when loaded; `self.configured(profile)`
      returns the typed instance.
    - `runs_by_default`: False for a check that runs only where the profile has its section.

    Methods:

    - `async observe(entry, ctx) -> Observation`: look at one entry once, at `ctx.as_of`. Fetch
      only through `ctx.fetch(url)` (shared, cached, blocked pages marked) or the round's fetcher,
      share other work through `ctx.once`, and parse in `ctx.run_cpu`. Must not raise for what a
      site does: a site that cannot be read is `self.unreachable(...)`, a question that cannot be
      decided is an observation with outcome `"error"` and `figures["error"]` saying why —
      never a pass and never a finding.
    - `judge(entry, observations, period, profile) -> list[JudgedFinding]`: pure; by default the
      findings the observations carry, merged by key. Override `period_figures` and
      `unchecked_reason` where a period needs more than the latest observation.

    Example — a complete check (the profile adds `example: {indicator: 示例}` to enable it)::

        @dataclass(frozen=True)
        class ExampleSettings(Settings):
            max_bytes: int = setting(500_000, "首页大小上限（字节）")

        @register
        class Example(Check[ExampleSettings]):
            name = "example"
            title = "首页大小"
            indicator = "示例"
            applies_to = frozenset({"website"})
            settings = ExampleSettings
            runs_by_default = False
            codes = {"homepage_too_large": Code("首页过大", "info")}
            figures = {"bytes": "首页大小（字节）"}

            async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
                settings = self.configured(ctx.profile)
                page = await ctx.fetch(entry.url)
                if not page.ok:
                    return self.unreachable(entry, ctx, page)
                size = len(page.content)
                findings = [Finding("homepage_too_large", self.indicator,
                                    self.severity(settings, "homepage_too_large"),
                                    f"首页 {size} 字节", key="size", evidence=Evidence(url=entry.url))
                            ] if size > settings.max_bytes else []
                return self.observation(entry, ctx, {"bytes": size}, findings)

    docs/adding-a-check.md walks through a real one, collector/checks/https_ipv6.py.
    """

    name: ClassVar[str]
    title: ClassVar[str]          # Chinese label on scorecards
    indicator: ClassVar[str]
    applies_to: ClassVar[frozenset[str]]
    cadence: ClassVar[Cadence] = "daily"
    codes: ClassVar[Mapping[str, Code]] = {}
    figures: ClassVar[Mapping[str, str]] = {}
    figure_values: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    diagnostic_figures: ClassVar[frozenset[str]] = frozenset()
    settings: ClassVar[type[Settings]] = Settings
    #: False: the check runs only where the profile has a section for it (a later requirement
    #: that a profile adopts explicitly); True: it runs with its defaults where the profile is silent.
    runs_by_default: ClassVar[bool] = True

    def configured(self, profile: Profile) -> S:
        """This check's settings under `profile`, typed (verified when the profile was loaded)."""
        return cast(S, profile.settings(self.name))

    def severity(self, settings: Settings, code: str) -> Severity:
        """The profile's severity for this check, else the code's declared default."""
        return settings.severity or self.codes[code].severity

    @classmethod
    def figure_labels(cls) -> dict[str, str]:
        """Labels of every figure this check may write, those the interface writes included."""
        return {**COMMON_FIGURES, **cls.figures}

    @classmethod
    def figure_value_labels(cls) -> dict[str, dict[str, str]]:
        """The words for each coded value of this check's figures, by figure key (the interface's own included)."""
        return {key: dict(words) for key, words in {**COMMON_FIGURE_VALUES, **cls.figure_values}.items()}

    def enabled(self, profile: Profile) -> bool:
        return self.runs_by_default or self.name in profile.configured_checks

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
                    outcome: Outcome | None = None) -> Observation:
        return Observation(at=ctx.as_of, entry=entry.id, kind=entry.kind, check=self.name,
                           outcome=outcome or ("finding" if findings else "ok"),
                           figures=figures, findings=tuple(findings))


_OUTCOME_WORDS = {"unreachable": "无法访问", "error": "检查出错"}
#: Each fetch error kind (collector.fetch.client.ErrorKind) in the words a reader of the portal reads:
#: a check that could not look says why in Chinese (未能检查：超时 ×3), never in the fetcher's codes.
#: The link checks' classes (common.LINK_CLASS_LABELS) use the same words.
ERROR_WORDS: Mapping[str, str] = {
    "timeout": "超时", "dns": "域名无法解析", "connect": "无法连接", "tls": "证书或加密连接错误",
    "too_large": "内容过大", "too_many_redirects": "重定向过多", "protocol": "协议错误", "invalid_url": "地址无效",
    "truncated": "内容不完整", "refused_address": "地址指向内网或保留地址，不予访问",
}


#: Coded values of the figures the interface itself writes: why a check could not look.
COMMON_FIGURE_VALUES: Mapping[str, Mapping[str, str]] = {"error": {**ERROR_WORDS, BLOCKED: "被限流或拦截"}}


def reason_in_words(reason: str) -> str:
    """Why a fetch failed, as the portal says it: an error kind (alone, or with the transport's own
    detail after a colon, which is dropped) in Chinese; an HTTP status, or a reason already written
    for readers (a blocked answer, an import problem), as it is."""
    kind = reason.partition(":")[0].strip()
    return ERROR_WORDS.get(kind, reason)


def could_not_check_reason(observations: list[Observation]) -> str:
    """"未能检查" and the reasons observations recorded, most frequent first: "未能检查：无法连接 ×3"."""
    reasons: dict[str, int] = {}
    for obs in observations:
        errors = obs.figures.get("errors")
        reason = reason_in_words(str(obs.figures.get("blocked") or obs.figures.get("error")
                                     or ("；".join(map(str, errors)) if isinstance(errors, list) and errors
                                         else _OUTCOME_WORDS.get(obs.outcome, obs.outcome))))
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


def get_known_check(name: str) -> Check | None:
    """The registered check called `name`, or None (profile verification says what is close)."""
    all_checks()
    return _CHECKS.get(name)
