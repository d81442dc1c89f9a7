"""The build cache as untrusted input: sealed with a secret key where others can write it.

A build keeps pickles (cached scorecards and list rows), compiled templates and records of the
pages it wrote (`incremental`), and the scheduled workflow carries them, with the last output,
from one run to the next through the Actions cache. Any job that runs on the default branch can
write that cache, the test job included, with every third-party package it installs. Unpickling
or loading compiled templates from it would run whatever such a job put there, in the job that
commits to the repository and publishes the site; and a page taken from the last output by its
size alone could be any page of that size.

So where the cache travels, every cache file is sealed: written with an HMAC-SHA256 of its name
and bytes under a key only the publishing job holds (the GOVCENSUS_CACHE_KEY secret), and read
only when the seal holds, before a byte of it is parsed. A file taken over from the last output
(`incremental.recover`) must then also hold the bytes its sealed record names, not just their
size. A file that fails is not used: the build does that work again, never a wrong one.

Three modes, from the environment (never from Pelican's settings, which pages may show):
- GOVCENSUS_CACHE_KEY set: seal what is written, trust only what carries a good seal;
- GOVCENSUS_CACHE_SEALED=1 without a key: trust no cache file and take nothing from the last
  output (a workflow whose secret is not configured builds everything, as a fresh clone does);
- neither (a build on one's own machine, whose cache only the build writes): as before, unsealed.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

from govcensus_data.atomic import write_atomic

KEY_ENV = "GOVCENSUS_CACHE_KEY"
REQUIRED_ENV = "GOVCENSUS_CACHE_SEALED"
MAGIC = b"govcensus-sealed/1\n"
_MAC_LENGTH = 64  # hex digits of an HMAC-SHA256


@dataclass(frozen=True)
class Seal:
    """How this build treats its cache: `key` seals and checks; `required` without a key trusts nothing."""

    key: bytes | None = None
    required: bool = False

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> "Seal":
        environ = os.environ if environ is None else environ
        key = environ.get(KEY_ENV, "")
        return cls(key.encode("utf-8") if key else None, bool(key) or environ.get(REQUIRED_ENV, "") not in ("", "0"))

    @property
    def trusts_sizes(self) -> bool:
        """Whether a file of the last output may be taken by its recorded size alone (an unsealed build)."""
        return not self.required

    @property
    def trusts_nothing(self) -> bool:
        """Sealing is required but there is no key to check a seal with: no cache file is read."""
        return self.required and self.key is None

    def mac(self, name: str, data: bytes) -> bytes:
        assert self.key is not None
        return hmac.new(self.key, name.encode("utf-8") + b"\0" + data, hashlib.sha256).hexdigest().encode("ascii")

    def wrap(self, name: str, data: bytes) -> bytes:
        """What is written for `data` under the file name `name`: sealed when there is a key."""
        if self.key is None:
            return data
        return MAGIC + self.mac(name, data) + b"\n" + data

    def unwrap(self, name: str, stored: bytes) -> bytes | None:
        """The bytes `stored` under the file name `name` carries, or None when they are not to be trusted."""
        head = len(MAGIC) + _MAC_LENGTH
        sealed = stored.startswith(MAGIC) and stored[head:head + 1] == b"\n"
        mac, data = (stored[len(MAGIC):head], stored[head + 1:]) if sealed else (b"", stored)
        if not self.required:
            return data  # a build that trusts its cache reads a sealed file as any other (unchecked)
        if self.key is None or not sealed or not hmac.compare_digest(mac, self.mac(name, data)):
            return None
        return data


def current() -> Seal:
    """The seal of this build (read from the environment each time: the workflow sets it per step)."""
    return Seal.from_environment()


def unlink_symlinks(directory: str | Path) -> None:
    """Where the cache must be sealed, remove every symbolic link in it (the folder itself included):
    a restored cache could otherwise point the build's own writes (records, compiled templates) at
    another folder, the output or the repository."""
    if not current().required:
        return
    folder = Path(directory)
    # The folder, or the .build-cache folder it lies in (what the workflow restores), elsewhere: not ours.
    for path in [folder, *([folder.parent] if folder.parent.name == ".build-cache" else [])]:
        if path.is_symlink():
            path.unlink()
            return
    for root, dirs, files in os.walk(folder):  # os.walk does not follow links to folders (nor fails on none)
        for name in dirs + files:
            path = Path(root) / name
            if path.is_symlink():
                path.unlink()


def read_cache_file(path: str | Path) -> bytes | None:
    """A cache file's bytes when it is there and may be trusted (see `Seal`); else None."""
    seal = current()
    if seal.trusts_nothing:
        return None
    try:
        stored = Path(path).read_bytes()
    except OSError:
        return None
    return seal.unwrap(Path(path).name, stored)


def write_cache_file(path: str | Path, data: str | bytes) -> None:
    """Write a cache file atomically, sealed when the build has a key."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic(path, current().wrap(Path(path).name, payload))


class SealedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates kept between builds as every other cache file is: a compiled
    template is code, loaded only from a file whose seal holds (when the build seals its cache)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        stored = read_cache_file(self._get_cache_filename(bucket))
        if stored is not None:
            bucket.load_bytecode(io.BytesIO(stored))  # a bucket of another Jinja or template is dropped

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = io.BytesIO()
        bucket.write_bytecode(code)
        try:
            write_cache_file(self._get_cache_filename(bucket), code.getvalue())
        except OSError:  # a cache we cannot write only means the template is compiled next build too
            pass
