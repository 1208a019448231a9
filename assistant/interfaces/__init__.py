"""Interfaces: CLI, HTTP API, chat UI, widget, and the conversation log."""
