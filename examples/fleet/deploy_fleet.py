"""Deploy (or destroy) one stack per sandbox in parallel with the Automation API and report outputs.

Usage::

    python deploy_fleet.py --sandboxes dev,qa,prod            # up, 4 stacks at a time
    python deploy_fleet.py --sandboxes dev,qa,prod --destroy  # tear the fleet down

Credentials and endpoints come from the environment (AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ORG_ID,
AEP_PLATFORM_URL, AEP_IMS_URL) and the connection string from AEP_BLOB_CONNECTION_STRING; they are
written to each stack's config, the secrets encrypted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pulumi import automation as auto

PROGRAM_DIR = Path(__file__).resolve().parent
#: Stack config set from the environment: (config key, environment variable, secret).
CONFIG_FROM_ENV = (
    ("aep:clientId", "AEP_CLIENT_ID", False),
    ("aep:clientSecret", "AEP_CLIENT_SECRET", True),
    ("aep:orgId", "AEP_ORG_ID", False),
    ("aep:platformUrl", "AEP_PLATFORM_URL", False),
    ("aep:imsUrl", "AEP_IMS_URL", False),
    ("connectionString", "AEP_BLOB_CONNECTION_STRING", True),
)


def stack_for(sandbox: str, prefix: str) -> auto.Stack:
    """Create or select the sandbox's stack and write its config (secrets encrypted)."""
    stack = auto.create_or_select_stack(stack_name=f"{prefix}{sandbox}", work_dir=str(PROGRAM_DIR))
    config = {"sandbox": auto.ConfigValue(value=sandbox)}
    for key, env_var, secret in CONFIG_FROM_ENV:
        if os.environ.get(env_var):
            config[key] = auto.ConfigValue(value=os.environ[env_var], secret=secret)
    stack.set_all_config(config)
    return stack


def deploy(sandbox: str, prefix: str, destroy: bool) -> dict[str, Any]:
    """Run `up` (or `destroy`) for one sandbox; return its outputs or its error."""
    try:
        stack = stack_for(sandbox, prefix)
        if destroy:
            stack.destroy(on_output=lambda _line: None)
            stack.workspace.remove_stack(stack.name)
            return {"sandbox": sandbox, "result": "destroyed"}
        result = stack.up(on_output=lambda _line: None)
        outputs = {name: out.value for name, out in result.outputs.items() if not out.secret}
        return {"sandbox": sandbox, "result": result.summary.result, "outputs": outputs}
    except auto.CommandError as exc:
        return {"sandbox": sandbox, "result": "failed", "error": str(exc).strip()[-2000:]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandboxes", required=True, help="comma-separated sandbox names")
    parser.add_argument("--parallel", type=int, default=4, help="stacks deployed at once")
    parser.add_argument("--stack-prefix", default="fleet-", help="stack name = prefix + sandbox")
    parser.add_argument("--destroy", action="store_true", help="destroy the stacks instead")
    args = parser.parse_args(argv)
    sandboxes = [s.strip() for s in args.sandboxes.split(",") if s.strip()]
    with ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool:
        reports = list(pool.map(lambda s: deploy(s, args.stack_prefix, args.destroy), sandboxes))
    print(json.dumps(reports, indent=2))
    return 0 if all(r["result"] != "failed" for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
