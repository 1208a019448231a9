"""POST /v1/feedback: thumbs up or down on a reply."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.interfaces.api.deps import Ctx
from assistant.interfaces.api.schemas import ErrorResponse, FeedbackRequest, FeedbackResponse

__all__ = ["router"]

router = APIRouter(tags=["feedback"])


@router.post(
    "/v1/feedback",
    response_model=FeedbackResponse,
    responses={c: {"model": ErrorResponse} for c in (401, 404, 413, 422, 429)},
)
async def feedback(body: FeedbackRequest, ctx: Ctx) -> FeedbackResponse:
    """Store a rating and an optional comment (e-mails and phone numbers are redacted)."""
    await ctx.run(ctx.chat.feedback, body.message_id, body.rating, body.comment)
    return FeedbackResponse(message_id=body.message_id)
