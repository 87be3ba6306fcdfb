"""Explore and test of a cloud-storage connection: root and folder listings, file previews (no HTTP).

Paths are ``/{container}/{blob path}``; folders end with ``/``. Root lists the containers the connection
can see (only its configured ``container`` when it names one).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from typing import Any

from aep_emulator import blobstore
from aep_emulator.errors import FlowError, bad_request

#: Rows a preview returns at most.
PREVIEW_ROWS = 100
#: Spellings of a tab the docs use for ``columnDelimiter`` (the two characters ``\t``), beside a real tab.
DELIMITER_ALIASES = {"\\t": "\t"}
FILE_TYPES = frozenset({"delimited", "json", "parquet"})
_XDM = {"integer": "integer", "number": "number", "boolean": "boolean", "string": "string"}


@dataclass(frozen=True)
class ExploreQuery:
    """The query parameters of ``GET /connections/{id}/explore``."""

    object_type: str | None
    object: str | None = None
    preview: bool = False
    file_type: str | None = None
    column_delimiter: str = ","
    compression_type: str | None = None
    encoding: str = "UTF-8"


def _item(kind: str, name: str, path: str) -> dict[str, Any]:
    is_file = kind == "file"
    return {"type": kind, "name": name, "path": path, "canPreview": is_file, "canFetchSchema": is_file}


def _infer(value: str) -> str:
    if value.lower() in ("true", "false"):
        return "boolean"
    for kind, cast in (("integer", int), ("number", float)):
        try:
            cast(value)
        except ValueError:
            continue
        return kind
    return "string"


def _split(path: str) -> tuple[str, str]:
    container, _, rest = path.strip("/").partition("/")
    return container, rest


class Explorer:
    """Answers explore and test for a connection's stored (clear-text) auth params."""

    def test(self, params: dict[str, Any], spec_name: str) -> bool:
        """Whether the credentials work: a real call for loopback storage, a plausibility check otherwise."""
        try:
            source, real = blobstore.source_for(params)
            if not real:
                return blobstore.credentials_look_valid(spec_name, params)
            source.containers()
        except Exception:  # noqa: BLE001 - any SDK failure means the credentials do not work
            return False
        return True

    def explore(self, params: dict[str, Any], query: ExploreQuery) -> Any:
        """Answer an explore call.

        Raises:
            FlowError: 1358 (objectType), 1337 (missing object), 1101-404 (no such path), 1100 (bad file).
        """
        kind = (query.object_type or "").lower()
        if kind not in ("root", "folder", "file"):
            raise bad_request(
                f"The objectType '{query.object_type}' is not valid: use root, folder or file", 1358
            )
        if kind != "root" and not query.object:
            raise bad_request(f"The object cannot be empty for objectType={kind}", 1337)
        source, _ = blobstore.source_for(params)
        try:
            if kind == "root" or (kind == "folder" and query.object == "root"):  # EXP sample form
                return self._root(source, params)
            if kind == "folder":
                return self._folder(source, str(query.object))
            return self._file(source, str(query.object), query)
        except FlowError:
            raise
        except KeyError as exc:
            raise FlowError(1101, 404, f"The object '{query.object}' could not be found") from exc
        except Exception as exc:  # storage errors (auth, network) become a connector error
            message = f"Unable to access the storage account: {type(exc).__name__}"
            raise FlowError(1100, 400, message) from exc

    def _root(self, source: blobstore.BlobSource, params: dict[str, Any]) -> list[dict[str, Any]]:
        wanted = params.get("container")
        names = [c for c in source.containers() if not wanted or c == wanted]
        return [_item("folder", name, f"/{name}/") for name in names]

    def _folder(self, source: blobstore.BlobSource, path: str) -> list[dict[str, Any]]:
        container, prefix = _split(path)
        if container not in source.containers():
            raise KeyError(path)
        prefix = f"{prefix.rstrip('/')}/" if prefix else ""
        folders: dict[str, None] = {}
        files = []
        for name in source.blob_names(container):
            if not name.startswith(prefix):
                continue
            head, sep, _ = name[len(prefix) :].partition("/")
            if sep:
                folders[head] = None
            else:
                files.append(head)
        if prefix and not folders and not files:
            raise KeyError(path)
        items = [_item("folder", f, f"/{container}/{prefix}{f}/") for f in folders]
        items += [_item("file", f, f"/{container}/{prefix}{f}") for f in files]
        return items

    def _file(self, source: blobstore.BlobSource, path: str, query: ExploreQuery) -> dict[str, Any]:
        container, name = _split(path)
        raw = source.read(container, name)
        if query.compression_type:
            if query.compression_type.lower() != "gzip":
                raise bad_request(
                    f"The compressionType '{query.compression_type}' is not supported here", 1100
                )
            raw = gzip.decompress(raw)
        text = raw.decode("latin-1" if query.encoding.upper() == "ISO-8859-1" else "utf-8")
        file_type = (query.file_type or ("json" if name.endswith(".json") else "delimited")).lower()
        if file_type not in FILE_TYPES:
            raise bad_request(
                f"The fileType '{query.file_type}' is not valid: use delimited, json or parquet", 1100
            )
        if file_type == "parquet":
            raise bad_request("Parquet previews are not supported by the emulator", 1100)
        rows = self._json_rows(text) if file_type == "json" else self._csv_rows(text, query.column_delimiter)
        columns: dict[str, str] = {}
        for row in rows:
            for key, value in row.items():
                kind = _infer(value) if isinstance(value, str) else _json_type(value)
                columns[key] = _widen(columns.get(key), kind)
        schema = [{"name": k, "type": t, "xdm": {"type": _XDM[t]}} for k, t in columns.items()]
        return {
            "format": "flat",
            "schema": {"columns": schema},
            "data": rows[:PREVIEW_ROWS] if query.preview else [],
        }

    @staticmethod
    def _csv_rows(text: str, delimiter: str) -> list[dict[str, Any]]:
        delimiter = DELIMITER_ALIASES.get(delimiter, delimiter)
        if len(delimiter) != 1:
            raise bad_request("The columnDelimiter must be a single character", 1100)
        return [dict(r) for r in csv.DictReader(io.StringIO(text), delimiter=delimiter)]

    @staticmethod
    def _json_rows(text: str) -> list[dict[str, Any]]:
        try:
            stripped = text.strip()
            if stripped.startswith("["):
                loaded = json.loads(stripped)
            else:
                loaded = [json.loads(line) for line in stripped.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise bad_request(f"The file is not valid JSON: {exc.msg}", 1100) from exc
        return [r for r in loaded if isinstance(r, dict)]


def _widen(known: str | None, seen: str) -> str:
    """The column type that fits both: integer widens to number, anything else mixed to string."""
    if known is None or known == seen:
        return seen
    if {known, seen} == {"integer", "number"}:
        return "number"
    return "string"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"
