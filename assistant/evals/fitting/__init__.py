"""Scripts that fit the package's calibrated models from the DEV split of external data.

- `python -m assistant.evals.fitting.verifier`: the output gate's verifier (MedHallu dev).
- `python -m assistant.evals.fitting.answerability`: the answerability model (PubMedQA-style
  pairs and MedQuAD with pages removed, dev questions).
- `python -m assistant.evals.fitting.topic_words`: medical term or everyday word (MedQuAD
  pages of dev topics against general-English frequencies).
- `python -m assistant.guard.fit_risk`: the risk head of the input rails (see docs/SAFETY.md).
"""

from __future__ import annotations

__all__: list[str] = []
