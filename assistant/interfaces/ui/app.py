"""The Gradio chat UI; it calls the same ChatService as the API (no HTTP to itself)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.config.env import apply_offline_env

apply_offline_env()

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from assistant.config.settings import Settings  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402
from assistant.interfaces.chat import ChatService  # noqa: E402
from assistant.interfaces.log import UnknownMessageError  # noqa: E402
from assistant.interfaces.ui.render import (  # noqa: E402
    CSS,
    JS,
    escalations,
    render_alerts,
    render_answer,
    render_partial,
)
from assistant.pipeline.streaming import Delta, Final  # noqa: E402

__all__ = ["EXAMPLES", "build_ui", "mount_ui"]

EXAMPLES = [
    "How does ketamine help with chronic pain?",
    "What side effects can ketamine infusions cause?",
    "Can ketamine help with fibromyalgia?",
    "Is ketamine therapy suitable for everyone?",
]

# Per-browser-session memory: rendered reply -> (message_id, plain answer text).
Replies = dict[str, tuple[str, str]]
# Escalations shown in this browser session: route -> the reply text (kept on screen).
Alerts = dict[str, str]


def _text(content: Any) -> str:
    """The text of a Gradio message content (a string, a dict or a list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    if isinstance(content, list):
        return "\n".join(_text(c) for c in content)
    return ""


def _conversation(message: str, history: list[Any], replies: Replies) -> list[dict[str, str]]:
    """Gradio history as {role, content}, with our rendered replies mapped back to plain text."""
    msgs = []
    for turn in history:
        role = turn.get("role") if isinstance(turn, dict) else None
        if role not in ("user", "assistant"):
            continue
        text = _text(turn.get("content"))
        if role == "assistant" and text in replies:
            text = replies[text][1]
        msgs.append({"role": role, "content": text})
    msgs.append({"role": "user", "content": message})
    return msgs


def build_ui(chat: ChatService) -> gr.Blocks:
    """The chat page: streaming answers, numbered sources, disclaimer, thumbs, examples."""

    def respond(
        message: str,
        history: list[Any],
        replies: Replies | None,
        alerts: Alerts | None,
        request: gr.Request,
    ) -> Iterator[tuple[str, Replies, Alerts]]:
        replies = dict(replies or {})
        alerts = dict(alerts or {})
        session = f"ui-{request.session_hash}" if request and request.session_hash else None
        try:
            events = chat.stream(_conversation(message, history, replies), session, "ui")
            shown = ""
            for event in events:
                if isinstance(event, Delta):
                    shown += event.text
                    yield render_partial(shown), replies, alerts
                elif isinstance(event, Final):
                    html = render_answer(event.answer)
                    replies[html] = (event.message_id or "", event.answer.answer)
                    yield html, replies, escalations(alerts, event.answer)
        except AssistantError as exc:
            raise gr.Error(str(exc)) from None

    def vote(replies: Replies | None, data: gr.LikeData) -> None:
        key = _text(data.value)
        entry = (replies or {}).get(key)
        if entry is None or not entry[0]:
            gr.Warning("That reply can no longer be rated.")
            return
        try:
            chat.feedback(entry[0], "up" if data.liked else "down")
        except UnknownMessageError:
            gr.Warning("That reply can no longer be rated.")
            return
        gr.Info("Thanks for your feedback.")

    with gr.Blocks(title="Ask our clinic", analytics_enabled=False, fill_height=True) as blocks:
        replies = gr.State({})
        alerts = gr.State({})
        alert_box = gr.HTML(render_alerts({}), elem_id="va-alerts", js_on_load=None)
        alerts.change(render_alerts, [alerts], [alert_box], queue=False, api_visibility="private")
        chatbot = gr.Chatbot(
            label="Conversation",
            show_label=False,
            sanitize_html=True,
            elem_id="va-chatbot",
            buttons=["copy"],
            placeholder="Ask about the treatments described in our vetted articles.",
        )
        chatbot.like(vote, [replies], None, queue=False, api_visibility="private")
        gr.ChatInterface(
            respond,
            chatbot=chatbot,
            textbox=gr.Textbox(
                label="Your question",
                placeholder="Type your question…",
                elem_id="va-input",
                submit_btn="Send",
                max_length=chat.max_message_chars,
                lines=1,
                max_lines=6,
                html_attributes=gr.InputHTMLAttributes(enterkeyhint="send", autocomplete="off"),
            ),
            title="Ask our clinic",
            description=(
                "Answers come only from the clinic's vetted articles, with numbered sources. "
                "General information, not medical advice."
            ),
            examples=[[q] for q in EXAMPLES],
            cache_examples=False,
            additional_inputs=[replies, alerts],
            additional_outputs=[replies, alerts],
            concurrency_limit=8,
            api_name="chat",
            autofocus=False,
            fill_height=True,
        )
    return blocks


def mount_ui(app: FastAPI, chat: ChatService, settings: Settings) -> None:
    """Mount the chat UI at /ui on the API's app."""
    gr.mount_gradio_app(
        app,
        build_ui(chat),
        path="/ui",
        css=CSS,
        js=JS,
        theme=gr.themes.Soft(),
        footer_links=["api"],
        ssr_mode=False,
        show_error=False,
        server_name=settings.server.host,
        server_port=settings.server.port,
    )
