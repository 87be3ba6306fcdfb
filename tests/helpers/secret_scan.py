"""What the secret scans look for and how: the values one run used, searched in any text it produced."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

#: How Go's encoding/json writes these characters (the engine's -v=9 logs are JSON lines).
_GO_JSON_ESCAPES: Final = {"&": "\\u0026", "<": "\\u003c", ">": "\\u003e"}


def forms(value: str) -> set[str]:
    """``value`` as it may appear in a text: as is, and JSON-escaped the way Python and Go write it."""
    escaped = json.dumps(value)[1:-1]
    go = "".join(_GO_JSON_ESCAPES.get(c, c) for c in escaped)
    return {value, escaped, go}


def leaks(text: str, secrets: Mapping[str, str]) -> list[str]:
    """Names of the secrets whose value occurs in ``text`` (in any of its ``forms``)."""
    return sorted(
        name for name, value in secrets.items() if value and any(form in text for form in forms(value))
    )


def issued_tokens(server: Any) -> dict[str, str]:
    """Every live access token the in-process emulator ``server`` issued (``EmulatorServer``), by name."""
    return {
        f"issued access token {n}": str(token["access_token"])
        for n, token in enumerate(server.emulator.tokens.dump())
    }
