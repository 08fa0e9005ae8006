"""Reading what ``audiofront extract`` wrote, one row at a time, without loading the file.

:class:`FeatureFile` is a sequence of ``(features, label)`` pairs: it works as a
``torch.utils.data.Dataset`` as it is, and from a ``tf.data`` / Keras generator. h5py stays the
storage; the file is opened lazily, once per process (a DataLoader's workers each open their
own handle after the fork or spawn), and only the rows asked for are read.
"""

from __future__ import annotations

import json
import os

import numpy as np

__all__ = ["FeatureFile"]


class FeatureFile:
    """The rows of an ``audiofront extract`` output.

    ``len(f)`` is the number of rows (clips in the default whole-clip layout, segments or fixed
    rows otherwise); ``f[i]`` is ``(features, label)``: the row's features as the core returned
    them, ``([channels,] bins, frames)`` float32 (or float16 as stored), trimmed to the row's true
    frame count, and its label's index into ``f.label_names``.

    Parameters
    ----------
    path : str or os.PathLike
        The HDF5 file.

    Examples
    --------
    ::

        from audiofront import FeatureFile
        data = FeatureFile("features.h5")
        S, label = data[0]                       # (bins, frames), int
        loader = torch.utils.data.DataLoader(data, batch_size=None, shuffle=True, num_workers=2)
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        self._file = self._pid = None
        f = self._open()
        from ._store import format_problem

        problem = format_problem(f, self.path)
        if problem:
            raise ValueError(problem)
        self.params = json.loads(f.attrs["params"])
        self.label_names = f["label_names"].asstr()[()].tolist()
        self.files = f["files"].asstr()[()].tolist()
        self._label = f["label"][()]
        self._source = f["source"][()]
        self._offset = f["offset"][()]
        self._frames = f["frames"][()]

    def _open(self):
        """This process's handle (reopened after a fork: handles do not survive one)."""
        if self._file is None or self._pid != os.getpid():
            import h5py

            self._file, self._pid = h5py.File(self.path, "r"), os.getpid()
        return self._file

    def __len__(self) -> int:
        return len(self._label)

    def __getitem__(self, i):
        i = _index(i, len(self))
        # only the row's true frames: the chunks of its padding are never read (nor stored)
        return self._open()["features"][i, ..., :int(self._frames[i])], int(self._label[i])

    def source(self, i) -> tuple[str, int]:
        """``(file, offset)``: the audio file row ``i`` came from, and its first sample there
        (at the extraction's sample rate)."""
        i = _index(i, len(self))
        return self.files[int(self._source[i])], int(self._offset[i])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __getstate__(self):  # h5py handles do not pickle: a worker opens its own
        state = dict(self.__dict__)
        state["_file"] = state["_pid"] = None
        return state

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return (f"FeatureFile({self.path!r}: {len(self)} rows of {self.params['feature']}, "
                f"{len(self.label_names)} labels)")


def _index(i, n):
    if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not -n <= i < n:
        raise IndexError(f"row index out of range for {n} rows. Received: {i!r}")
    return int(i) % n
