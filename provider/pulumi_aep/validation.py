"""``check`` rules: every input validated before any API call; values unknown at preview are skipped."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Final

from pulumi.dynamic import CheckFailure
from pulumi.output import Unknown

from pulumi_aep.azure import check_container_name, check_https_url, parse_connection_string, parse_sas_uri
from pulumi_aep.errors import ValidationError
from pulumi_aep.model import AUTH_INPUTS, DEFAULT_SPEC_VERSION, SP_FIELDS, UNKNOWN
from pulumi_aep.sas import Clock, utc_now

MAX_NAME: Final = 256
MAX_DESCRIPTION: Final = 1024
MAX_FOLDER_PATH: Final = 1024
ACCOUNT_KINDS: Final = ("Storage", "StorageV2", "BlobStorage", "BlockBlobStorage")
#: Unicode categories no name or credential may contain: controls (Cc: newline, tab, NUL, C1), format
#: characters (Cf: bidi controls such as U+202E, zero-width U+200B, BOM), line and paragraph
#: separators (Zl U+2028, Zp U+2029) and lone surrogates (Cs).
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
INVISIBLE: Final = (
    "contains a control character or an invisible one (newline, tab, U+2028, bidi, zero-width, ...)"
)
# Matched with ``fullmatch`` and ASCII classes: ``$`` also matches before a final newline ("dev\n") and
# ``\d`` matches any Unicode digit (Arabic-Indic "1.0" would pass).
_SANDBOX: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,254}[a-z0-9])?")
_SPEC_VERSION: Final = re.compile(r"[0-9]+\.[0-9]+")
_SP_REQUIRED: Final = ("service_endpoint", "service_principal_id", "service_principal_key", "tenant")


def is_unknown(value: Any) -> bool:
    """True for a value unknown at preview, also when nested in a dict or list.

    The dynamic-provider server deserializes with ``keep_unknowns=True``, which yields
    ``pulumi.output.Unknown`` objects; older paths (and tests) pass the sentinel string.
    """
    if isinstance(value, Unknown) or value == UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(is_unknown(v) for v in value)
    return False


def normalize(news: Mapping[str, Any], default_sandbox: str) -> dict[str, Any]:
    """Apply defaults: ``sandbox_name`` from ``aep:sandboxName``, ``connection_spec_version`` "1.0"."""
    inputs = dict(news)
    if inputs.get("sandbox_name") is None:
        inputs["sandbox_name"] = default_sandbox
    if inputs.get("connection_spec_version") is None:
        inputs["connection_spec_version"] = DEFAULT_SPEC_VERSION
    return inputs


def check_inputs(inputs: Mapping[str, Any], now: Clock = utc_now) -> list[CheckFailure]:
    """Every rule, each failure naming its property and how to fix it (never quoting a secret).

    Args:
        inputs: the normalized inputs.
        now: the clock SAS expiries are compared with.
    """
    failures = [CheckFailure(p, r) for p, r in _auth_choice(inputs)]
    for prop, rule in _RULES.items():
        value = inputs.get(prop)
        if value is None or (is_unknown(value) and prop != "service_principal"):
            continue
        try:
            rule(value, prop, now)
        except ValidationError as exc:
            failures.append(CheckFailure(exc.property, exc.reason))
    if inputs.get("name") is None:
        failures.append(
            CheckFailure("name", "is required: pass name= or leave it out to name it after the resource")
        )
    return failures


def _auth_choice(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    present = [k for k in AUTH_INPUTS if inputs.get(k) is not None]
    if len(present) == 1:
        return []
    choices = ", ".join(AUTH_INPUTS)
    if not present:
        return [("connection_string", f"set exactly one of {choices}; none is set")]
    return [(present[1], f"set exactly one of {choices}; found {' and '.join(present)}")]


Rule = Callable[[Any, str, Clock], None]
"""A check of one input: ``rule(value, property, clock)`` raises ``ValidationError``."""


def check_visible(value: str, prop: str) -> None:
    """Raise when ``value`` holds a control or invisible character (the position is named, not the text)."""
    for index, char in enumerate(value):
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            raise ValidationError(prop, f"{INVISIBLE} at position {index + 1} (U+{ord(char):04X}); remove it")


def check_text(value: Any, prop: str, *, limit: int, required: bool) -> None:
    """Raise unless ``value`` is a string of at most ``limit`` visible characters (not blank if required)."""
    if not isinstance(value, str):
        raise ValidationError(prop, "must be a string")
    if required and not value.strip():
        raise ValidationError(prop, "must not be empty or blank")
    if len(value) > limit:
        raise ValidationError(prop, f"is {len(value)} characters long; the limit is {limit}")
    check_visible(value, prop)


def _text(limit: int, required: bool) -> Rule:
    def rule(value: Any, prop: str, _now: Clock) -> None:
        check_text(value, prop, limit=limit, required=required)

    return rule


def _secret_string(value: Any, prop: str) -> str:
    """A credential string, judged exactly as it will be sent (nothing stripped)."""
    if not isinstance(value, str):
        raise ValidationError(prop, "must be a string")
    check_visible(value, prop)
    if value.strip() and value != value.strip():
        raise ValidationError(prop, "starts or ends with a space; remove it (the value is sent as written)")
    return value


def _connection_string(value: Any, prop: str, now: Clock) -> None:
    parse_connection_string(_secret_string(value, prop), prop, now)


def _sas_uri(value: Any, prop: str, now: Clock) -> None:
    parse_sas_uri(_secret_string(value, prop), prop, now)


def _container(value: Any, prop: str, _now: Clock) -> None:
    if not isinstance(value, str):
        raise ValidationError(prop, "must be a string")
    check_container_name(value, prop)


def _folder_path(value: Any, prop: str, now: Clock) -> None:
    _text(MAX_FOLDER_PATH, required=False)(value, prop, now)
    if "\\" in value:
        raise ValidationError(prop, "use '/' as the separator, not '\\'")


def check_sandbox_name(value: Any, prop: str) -> None:
    """Raise unless ``value`` looks like a sandbox's name (lowercase letters, digits and hyphens)."""
    if not isinstance(value, str) or not _SANDBOX.fullmatch(value):
        raise ValidationError(
            prop, "must be an existing sandbox's name: lowercase letters, digits and hyphens (e.g. 'prod')"
        )


def _sandbox(value: Any, prop: str, _now: Clock) -> None:
    check_sandbox_name(value, prop)


def _spec_version(value: Any, prop: str, _now: Clock) -> None:
    if not isinstance(value, str) or not _SPEC_VERSION.fullmatch(value):
        raise ValidationError(prop, 'must be a version string such as "1.0"')


def _boolean(value: Any, prop: str, _now: Clock) -> None:
    if not isinstance(value, bool):
        raise ValidationError(prop, "must be true or false")


def _uuid(value: Any, prop: str, _now: Clock) -> None:
    # Only the canonical form: uuid.UUID() also reads "{...}", "urn:uuid:..." and upper case, which
    # the API (and the id compared with on read) never uses.
    try:
        canonical = isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        canonical = False
    if not canonical:
        raise ValidationError(
            prop,
            "must be a connection id in canonical form (lowercase UUID such as "
            "4cb0c374-d3bb-4557-b139-5712880adc55, no braces or urn:uuid: prefix)",
        )


def _service_principal(value: Any, prop: str, now: Clock) -> None:
    if is_unknown(value) and not isinstance(value, Mapping):
        return
    if not isinstance(value, Mapping):
        raise ValidationError(prop, f"must be an object with {', '.join(SP_FIELDS)}")
    unknown_fields = sorted(set(value) - set(SP_FIELDS))
    if unknown_fields:
        raise ValidationError(
            f"{prop}.{unknown_fields[0]}", f"unknown field; allowed: {', '.join(SP_FIELDS)}"
        )
    for field in _SP_REQUIRED:
        if value.get(field) is None:
            raise ValidationError(f"{prop}.{field}", "is required for service principal authentication")
    for field, rule in _SP_RULES.items():
        if value.get(field) is not None and not is_unknown(value[field]):
            rule(value[field], f"{prop}.{field}", now)


def _account_kind(value: Any, prop: str, _now: Clock) -> None:
    if value not in ACCOUNT_KINDS:
        raise ValidationError(prop, f"must be one of {', '.join(ACCOUNT_KINDS)}")


def _endpoint(value: Any, prop: str, _now: Clock) -> None:
    check_https_url(_secret_string(value, prop), prop)


def _sp_key(value: Any, prop: str, _now: Clock) -> None:
    if not _secret_string(value, prop).strip():
        raise ValidationError(prop, "must not be empty: use the application's client secret value")


_SP_RULES: Final[dict[str, Rule]] = {
    "service_endpoint": _endpoint,
    "service_principal_id": _text(128, required=True),
    "service_principal_key": _sp_key,
    "tenant": _text(256, required=True),
    "account_kind": _account_kind,
}

_RULES: Final[dict[str, Rule]] = {
    "name": _text(MAX_NAME, required=True),
    "description": _text(MAX_DESCRIPTION, required=False),
    "connection_string": _connection_string,
    "sas_uri": _sas_uri,
    "service_principal": _service_principal,
    "container": _container,
    "folder_path": _folder_path,
    "sandbox_name": _sandbox,
    "connection_spec_version": _spec_version,
    "verify": _boolean,
    "adopt_existing_id": _uuid,
}
