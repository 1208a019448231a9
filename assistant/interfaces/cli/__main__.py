"""`python -m assistant.interfaces.cli`: the same as the `assistant` command."""

from assistant.interfaces.cli import main

raise SystemExit(main())
