"""`python -m evals split|run|calibrate|report|compare ...`."""

from evals.cli import main

raise SystemExit(main())
