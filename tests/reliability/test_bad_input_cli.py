"""Bad-input corpus through the real CLI: each case fails `pulumi preview` precisely, with no API write.

The engine stops a preview at the first check failure (verified with CLI 3.274.1, also with
``PULUMI_CONTINUE_ON_ERROR``; measured again: a preview declaring 8 bad connections reports 1, not
always the first declared), so each case needs its own preview. On the plugin face (a YAML program,
``pulumi-resource-aep``) that is about 3 s of wall time, so ``make test`` sends every case there
(``test_every_case_fails_preview_on_the_plugin_face_without_a_write``). The dynamic face's Python
program costs 8-13 s a preview, so it gets one case per distinct property and failure path
(``CLI_CASES``: every property the provider checks, nested service-principal fields, the auth-mode
rule, secret-bearing values and the typed ``ServicePrincipalArgs`` path); ``AEP_CORPUS_CLI=all``
sends all of them there too. The exact message of every case is asserted in process by
``test_bad_input.py``.
"""

from __future__ import annotations

import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import pytest

from pulumi_aep.definition import camel
from pulumi_aep.plugin.values import wire_path
from tests.conftest import prerequisite_missing
from tests.e2e.harness import REPO, PulumiCli, PulumiProject, copy_program
from tests.e2e.test_quickstart import configure
from tests.faces.harness import use_plugin, write_launcher, yaml_host_available
from tests.reliability.conftest import Figures
from tests.reliability.corpus import CASES, Case, cs
from tests.reliability.helpers import FLOW_PREFIX, flow_writes

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]

WORKERS = 2
#: One case per property and failure path; the CLI wiring is the same for every case of a property. (Every
#: case, those of issue 11's D9, D10 and Also items included, goes through the plugin face's preview.)
CLI_CASES = (
    "cs-crlf-injection",
    "cs-key-truncated",
    "sas-no-expiry",
    "name-crlf-header",
    "sandbox-crlf-header",
    "description-1025-chars",
    "container-uppercase",
    "folder-backslash",
    "spec-version-v1",
    "verify-string",
    "adopt-id-not-uuid",
    "auth-two",
    "sp-endpoint-http",
    "sp-unknown-field",
)


def selected_cases() -> list[Case]:
    if os.environ.get("AEP_CORPUS_CLI") == "all":
        return list(CASES)
    chosen = [c for c in CASES if c.id in CLI_CASES]
    assert len(chosen) == len(CLI_CASES)
    return chosen


def _expected_lines(case: Case) -> list[str]:
    if case.cli == "program":
        return [case.cli_message]
    return [f"resource '{case.id}': property {case.property} value", "has a problem: ", case.message]


def _run_cases(project: PulumiProject, cases: list[Case]) -> list[tuple[Case, str, int]]:
    results = []
    for case in cases:
        (project.work_dir / "cases.json").write_text(json.dumps([{"id": case.id, "values": case.values}]))
        proc = project.preview(check=False)
        results.append((case, proc.stdout + proc.stderr, proc.returncode))
    return results


def test_every_case_fails_at_preview_without_a_write(
    pulumi_shims: Path, tmp_path: Path, fresh_emulator: Any, figures: Figures
) -> None:
    cli = PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi")
    projects = []
    for worker in range(WORKERS):
        work = copy_program(REPO / "tests/reliability/programs/badinput", tmp_path / f"bad{worker}")
        project = PulumiProject(cli=cli, work_dir=work, stack=f"bad{worker}")
        project.init()
        configure(project, fresh_emulator.base_url)
        projects.append(project)

    started = time.monotonic()
    cases = selected_cases()
    shares = [cases[w::WORKERS] for w in range(WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = [r for batch in pool.map(_run_cases, projects, shares) for r in batch]
    elapsed = time.monotonic() - started

    problems = []
    for case, output, code in results:
        missing = [line for line in _expected_lines(case) if line not in output]
        if code == 0 or missing:
            problems.append(f"{case.id}: exit {code}, missing {missing}\n{output[-1500:]}")
        if case.secret and case.secret in output:
            problems.append(f"{case.id}: the secret was echoed")
    assert not problems, "\n\n".join(problems)

    served = fresh_emulator.control.requests()
    assert flow_writes(served) == []
    assert [r for r in served if r["path"].startswith(FLOW_PREFIX)] == [], "preview must not call the API"
    figures.record(
        "bad_input_cli_all" if len(cases) == len(CASES) else "bad_input_cli",
        cases=len(results),
        caught_at_preview=len(results) - len(problems),
        by_provider_check=sum(1 for c, _, _ in results if c.cli == "check"),
        by_typed_args=sum(1 for c, _, _ in results if c.cli == "program"),
        emulator_writes=len(flow_writes(served)),
        seconds=round(elapsed, 1),
    )
    for project in projects:
        project.remove()


#: Valid resource inputs, so that only the provider configuration can fail.
GOOD_VALUES = cs()
#: Provider configuration the CLI must refuse at preview, each naming its key (issue 11 D9 and D11).
CONFIG_CASES = (
    ("aep:maxRetries", "nan", "aep:maxRetries must be a whole number, at least 0 and at most 10, got 'nan'"),
    ("aep:maxRetries", "1e9", "aep:maxRetries must be a whole number, at least 0 and at most 10, got '1e9'"),
    ("aep:readTimeout", "0", "aep:readTimeout must be a number of seconds, more than 0 and at most 600"),
    ("AEP_ORG_ID", "ABC@AdobeOrg\n", "aep:orgId (or AEP_ORG_ID) contains whitespace at an end"),
)


def test_bad_provider_config_fails_preview_naming_the_key_without_a_call(
    pulumi_shims: Path, tmp_path: Path, fresh_emulator: Any
) -> None:
    problems = []
    for index, (key, value, message) in enumerate(CONFIG_CASES):
        env = {key: value} if key.startswith("AEP_") else {}
        cli = PulumiCli(shims=pulumi_shims, root=tmp_path / f"pulumi{index}", extra_env=env)
        work = copy_program(REPO / "tests/reliability/programs/badinput", tmp_path / f"config{index}")
        project = PulumiProject(cli=cli, work_dir=work, stack=f"config{index}")
        project.init()
        configure(project, fresh_emulator.base_url)
        if env:
            project.run("config", "rm", "aep:orgId", "--stack", project.stack)
        else:
            project.config(key, value)
        (work / "cases.json").write_text(json.dumps([{"id": "good", "values": GOOD_VALUES}]))
        proc = project.preview(check=False)
        output = proc.stdout + proc.stderr
        # The dynamic-provider SDK always formats a raised error with its traceback; what matters is that
        # it is our ConfigurationError with its message (before: ValueError from int(nan), or no error).
        expected = f"pulumi_aep.errors.ConfigurationError: {message}"
        if proc.returncode == 0 or expected not in output or "ValueError" in output:
            problems.append(f"{key}={value!r}: exit {proc.returncode}\n{output[-2000:]}")
        project.remove()
    assert not problems, "\n\n".join(problems)
    assert [r for r in fresh_emulator.control.requests() if r["path"].startswith(FLOW_PREFIX)] == []


def _camel_inputs(value: Any) -> Any:
    if isinstance(value, dict):
        return {camel(k): _camel_inputs(v) for k, v in value.items()}
    return value


def _write_yaml(work: Path, plugin_dir: Path, case: Case) -> None:
    """A YAML program declaring the case's one connection on the plugin face (JSON is YAML: every value
    is quoted and escaped exactly)."""
    resource = {"type": "aep:index:AzureBlobConnection", "properties": _camel_inputs(case.values)}
    (work / "Pulumi.yaml").write_text(
        "name: aep-badinput-yaml\nruntime: yaml\nresources:\n  " + json.dumps({case.id: resource}) + "\n",
        encoding="utf-8",
    )
    use_plugin(work, plugin_dir)


#: Cases the YAML host refuses before the provider sees them: it checks each value against the schema's
#: types (the plugin face's counterpart of the dynamic face's typed ``ServicePrincipalArgs``). Each names
#: the property, in the host's words.
YAML_TYPECHECKED: Final = {
    "description-wrong-type": "description: Cannot assign",
    "sandbox-wrong-type": "sandboxName: Cannot assign",
    "sas-wrong-type": "sasUri: Cannot assign",
    "verify-string": "verify: Cannot assign",
    "sp-not-an-object": "servicePrincipal: Cannot assign",
    "sp-unknown-field": "Property clientSecret does not exist on 'aep:index:ServicePrincipal'",
    "sp-missing-tenant": "tenant: Missing required property 'tenant'",
}
_ANSI: Final = re.compile(r"\x1b\[[0-9;]*m")


def plugin_problems(case: Case, code: int, output: str) -> list[str]:
    """What is wrong with the plugin face's preview of ``case`` (empty: refused as it should be)."""
    found = ["preview succeeded"] if code == 0 else []
    plain = _ANSI.sub("", output)
    prop = wire_path(case.property)
    if case.id in YAML_TYPECHECKED:
        if YAML_TYPECHECKED[case.id] not in plain:
            found.append(f"no {YAML_TYPECHECKED[case.id]!r}")
    elif not re.search(
        rf"property {re.escape(prop)} value .*?has a problem: [^\n]*{re.escape(case.message)}",
        plain,
        re.DOTALL,
    ):
        found.append(f"no 'property {prop} value ... has a problem: ...{case.message}'")
    if case.secret and case.secret in output:
        found.append("the secret was echoed")
    return found


def test_every_case_fails_preview_on_the_plugin_face_without_a_write(
    pulumi_shims: Path, tmp_path: Path, fresh_emulator: Any, figures: Figures
) -> None:
    """All of the corpus through the real CLI: one YAML preview per case on the plugin face (the engine
    reports only the first check failure of a preview, measured: 8 bad connections in one preview
    report 1), about 3 s each against 8-13 s for the Python program of the dynamic face."""
    if not yaml_host_available(pulumi_shims):
        prerequisite_missing("the YAML language host pulumi-language-yaml (run `make engine`)")
    cli = PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi")
    plugin_dir = write_launcher(tmp_path / "plugin")

    def worker(index: int) -> list[tuple[Case, int, str]]:
        work = tmp_path / f"yaml{index}"
        work.mkdir()
        _write_yaml(work, plugin_dir, CASES[index])
        project = PulumiProject(cli=cli, work_dir=work, stack=f"yaml{index}")
        project.init()
        configure(project, fresh_emulator.base_url)
        outcomes = []
        for case in CASES[index::WORKERS]:
            _write_yaml(work, plugin_dir, case)
            proc = project.preview(check=False)
            outcomes.append((case, proc.returncode, proc.stdout + proc.stderr))
        return outcomes

    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = [o for batch in pool.map(worker, range(WORKERS)) for o in batch]
    elapsed = time.monotonic() - started
    problems = [
        f"{case.id}: exit {code}: {'; '.join(found)}\n{output[-1500:]}"
        for case, code, output in outcomes
        if (found := plugin_problems(case, code, output))
    ]
    assert not problems, "\n\n".join(problems)
    assert len(outcomes) == len(CASES)
    assert set(YAML_TYPECHECKED) <= {c.id for c in CASES}
    served = fresh_emulator.control.requests()
    assert flow_writes(served) == []
    assert [r for r in served if r["path"].startswith(FLOW_PREFIX)] == [], "preview must not call the API"
    figures.record(
        "bad_input_cli_plugin",
        cases=len(outcomes),
        caught_at_preview=len(outcomes) - len(problems),
        emulator_writes=len(flow_writes(served)),
        seconds=round(elapsed, 1),
    )
