"""Read Go-style flags (`-name=value`, `-name`: one dash, long names) as argparse's `--name=value`.

The CLI is written in Go, whose flag package takes one or two dashes alike, and it passes flags that way (a
policy pack's runtime options become `-virtualenv=venv` arguments, analyzer_plugin.go). argparse reads a
single-dash word as a cluster of short flags, so `-virtualenv=venv` became `-v irtualenv=venv` and failed
("invalid int value", exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence


def normalize(argv: Sequence[str]) -> list[str]:
    """Rewrite single-dash long flags to double-dash; short flags (`-v=9`), `--x`, `-` and values stay.

    Args:
        argv: Arguments as the CLI passed them.

    Returns:
        The arguments with every `-name[=value]` whose name has two or more characters as `--name[=value]`.
    """
    out: list[str] = []
    for arg in argv:
        name = arg[1:].split("=", 1)[0]
        is_long_go_flag = arg.startswith("-") and not arg.startswith("--") and len(name) > 1
        out.append(f"-{arg}" if is_long_go_flag and not name[0].isdigit() else arg)
    return out
