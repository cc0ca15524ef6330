"""Write the committed OpenAPI snapshot: `python -m moderator_app.server.openapi_snapshot [path]`."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from moderator_app.server.app import create_app
from moderator_app.server.config import ServerSettings

SNAPSHOT_PATH = Path(__file__).resolve().parents[2] / "resources" / "openapi.json"


def current_schema() -> dict[str, Any]:
    """The schema the code serves; built against a throwaway database (the schema does not depend on data)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(ServerSettings(db_url=f"sqlite:///{Path(folder) / 'schema.db'}"))
        schema = app.openapi()
        app.state.server.sessions.engine.dispose()
        return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else SNAPSHOT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(current_schema()), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
