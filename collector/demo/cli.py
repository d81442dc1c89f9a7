"""`collector demo …`: serve the demo world, write its registry.

    python -m collector.demo.cli serve --port 8123 --now 2020-06-30T09:00:00+08:00
    python -m collector.demo.cli write-registry registry/lincang-demo.yaml
"""
from __future__ import annotations

import asyncio
import signal
from datetime import datetime
from pathlib import Path

import click

from collector.demo import server
from collector.demo.world import DEFAULT_NOW, build_world
from govcensus_data.atomic import write_atomic


@click.group()
def demo() -> None:
    """The demo world: Lincang's sites, accounts and message platforms in 2020 Q2, on loopback."""


@demo.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=0, show_default=True, help="Port; 0 picks a free one (see --port-file).")
@click.option("--port-file", type=click.Path(dir_okay=False), default=None,
              help="Write the bound port here once listening.")
@click.option("--now", default=DEFAULT_NOW.isoformat(), show_default=True,
              help="The world clock to start with (ISO time with offset); POST control.world.test/clock moves it.")
def serve_command(host: str, port: int, port_file: str | None, now: str) -> None:
    """Serve every host of the world on one port until SIGTERM or SIGINT.

    Reach it like `curl --resolve`: connect to HOST:PORT and send the site's name as Host,
    e.g. `curl -H 'Host: www.lincang.gov.cn' http://127.0.0.1:PORT/`.
    """
    clock = server.WorldClock()
    try:
        clock.set(datetime.fromisoformat(now))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from None
    asyncio.run(_serve(host, port, port_file, clock))


async def _serve(host: str, port: int, port_file: str | None, clock: server.WorldClock) -> None:
    world = build_world()
    runner, bound = await server.start(world, clock, host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if port_file:
        write_atomic(Path(port_file), f"{bound}\n")
    click.echo(f"demo world on http://{host}:{bound}/ (world clock {clock.now.isoformat()})", err=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


@demo.command("write-registry")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--world", "world_name", default="lincang", show_default=True, type=click.Choice(["lincang", "cenzhou"]),
              help="Which demo world's registry.")
def write_registry_command(path: str, world_name: str) -> None:
    """Write the registry of a demo world (YAML) to PATH."""
    from collector.demo.worlds import WORLDS

    registry = (build_world() if world_name == "lincang" else WORLDS[world_name].world()).registry()
    option = "" if world_name == "lincang" else f" --world {world_name}"
    header = f"# The demo world's registry, written by `collector demo write-registry{option}`; edit the world, not this file.\n"
    write_atomic(Path(path), header + registry.to_yaml())
    click.echo(f"wrote {path}: {len(registry.websites)} websites, {len(registry.columns)} columns, "
               f"{len(registry.accounts)} accounts, {len(registry.message_platforms)} message platforms")


if __name__ == "__main__":
    demo()
