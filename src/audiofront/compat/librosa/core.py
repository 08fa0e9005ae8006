"""``librosa.core``: the functions of the package's top level, under their librosa.core
names (imported by the package once they exist)."""

import importlib

_top = importlib.import_module(__package__)
__all__ = [name for name in _top.__all__ if name not in ("ParameterError", "feature", "filters",
                                                         "util", "core")]
globals().update({name: getattr(_top, name) for name in __all__})
