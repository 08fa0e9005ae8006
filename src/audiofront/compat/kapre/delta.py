"""``kapre.delta.Delta``, where kapre 0.2's README documents it (kapre 0.2.0 itself has it in
``kapre.utils``): the same layer as :class:`audiofront.compat.kapre.utils.Delta`."""

from .utils import Delta

__all__ = ["Delta"]
