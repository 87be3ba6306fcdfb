"""Azurite (the Azure Storage emulator, npm package ``azurite``) as a context manager and pytest fixture.

``scripts/azurite.sh install`` puts it in ``${XDG_CACHE_HOME:-~/.cache}/pulumi-aep/azurite``. When it cannot
be found or started, tests fail under ``CI=true`` and skip elsewhere.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import prerequisite_missing

#: Azurite's well-known development account and key (public, documented by Microsoft; not a secret).
ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
#: Seconds to wait for Azurite to accept connections (node starts it in one or two).
STARTUP_TIMEOUT_S = 30.0


class AzuriteUnavailableError(RuntimeError):
    """Azurite is not installed or did not start."""


def find_azurite() -> str | None:
    """The ``azurite-blob`` binary: ``$AZURITE_BIN``, the cache dir of scripts/azurite.sh, or ``PATH``."""
    explicit = os.environ.get("AZURITE_BIN")
    if explicit:
        return explicit if Path(explicit).exists() else None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pulumi-aep" / "azurite"
    candidate = cache / "node_modules" / ".bin" / "azurite-blob"
    if candidate.exists():
        return str(candidate)
    return shutil.which("azurite-blob")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def connection_string(port: int) -> str:
    """The connection string of the development account on a local Azurite."""
    return (
        f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
        f"BlobEndpoint=http://127.0.0.1:{port}/{ACCOUNT};"
    )


@contextmanager
def azurite() -> Iterator[str]:
    """Run Azurite blob-only on a free loopback port in a temp dir; yield its connection string.

    Raises:
        AzuriteUnavailableError: when it is not installed or does not answer in time.
    """
    binary = find_azurite()
    if binary is None:
        raise AzuriteUnavailableError("azurite-blob not found: run scripts/azurite.sh install")
    with tempfile.TemporaryDirectory(prefix="azurite-") as workdir:
        port = _free_port()
        args = [binary, "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location", workdir]
        process = subprocess.Popen(
            [*args, "--skipApiVersionCheck", "--loose", "--silent"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_until_listening(process, port)
            yield connection_string(port)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_until_listening(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise AzuriteUnavailableError(f"azurite exited with {process.returncode}: {err[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AzuriteUnavailableError(f"azurite did not listen on 127.0.0.1:{port} within {STARTUP_TIMEOUT_S}s")


@pytest.fixture(scope="session")
def azurite_connection_string() -> Iterator[str]:
    """A running Azurite for the session; fails under CI=true when unavailable, skips elsewhere."""
    try:
        with azurite() as conn_str:
            yield conn_str
    except AzuriteUnavailableError as exc:
        prerequisite_missing(f"Azurite ({exc})")
