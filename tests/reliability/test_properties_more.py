"""More hypothesis properties of the connection-string/SAS parsers and the diff (beyond tests/provider).

Added here: control characters anywhere are caught by ``check``; junk segments never pass; SAS URIs
parse in any parameter order and fail precisely without ``sig``/``se``; auth-mode switches always
replace; name/description/credential edits never replace; the diff agrees with the JSON Patch the
update would send; unknown values always count as a change.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulumi_aep.azure import parse_connection_string, parse_sas_uri
from pulumi_aep.diffing import REPLACING, diff_props
from pulumi_aep.errors import ValidationError
from pulumi_aep.model import AUTH_INPUTS, UNKNOWN, patch_ops
from pulumi_aep.validation import check_inputs

accounts = st.from_regex(r"\A[a-z0-9]{3,24}\Z")
keys = st.binary(min_size=64, max_size=64).map(lambda b: base64.b64encode(b).decode())
controls = st.sampled_from([chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]])


def good(account: str, key: str) -> str:
    return f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={key};EndpointSuffix=core.windows.net"


@given(accounts, keys, controls, st.integers(min_value=1, max_value=10_000))
def test_a_control_character_anywhere_inside_is_caught(account: str, key: str, char: str, where: int) -> None:
    text = good(account, key)
    at = 1 + where % (len(text) - 1)  # strictly inside: leading/trailing whitespace is trimmed
    failures = check_inputs({"name": "n", "connection_string": text[:at] + char + text[at:]})
    assert [f.property for f in failures] == ["connection_string"]
    assert key not in failures[0].reason


@given(accounts, keys, st.text(alphabet=st.characters(blacklist_characters="=;"), min_size=1, max_size=20))
def test_a_segment_without_equals_never_passes(account: str, key: str, junk: str) -> None:
    if not junk.strip():
        return
    with pytest.raises(ValidationError) as info:
        parse_connection_string(f"{good(account, key)};{junk}")
    assert key not in str(info.value)


sas_params = st.fixed_dictionaries(
    {
        "sv": st.just("2022-11-02"),
        "sp": st.sampled_from(["r", "rl", "racwdl"]),
        "se": st.just("2030-01-01T00:00:00Z"),
        "sig": st.binary(min_size=8, max_size=32).map(lambda b: base64.b64encode(b).decode()),
    },
    optional={"st": st.just("2024-01-01T00:00:00Z"), "spr": st.just("https"), "srt": st.just("co")},
)


@given(accounts, sas_params.flatmap(lambda p: st.permutations(sorted(p.items()))))
def test_sas_uris_parse_in_any_parameter_order(account: str, pairs: list[tuple[str, str]]) -> None:
    assert parse_sas_uri(f"https://{account}.blob.core.windows.net/?{urlencode(pairs)}") == (
        f"{account}.blob.core.windows.net"
    )


@given(accounts, sas_params, st.sampled_from([("sig",), ("se",), ("sig", "se")]))
def test_sas_without_sig_or_expiry_names_what_is_missing(
    account: str, params: dict[str, str], drop: tuple[str, ...]
) -> None:
    kept = {k: v for k, v in params.items() if k not in drop}
    with pytest.raises(ValidationError) as info:
        parse_sas_uri(f"https://{account}.blob.core.windows.net/?{urlencode(kept)}")
    assert " and ".join(f"'{p}'" for p in drop) in info.value.reason
    assert params["sig"] not in info.value.reason


texts = st.text(alphabet="abc/-", min_size=1, max_size=6)
auth_values = {
    "connection_string": texts,
    "sas_uri": texts,
    "service_principal": st.fixed_dictionaries({"service_principal_key": texts, "tenant": texts}),
}


@st.composite
def props(draw: st.DrawFn, auth: str | None = None) -> dict[str, Any]:
    auth = auth or draw(st.sampled_from(AUTH_INPUTS))
    result: dict[str, Any] = {
        "name": draw(texts),
        "description": draw(st.none() | texts),
        "container": draw(st.none() | texts),
        "folder_path": draw(st.none() | texts),
        "sandbox_name": draw(st.sampled_from(["prod", "dev"])),
        "connection_spec_version": "1.0",
        auth: draw(auth_values[auth]),
    }
    return result


@settings(max_examples=200)
@given(st.data(), st.permutations(AUTH_INPUTS))
def test_switching_auth_mode_always_replaces(data: st.DataObject, order: list[str]) -> None:
    old_auth, new_auth = order[0], order[1]
    olds, news = data.draw(props(old_auth)), data.draw(props(new_auth))
    result = diff_props(olds, news)
    assert result.changes is None
    assert result.replaces is not None
    assert old_auth in result.replaces
    assert new_auth in result.replaces


@settings(max_examples=200)
@given(st.data())
def test_in_place_edits_never_replace(data: st.DataObject) -> None:
    auth = data.draw(st.sampled_from(AUTH_INPUTS))
    olds = data.draw(props(auth))
    news = {**data.draw(props(auth)), "sandbox_name": olds["sandbox_name"]}
    assert diff_props(olds, news).replaces == []


@settings(max_examples=300)
@given(st.data())
def test_diff_agrees_with_the_patch_an_update_sends(data: st.DataObject) -> None:
    auth = data.draw(st.sampled_from(AUTH_INPUTS))
    olds = data.draw(props(auth))
    news = {**data.draw(props(auth)), "sandbox_name": olds["sandbox_name"]}
    if data.draw(st.booleans()):
        news = dict(olds)
    result = diff_props(olds, news)
    ops = patch_ops(olds, news)
    assert (result.changes is False) == (ops == []), (result.changes, ops)


@given(st.data(), st.sampled_from(["name", "description", "container", "folder_path", *REPLACING]))
def test_an_unknown_value_is_always_a_change(data: st.DataObject, key: str) -> None:
    olds = data.draw(props("connection_string"))
    result = diff_props(olds, {**olds, key: UNKNOWN})
    assert result.changes is None
    assert (key in (result.replaces or [])) == (key in REPLACING)
