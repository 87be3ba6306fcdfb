"""Default tenancy and credentials of the emulator: one org, sandboxes ``prod`` and ``dev``, one client."""

from __future__ import annotations

from typing import Final

#: Flow Service base path, as on platform.adobe.io.
FLOW_SERVICE_PREFIX: Final = "/data/foundation/flowservice"
#: Every platform service path starts here (the gateway checks apply below it).
PLATFORM_PREFIX: Final = "/data/foundation/"
#: Sibling services a dataflow references, under their own base paths on the same host.
CATALOG_PREFIX: Final = "/data/foundation/catalog"
SCHEMA_REGISTRY_PREFIX: Final = "/data/foundation/schemaregistry"
DATA_PREP_PREFIX: Final = "/data/foundation/conversion"
#: IMS client-credentials token path, as on ims-na1.adobelogin.com.
IMS_TOKEN_PATH: Final = "/ims/token/v3"  # noqa: S105 - a URL path
#: Reserved prefix of the emulator's control plane; the real API has no such path.
CONTROL_PREFIX: Final = "/__emulator__"

#: The Azure Blob source connection spec (Adobe's documented id).
AZURE_BLOB_SPEC_ID: Final = "4c10e202-c428-4796-9208-5f1f5732b1cf"

DEFAULT_CLIENT_ID: Final = "aep-emulator-client"
#: Not a real secret: the documented default credential of the offline emulator.
DEFAULT_CLIENT_SECRET: Final = "p8e-emulator-client-secret"  # noqa: S105
DEFAULT_ORG_ID: Final = "A1B2C3D4E5F6A7B8C9D0E1F2@AdobeOrg"
DEFAULT_SANDBOXES: Final = ("prod", "dev")
#: Adobe's documented default scopes for AEP OAuth server-to-server credentials.
DEFAULT_SCOPES: Final = "openid,session,AdobeID,read_organizations,additional_info.projectedProductContext"
#: Lifetime of an access token in seconds, as IMS v3 answers (about 24 hours).
DEFAULT_TOKEN_LIFETIME_S: Final = 86399
#: Runs kept per flow (the newest); the emulator's choice, Adobe documents no retention count.
MAX_RUNS_PER_FLOW: Final = 100
