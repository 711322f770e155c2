"""YAML read safely, with libyaml's C loader where PyYAML has it.

Notes' front matter and the synonym files are read at every restart; the C loader reads them
several times faster than the pure-Python one, and both refuse arbitrary Python objects.
"""

from __future__ import annotations

import yaml

YAMLError = yaml.YAMLError
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> object:
    """The YAML document in `text` (None when empty); raises YAMLError."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
