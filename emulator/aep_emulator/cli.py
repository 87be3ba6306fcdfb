"""Command line: ``aep-emulator serve --host --port --config --state-file --token-lifetime``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aep_emulator import defaults
from aep_emulator.app import create_app
from aep_emulator.config import EmulatorConfig
from aep_emulator.server import _Server, build_emulator, uvicorn_config


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aep-emulator", description="Offline Adobe Flow Service + IMS emulator"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the emulator until interrupted")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=8787, help="port to bind, 0 for any free port (default 8787)"
    )
    serve.add_argument("--config", help="JSON tenancy config: orgs, sandboxes, API clients, strict switches")
    serve.add_argument(
        "--state-file", help="JSON file the state is saved to after every write, and loaded from"
    )
    serve.add_argument("--token-lifetime", type=int, help="access token lifetime in seconds (default 86399)")
    serve.add_argument(
        "--org",
        action="append",
        metavar="ORG_ID[:SANDBOX,...]",
        help="an org and its sandboxes (default sandboxes prod,dev); repeat for several; replaces the config's",
    )
    serve.add_argument(
        "--client",
        action="append",
        metavar="CLIENT_ID:SECRET[:ORG_ID,...]",
        help="an API client and the orgs it may use (default: the first org); repeat for several",
    )
    serve.add_argument(
        "--strict-version", action="store_true", help="422 when connectionSpec.version is missing"
    )
    serve.add_argument(
        "--strict-if-match", action="store_true", help="If-Match must be wrapped in double quotes"
    )
    serve.add_argument("--log-level", default="warning", help="uvicorn log level (default warning)")
    return parser


def _printable_secret(client_secret: str) -> str:
    """The documented default secret is printed (it is not a secret); any other one never is."""
    if client_secret == defaults.DEFAULT_CLIENT_SECRET:
        return client_secret
    return "(the one you configured; not printed)"


def _banner(base_url: str, client_id: str, client_secret: str, org_id: str, sandboxes: str) -> str:
    return "\n".join(
        [
            "AEP Flow Service + IMS emulator",
            f"  Platform URL (platformUrl): {base_url}",
            f"  Flow Service:               {base_url}{defaults.FLOW_SERVICE_PREFIX}",
            f"  IMS URL (imsUrl):           {base_url}  (token endpoint {base_url}{defaults.IMS_TOKEN_PATH})",
            f"  Control plane:              {base_url}{defaults.CONTROL_PREFIX}",
            f"  OpenAPI document:           {base_url}/openapi.json",
            f"  client_id / x-api-key:      {client_id}",
            f"  client_secret:              {_printable_secret(client_secret)}",
            f"  x-gw-ims-org-id:            {org_id}",
            f"  sandboxes:                  {sandboxes}",
            f"  scope:                      {defaults.DEFAULT_SCOPES}",
        ]
    )


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """The config file (if any) with the tenancy flags and strict switches applied on top.

    Raises:
        ValueError: for a malformed flag or config.
    """
    data: dict[str, Any] = {}
    if args.config:
        data = json.loads(Path(args.config).read_text(encoding="utf-8"))
    if args.org:
        orgs = []
        for value in args.org:
            org_id, _, sandboxes = value.partition(":")
            orgs.append({"id": org_id, **({"sandboxes": sandboxes.split(",")} if sandboxes else {})})
        data["orgs"] = orgs
    if args.client:
        clients = []
        for value in args.client:
            parts = value.split(":")
            if len(parts) < 2:
                raise ValueError(f"--client {value!r}: use CLIENT_ID:SECRET[:ORG_ID,...]")
            client: dict[str, Any] = {"client_id": parts[0], "client_secret": parts[1]}
            if len(parts) > 2:
                client["orgs"] = parts[2].split(",")
            clients.append(client)
        data["clients"] = clients
    data["strict_version"] = args.strict_version or data.get("strict_version", False)
    data["strict_if_match"] = args.strict_if_match or data.get("strict_if_match", False)
    return EmulatorConfig.from_dict(data)


def serve(args: argparse.Namespace) -> int:
    """Run the emulator in the foreground; print base URLs, credentials and ``READY <base_url>``."""
    emulator = build_emulator(config_from_args(args), args.state_file, args.token_lifetime)
    client = emulator.config.clients[0]
    org = emulator.config.org(client.orgs[0]) or emulator.config.orgs[0]

    def ready(server: _Server) -> None:
        host = f"[{args.host}]" if ":" in args.host else args.host
        base_url = f"http://{host}:{server.bound_port()}"
        sandboxes = ", ".join(s.name for s in org.sandboxes)
        print(_banner(base_url, client.client_id, client.client_secret, org.id, sandboxes), flush=True)
        print(f"READY {base_url}", flush=True)

    server = _Server(
        uvicorn_config(create_app(emulator), args.host, args.port, args.log_level), on_ready=ready
    )
    server.run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``aep-emulator`` and ``python -m aep_emulator``."""
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
