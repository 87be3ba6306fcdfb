"""Value rules of the pipeline inputs: ids, schema refs, source paths, delimiters, enumerations."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from pulumi_aep.errors import ValidationError
from pulumi_aep.pipeline.definition import Rule, as_integer
from pulumi_aep.validation import MAX_FOLDER_PATH, MAX_NAME, check_text

#: Flow Service ids are lowercase UUIDs (§1 "Id formats").
_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
#: Catalog dataset ids: 24 lowercase hex characters (§1, §8.2).
_DATASET_ID: Final = re.compile(r"[0-9a-f]{24}")
#: Data Prep mapping set ids: 32 lowercase hex characters, no dashes (§1, §8.3).
_MAPPING_ID: Final = re.compile(r"[0-9a-f]{32}")
#: An XDM schema ``$id`` (§8.1): https://ns.adobe.com/{TENANT_ID}/schemas/<hex>.
_SCHEMA_ID: Final = re.compile(r"https://ns\.adobe\.com/[A-Za-z0-9_-]+/schemas/[0-9a-f]{16,64}")
#: ``data.schema.version`` spellings in Adobe's examples (§4.1, §13 question 7).
_SCHEMA_VERSION: Final = re.compile(
    r"(?:application/vnd\.adobe\.xed(?:-full)?(?:-notext)?\+json; ?version=[0-9]+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
)
_LINE_BREAKS: Final = frozenset("\n\r")


def flow_service_id(what: str) -> Rule:
    """A rule for the id of a Flow Service entity (``what`` names it in the message)."""

    def rule(value: Any, prop: str) -> None:
        if not _UUID.fullmatch(str(value)):
            raise ValidationError(
                prop, f"must be {what} id: a lowercase UUID such as 26b53912-1005-49f0-b539-12100559f0e2"
            )

    return rule


def flow_spec_name(value: Any, prop: str) -> None:
    """A flow spec's name, looked up exactly as written (§5.1): not blank, no edge spaces, not an id."""
    check_text(value, prop, limit=MAX_NAME, required=True)
    if value != value.strip():
        raise ValidationError(
            prop, "starts or ends with a space; remove it (the spec is looked up by its exact name)"
        )
    if _UUID.fullmatch(value.lower()):
        raise ValidationError(
            prop,
            "is a flow spec id, not a name: set flow_spec_id to it and flow_spec_name to the spec's name "
            "(e.g. CloudStorageToAEP), or remove both for CloudStorageToAEP",
        )


def dataset_id(value: Any, prop: str) -> None:
    if not _DATASET_ID.fullmatch(str(value)):
        raise ValidationError(
            prop,
            "must be a Catalog dataset id: 24 lowercase hex characters such as 5f3c3cedb2805c194ff0b69a "
            "(a Dataset's dataset_id output)",
        )


def mapping_id(value: Any, prop: str) -> None:
    if not _MAPPING_ID.fullmatch(str(value)):
        raise ValidationError(
            prop,
            "must be a Data Prep mapping set id: 32 lowercase hex characters such as "
            "bf5286a9c1ad4266baca76ba3adc9366",
        )


def schema_id(value: Any, prop: str) -> None:
    if not _SCHEMA_ID.fullmatch(str(value)):
        raise ValidationError(
            prop,
            "must be an XDM schema's $id, such as https://ns.adobe.com/{TENANT_ID}/schemas/"
            "995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4 (not its meta:altId or title)",
        )


def schema_version(value: Any, prop: str) -> None:
    if not _SCHEMA_VERSION.fullmatch(str(value)):
        raise ValidationError(
            prop,
            'must be a schema version such as "application/vnd.adobe.xed-full+json;version=1" '
            '(the latest minor version) or "1.0"',
        )


def one_of(choices: Sequence[str]) -> Rule:
    """A rule accepting exactly one of ``choices`` (a case slip gets the right spelling suggested)."""

    def rule(value: Any, prop: str) -> None:
        if value in choices:
            return
        hint = next((c for c in choices if str(value).lower() == c.lower()), None)
        suffix = f"; did you mean {hint!r}?" if hint else ""
        raise ValidationError(prop, f"must be one of {', '.join(choices)}{suffix}")

    return rule


def non_negative(value: Any, prop: str) -> None:
    number = as_integer(value)
    if number is not None and number < 0:
        raise ValidationError(prop, "must be 0 or more")


def column_delimiter(value: Any, prop: str) -> None:
    """One character, tab included (SRCERR 1331: "cannot be more than one character")."""
    if len(value) != 1:
        raise ValidationError(
            prop, f"must be exactly one character (got {len(value)}), e.g. ',' ';' '|' or a tab '\\t'"
        )
    if value in _LINE_BREAKS:
        raise ValidationError(prop, "cannot be a line break: rows are separated by line breaks")


def source_path(value: Any, prop: str) -> None:
    """A file, a folder (trailing '/') or a file-name wildcard inside the container (§3.1)."""
    check_text(value, prop, limit=MAX_FOLDER_PATH, required=True)
    if not value.startswith("/"):
        raise ValidationError(prop, "must start with '/', e.g. /acme/summerCampaign/*.csv")
    if "\\" in value:
        raise ValidationError(prop, "use '/' as the separator, not '\\'")
    segments = value.strip("/").split("/")
    if value != "/" and any(s in ("", ".", "..") for s in segments):
        raise ValidationError(prop, "must not contain empty, '.' or '..' segments")
    if any("*" in s for s in segments[:-1]) or (value.endswith("/") and "*" in segments[-1]):
        raise ValidationError(
            prop, "wildcards ('*') are documented only in the file name, e.g. /acme/summerCampaign/*.csv"
        )


def has_wildcard(path: str) -> bool:
    return "*" in path


def is_folder_path(path: str) -> bool:
    """True when the path reads a folder or a wildcard (``params.type`` "folder"), not one file."""
    return path.endswith("/") or has_wildcard(path)
