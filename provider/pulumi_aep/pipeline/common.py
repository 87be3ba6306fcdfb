"""The inputs every pipeline resource has: name, description, sandbox."""

from __future__ import annotations

from functools import partial

from pulumi_aep.pipeline.definition import Property
from pulumi_aep.validation import MAX_DESCRIPTION, MAX_NAME, check_sandbox_name, check_text


def name(kind: str) -> Property:
    """``name``: changed in place."""
    return Property(
        "name",
        "string",
        f"The {kind}'s name in Experience Platform (at most {MAX_NAME} characters). Without one: "
        "`<resource name>-<7 hex digits>`, chosen once and kept.",
        required=True,
        required_hint="pass name= or leave it out to name it after the resource",
        rule=partial(check_text, limit=MAX_NAME, required=True),
    )


def description(kind: str) -> Property:
    """``description``: changed in place."""
    return Property(
        "description",
        "string",
        f"A description of the {kind} (at most {MAX_DESCRIPTION} characters).",
        rule=partial(check_text, limit=MAX_DESCRIPTION, required=False),
    )


#: The sandbox the resource lives in; defaults to ``aep:sandboxName``; a change replaces.
SANDBOX_NAME = Property(
    "sandbox_name",
    "string",
    "The sandbox the resource lives in (defaults to aep:sandboxName); changing it creates a new resource.",
    replaces=True,
    rule=check_sandbox_name,
)
