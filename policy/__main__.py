"""Policy pack entry point: the CLI runs this file; it builds the pack and serves it (blocks forever)."""

from pulumi_policy import PolicyPack

from aep_policies import PACK_NAME, POLICIES

PolicyPack(name=PACK_NAME, policies=POLICIES)
