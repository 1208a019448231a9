"""The output gate: every answer sentence checked against the passage it cites."""
