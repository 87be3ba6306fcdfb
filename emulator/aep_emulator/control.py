"""A small typed client of the emulator's control plane (``/__emulator__``), for tests and scripts."""

from __future__ import annotations

from typing import Any

import requests

from aep_emulator import defaults

#: Seconds for a control-plane call: a loopback call to an in-memory store; generous for a busy CI box.
TIMEOUT_S = 10.0


class ControlClient:
    """Calls the control plane of the emulator at ``base_url``; raises ``requests.HTTPError`` on failure."""

    def __init__(self, base_url: str) -> None:
        self.url = base_url.rstrip("/") + defaults.CONTROL_PREFIX
        self._session = requests.Session()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._session.request(method, self.url + path, timeout=TIMEOUT_S, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    def health(self) -> dict[str, Any]:
        """``{"status": "ok", ...}`` once the server is up."""
        result: dict[str, Any] = self._call("GET", "/health")
        return result

    def reset(self, tokens: bool = False) -> None:
        """Forget connections, flow marks, faults, the log and counters (and issued tokens if asked)."""
        self._call("POST", "/reset", params={"tokens": str(tokens).lower()})

    def inject_fault(
        self,
        method: str,
        path_pattern: str,
        count: int,
        status: int | None = None,
        retry_after: int | None = None,
        latency_ms: int | None = None,
        action: str | None = None,
        probability: float = 1.0,
        seed: int | None = None,
    ) -> int:
        """Inject a fault into the next ``count`` requests matching ``method`` (or ``*``) and a glob path.

        ``path_pattern`` matches the full path or the path below ``/data/foundation/flowservice``;
        ``action`` is ``"reset"`` (TCP reset, nothing applied), ``"drop_response"`` (applied, then reset)
        or ``"apply_late"`` (applied ``latency_ms`` later; the client gets ``status`` at once, e.g. 504,
        or without a status no answer until then, and a reset).
        ``probability`` below 1 makes the fault random: each matching request gets it with that chance
        (``seed`` makes the draws reproducible); ``count`` then bounds how many faults are injected.

        Returns:
            The id of the fault rule.
        """
        body = {
            "method": method,
            "path_pattern": path_pattern,
            "count": count,
            "status": status,
            "retry_after": retry_after,
            "latency_ms": latency_ms,
            "action": action,
            "probability": probability,
            "seed": seed,
        }
        rule_id: int = self._call("POST", "/faults", json=body)["id"]
        return rule_id

    def faults(self) -> list[dict[str, Any]]:
        """The active fault rules."""
        result: list[dict[str, Any]] = self._call("GET", "/faults")
        return result

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._call("DELETE", "/faults")

    def requests(self) -> list[dict[str, Any]]:
        """The request log, oldest first: time (answered) and received (epoch s), method, path, query, route,
        status, duration_ms, fault."""
        result: list[dict[str, Any]] = self._call("GET", "/requests")
        return result

    def counters(self) -> dict[str, int]:
        """Requests served per ``"METHOD /route/template"``."""
        result: dict[str, int] = self._call("GET", "/counters")
        return result

    def inflight(self) -> dict[str, dict[str, int]]:
        """Per operation (e.g. ``"createConnection"``): ``{"current": n, "max": m}`` since the last reset."""
        result: dict[str, dict[str, int]] = self._call("GET", "/inflight")
        return result

    def reset_inflight(self) -> None:
        """Forget the in-flight high-water marks."""
        self._call("POST", "/inflight/reset")

    def clock(self) -> dict[str, Any]:
        """The emulator's clock: ``{"now": epoch_s, "frozen": bool}``."""
        result: dict[str, Any] = self._call("GET", "/clock")
        return result

    def set_clock(self, now: float) -> None:
        """Freeze the emulator's clock at ``now`` (epoch seconds): token expiry, timestamps, runs."""
        self._call("PUT", "/clock", json={"now": now})

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock forward by ``seconds``."""
        self._call("PUT", "/clock", json={"advance_s": seconds})

    def lag_date(self, seconds: float) -> None:
        """Make every answer's ``Date`` header lag the emulator's clock by ``seconds``."""
        self._call("PUT", "/clock", json={"date_lag_s": seconds})

    def real_clock(self) -> None:
        """Go back to wall-clock time."""
        self._call("PUT", "/clock", json={"real": True})

    def connections(self) -> list[dict[str, Any]]:
        """Every stored connection across orgs and sandboxes, with unmasked params."""
        result: list[dict[str, Any]] = self._call("GET", "/connections")
        return result

    def mark_used_by_flows(self, connection_id: str, flow_ids: list[str]) -> None:
        """Mark a connection as used by dataflows (an empty list clears the mark)."""
        self._call("PUT", f"/connections/{connection_id}/flows", json={"flow_ids": list(flow_ids)})
