"""`python -m moderator_app` is the same as `moderator-app`."""

from __future__ import annotations

import sys

from moderator_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
