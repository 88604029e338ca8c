"""earwise command line: thin Typer commands that parse, call the service layer and render.

Importing this package stays cheap (no numpy, scipy, FastAPI): each command imports the
service it calls when it runs, so ``earwise --help`` starts fast.
"""

from earwise.cli import catalog_cmds as _catalog_cmds  # noqa: F401
from earwise.cli import commands as _commands  # noqa: F401  (registers the commands)
from earwise.cli import gear as _gear  # noqa: F401
from earwise.cli import sound as _sound  # noqa: F401
from earwise.cli.common import app, main

__all__ = ["app", "main"]
