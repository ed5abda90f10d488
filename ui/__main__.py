"""`python -m ui`: see `ui.cli`."""

import sys

from ui.cli import main

sys.exit(main())
