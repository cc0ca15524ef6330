"""Media bytes (pictures and videos), to signed-in reviewers only, never cached."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select

from moderator_app.server.deps import DbSession, Reviewer
from moderator_app.server.errors import not_found
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, NOT_FOUND, MediaId
from moderator_app.server.tables import MediaBlobRow, MediaRow

router = APIRouter(prefix="/media", tags=["media"], responses={**AUTHED, **FORBIDDEN})


@router.get(
    "/{media_id}",
    response_class=Response,
    responses={
        **NOT_FOUND,
        200: {
            "description": (
                "The media file as stored, picture or video, with its declared type as Content-Type (for example "
                "image/jpeg, image/png, video/mp4, video/x-msvideo). X-Media-Width and X-Media-Height give its "
                "declared size in pixels. Never cached (Cache-Control: no-store)."
            ),
            "content": {"image/*": {}, "video/*": {}, "application/octet-stream": {}},
        },
    },
)
def get_media(media_id: MediaId, _user: Reviewer, session: DbSession) -> Response:
    found = session.execute(
        select(MediaRow, MediaBlobRow.data)
        .join(MediaBlobRow, MediaBlobRow.media_id == MediaRow.id)
        .where(MediaRow.id == media_id)
    ).first()
    if found is None:
        raise not_found("Media", media_id)
    media, data = found
    return Response(
        content=data,
        media_type=media.mime_type,
        headers={
            "Cache-Control": "no-store",
            "X-Media-Width": str(media.width),
            "X-Media-Height": str(media.height),
        },
    )
