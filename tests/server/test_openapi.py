from __future__ import annotations

from moderator_app.server.openapi_snapshot import SNAPSHOT_PATH, current_schema, render


def test_the_committed_openapi_snapshot_matches_the_code() -> None:
    committed = SNAPSHOT_PATH.read_text(encoding="utf-8") if SNAPSHOT_PATH.exists() else ""
    assert render(current_schema()) == committed, (
        "resources/openapi.json is out of date with the server's API. If the change is intended, regenerate it with "
        "`python -m moderator_app.server.openapi_snapshot` and commit the result."
    )


def test_the_schema_documents_json_errors_not_fastapis_default() -> None:
    schema = current_schema()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    decide = schema["paths"]["/api/v1/items/{item_id}/decisions"]["post"]
    assert decide["operationId"] == "decide"
    for status in ("401", "403", "404", "409", "422"):
        assert decide["responses"][status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorResponse"
        }
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
