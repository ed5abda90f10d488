"""`python -m ingest [PATH ...]`."""

from ingest.cli import main

raise SystemExit(main())
