"""IMS routes: the client-credentials token endpoint (v3, and v2 as the Postman samples use)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from aep_emulator import defaults
from aep_emulator.core import Emulator
from aep_emulator.models import OAuthErrorBody, TokenResponse

router = APIRouter(tags=["IMS"])

_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {
        "model": OAuthErrorBody,
        "description": "invalid_request, unsupported_grant_type, invalid_client, invalid_scope",
    },
    401: {"model": OAuthErrorBody, "description": "invalid_client: the client secret is wrong"},
}
_FORM_BODY = {
    "requestBody": {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                        "scope": {"type": "string", "description": "Comma-separated scopes"},
                    },
                }
            }
        }
    }
}


async def _params(request: Request) -> dict[str, str]:
    """Query parameters, overridden by form fields ("in the body or as query parameters")."""
    params = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        raw = (await request.body()).decode("utf-8", "replace")
        params.update(parse_qsl(raw, keep_blank_values=True))
    return params


@router.post(
    defaults.IMS_TOKEN_PATH,
    response_model=TokenResponse,
    responses=_RESPONSES,
    operation_id="getAccessToken",
    openapi_extra=_FORM_BODY,
)
async def get_access_token(request: Request) -> JSONResponse:
    """OAuth2 client-credentials grant; ``expires_in`` is in seconds."""
    emulator: Emulator = request.app.state.emulator
    return JSONResponse(emulator.tokens.issue(await _params(request)))


router.add_api_route(
    "/ims/token/v2", get_access_token, methods=["POST"], response_model=TokenResponse, include_in_schema=False
)
