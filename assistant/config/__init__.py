"""Settings, editable prompt texts, offline environment and the composition root."""
