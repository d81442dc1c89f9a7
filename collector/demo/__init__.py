"""The demo world: Lincang's government sites, accounts and message platforms in 2020 Q2, served
on one loopback port (see docs/demo-world.md). `build_world()` models it, `running_world()` serves it.
"""
