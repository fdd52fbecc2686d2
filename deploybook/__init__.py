"""deploybook: Django deployment recipes that are a tutorial, a deploy tool and a test suite.

Importing this package must stay cheap and must not import Django: the recipe command line
and the compiler use it without a Django project.
"""

from __future__ import annotations

__version__ = "0.1.0"
