"""Run kapre 0.2.0 on the cases of ``kapre02_cases.py`` and store what it computes.

kapre 0.2.0 is the reference of ``audiofront.compat.kapre``'s 0.1/0.2 layers. It runs on
TensorFlow 2 with the legacy tf.keras (the ``tf_keras`` package), and is not installable beside
kapre 0.4.1, so it is run from its sdist::

    pip download --no-deps --no-binary :all: kapre==0.2.0 && tar xzf kapre-0.2.0.tar.gz
    pip install "tf_keras~=<your TensorFlow's minor version>"
    python tests/reference/make_kapre02.py kapre-0.2.0 [OUT_DIR]

It writes ``reference.npz`` (every case's input and kapre's output, float32, and the versions
that computed them) and ``legacy_model.h5`` (a small kapre 0.2 model, trained two steps so its
weights are not the initial ones, saved with ``model.save``; its predictions are in the npz) to
OUT_DIR, by default ``tests/data/kapre02``. The test suite compares the compat layers with
these files, and, where kapre 0.2.0 can be set up (``AUDIOFRONT_KAPRE02`` names the unpacked
sdist), runs this script again and checks the stored files are what kapre computes.

One shim: kapre 0.2's ``Filterbank(init='log')`` calls ``librosa.fft_frequencies(sr, n_fft)``
positionally, which librosa 0.10 made keyword-only; the call is forwarded by keyword.
"""

from __future__ import annotations

import importlib
import os
import sys

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import kapre02_cases  # noqa: E402


def main(kapre_path, out_dir):
    sys.path.insert(0, os.path.abspath(kapre_path))
    import librosa
    import numpy as np
    import tensorflow as tf
    import tf_keras

    fft_frequencies = librosa.fft_frequencies
    librosa.fft_frequencies = lambda sr=22050, n_fft=2048: fft_frequencies(sr=sr, n_fft=n_fft)
    import kapre

    assert kapre.__version__ == "0.2.0", kapre.__file__
    tf.random.set_seed(0)
    inputs = kapre02_cases.inputs()
    store = {f"input/{k}": v for k, v in inputs.items()}
    for name, (module, cls, args, kwargs, key) in kapre02_cases.cases().items():
        layer = getattr(importlib.import_module(f"kapre.{module}"), cls)
        x = inputs[key]
        model = tf_keras.Sequential([layer(*args, input_shape=x.shape[1:], **kwargs)])
        store[f"output/{name}"] = model.predict(x, batch_size=len(x), verbose=0)

    # a small model as the seed README builds one, trained a little, saved as .h5
    from kapre.time_frequency import Melspectrogram
    from kapre.utils import Normalization2D

    x = inputs["stereo"]
    model = tf_keras.Sequential([
        Melspectrogram(n_dft=128, n_hop=64, input_shape=x.shape[1:], padding="same", sr=22050,
                       n_mels=16, return_decibel_melgram=True, name="melgram"),
        # per example: a band whose trained filters went negative is constant at the dB floor,
        # and per-band statistics ('freq') would divide its float32 rounding noise by eps
        Normalization2D(str_axis="data_sample"),
        tf_keras.layers.Flatten(),
        tf_keras.layers.Dense(3, kernel_initializer=tf_keras.initializers.GlorotUniform(0)),
    ])
    model.compile("adam", "mse")
    model.fit(x, np.eye(3, dtype=np.float32)[[0, 2]], epochs=2, batch_size=2, verbose=0)
    os.makedirs(out_dir, exist_ok=True)
    model.save(os.path.join(out_dir, "legacy_model.h5"))
    store["output/legacy_model"] = model.predict(x, batch_size=len(x), verbose=0)
    store["versions"] = np.array([f"kapre {kapre.__version__}", f"tensorflow {tf.__version__}",
                                  f"tf_keras {tf_keras.__version__}",
                                  f"librosa {librosa.__version__}"])
    np.savez_compressed(os.path.join(out_dir, "reference.npz"), **store)
    print(f"{len(store) - 1} arrays -> {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else os.path.dirname(kapre02_cases.FIXTURE))
