"""A host that loads connector plugins with pluggy and syncs what they list."""

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("framework")
"""Mark a plugin function as the implementation of a hook of the same name."""

__all__ = ["__version__", "hookimpl"]
