"""Collection rules for the whole repository.

The Keras cases import keras, which picks its backend once per process from KERAS_BACKEND
(and imports TensorFlow when none is set): tests/test_keras_adapter.py runs them in one
subprocess per backend with AUDIOFRONT_KERAS_CASES set, and the main run leaves them, and the
Keras adapter module (no doctests), alone.
"""

import os

collect_ignore = [] if os.environ.get("AUDIOFRONT_KERAS_CASES") else [
    "tests/keras_backend", "src/audiofront/adapters/keras.py"]
