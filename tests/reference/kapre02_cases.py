"""The kapre 0.1/0.2 comparison cases: which layer, with which arguments, on which input.

Shared by ``make_kapre02.py`` (which runs them on kapre 0.2.0 and stores the outputs) and
``tests/keras_backend/test_kapre02.py`` (which runs them on ``audiofront.compat.kapre``). Plain
data, no framework imports. Inputs are named by the keys of ``inputs()``.
"""

from __future__ import annotations

import os

import numpy as np

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
FIXTURE = os.path.join(DATA, "kapre02", "reference.npz")
MODEL = os.path.join(DATA, "kapre02", "legacy_model.h5")


def _recording(name):
    import soundfile

    y, _ = soundfile.read(os.path.join(DATA, name), dtype="float32", always_2d=True)
    return y.T  # (channels, time)


def inputs() -> dict:
    """The inputs of the cases, from the test recordings (audio: ``(batch, ch, time)``) and a
    seeded generator (the post-processing layers' spectra)."""
    music = _recording("music_vibeace_22k_mono.flac")[0]
    robin = _recording("env_robin_44k_stereo.flac")
    trumpet = _recording("music_trumpet_44k_stereo.wav")
    speech = _recording("speech_libri_5703_16k_mono.flac")[0]
    n = 4000
    mono = np.stack([music[20000:20000 + n], music[60000:60000 + n]])[:, None, :]
    stereo = np.stack([robin[:, 10000:10000 + n], robin[:, 30000:30000 + n]])
    six = np.stack([np.concatenate([robin[:, :44100], trumpet[:, :44100],
                                    music[None, :44100], speech[None, :44100]])])
    rng = np.random.default_rng(20)
    spec_last = (rng.gamma(0.5, 1.0, (2, 129, 20, 2)) ** 2).astype(np.float32)
    return {"mono": mono.astype(np.float32), "stereo": stereo.astype(np.float32),
            "six": six.astype(np.float32), "long_mono": music[None, None, :44100].copy(),
            "spec_last": spec_last,
            "spec_first": np.ascontiguousarray(np.moveaxis(spec_last, -1, 1)),
            # kapre 0.2's Delta convolves with a one-channel kernel: it runs on one channel only
            "spec1_last": spec_last[..., :1].copy(),
            "spec1_first": np.ascontiguousarray(np.moveaxis(spec_last[..., 1:], -1, 1))}


def _fmt(i):
    return "channels_last" if i % 2 == 0 else "channels_first"


def cases() -> dict:
    """name -> (module, class, args, kwargs, input name)."""
    out = {}
    i = 0
    for padding in ("same", "valid"):
        for power in (2.0, 1.0):
            for db in (False, True):
                out[f"spectrogram_{padding}_p{power:g}_db{int(db)}_{_fmt(i)}"] = (
                    "time_frequency", "Spectrogram", (),
                    dict(n_dft=256, n_hop=None if i % 3 else 96, padding=padding,
                         power_spectrogram=power, return_decibel_spectrogram=db,
                         image_data_format=_fmt(i)),
                    "mono" if i % 2 == 0 else "stereo")
                i += 1
    for padding in ("same", "valid"):
        for power in (1.0, 2.0):
            for db in (False, True):
                out[f"melspectrogram_{padding}_p{power:g}_db{int(db)}_htk{i % 2}_{_fmt(i)}"] = (
                    "time_frequency", "Melspectrogram", (),
                    dict(n_dft=256, n_hop=128, padding=padding, sr=22050, n_mels=40,
                         power_melgram=power, return_decibel_melgram=db, htk=bool(i % 2),
                         image_data_format=_fmt(i + 1)),
                    "stereo" if i % 2 == 0 else "mono")
                i += 1
    out["melspectrogram_fmin_fmax_norm_none"] = (
        "time_frequency", "Melspectrogram", (),
        dict(n_dft=512, n_hop=200, sr=22050, n_mels=32, fmin=300.0, fmax=6000.0, norm=None,
             image_data_format="channels_last"), "mono")
    out["melspectrogram_trainable_channels_first"] = (
        "time_frequency", "Melspectrogram", (),
        dict(n_dft=256, n_hop=128, sr=16000, n_mels=24, trainable_kernel=True, trainable_fb=True,
             image_data_format="channels_first"), "stereo")
    # the seed README's examples, as written there
    out["readme_six_channels"] = (
        "time_frequency", "Melspectrogram", (),
        dict(n_dft=512, n_hop=256, padding="same", sr=44100, n_mels=128, fmin=0.0,
             fmax=44100 / 2, power_melgram=1.0, return_decibel_melgram=False,
             trainable_fb=False, trainable_kernel=False, image_data_format="channels_last"),
        "six")
    out["readme_save_load"] = ("time_frequency", "Melspectrogram", (512,),
                               dict(image_data_format="channels_last"), "long_mono")
    for fmt in ("channels_last", "channels_first"):
        spec = "spec_last" if fmt == "channels_last" else "spec_first"
        out[f"amplitude_to_db_{fmt}"] = ("utils", "AmplitudeToDB", (), {}, spec)
        out[f"amplitude_to_db_amin_{fmt}"] = ("utils", "AmplitudeToDB", (),
                                              dict(amin=1e-3, top_db=40.0), spec)
        for axis in ("batch", "data_sample", "channel", "freq", "time"):
            out[f"normalization2d_{axis}_{fmt}"] = (
                "utils", "Normalization2D", (), dict(str_axis=axis, image_data_format=fmt), spec)
        out[f"normalization2d_int2_{fmt}"] = (
            "utils", "Normalization2D", (), dict(int_axis=2, image_data_format=fmt, eps=1e-3),
            spec)
        for win, mode in ((3, "symmetric"), (5, "reflect"), (7, "constant"), (5, "SYMMETRIC")):
            out[f"delta_{win}_{mode}_{fmt}"] = ("utils", "Delta", (),
                                               dict(win_length=win, mode=mode, data_format=fmt),
                                               spec.replace("spec", "spec1"))
        out[f"filterbank_mel_{fmt}"] = ("filterbank", "Filterbank", (24, False),
                                        dict(sr=22050, init="mel", image_data_format=fmt), spec)
        out[f"filterbank_mel_fmax_{fmt}"] = (
            "filterbank", "Filterbank", (16, False),
            dict(sr=16000, init="mel", fmin=100.0, fmax=5000.0, image_data_format=fmt), spec)
        out[f"filterbank_log_{fmt}"] = (
            "filterbank", "Filterbank", (36, False),
            dict(sr=22050, init="log", fmin=65.0, bins_per_octave=12, image_data_format=fmt),
            spec)
    return out
