"""The build cache: pages whose inputs did not change are not rendered, unchanged bytes are not written.

Every page the plugin writes has a key: a hash of the content hashes of the data files the page
shows (or of the rows a list shows); the build as a whole has a fingerprint (settings, theme
templates, the plugin's own code). A page whose key matches the one recorded by the previous build
of the same fingerprint, and whose output file is still there with the size we wrote, is skipped
without rendering. A page that is rendered is compared with the file on disk by
hash and only written when its bytes differ (atomically), so its mtime says when it really changed.
Pages the previous build wrote and this one no longer writes (a pagination page that is gone, a
scorecard that was removed) are deleted, so the sitemap never lists a stale page.

The cache lives outside the output directory (it is not part of the published site) in
`<output's parent>/.build-cache/<output's name>/`, or where GOVCENSUS_BUILD_CACHE says.

A build that starts from an empty output directory (the publishing build deletes it first, so no
stale file is ever published) can still skip its unchanged pages: GOVCENSUS_LAST_OUTPUT names a
copy of the last build's output (the scheduled workflow restores it with the build cache), and an
up-to-date page, or open-data file, missing from the output is taken from there (`recover`) instead
of being made again.

Where the cache travels through a store others can write (the Actions cache), every file of it is
sealed with a key and the last output's files must hold the bytes their sealed records name
(`seal`): nothing is unpickled, loaded as a template or published on the word of such a store.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import pickle
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from govcensus_site import seal

logger = logging.getLogger(__name__)

CACHE_VERSION = 2
PAGES_FILE = "pages.json"


def digest(*parts: str | bytes) -> str:
    """A short content hash of the parts, in order (blake2b: fast and in the standard library)."""
    joined = b"\0".join(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass") for part in parts)
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def tree_digest(paths: Iterable[Path], root: Path | None = None) -> str:
    """One hash of several files' names and contents (templates, source code)."""
    parts: list[str | bytes] = []
    for path in sorted(paths):
        parts += [str(path.relative_to(root)) if root else path.name, path.read_bytes()]
    return digest(*parts)


#: Settings that say how a build runs, not what it writes: changing them keeps the cache.
HOW_NOT_WHAT = frozenset({"GOVCENSUS_BUILD_WORKERS", "GOVCENSUS_BUILD_CACHE", "GOVCENSUS_LAST_OUTPUT"})


def settings_digest(settings: dict[str, Any]) -> str:
    """Pelican settings as stable text: plain values only (functions and classes have no stable text,
    and their code is covered by the code fingerprint), without those in HOW_NOT_WHAT."""
    def plain(value: Any) -> Any:
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        return f"<{type(value).__name__}>"
    return digest(json.dumps({k: plain(v) for k, v in sorted(settings.items())
                              if k.isupper() and k not in HOW_NOT_WHAT},
                             ensure_ascii=False, sort_keys=True))


def last_output(settings: dict[str, Any]) -> Path | None:
    """The copy of the last build's output a build may take unchanged files from (GOVCENSUS_LAST_OUTPUT)."""
    configured = settings.get("GOVCENSUS_LAST_OUTPUT")
    return Path(configured) if configured else None


def recover(target: Path, last: Path | None, relative: str, size: int | None,
            holds: Callable[[bytes], bool] | None = None) -> bool:
    """Put the last build's file `relative` at `target` when it is there with the recorded size (a
    record without one takes nothing) as a hard link, else a copy; False when there is nothing to take.

    Where the cache is sealed (`seal`: the last output came through a cache others can write), a
    file is taken only when `holds` says it has the bytes the sealed record names.
    """
    if last is None:
        return False
    source = Path(sanitised_join(str(last), relative))  # never outside the last output
    found = file_size(source)
    if found is None or found != size or source.is_symlink():
        return False
    if not seal.current().trusts_sizes and (holds is None or not _holds_bytes(source, holds)):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError:  # another file system, or links not allowed: a copy
        shutil.copyfile(source, target)
    return True


def _holds_bytes(path: Path, holds: Callable[[bytes], bool]) -> bool:
    try:
        return holds(path.read_bytes())
    except OSError:
        return False


def read_pickle(path: Path, stamp: dict[str, Any], name: str) -> dict:
    """The dict `name` of a build-cache pickle written under `stamp` (its version, fingerprint …);
    {} when it is missing, damaged, written by other code or under another stamp: the build then does
    the work again, never a wrong one."""
    stored = seal.read_cache_file(path)  # checked before a byte of it is unpickled
    if stored is None:
        return {}
    try:
        data = pickle.loads(stored)
    except Exception as exc:  # damaged, or written by other code
        logger.info("build cache %s not used: %s", path, exc)
        return {}
    if (not isinstance(data, dict) or any(data.get(k) != v for k, v in stamp.items())
            or not isinstance(data.get(name), dict)):
        return {}
    return data[name]


def write_pickle(path: Path, stamp: dict[str, Any], name: str, value: dict) -> None:
    """What read_pickle(path, stamp, name) gives back, written atomically (and sealed: `seal`)."""
    seal.write_cache_file(path, pickle.dumps({**stamp, name: value}, protocol=pickle.HIGHEST_PROTOCOL))


class PickledDict:
    """A dict kept between builds as a main pickle and a small pickle of what changed since.

    Rewriting a national build's whole cache (15,000 scorecards, 40,000 list rows) for the 1 % a
    rebuild changed costs more than that rebuild's own work on them; the changes file is folded
    into the main one once it holds `fold_share` of the entries.
    """

    def __init__(self, main: Path, changes: Path, stamp: dict[str, Any], name: str, fold_share: float = 0.2):
        self.main, self.changes_path, self.stamp, self.name, self.fold_share = main, changes, stamp, name, fold_share
        self.changes: dict = {}  # key -> value, or None for a key removed since the main file

    def load(self) -> dict:
        """The main file's dict with the changes applied ({} when there is no main file to apply them to)."""
        entries = read_pickle(self.main, self.stamp, self.name)
        self.changes = read_pickle(self.changes_path, self.stamp, self.name) if entries else {}
        for key, value in self.changes.items():
            if value is None:
                entries.pop(key, None)
            else:
                entries[key] = value
        return entries

    def save(self, entries: dict, changed: dict, also: dict | None = None) -> None:
        """Record `entries`, of which `changed` (key -> value, None for a key removed) is new since
        `load`: in the changes file while it stays small, else all of them in the main file. `also`
        are changes worth writing only beside other ones (losing them costs little). A cache we cannot
        write only makes the next build slower."""
        changes = {**self.changes, **changed}
        small = self.fold_share * len(entries)
        try:
            if self.main.is_file() and len(changes) < small:
                extra = also if also and len(changes) + len(also) < small else {}
                if changed or extra:
                    write_pickle(self.changes_path, self.stamp, self.name, {**changes, **extra})
            elif changed or not self.main.is_file():
                self.main.parent.mkdir(parents=True, exist_ok=True)
                write_pickle(self.main, self.stamp, self.name, entries)
                self.changes_path.unlink(missing_ok=True)
        except OSError as exc:
            logger.warning("could not write the build cache %s: %s", self.main, exc)


def cache_dir(settings: dict[str, Any]) -> Path:
    configured = settings.get("GOVCENSUS_BUILD_CACHE")
    if configured:
        return Path(configured)
    output = Path(settings["OUTPUT_PATH"]).resolve()
    return output.parent / ".build-cache" / output.name


class PageCache:
    """Pages of the last build by output path: their key and the size and hash of what was written."""

    def __init__(self, directory: Path, output: Path, fingerprint: str, last: Path | None = None):
        self.path = directory / PAGES_FILE
        self.output = output
        self.last = last
        self._output = str(output)
        self.fingerprint = fingerprint
        self.trusts_sizes = seal.current().trusts_sizes
        self.previous: dict[str, dict[str, Any]] = self._load()
        self.pages: dict[str, dict[str, Any]] = {}
        self.stats = {"rendered": 0, "written": 0, "unchanged": 0, "skipped": 0, "removed": 0}
        self.rendered: set[str] = set()
        #: Stale pages waiting to be rendered (save_as, key, render), while deferring (see `stale`).
        self.queue: list[tuple[str, str | None, Callable[[], str]]] | None = None

    def _load(self) -> dict[str, dict[str, Any]]:
        stored = seal.read_cache_file(self.path)
        try:
            data = json.loads(stored) if stored is not None else None
        except ValueError:
            data = None
        if data is None:
            return {}  # no cache, a damaged one or one not to be trusted: a full build, never a wrong one
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or not isinstance(data.get("pages"), dict):
            return {}
        if data.get("fingerprint") != self.fingerprint:
            # Settings, templates or code changed: every page is stale, but the list of pages the
            # last build wrote still tells which ones to remove if they are not written again.
            return {save_as: {} for save_as in data["pages"]}
        return data["pages"]

    def page(self, save_as: str, key: str | None, render: Callable[[], str]) -> None:
        """Write `save_as` unless its key matches the last build's (then not even render it).

        `key` None: the page's inputs are not tracked (it shows articles or the profile), so it is
        rendered every time and only its bytes decide whether it is written.
        """
        if not self.fresh(save_as, key):
            self.stale(save_as, key, render)

    def stale(self, save_as: str, key: str | None, render: Callable[[], str]) -> None:
        """Render and write a page known to be out of date: now, or, while `queue` is a list, later
        (the generator renders the queue over worker processes: a rebuild's few hundred pages)."""
        if self.queue is None:
            self.write(save_as, key, render())
        else:
            self.queue.append((save_as, key, render))

    def fresh(self, save_as: str, key: str | None) -> bool:
        """True (and the page is kept as it is) when the last build wrote it from the same inputs."""
        if key is None:
            return False
        last = self.previous.get(save_as)
        if not last or last.get("key") != key:
            return False
        target = os.path.join(self._output, save_as)
        here = file_size(target)
        holds = lambda data: digest(data) == last.get("hash")  # noqa: E731
        if here == last.get("size"):
            # A sealed build starts from an empty output (the workflow moves the last one aside), so
            # this only reads a page when it did not: one left there is checked as a recovered one is.
            kept = self.trusts_sizes or _holds_bytes(Path(target), holds)
        else:
            kept = here is None and recover(Path(target), self.last, save_as, last.get("size"), holds=holds)
        if kept:
            self.pages[save_as] = last
            self.stats["skipped"] += 1
            return True
        return False

    def write(self, save_as: str, key: str | None, text: str) -> None:
        """Record a rendered page; write it only if its bytes differ from the file's."""
        data = text.encode("utf-8")
        target = Path(sanitised_join(self._output, save_as))  # never outside the output directory
        self.stats["rendered"] += 1
        self.rendered.add(save_as)
        new_hash = digest(data)
        if file_size(target) == len(data) and self._holds(save_as, target, len(data), new_hash):
            self.stats["unchanged"] += 1  # same bytes: leave the file (and its mtime) alone
        else:
            replace_file(target, data)
            self.stats["written"] += 1
        self.pages[save_as] = {"key": key, "size": len(data), "hash": new_hash}

    def _holds(self, save_as: str, target: Path, size: int, new_hash: str) -> bool:
        """Whether the file, already found to be `size` bytes, holds these bytes: the last build's
        record of what it wrote says so without reading it, as `fresh` trusts it."""
        last = self.previous.get(save_as)
        if last and last.get("size") == size and last.get("hash"):
            return last["hash"] == new_hash
        return digest(target.read_bytes()) == new_hash

    def merge(self, pages: dict[str, dict[str, Any]], stats: dict[str, int]) -> None:
        """Take in what a worker process wrote."""
        self.pages.update(pages)
        self.rendered.update(pages)
        for name, n in stats.items():
            self.stats[name] += n

    def finish(self) -> None:
        """Remove pages the last build wrote and this one did not; record this build."""
        for save_as in sorted(set(self.previous) - set(self.pages)):
            target = self.output / save_as
            if target.is_file():
                target.unlink()
                self.stats["removed"] += 1
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"version": CACHE_VERSION, "fingerprint": self.fingerprint, "pages": self.pages,
                           "last_build": self.stats,
                           "rendered": sorted(self.rendered)},
                          ensure_ascii=False, sort_keys=True)
        seal.write_cache_file(self.path, body)
        logger.info("govcensus pages: %(rendered)d rendered (%(written)d written, %(unchanged)d unchanged), "
                    "%(skipped)d up to date, %(removed)d removed", self.stats)


_MADE_FOLDERS: set[str] = set()


def replace_file(path: Path, data: bytes) -> None:
    """Temp file + rename: a reader (or a crash) sees the old page or the new one, never half of one.

    No fsync per page: pages are rebuilt from the data files, and 15,000 fsyncs would dominate the build.
    The temp file is named after the page and this process (only one process writes a given page), so
    no random name is drawn per page; folders made once are not made again.
    """
    folder = str(path.parent)
    if folder not in _MADE_FOLDERS:
        path.parent.mkdir(parents=True, exist_ok=True)
        _MADE_FOLDERS.add(folder)
    tmp = os.path.join(folder, f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    except FileNotFoundError:  # the folder was removed since it was made
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_size(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def _last_build(output: str | Path) -> dict[str, Any]:
    stored = seal.read_cache_file(cache_dir({"OUTPUT_PATH": str(output)}) / PAGES_FILE)
    if stored is None:
        raise FileNotFoundError(f"no build record to trust for {output}")
    return json.loads(stored)


def last_build_stats(output: str | Path) -> dict[str, int]:
    """What the last build into `output` did with its pages: rendered, written, unchanged, skipped, removed."""
    return _last_build(output)["last_build"]


def last_rendered(output: str | Path) -> set[str]:
    """The pages the last build into `output` rendered (the others were up to date)."""
    return set(_last_build(output)["rendered"])


class _WriteIfChanged(io.StringIO):
    """What Pelican's writer writes into, put on disk on close only when the bytes differ."""

    def __init__(self, path: str, encoding: str):
        super().__init__()
        self.path = Path(path)
        self.target_encoding = encoding

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue().encode(self.target_encoding)
            if not (file_size(self.path) == len(data) and self.path.read_bytes() == data):
                replace_file(self.path, data)
        super().close()


class UnchangedFilesWriter(Writer):
    """Pelican's writer (articles, pages, feeds) with our rule: a file whose bytes did not change is
    not rewritten, so its mtime (and a deploy's diff) says what really changed."""

    def _open_w(self, filename, encoding, override=False):
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already written to it '
                                           "previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _WriteIfChanged(filename, encoding)
