"""Azure shared access signatures: query parameters, ``se``/``st`` times and the expiry rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final
from urllib.parse import parse_qs

from pulumi_aep.errors import ValidationError

#: Supplies "now" to the expiry rule; tests inject a fixed time instead of waiting for one.
Clock = Callable[[], datetime]

#: The ISO 8601 forms Azure accepts for ``se``/``st`` (date, or date-time to the minute or second,
#: optionally with a fraction), in UTC. ASCII digits only: ``\d`` would also take Arabic-Indic digits.
_SAS_TIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,7})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_SAS_FIX: Final = "generate a new SAS with an expiry (se) in the future, e.g. se=2030-01-31T00:00:00Z"


def utc_now() -> datetime:
    """The real clock (the default :data:`Clock`)."""
    return datetime.now(UTC)


def sas_params(token: str) -> dict[str, str]:
    """The query parameters of a SAS token (with or without a leading ``?``), first value of each."""
    parsed = parse_qs(token.lstrip("?"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items() if values}


def parse_sas_time(value: str) -> datetime | None:
    """Parse a SAS ``st``/``se`` value (ISO 8601 date or date-time, UTC when no offset); ``None`` if unreadable."""
    if not _SAS_TIME.fullmatch(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:  # well-formed but impossible, e.g. month 13
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_sas_token(token: str, prop: str, what: str, now: Clock = utc_now) -> None:
    """A SAS token carries a signature and a readable expiry that has not passed.

    Args:
        token: the query string (``sv=...&se=...&sig=...``), with or without ``?``.
        prop: the property to name in the failure.
        what: how the message names the token ("the SAS URI", "SharedAccessSignature").
        now: the clock the expiry is compared with.

    Raises:
        ValidationError: naming what is missing, unreadable or expired, never quoting the token.
    """
    params = sas_params(token)
    missing = [p for p in ("sig", "se") if not params.get(p)]
    if missing:
        names = " and ".join(f"'{p}'" for p in missing)
        raise ValidationError(
            prop, f"{what} has no {names} query parameter; generate a complete SAS URI with an expiry"
        )
    expiry = parse_sas_time(params["se"])
    if expiry is None:
        raise ValidationError(prop, f"{what} has an expiry (se) that is not an ISO 8601 UTC time; {_SAS_FIX}")
    if expiry <= now():
        raise ValidationError(prop, f"{what} expired on {expiry:%Y-%m-%d %H:%M} UTC; {_SAS_FIX}")
