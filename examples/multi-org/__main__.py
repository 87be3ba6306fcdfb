"""One connection in each of two AEP orgs, through two explicit providers of the plugin, in one stack."""

from __future__ import annotations

import pulumi

from pulumi_aep.native import AzureBlobConnection, Provider

config = pulumi.Config()
endpoints = pulumi.Config("aep")  # optional shared endpoints (the emulator's, or Adobe's by default)
connection_string = config.require_secret("connectionString")

ids = {}
for org in ("a", "b"):
    provider = Provider(
        f"org-{org}",
        org_id=config.require(f"{org}OrgId"),
        client_id=config.require(f"{org}ClientId"),
        client_secret=config.require_secret(f"{org}ClientSecret"),
        sandbox_name=config.get(f"{org}Sandbox") or "prod",
        platform_url=endpoints.get("platformUrl"),
        ims_url=endpoints.get("imsUrl"),
    )
    connection = AzureBlobConnection(
        f"landing-{org}",
        name=f"landing (org {org})",
        connection_string=connection_string,
        container="landing",
        folder_path=f"/{org}",
        opts=pulumi.ResourceOptions(provider=provider),
    )
    ids[org] = connection.connection_id
    if org == "b" and config.get("readFromB"):
        # Reading another org's connection through this org's provider: Adobe (and the emulator) refuse it.
        AzureBlobConnection.get(
            "cross-org-read", config.require("readFromB"), opts=pulumi.ResourceOptions(provider=provider)
        )

pulumi.export("connectionIds", ids)
