"""Liveness: answers without a token so a client can tell "server down" from "signed out"."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from moderator_app import __version__

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str


@router.get("/health", response_model=Health)
async def health() -> Health:
    return Health(status="ok", version=__version__)
