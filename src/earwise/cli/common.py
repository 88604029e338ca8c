"""The Typer app, settings read once at the edge, shared options, error mapping and output."""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from earwise.core.errors import EarwiseError
from earwise.core.jsonsafe import json_safe

app = typer.Typer(
    help="earwise: a headphone advisor that computes its answers and shows its reasons.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
catalog_app = typer.Typer(
    help="The catalog: counts, export, rebuild, measured features.", no_args_is_help=True
)
measurements_app = typer.Typer(
    help="The measurement library: index it into the store.", no_args_is_help=True
)
app.add_typer(catalog_app, name="catalog")
app.add_typer(measurements_app, name="measurements")

_APP = None


def earwise_app():
    """The application object for this run: settings read from the environment once per
    command; an object built for the same settings is reused (its view follows the store)."""
    global _APP
    from earwise.service.app import Earwise
    from earwise.service.settings import Settings

    settings = Settings.from_env()
    if _APP is None or _APP.settings != settings:
        _APP = Earwise(settings, notice=lambda line: sys.stderr.write(line + "\n"))
    return _APP


def reset_app() -> None:
    """Forget the application object (a test that needs a cold start)."""
    global _APP
    _APP = None


def console():
    from rich.console import Console

    return Console(soft_wrap=False, width=120)


class _Out:
    """``out.print`` on a rich console created on first use (rich is imported lazily)."""

    _console = None

    def print(self, *args, **kwargs) -> None:
        if self._console is None:
            self._console = console()
        self._console.print(*args, **kwargs)


out = _Out()


def escape(text: str) -> str:
    """Text shown verbatim inside rich markup (catalog names may contain '[')."""
    return text.replace("[", "\\[")


def fail(message: str) -> None:
    """One readable line on stderr, exit code 2."""
    sys.stderr.write("error: " + " ".join(str(message).split()) + "\n")
    raise typer.Exit(2)


def option_for(fn, field: str | None) -> str | None:
    """The command-line option of ``fn`` that sets ``field`` ("--budget"), or None."""
    import typing

    if not field:
        return None
    try:
        hint = typing.get_type_hints(fn, include_extras=True).get(field)
    except Exception:  # noqa: BLE001 - a hint that does not resolve: no option named
        return None
    for meta in getattr(hint, "__metadata__", ()):
        if isinstance(meta, typer.models.OptionInfo):
            decls = [d.split("/")[0] for d in (meta.param_decls or ()) if d.startswith("--")]
            return decls[0] if decls else "--" + field.replace("_", "-")
    return None


def with_option(message: str, flag: str | None) -> str:
    """The service speaks of fields ("budget"); on the command line, name the option too."""
    return message if flag is None or flag in message else f"{message} ({flag})"


def user_errors(fn):
    """Expected errors -> one ``error:`` line and exit code 2; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except EarwiseError as exc:
            fail(with_option(str(exc), option_for(fn, exc.field)))
        except typer.Exit:
            raise
        except MemoryError:
            fail("out of memory: the input is too large")
        except Exception as exc:  # noqa: BLE001 - last resort: a line, not a traceback
            sys.stderr.write(
                f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())}\n"
            )
            raise typer.Exit(1) from None

    return wrapper


def emit_json(data) -> None:
    """Strict JSON on stdout (never ``Infinity`` or ``NaN``: those become null)."""
    sys.stdout.write(
        json.dumps(json_safe(data), indent=2, ensure_ascii=False, default=str, allow_nan=False)
        + "\n"
    )


def read_input(path: Path, field: str = "file") -> str:
    """A user's input file: regular files only, capped, never blocking."""
    from earwise.core.files import read_text_capped

    return read_text_capped(path, field=field)


def write_output(path: Path, data: bytes | str, field: str = "output") -> None:
    """Atomic write (temporary file, fsync, rename): a failure leaves any old file intact."""
    from earwise.core.files import atomic_write_bytes

    atomic_write_bytes(path, data.encode("utf-8") if isinstance(data, str) else data, field)


def print_points(good: list[str], bad: list[str], indent: str, bad_mark: str) -> None:
    """Reasons/pros as green '+', warnings/cons with ``bad_mark``."""
    for line in good:
        out.print(f"{indent}[green]+[/green] {line}", highlight=False)
    for line in bad:
        out.print(f"{indent}{bad_mark} {line}", highlight=False)


def note_names(result) -> None:
    """Near matches are never silent: one ``note:`` line each on stderr (JSON stays clean)."""
    for line in getattr(result, "name_notes", None) or []:
        sys.stderr.write(f"note: {line}\n")


def print_assumptions(lines: list[str]) -> None:
    for line in lines:
        out.print(f"[dim]assumed: {line}[/dim]", highlight=False)


def print_drive(d: dict) -> None:
    if d.get("reachable_peak_db_spl") is not None:
        out.print(
            f"  peak reachable {d['reachable_peak_db_spl']:.1f} dB SPL, needed {d['needed_peak_db_spl']:.1f} "
            f"({d['why_needed']}), headroom {d['headroom_db']:+.1f} dB, {d['limited_by']}-limited",
            highlight=False,
        )
        out.print(f"  needs {_load_line(d)}", highlight=False)
    out.print(f"  [bold]{d['verdict']}[/bold]", highlight=False)


def _load_line(d: dict) -> str:
    if d.get("needed_mw") is None:  # impedance unknown: the voltage is all there is
        return f"{d['needed_vrms']:.3f} Vrms at the peaks"
    shift = d.get("zout_fr_deviation_db")
    return (
        f"{d['needed_vrms']:.3f} Vrms = {d['needed_mw']:g} mW = {d['needed_ma']:g} mA at the peaks; "
        f"output impedance costs {d['zout_level_loss_db']:+.2f} dB"
        + (f", shifts the response {shift:+.2f} dB" if shift is not None else "")
    )


# --- shared options ---------------------------------------------------------------------

AsJson = Annotated[bool, typer.Option("--json", help="print JSON")]
Genre = Annotated[
    list[str], typer.Option("--genre", "-g", help="GENRE[:SHARE], repeatable (e.g. rock:20)")
]
Use = Annotated[
    list[str],
    typer.Option(
        "--use",
        "-u",
        help="place or use, repeatable (home, shared-office, commute, plane, library, gym, gaming, studio-mixing, calls, ...)",
    ),
]
Platform = Annotated[
    list[str],
    typer.Option(
        "--platform",
        "-p",
        help="pc, mac, ps5, xbox, switch, iphone, android, steam-deck; repeatable",
    ),
]
Budget = Annotated[str | None, typer.Option("--budget", help="budget in USD (1-100,000)")]
Level = Annotated[
    str, typer.Option(help="listening level: quiet (70), normal (80), loud (90) or dB SPL (40-115)")
]
Genres = Annotated[
    list[str],
    typer.Option("--genre", "-g", help="genre(s): the largest crest factor sets the peaks"),
]


try:  # typer >= 0.20 vendors click; older typer depends on it
    from typer._click.exceptions import UsageError as _UsageError
except ImportError:  # pragma: no cover - depends on the installed typer
    from click.exceptions import UsageError as _UsageError


def _command_name(info) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def _only(first: list[str]) -> typer.Typer:
    """The app with only the command being run, when the first argument names one: Typer
    builds every command's options on each start (~30 ms for all twenty); help, unknown
    commands and options get the whole app, so their output is unchanged."""
    if not first or first[0].startswith("-"):
        return app
    name = first[0]
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    one = typer.Typer(
        help=app.info.help, no_args_is_help=True, add_completion=False,
        pretty_exceptions_enable=False,
    )  # fmt: skip
    one.registered_commands, one.registered_groups = commands, groups
    one.callback()(_group)  # a callback keeps it a group, so 'earwise NAME ...' parses as before
    return one


def _group() -> None:
    """earwise: a headphone advisor that computes its answers and shows its reasons."""


def main() -> None:
    """Entry point: usage errors (bad option, bad value) become one ``error:`` line, exit 2."""
    # earwise uses no pydantic plugins; discovering them scans every installed package's
    # metadata on the first model build (~15 ms of each start). An explicit setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        code = typer.main.get_command(_only(sys.argv[1:2]))(standalone_mode=False)
    except _UsageError as exc:
        message = " ".join(exc.format_message().split())
        if message:  # (no arguments at all: the help was printed, nothing more to say)
            sys.stderr.write(f"error: {message} (see --help)\n")
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("error: aborted\n")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
