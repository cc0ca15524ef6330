"""No NUL characters in a request: PostgreSQL cannot store or even compare text that holds U+0000.

On PostgreSQL such a string in a note, a username or a filter used to end as a database error (a 500), while SQLite
took it; refusing it up front gives one clear 422 on every backend. JSON writes NUL as the escape \\u0000, which is
only an escape where the backslash before "u" is not itself escaped.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from starlette.types import Scope

# A backslash that starts an escape (preceded by an even run of backslashes), then u0000.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
NUL_MESSAGE = "Text in a request may not contain the NUL character (U+0000)."


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            media_type = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return True  # FastAPI reads a body without a declared type as JSON


def has_nul(scope: Scope, body: bytes) -> bool:
    """True when the path, the query string or a JSON body carries a NUL character."""
    if "\x00" in scope.get("path", ""):
        return True
    if b"\x00" in unquote_to_bytes(scope.get("query_string", b"")):
        return True
    return bool(body) and _is_json(scope) and (b"\x00" in body or _JSON_NUL.search(body) is not None)
