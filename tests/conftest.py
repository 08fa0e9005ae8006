import numpy as np
import pytest

from audiofront import _backend
from helpers import BACKENDS, load


@pytest.fixture(params=BACKENDS, ids=[b.name for b in BACKENDS])
def xp(request):
    """A Backend: ``xp.xp`` is the namespace, ``xp.asarray`` puts NumPy data on its device.

    The '-portable' variants switch audiofront's fast paths off, so both paths are tested.
    """
    backend = request.param
    if backend.portable:
        with _backend.portable():
            yield backend
    else:
        yield backend


@pytest.fixture(scope="session")
def recordings():
    from helpers import RECORDINGS

    return {name: load(name) for name in RECORDINGS}


@pytest.fixture
def rng():
    return np.random.default_rng(20261121)
