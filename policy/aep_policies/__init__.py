"""Guardrails for pulumi-aep connections and the Azure storage behind them (importable without a server)."""

from __future__ import annotations

from typing import Final

from aep_policies.policies import POLICIES

#: The pack's name as the CLI prints it in ``[mandatory]  aep-guardrails v0.1.0  <policy>`` lines.
PACK_NAME: Final = "aep-guardrails"

__all__ = ["PACK_NAME", "POLICIES"]
