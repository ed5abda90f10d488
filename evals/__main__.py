"""`python -m evals run|calibrate ...`."""

from evals.cli import main

raise SystemExit(main())
