"""A pipeline resource as data: its properties, and the generic check and diff that read them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pulumi.dynamic import CheckFailure

from pulumi_aep.diffing import changed
from pulumi_aep.errors import ValidationError
from pulumi_aep.validation import is_unknown

PropertyType = Literal["string", "integer", "boolean", "object"]
#: A value rule: raises ``ValidationError(prop, reason)`` for a bad (known, not None) value.
Rule = Callable[[Any, str], None]
Props = Mapping[str, Any]


@dataclass(frozen=True)
class Property:
    """One input of a resource, in the snake_case spelling of the dynamic face."""

    name: str
    type: PropertyType
    description: str
    #: Missing -> a check failure that says how to set it (``required_hint``).
    required: bool = False
    #: A change creates a new resource instead of patching this one.
    replaces: bool = False
    secret: bool = False
    #: Applied by ``with_defaults`` when the input is missing.
    default: str | int | bool | None = None
    required_hint: str = ""
    #: Runs after the type check, on known values only.
    rule: Rule | None = field(default=None, compare=False, repr=False)
    #: The fields of an ``object`` property (the schedule), for schema generation.
    fields: tuple[Property, ...] = ()


@dataclass(frozen=True)
class Output:
    """One output-only property (set from the API's answers)."""

    name: str
    type: PropertyType
    description: str
    secret: bool = False
    #: Reported for every resource (``Output[T]`` in the Python classes); False when the API may
    #: not have it (e.g. a flow that never ran has no last run): ``Output[T | None]``.
    always_output: bool = True


@dataclass(frozen=True)
class ResourceDefinition:
    """A resource's name, inputs and output-only properties, defined once for both faces."""

    name: str
    description: str
    inputs: tuple[Property, ...]
    outputs: tuple[Output, ...]

    def input(self, name: str) -> Property:
        """The input called ``name`` (KeyError if there is none)."""
        for prop in self.inputs:
            if prop.name == name:
                return prop
        raise KeyError(name)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.inputs)

    def always_output(self, name: str) -> bool:
        """Whether the input or output ``name`` is always in the outputs: an output the API always
        reports, or an input that is required, has a default, or is the sandbox (``with_defaults``)."""
        for output in self.outputs:
            if output.name == name:
                return output.always_output
        prop = self.input(name)
        return prop.required or prop.default is not None or prop.name == "sandbox_name"

    @property
    def replacing(self) -> tuple[str, ...]:
        """Inputs whose change replaces the resource."""
        return tuple(p.name for p in self.inputs if p.replaces)

    @property
    def updatable(self) -> tuple[str, ...]:
        """Inputs changed in place."""
        return tuple(p.name for p in self.inputs if not p.replaces)

    def normalize(self, news: Props, default_sandbox: str) -> dict[str, Any]:
        """Defaults applied (see :func:`with_defaults`); a resource with more defaults wraps this."""
        return with_defaults(self, news, default_sandbox)

    def check(self, inputs: Props) -> list[CheckFailure]:
        """Every property's rule, each failure naming its property (see :func:`check_properties`)."""
        return check_properties(self, inputs)

    def diff(self, olds: Props, news: Props) -> tuple[list[str], list[str]]:
        """``(changed keys, replaces)`` between old outputs and new normalized inputs."""
        return diff_properties(self, olds, news)


def with_defaults(definition: ResourceDefinition, news: Props, default_sandbox: str) -> dict[str, Any]:
    """Inputs with each missing property's default; ``sandbox_name`` defaults to ``aep:sandboxName``."""
    inputs = dict(news)
    for prop in definition.inputs:
        if inputs.get(prop.name) is None and prop.default is not None:
            inputs[prop.name] = prop.default
    if "sandbox_name" in definition.input_names and inputs.get("sandbox_name") is None:
        inputs["sandbox_name"] = default_sandbox
    return inputs


def check_properties(definition: ResourceDefinition, inputs: Props) -> list[CheckFailure]:
    """Required inputs present, and each known value of the right type and passing its rule.

    Values unknown at preview (``is_unknown``) are skipped; ``None`` means "not set".
    """
    failures: list[CheckFailure] = []
    for prop in definition.inputs:
        value = inputs.get(prop.name)
        if value is None:
            if prop.required:
                failures.append(CheckFailure(prop.name, f"is required: {prop.required_hint}"))
            continue
        if is_unknown(value) and prop.type != "object":
            continue
        try:
            _check_type(prop, value)
            if prop.rule is not None:
                prop.rule(value, prop.name)
        except ValidationError as exc:
            failures.append(CheckFailure(exc.property, exc.reason))
    return failures


def _check_type(prop: Property, value: Any) -> None:
    if prop.type == "string" and not isinstance(value, str):
        raise ValidationError(prop.name, "must be a string")
    if prop.type == "boolean" and not isinstance(value, bool):
        raise ValidationError(prop.name, "must be true or false")
    if prop.type == "integer" and as_integer(value) is None:
        raise ValidationError(prop.name, "must be a whole number")
    if prop.type == "object" and not isinstance(value, Mapping) and not is_unknown(value):
        raise ValidationError(prop.name, "must be an object")


def as_integer(value: Any) -> int | None:
    """``value`` as an int when it is a whole number (JSON numbers may arrive as floats), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def changed_keys(definition: ResourceDefinition, olds: Props, news: Props) -> list[str]:
    """Inputs whose value differs (a value unknown in ``news`` counts as changed), in definition order."""
    return [p.name for p in definition.inputs if changed(olds.get(p.name), news.get(p.name))]


def diff_properties(definition: ResourceDefinition, olds: Props, news: Props) -> tuple[list[str], list[str]]:
    """``(changed keys, replaces)``: the changed inputs, and those of them that force a replacement."""
    keys = changed_keys(definition, olds, news)
    replacing = set(definition.replacing)
    return keys, [k for k in keys if k in replacing]
