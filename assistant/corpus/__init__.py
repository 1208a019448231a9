"""Articles: format, validation, section chunks and sentence text utilities."""
