"""`python -m deploybook` runs the deploybook command line."""

from __future__ import annotations

import sys

from deploybook.cli import main

sys.exit(main())
