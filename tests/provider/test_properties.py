"""Property-based tests: the connection-string parser and the diff logic."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulumi_aep.azure import parse_connection_string
from pulumi_aep.diffing import REPLACING, UPDATABLE, diff_props
from pulumi_aep.errors import ValidationError
from pulumi_aep.model import UNKNOWN

account_names = st.from_regex(r"\A[a-z0-9]{3,24}\Z")
# Azure account keys are always 64 bytes; other lengths are rejected (see the property below).
keys = st.binary(min_size=64, max_size=64).map(lambda b: base64.b64encode(b).decode())
suffixes = st.sampled_from(["core.windows.net", "core.chinacloudapi.cn", "core.usgovcloudapi.net"])


def _recase(draw: st.DrawFn, key: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(key), max_size=len(key)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(key, flips, strict=True))


@st.composite
def connection_strings(draw: st.DrawFn) -> tuple[str, str, str, str]:
    account, key, suffix = draw(account_names), draw(keys), draw(suffixes)
    pairs = [
        ("DefaultEndpointsProtocol", "https"),
        ("AccountName", account),
        ("AccountKey", key),
        ("EndpointSuffix", suffix),
    ]
    pairs = draw(st.permutations(pairs))
    text = ";".join(f"{_recase(draw, k)}={v}" for k, v in pairs)
    if draw(st.booleans()):
        text += ";"
    return text, account, key, suffix


@given(connection_strings())
def test_valid_strings_parse_in_any_order_and_case(case: tuple[str, str, str, str]) -> None:
    text, account, _, suffix = case
    parsed = parse_connection_string(text)
    assert parsed.account_name == account
    assert parsed.blob_endpoint == f"https://{account}.blob.{suffix}"
    assert parsed.uses_account_key


@given(st.text(max_size=200))
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        parse_connection_string(text)
    except ValidationError as exc:
        error: ValidationError | None = exc
    else:
        error = None
    assert error is None or error.property == "connection_string"


@given(connection_strings(), st.integers(min_value=0, max_value=3), st.sampled_from(["drop", "corrupt"]))
def test_key_never_echoed_when_broken(case: tuple[str, str, str, str], index: int, how: str) -> None:
    text, _, key, _ = case
    segments = [s for s in text.split(";") if s]
    if how == "drop":
        segments[index] = segments[index].split("=", 1)[1] or "x"
    else:
        segments[index] = segments[index] + "*!"
    broken = ";".join(segments)
    try:
        parse_connection_string(broken)
        message = ""
    except ValidationError as exc:
        message = str(exc)
    assert key.rstrip("=") not in message


values = st.one_of(st.none(), st.text(max_size=8), st.just(UNKNOWN))
prop_maps = st.fixed_dictionaries(
    {
        "name": st.text(min_size=1, max_size=8),
        "description": values,
        "connection_string": st.text(min_size=1, max_size=8),
        "container": values,
        "folder_path": values,
        "sandbox_name": st.sampled_from(["prod", "dev"]),
        "connection_spec_version": st.sampled_from(["1.0", "2.0"]),
        "__provider": st.text(max_size=8),
    }
)


@given(prop_maps)
def test_same_props_never_diff(props: dict[str, Any]) -> None:
    known = {k: v for k, v in props.items() if v != UNKNOWN}
    result = diff_props(known, dict(known))
    assert result.changes is False
    assert result.replaces == []


@given(prop_maps, st.text(max_size=8))
def test_provider_never_causes_a_diff(props: dict[str, Any], new_provider: str) -> None:
    known = {k: v for k, v in props.items() if v != UNKNOWN}
    assert diff_props(known, dict(known, __provider=new_provider)).changes is False


@settings(max_examples=200)
@given(prop_maps, prop_maps)
def test_replaces_are_changed_replacing_keys(olds: dict[str, Any], news: dict[str, Any]) -> None:
    result = diff_props(olds, news)
    differs = {k for k in (*UPDATABLE, *REPLACING) if olds.get(k) != news.get(k) or news.get(k) == UNKNOWN}
    assert result.changes is (None if differs else False)
    assert set(result.replaces or []) == differs & set(REPLACING)


@given(
    account=account_names,
    key=st.binary(min_size=1, max_size=128).filter(lambda b: len(b) != 64),
    suffix=suffixes,
)
def test_keys_of_the_wrong_length_are_rejected_for_azure(account: str, key: bytes, suffix: str) -> None:
    encoded = base64.b64encode(key).decode()
    text = (
        f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={encoded};EndpointSuffix={suffix}"
    )
    with pytest.raises(ValidationError, match=rf"AccountKey decodes to {len(key)} bytes") as info:
        parse_connection_string(text)
    assert encoded not in str(info.value)


@given(key=st.binary(min_size=1, max_size=128))
def test_loopback_endpoints_take_keys_of_any_length(key: bytes) -> None:
    encoded = base64.b64encode(key).decode()
    text = (
        f"DefaultEndpointsProtocol=http;AccountName=acct1;AccountKey={encoded};"
        "BlobEndpoint=http://127.0.0.1:10000/acct1"
    )
    assert parse_connection_string(text).account_name == "acct1"
