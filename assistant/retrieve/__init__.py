"""Retrieval: hybrid search, follow-up resolution, the answerability decision."""
