"""The embeddable widget (/widget.js) and the demo clinic page (/demo)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

__all__ = ["router"]

router = APIRouter(tags=["widget"])


def _static(name: str) -> str:
    return (resources.files("assistant") / "interfaces" / "static" / name).read_text(
        encoding="utf-8"
    )


@router.get("/widget.js", include_in_schema=True)
async def widget() -> Response:
    """The chat bubble: `<script src="https://HOST/widget.js" data-title="..." async>`."""
    return Response(
        _static("widget.js"),
        media_type="application/javascript; charset=utf-8",
        headers={
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


@router.get("/demo", response_class=HTMLResponse)
async def demo() -> HTMLResponse:
    """A sample clinic page that embeds the widget."""
    return HTMLResponse(_static("demo.html"))
