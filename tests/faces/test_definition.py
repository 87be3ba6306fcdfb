"""Everything that names a property derives from (or is checked against) the definitions.

The Python classes are generated from them (``pulumi_aep.classgen``); these tests check the classes
themselves, at runtime, against ``pulumi_aep.definition`` and the pipeline definitions: names, types,
required fields, defaults, secret fields, descriptions.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import textwrap
import typing
from collections.abc import Mapping
from types import GenericAlias
from typing import Any

import pulumi
import pytest

import pulumi_aep
import pulumi_aep.native
from pulumi_aep import model, sdk_runtime
from pulumi_aep.config import ENV_FALLBACKS, ProviderConfig
from pulumi_aep.definition import (
    AZURE_BLOB_CONNECTION,
    CONFIG,
    SERVICE_PRINCIPAL,
    TYPES,
    Prop,
    camel,
    inputs,
)
from pulumi_aep.pipeline_core import DEFINITIONS
from pulumi_aep.schema import schema

INPUTS = [p.name for p in inputs()]
RECORDED = [p.name for p in AZURE_BLOB_CONNECTION if p.recorded]
ALL = [p.name for p in AZURE_BLOB_CONNECTION]
#: A definition's scalar type -> its Python type (the one fact the tests state on their own).
PY: dict[str, type] = {"string": str, "boolean": bool, "integer": int, "number": float}
#: ``pulumi.Input`` and ``pulumi.Output``, subscripted with types computed at runtime.
INPUT: Any = pulumi.Input
OUTPUT: Any = pulumi.Output


def test_model_property_lists_are_the_definitions() -> None:
    assert RECORDED == ["org_id"]
    assert list(model.INPUT_KEYS) == INPUTS + RECORDED
    assert set(model.OUTPUT_ONLY_KEYS) == set(ALL) - set(INPUTS) - set(RECORDED)
    assert {p.name: p.camel for p in SERVICE_PRINCIPAL} == model.SP_FIELDS
    assert sdk_runtime.SECRET_OUTPUTS == ["connection_string", "sas_uri", "service_principal"]


def test_args_classes_have_exactly_the_definitions_inputs() -> None:
    assert {f.name for f in dataclasses.fields(pulumi_aep.AzureBlobConnectionArgs)} == set(INPUTS)
    assert set(pulumi_aep.AzureBlobConnectionArgsDict.__annotations__) == set(INPUTS)
    sp_fields = {f.name for f in dataclasses.fields(pulumi_aep.ServicePrincipalArgs)}
    assert sp_fields == {p.name for p in SERVICE_PRINCIPAL}
    assert set(pulumi_aep.ServicePrincipalArgsDict.__annotations__) == sp_fields


def _hints(obj: Any) -> dict[str, Any]:
    """``obj``'s annotations evaluated as Pulumi's runtime does (``pulumi._types``): ``pulumi.Input[X]``
    holds the forward reference ``Output[T]``, which does not follow ``X`` (its ``X`` and
    ``Awaitable[X]`` do)."""
    return typing.get_type_hints(obj, localns={"Output": pulumi.Output, "T": type(None)})


def _resolved(annotation: Any) -> Any:
    """``annotation`` with its forward references evaluated, to compare with :func:`_hints`."""
    return _hints(type("Holder", (), {"__annotations__": {"x": annotation}}))["x"]


def _input(prop: Prop, *, dict_form: bool = False) -> Any:
    """The type an Args field (or ArgsDict key) must have for ``prop``."""
    if prop.type in TYPES:
        sp = pulumi_aep.ServicePrincipalArgs
        return sp | (pulumi_aep.ServicePrincipalArgsDict if dict_form else Mapping[str, Any])
    return INPUT[PY[prop.type]]


def _output(kind: str, always: bool, items: str | None = None) -> Any:
    """The type a resource attribute must have for a property of type ``kind``."""
    if kind in TYPES or kind == "object":
        value: Any = dict[str, Any]
    elif kind == "array":
        value = GenericAlias(list, (PY[items or "string"],))
    else:
        value = PY[kind]
    return OUTPUT[value] if always else OUTPUT[value | None]


@pytest.mark.parametrize(
    ("args", "props"),
    [(pulumi_aep.AzureBlobConnectionArgs, inputs()), (pulumi_aep.ServicePrincipalArgs, SERVICE_PRINCIPAL)],
    ids=["connection", "service-principal"],
)
def test_args_fields_have_the_definitions_types_defaults_and_secrets(
    args: Any, props: tuple[Prop, ...]
) -> None:
    hints = _hints(args)
    fields = {f.name: f for f in dataclasses.fields(args)}
    for prop in props:
        expected = _input(prop)
        assert hints[prop.name] == _resolved(expected if prop.required else expected | None), prop.name
        required = fields[prop.name].default is dataclasses.MISSING
        assert required == prop.required, prop.name
        assert required or fields[prop.name].default is None, prop.name
    assert {p.name for p in props if p.secret} == args.SECRETS


@pytest.mark.parametrize(
    ("typed_dict", "props"),
    [
        (pulumi_aep.AzureBlobConnectionArgsDict, inputs()),
        (pulumi_aep.ServicePrincipalArgsDict, SERVICE_PRINCIPAL),
    ],
    ids=["connection", "service-principal"],
)
def test_args_dicts_have_the_definitions_types(typed_dict: Any, props: tuple[Prop, ...]) -> None:
    hints = _hints(typed_dict)
    assert hints == {p.name: _resolved(_input(p, dict_form=True)) for p in props}
    assert typed_dict.__total__ is False


def test_positional_arguments_keep_the_released_order() -> None:
    # Stable API: a dataclass's positional arguments are its field order (AUTH_PROPS first).
    released = [
        "connection_string",
        "sas_uri",
        "service_principal",
        "name",
        "description",
        "container",
        "folder_path",
        "sandbox_name",
        "connection_spec_version",
        "verify",
        "adopt_existing_id",
    ]
    assert [f.name for f in dataclasses.fields(pulumi_aep.AzureBlobConnectionArgs)] == released
    assert pulumi_aep.AzureBlobConnectionArgs("cs").connection_string == "cs"


def test_every_secret_input_is_masked_in_the_repr() -> None:
    # Each secret of the definition, one at a time, in both Args classes and in a dict of the object.
    for prop in inputs():
        if not prop.secret or prop.type in TYPES:
            continue
        given: dict[str, Any] = {prop.name: "plaintext-sentinel"}
        text = repr(pulumi_aep.AzureBlobConnectionArgs(**given))
        assert "plaintext-sentinel" not in text, prop.name
    principal = {p.name: f"sentinel-{p.name}" for p in SERVICE_PRINCIPAL}
    for value in (principal, pulumi_aep.ServicePrincipalArgs(**principal)):
        text = repr(pulumi_aep.AzureBlobConnectionArgs(service_principal=value))
        for field in SERVICE_PRINCIPAL:
            assert (f"sentinel-{field.name}" in text) is not field.secret, (field.name, text)


def _class_docs(cls: type) -> dict[str, str]:
    """The attribute docstrings of ``cls`` (the string statement after each annotated name)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for stmt, following in itertools.pairwise(body):
        named = isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
        if named and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
            docs[stmt.target.id] = str(following.value.value)
    return docs


def _words(text: str) -> str:
    return " ".join(text.replace("`", "").split())


def _documented(cls: type, descriptions: Mapping[str, str]) -> None:
    docs = _class_docs(cls)
    for name, description in descriptions.items():
        assert name in docs, (cls, name)
        assert _words(description) in _words(docs[name]), (cls, name)


CONNECTION_CLASSES = (pulumi_aep.AzureBlobConnection, pulumi_aep.native.AzureBlobConnection)


def test_every_field_and_attribute_carries_the_definitions_description() -> None:
    input_docs = {p.name: p.description for p in inputs()}
    _documented(pulumi_aep.AzureBlobConnectionArgs, input_docs)
    _documented(pulumi_aep.AzureBlobConnectionArgsDict, input_docs)
    sp_docs = {p.name: p.description for p in SERVICE_PRINCIPAL}
    _documented(pulumi_aep.ServicePrincipalArgs, sp_docs)
    _documented(pulumi_aep.ServicePrincipalArgsDict, sp_docs)
    for connection in CONNECTION_CLASSES:
        _documented(connection, {p.name: p.description for p in AZURE_BLOB_CONNECTION if not p.create_only})
    for resource in PIPELINE_CLASSES:
        definition = DEFINITIONS[resource.__name__]
        docs = {p.name: p.description for p in definition.inputs}
        docs.update({o.name: o.description for o in definition.outputs})
        _documented(resource, docs)


def test_both_resources_expose_every_property_as_a_typed_output() -> None:
    expected = {
        p.name: _output(p.type, p.always_output, p.items) for p in AZURE_BLOB_CONNECTION if not p.create_only
    }
    # ``adopt_existing_id`` is create-only: an input, deliberately not an attribute.
    assert set(expected) == set(ALL) - {"adopt_existing_id"}
    for cls in CONNECTION_CLASSES:
        assert inspect.get_annotations(cls, eval_str=True) == expected, cls


PIPELINE_CLASSES = (
    pulumi_aep.AzureBlobSourceConnection,
    pulumi_aep.Dataset,
    pulumi_aep.DataLakeTargetConnection,
    pulumi_aep.Dataflow,
)


@pytest.mark.parametrize("cls", PIPELINE_CLASSES, ids=lambda c: c.__name__)
def test_pipeline_resources_type_every_input_and_output(cls: Any) -> None:
    definition = DEFINITIONS[cls.__name__]
    attributes = inspect.get_annotations(cls, eval_str=True)
    assert attributes == {
        **{p.name: _output(p.type, definition.always_output(p.name)) for p in definition.inputs},
        **{o.name: _output(o.type, o.always_output) for o in definition.outputs},
    }
    params = inspect.signature(cls.__init__).parameters
    keywords = {n: p for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert list(keywords) == list(definition.input_names)
    hints = _hints(cls.__init__)
    for prop in definition.inputs:
        value: Any = Mapping[str, Any] if prop.type == "object" else PY[prop.type]
        assert hints[prop.name] == _resolved(INPUT[value] | None), prop.name
        assert keywords[prop.name].default is None
    assert definition.name == cls.PROVIDER.RESOURCE


def test_pipeline_always_outputs_are_the_ones_always_set() -> None:
    dataflow = DEFINITIONS["Dataflow"]
    assert dataflow.always_output("enabled")  # a default
    assert dataflow.always_output("sandbox_name")  # aep:sandboxName
    assert dataflow.always_output("schedule")  # required
    assert not dataflow.always_output("mapping_id")
    assert not dataflow.always_output("last_run_status")  # no run yet
    assert dataflow.always_output("flow_id")


def test_config_keys_are_the_ones_provider_config_reads() -> None:
    names = [k.name for k in CONFIG]
    seen: list[str] = []

    class Recorder:
        def get(self, key: str) -> None:
            seen.append(key.removeprefix("aep:"))

    ProviderConfig.from_pulumi_config(Recorder(), environ={})
    assert sorted(seen) == sorted(names)
    assert set(ENV_FALLBACKS) <= set(names)
    secret_fields = {f.name for f in dataclasses.fields(ProviderConfig) if not f.repr}
    assert {k.name for k in CONFIG if k.secret} == {camel(f) for f in secret_fields}


def test_schema_names_are_camel_case_of_the_definition() -> None:
    doc = schema()
    resource_schema = doc["resources"]["aep:index:AzureBlobConnection"]
    assert list(resource_schema["inputProperties"]) == [camel(n) for n in INPUTS]
    assert {"connectionString", "sasUri", "servicePrincipal", "folderPath", "sandboxName"} <= set(
        resource_schema["inputProperties"]
    )
    assert {"connectionId", "etag", "state"} <= set(resource_schema["properties"])
    assert doc["config"]["variables"]["clientSecret"]["secret"] is True
    assert doc["config"]["variables"]["orgId"]["defaultInfo"] == {"environment": ["AEP_ORG_ID"]}
    assert resource_schema["properties"]["createdAt"]["type"] == "integer"
    assert doc["provider"]["inputProperties"] == doc["config"]["variables"]
