"""One module per check. Importing this package registers them all (see base.register)."""
from collector.checks import (  # noqa: F401
    base,
)
