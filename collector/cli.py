"""The `collector` command. Each command maps to one library function; `--help` documents it.

    collector validate registry/lincang-demo.yaml
    collector import-sheet 网站清单.xlsx -o registry/mine.yaml
    collector round --registry registry/lincang-demo.yaml --as-of 2020-06-30T09:00
        --resolve '*=127.0.0.1:8123' --allow-private-addresses
    collector replay --registry registry/lincang-demo.yaml --period 2020Q2
        --resolve '*=127.0.0.1:8123' --allow-private-addresses
    collector summarize --registry registry/lincang-demo.yaml --data data/demo/observations --period 2020Q2
    collector demo-run      # the whole demo quarter against the bundled demo world
    collector shard-plan --registry registry/registry.yaml        # ["1/3", "2/3", "3/3"]
    collector round --shard 2/3 --as-of 2020-06-30T09:00          # -> data/shards/2-of-3
    collector merge --data data/observations data/shards/*        # one store again

Exit codes: 0 done; 2 bad input (a registry, profile, template or marks file with problems, a bad
option value, a missing file, no observations to summarise) — always as one `error:` line per
problem, with file, line or row and field, never a traceback; 1 an unexpected failure.
"""
from __future__ import annotations

import json
import os
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

import click
import httpx

from collector import domains
from collector.demo.cli import demo
from collector.fetch import Fetcher, FetchSettings, parse_resolve
from collector.fetch.loop import run as run_loop
from collector.circular.office import OfficeSettingsError, load_office_settings, office_settings_path
from collector.periods import CHINA_TZ, Period, parse_day, parse_time
from collector.circular.template import TemplateError
from collector.profile import ProfileError, load_profile
from collector.rectification.tracking import MarksError
from collector.progress import Progress
from collector.registry import RegistryError, load_registry
from collector.checks.base import all_checks
from collector.rounds import RoundSummary, Schedule, due_checks, replay, run_round
from collector.compact import CompactError, compact
from collector.store import ObservationStore, StoreError
from collector.merge import MergeError, merge_shards
from collector.shards import ACTIONS_MATRIX_LIMIT, MANIFEST, Manifest, Shard, entries_of, shard_count
from collector.summarize.period import NoObservations, summarize_period
from govcensus_data.atomic import PathEscapeError

DEFAULT_REGISTRY = "registry/lincang-demo.yaml"
#: The office's observation store (committed by the scheduled workflow) ...
DEFAULT_DATA = "data/observations"
#: ... and the demo's scratch store, rebuilt by every `collector demo-run` (`make demo`), kept apart
#: so that a demo never mixes with or wipes real observations.
DEMO_DATA = "data/demo/observations"
#: Where `collector round --shard K/N` writes unless --data says otherwise: one folder per shard,
#: so parallel jobs never write the same file (merged by `collector merge`, never committed).
SHARDS_DATA = "data/shards"
#: Bad input: the exit code of every located error (click's own usage errors use it too).
BAD_INPUT = 2


def _load_registry_or_exit(path: str, allow_private_addresses: bool = True):
    """The registry; its problems end the command through the group's handler (exit 2).

    Commands that fetch refuse private addresses where connections open (collector.fetch.guard);
    `validate` also reports literal private hosts unless allowed."""
    return load_registry(path, allow_private_addresses=allow_private_addresses)


class _Parsed(click.ParamType):
    """An option parsed by one of our parsers; their ValueError becomes click's located usage error."""

    def __init__(self, name: str, parse: Callable[[str], Any]):
        self.name = name
        self._parse = parse

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return self._parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


PERIOD = _Parsed("QUARTER", Period.parse)
TIME = _Parsed("TIME", parse_time)
DAY = _Parsed("DATE", parse_day)
SHARD = _Parsed("K/N", Shard.parse)


def _store(data_dir: str | Path) -> ObservationStore:
    """The observation store, printing each torn line it repairs (a crash mid-append) as a warning."""
    return ObservationStore(data_dir, report=lambda message: click.echo(f"warning: {message}", err=True))


def _fetch_settings(resolve: tuple[str, ...], transport: str, allow_private_addresses: bool = False) -> FetchSettings:
    try:
        return FetchSettings(resolve=parse_resolve(list(resolve)), transport=transport,  # type: ignore[arg-type]
                             allow_private_addresses=allow_private_addresses)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--resolve") from None


def _address(value: str | None, option: str) -> tuple[str, int] | None:
    if value is None:
        return None
    ip, _, port = value.rpartition(":")
    if not ip or not port.isdigit():
        raise click.BadParameter(f"{value!r} is not IP:PORT", param_hint=option)
    return ip, int(port)


def _configure_lookups(whois_at: str | None, dns_at: str | None) -> None:
    whois = _address(whois_at, "--whois-at")
    dns = _address(dns_at, "--dns-at")
    if whois or dns:
        domains.configure({"*": whois} if whois else {}, dns)


registry_option = click.option("--registry", "registry_path", default=DEFAULT_REGISTRY, show_default=True,
                               type=click.Path(exists=True, dir_okay=False), help="Registry file (YAML, XLSX or CSV).")
data_option = click.option("--data", "data_dir", default=DEFAULT_DATA, show_default=True,
                           type=click.Path(file_okay=False), help="Observation store folder.")
profile_option = click.option("--profile", "profile_path", default=None, type=click.Path(exists=True, dir_okay=False),
                              help="Indicator profile YAML (default: the State Council profile).")
resolve_option = click.option("--resolve", multiple=True, metavar="HOST=IP:PORT",
                              help="Send requests for HOST (a pattern; * for all) to IP:PORT, keeping the Host header.")
def lookups_option(command):
    """--whois-at / --dns-at: where WHOIS and DNS questions go (default: CNNIC and the system resolver)."""
    command = click.option("--dns-at", default=None, metavar="IP:PORT",
                           help="Ask this DNS server (UDP) instead of the system resolver.")(command)
    return click.option("--whois-at", default=None, metavar="IP:PORT",
                        help="Dial every WHOIS server at IP:PORT instead (e.g. our loopback one).")(command)
private_option = click.option(
    "--allow-private-addresses", is_flag=True,
    help="Also connect to loopback, private, link-local and other non-public addresses (refused by default; "
         "needed for a world on 127.0.0.1 reached with --resolve).")
transport_option = click.option("--transport", type=click.Choice(["curl", "aiohttp", "httpx"]), default="curl",
                                show_default=True, help="HTTP client the fetcher speaks: libcurl, aiohttp or httpx (bench/transport.py).")


class _Collector(click.Group):
    """Every bad input — registry, profile, circular template, rectification marks, option values,
    missing files, an empty period — ends with located `error:` lines and exit code 2, never with a
    traceback. Anything else is a bug: one line and exit 1 (GOVCENSUS_TRACEBACK=1 shows where)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except click.ClickException as exc:
            hint = f" (see: {exc.ctx.command_path} --help)" if isinstance(exc, click.UsageError) and exc.ctx else ""
            _error_lines(exc.format_message() + hint)
            ctx.exit(exc.exit_code)
        except RegistryError as exc:
            for problem in exc.problems:
                _error_lines(str(problem))
            file = exc.problems[0].location.file if exc.problems else "the registry"
            click.echo(f"{len(exc.problems)} problem(s) in {file}", err=True)
            ctx.exit(BAD_INPUT)
        except (ProfileError, TemplateError, MarksError, OfficeSettingsError, NoObservations, PathEscapeError,
                StoreError, MergeError, CompactError) as exc:
            _error_lines(str(exc))
            ctx.exit(BAD_INPUT)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _error_lines(f"{where}{exc.strerror or exc}")
            ctx.exit(BAD_INPUT)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
            if os.environ.get("GOVCENSUS_TRACEBACK"):
                raise
            _error_lines(f"unexpected {type(exc).__name__}: {exc} (set GOVCENSUS_TRACEBACK=1 to see where)")
            ctx.exit(1)


def _error_lines(message: str) -> None:
    """One `error:` line per line of a message, control characters shown escaped."""
    for line in str(message).splitlines() or [""]:
        if line.strip():
            click.echo("error: " + "".join(c if c.isprintable() else repr(c)[1:-1] for c in line), err=True)


@click.group(cls=_Collector)
@click.version_option()
def main() -> None:
    """GovCensus collector: check government websites and new-media accounts, keep observations,
    write the period summaries the site is built from."""


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--allow-private-addresses", is_flag=True,
              help="Accept URLs whose host is localhost or a loopback, private or link-local IP (a test registry).")
def validate(path: str, allow_private_addresses: bool) -> None:
    """Validate a registry file; print every problem with file, row or line, field and reason
    (exit code 2 when there is any)."""
    registry = _load_registry_or_exit(path, allow_private_addresses)
    counts = {"websites": len(registry.websites), "columns": len(registry.columns),
              "accounts": len(registry.accounts), "message platforms": len(registry.message_platforms)}
    click.echo(f"{path}: valid — " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@main.command("import-sheet")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="YAML registry to write.")
def import_sheet(sheet: str, output: str) -> None:
    """Convert the spreadsheet staff keep (XLSX or CSV, Chinese headers) to a YAML registry."""
    from govcensus_data.atomic import write_atomic

    registry = _load_registry_or_exit(sheet)
    write_atomic(output, registry.to_yaml())
    click.echo(f"wrote {output}: {len(list(registry.entries()))} entries")


@main.command("round")
@registry_option
@data_option
@profile_option
@resolve_option
@private_option
@lookups_option
@transport_option
@click.option("--as-of", "as_of", default=None, type=TIME, help="Time of the round (ISO; default now, China time).")
@click.option("--cadence", type=click.Choice(["all", "daily", "weekly", "frequent"]), default="all", show_default=True)
@click.option("--check", "check_names", multiple=True, type=click.Choice(sorted(c.name for c in all_checks())),
              help="Only these checks (repeatable).")
@click.option("--shard", default=None, type=SHARD,
              help="Check only shard K of N (1-based, e.g. 2/8; see `collector shard-plan`) and write to a shard "
                   f"store (default {SHARDS_DATA}/K-of-N) for `collector merge`.")
@click.pass_context
def round_command(ctx: click.Context, registry_path: str, data_dir: str, profile_path: str | None,
                  resolve: tuple[str, ...], allow_private_addresses: bool, whois_at: str | None, dns_at: str | None,
                  transport: str, as_of: datetime | None, cadence: str,
                  check_names: tuple[str, ...], shard: Shard | None) -> None:
    """Run one round: every due check on every entry at one time; append observations.

    With --shard K/N only the entries of shard K run (a website, its columns and their message
    platforms always share a shard), every shard of a round must be given the same --as-of, and
    the observations go to a shard store of their own; `collector merge` then adds the shard
    stores to the main store exactly as one unsharded round would have."""
    registry = _load_registry_or_exit(registry_path)
    _configure_lookups(whois_at, dns_at)
    profile = load_profile(profile_path)
    when = as_of or datetime.now(CHINA_TZ)
    cadences = {"daily", "weekly", "frequent"} if cadence == "all" else {cadence}
    checks = due_checks(cadences, set(check_names) or None)
    only = None
    if shard is not None:
        if ctx.get_parameter_source("data_dir") == click.core.ParameterSource.DEFAULT:
            data_dir = str(Path(SHARDS_DATA) / shard.folder_name)
        only = entries_of(registry, shard)
        _prepare_shard_store(Path(data_dir), Manifest(shard, only))

    async def go() -> RoundSummary:
        summary = RoundSummary()
        async with Fetcher(_fetch_settings(resolve, transport, allow_private_addresses)) as fetcher:
            with Progress() as progress:
                observations = await run_round(registry, when, profile, fetcher, checks, progress, only=only)
            _store(data_dir).append(observations)
            summary.add(observations)
            summary.requests = fetcher.requests_sent
        summary.seconds = time.perf_counter() - started
        return summary

    started = time.perf_counter()

    label = f"round {when.isoformat()}" + (f" shard {shard} -> {data_dir}" if shard else "")
    click.echo(f"{label}: " + run_loop(go()).line())


def _prepare_shard_store(folder: Path, manifest: Manifest) -> None:
    """Write the shard store's manifest; refuse a folder that holds another shard or unlabelled observations.

    The refusal keeps a shard from ever appending into the main store or into another shard's
    store (a mistyped --data), where the merge could no longer tell whose observations are whose."""
    from govcensus_data.atomic import write_atomic

    if folder.resolve() == Path(DEFAULT_DATA).resolve():
        raise click.BadParameter(f"{folder} is the main observation store: a sharded round writes to a shard store "
                                 f"of its own (default {SHARDS_DATA}/K-of-N)", param_hint="'--data'")
    if (folder / MANIFEST).exists():
        try:
            present = Manifest.read(folder)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        if present != manifest:
            what = (f"shard {present.shard}" if present.shard != manifest.shard
                    else f"shard {present.shard} of a different registry")
            raise click.BadParameter(f"{folder} is the store of {what}; give each shard a folder of its own",
                                     param_hint="'--data'")
    elif folder.is_dir() and any(folder.glob("[0-9][0-9][0-9][0-9]/*.jsonl")):
        raise click.BadParameter(f"{folder} holds observations but no {MANIFEST}: a sharded round writes to a "
                                 f"shard store of its own (default {SHARDS_DATA}/K-of-N), never into the main store",
                                 param_hint="'--data'")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / MANIFEST, manifest.to_json())


@main.command("shard-plan")
@registry_option
@click.option("--entries-per-shard", default=200, show_default=True, type=click.IntRange(1),
              help="Entries one round job checks (sized so a job's round stays well inside its timeout).")
@click.option("--max-shards", default=ACTIONS_MATRIX_LIMIT, show_default=True,
              type=click.IntRange(1, ACTIONS_MATRIX_LIMIT), help="At most this many shards (Actions' matrix limit).")
def shard_plan_command(registry_path: str, entries_per_shard: int, max_shards: int) -> None:
    """Print the shards of a round as a JSON list ("1/N" ... "N/N"), for an Actions matrix.

    N is the registry's entries divided by --entries-per-shard, rounded up, at most --max-shards
    (a warning on stderr when the cap makes shards larger than asked)."""
    registry = _load_registry_or_exit(registry_path)
    entries = sum(1 for _ in registry.entries())
    count = shard_count(entries, entries_per_shard, max_shards)
    if count * entries_per_shard < entries:
        click.echo(f"warning: {entries} entries need more than {max_shards} shards of {entries_per_shard}; "
                   f"each shard checks about {-(-entries // count)}", err=True)
    click.echo(json.dumps([f"{k}/{count}" for k in range(1, count + 1)]))


@main.command("merge")
@data_option
@click.argument("shard_dirs", nargs=-1, required=True, type=click.Path(file_okay=False))
def merge_command(data_dir: str, shard_dirs: tuple[str, ...]) -> None:
    """Merge shard stores (written by `collector round --shard K/N`) into the observation store.

    Refuses (exit 2, nothing written) shard stores of different splits, the same shard twice,
    overlapping entries and conflicting observations; merging the same shards again adds nothing."""
    result = merge_shards(data_dir, [Path(d) for d in shard_dirs],
                          report=lambda message: click.echo(f"warning: {message}", err=True))
    if result.missing:
        count = result.shards[0].count
        click.echo("warning: shard(s) " + ", ".join(f"{k}/{count}" for k in result.missing)
                   + " missing: their entries have no observations from this round", err=True)
    click.echo(result.line())


@main.command("replay")
@registry_option
@data_option
@profile_option
@resolve_option
@private_option
@lookups_option
@transport_option
@click.option("--period", default=None, type=PERIOD, help="Quarter to replay, e.g. 2020Q2 (or use --from/--to).")
@click.option("--from", "start", default=None, type=DAY, help="First day (ISO date).")
@click.option("--to", "end", default=None, type=DAY, help="Last day (ISO date).")
@click.option("--frequent-per-day", default=20, show_default=True, type=click.IntRange(1, 1440),
              help="Reachability attempts per day (the indicator asks for 20 or more).")
@click.option("--background-per-day", default=None, type=click.IntRange(0, 1440),
              help="Attempts per day before the final monitoring week (default: same as --frequent-per-day).")
@click.option("--weekly-on-last-day-only", is_flag=True, help="Run the weekly (crawling) checks on the last day only.")
@click.option("--world-clock", default=None, metavar="URL",
              help="Demo world only: POST each round's time to this clock URL before the round.")
def replay_command(registry_path: str, data_dir: str, profile_path: str | None, resolve: tuple[str, ...],
                   allow_private_addresses: bool, whois_at: str | None, dns_at: str | None, transport: str,
                   period: Period | None, start: date | None, end: date | None,
                   frequent_per_day: int, background_per_day: int | None, weekly_on_last_day_only: bool,
                   world_clock: str | None) -> None:
    """Replay scheduled rounds over past days at simulated times (the demo world's clock follows)."""
    registry = _load_registry_or_exit(registry_path)
    _configure_lookups(whois_at, dns_at)
    first, last = _days(period, start, end)
    settings = _fetch_settings(resolve, transport, allow_private_addresses)
    plan = Schedule(frequent_per_day=frequent_per_day,
                    background_per_day=frequent_per_day if background_per_day is None else background_per_day,
                    weekly_on_last_day_only=weekly_on_last_day_only)
    summary = run_loop(_replay(registry, first, last, load_profile(profile_path), settings,
                                  _store(data_dir), plan, world_clock))
    click.echo(f"replay {first}..{last}: " + summary.line())


async def _replay(registry, first: date, last: date, profile, settings: FetchSettings, store: ObservationStore,
                  plan: Schedule, world_clock: str | None) -> RoundSummary:
    async with Fetcher(settings) as fetcher:
        async def set_world_clock(when: datetime) -> None:
            try:
                status = await fetcher.post_json(world_clock, {"now": when.isoformat()})  # type: ignore[arg-type]
            except (OSError, httpx.HTTPError) as exc:  # a refused address is an OSError too
                raise click.ClickException(f"the world clock at {world_clock} could not be reached: {exc}") from None
            if status != 200:
                raise click.ClickException(f"the world clock at {world_clock} answered HTTP {status}")

        with Progress() as progress:
            return await replay(registry, list(plan.rounds(first, last)), profile, fetcher, store,
                                before_round=set_world_clock if world_clock else None, progress=progress)


def _days(period: Period | None, start: date | None, end: date | None) -> tuple[date, date]:
    if period:
        return period.start, period.end
    if not (start and end):
        raise click.UsageError("give --period, or both --from and --to")
    if start > end:
        raise click.BadParameter(f"{start} is after --to {end}", param_hint="'--from'")
    return start, end


@main.command("summarize")
@registry_option
@data_option
@profile_option
@click.option("--period", required=True, type=PERIOD, help="Quarter, e.g. 2020Q2.")
@click.option("--as-of", "as_of", default=None, type=TIME,
              help="Summarise observations up to this time (default: end of period).")
@click.option("--circular-date", default=None, type=TIME,
              help="Date of the draft circular (default: the day of the latest observation summarised, so a "
                   "re-run on the same data writes the same draft).")
@click.option("--content", "content_dir", default="content", show_default=True, type=click.Path(file_okay=False))
def summarize_command(registry_path: str, data_dir: str, profile_path: str | None, period: Period,
                      as_of: datetime | None, circular_date: datetime | None, content_dir: str) -> None:
    """Write the period's data files into content/: scorecards, message statistics, the draft
    circular (never over a circular staff edited) and rectification status.

    Refuses (exit 2, nothing written) when the data folder has no observations of the period."""
    registry = _load_registry_or_exit(registry_path)
    when = as_of or period.end_time
    try:
        _summarize(registry, _store(data_dir), period, when, load_profile(profile_path),
                   Path(content_dir), circular_date, registry_path)
    except NoObservations as exc:
        demo = ObservationStore(DEMO_DATA)
        if Path(data_dir).resolve() != Path(DEMO_DATA).resolve() and any(demo.read(period.start, period.end)):
            raise NoObservations(exc.data_dir, period, when,
                                 f"the demo's observations of {period} are in {DEMO_DATA}: add --data {DEMO_DATA}") from None
        raise


def _summarize(registry, store: ObservationStore, period: Period, as_of: datetime, profile, content_dir: Path,
               circular_date: datetime | None, registry_path: str) -> None:
    office = load_office_settings(registry_path, registry)
    summary = summarize_period(registry, store, period, as_of, profile, content_dir, circular_date, office)
    if not office.source:
        summary.notices.append(f"{office_settings_path(registry_path)} does not exist: the draft circular has "
                               "blanks (【请填写：…】) for the office's own words (docs/circulars.md)")
    click.echo(f"summarize {period} as of {as_of.isoformat()}: {summary.line()}")
    for notice in summary.notices:
        click.echo(f"notice: {notice}")


@main.command("compact")
@data_option
@click.option("--before", default=None, type=DAY,
              help="Compact days before this date (default and latest: today, China time; today stays open).")
def compact_command(data_dir: str, before: date | None) -> None:
    """Turn closed days' JSONL into YYYY/YYYY-MM-DD.parquet (zstd), each read back before its JSONL
    is removed; summaries and rounds read both forms. A torn last line is repaired first."""
    store = _store(data_dir)
    done = compact(store, before, report=click.echo)
    click.echo(f"compacted {len(done)} day(s): {sum(d.jsonl_bytes for d in done)} bytes of JSONL -> "
               f"{sum(d.parquet_bytes for d in done)} bytes of Parquet")


@main.command("demo-run")
@profile_option
@transport_option
@click.option("--world", "world_name", default="lincang", show_default=True,
              type=click.Choice(["lincang", "cenzhou"]),
              help="Which demo world: lincang (临沧 2020Q2) or cenzhou (岑州 2021Q3, other CMS shapes).")
@click.option("--period", default=None, type=PERIOD, help="The demo quarter (default: the world's, 2020Q2 for lincang).")
@click.option("--registry", "registry_path", default=None,
              type=click.Path(exists=True, dir_okay=False),
              help="The demo world's registry (default: the world's, registry/lincang-demo.yaml for lincang).")
@click.option("--data", "data_dir", default=DEMO_DATA, show_default=True,
              type=click.Path(file_okay=False), help="Scratch observation store of the demo (rebuilt each run).")
@click.option("--content", "content_dir", default="content", show_default=True, type=click.Path(file_okay=False))
@click.option("--background-per-day", default=4, show_default=True, type=click.IntRange(0, 1440),
              help="Reachability attempts per simulated day before the final monitoring week (20 a day in it).")
@click.option("--circular-date", default=None, type=TIME,
              help="Date of the drafted circular (default: the world's; 2020-07-13, the seed circular's, for lincang).")
@click.option("--from", "first_day", default=None, type=DAY,
              help="Replay from this day only (a quick partial quarter).")
@click.option("--shards", default=2, show_default=True, type=click.IntRange(1, 16),
              help="Parallel replay processes, each with its own world.")
def demo_run_command(profile_path: str | None, transport: str, world_name: str, period: Period | None,
                     registry_path: str | None, data_dir: str, content_dir: str, background_per_day: int,
                     circular_date: datetime | None, first_day: date | None, shards: int) -> None:
    """Run the main job on a bundled demo world: replay the quarter, then write its summaries."""
    from collector.demo.worlds import WORLDS
    from collector.demo_run import DemoRun

    spec = WORLDS[world_name]
    period = period or Period.parse(spec.period)
    circular_date = circular_date or parse_time(spec.circular_date)
    registry_path = registry_path or spec.registry
    if not Path(registry_path).is_file():
        raise click.BadParameter(f"{registry_path} does not exist", param_hint="--registry")
    registry = _load_registry_or_exit(registry_path)
    p = period
    profile = load_profile(profile_path)
    if first_day and not p.start <= first_day <= p.end:
        raise click.BadParameter(f"{first_day} is not in {p}", param_hint="'--from'")
    plan = Schedule(frequent_per_day=20, background_per_day=background_per_day, weekly_on_last_day_only=True)
    run = DemoRun(registry, p, profile, Path(data_dir), plan, transport, shards, first_day or p.start,
                  world=world_name)
    click.echo(f"demo step 1/3: replaying {p} of the {world_name} world from {first_day or p.start} "
               f"over {shards} process(es) on 127.0.0.1", err=True)
    with Progress() as progress:
        summary = run.collect(progress)
    click.echo(f"collect {p}: " + summary.line())
    click.echo(f"demo step 2/3: summarising {p} into {content_dir}/ (scorecards, messages, circular, rectification)",
               err=True)
    _summarize(registry, _store(data_dir), p, p.end_time, profile, Path(content_dir), circular_date, registry_path)


main.add_command(demo)


if __name__ == "__main__":
    main()
