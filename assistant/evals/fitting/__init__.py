"""Scripts that fit the package's calibrated models from the DEV split of external data.

`python -m assistant.evals.fitting.verifier` fits the output gate's verifier model.
"""

from __future__ import annotations

__all__: list[str] = []
