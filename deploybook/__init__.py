"""deploybook: Django deployment recipes that are a tutorial, a deploy tool and a test suite.

Importing this package must stay cheap and must not import Django: the recipe command line
and the compiler use it without a Django project.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

# Installed, compiler/ and recipes/ are mapped to deploybook.compiler and deploybook.recipes.
# Imported straight from a source checkout (the checkout's root on sys.path, as with
# `python -m deploybook` there), the same names must resolve to the folders beside this one.
_checkout = Path(__file__).parent.parent
if (_checkout / "compiler" / "pipeline.py").is_file() and (_checkout / "setup.py").is_file():
    __path__.append(str(_checkout))
