"""What the names in a recipe may look like: ids, axis and variable names, environment names.

Kept apart from the front-matter pass so that code reading a compiled recipe (the runtime,
from the cache) can use them without loading the YAML parser.
"""

from __future__ import annotations

import re

__all__ = ["ENV_NAME", "NAME", "SLUG", "VALUE"]

NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # axis and variable names
VALUE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")  # axis values
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # recipe and step ids
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")  # environment variables
