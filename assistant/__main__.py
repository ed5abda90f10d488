"""`python -m assistant ask ...`."""

from assistant.cli import main

raise SystemExit(main())
