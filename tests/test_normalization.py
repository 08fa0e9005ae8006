"""PCEN, LCN and standardisation: librosa's pcen, a scipy reference for LCN, the definition of
standardisation; every backend; chunking; errors."""

import librosa
import numpy as np
import pytest
import scipy.signal

import audiofront as af
from helpers import assert_like, load, optional, tolerance_check

PCEN_CASES = {
    "default": {},
    "max_size=3": {"max_size": 3},
    "b": {"b": 0.2},
    "power=0": {"power": 0.0},
    "bias=0": {"bias": 0.0},
    "slow": {"time_constant": 2.0, "gain": 0.8, "power": 0.25},
}


def spectrograms():
    """Mel and CQT magnitudes of two recordings, scaled by 2 ** 31 as librosa recommends."""
    out = {}
    for name in ("music_vibeace_22k_mono.flac", "speech_libri_5703_16k_mono.flac"):
        y, sr = load(name, seconds=6.0)
        out[f"mel {name[:12]}"] = (librosa.feature.melspectrogram(y=y, sr=sr, power=1.0) * 2 ** 31, sr)
        out[f"cqt {name[:12]}"] = (np.abs(librosa.cqt(y, sr=sr, sparsity=0)) * 2 ** 31, sr)
    return out


SPECTRA = spectrograms()


@pytest.mark.parametrize("case", list(PCEN_CASES))
@pytest.mark.parametrize("name", list(SPECTRA))
def test_pcen_is_librosas(xp, name, case):
    S, sr = SPECTRA[name]
    kwargs = PCEN_CASES[case]
    expected = librosa.pcen(S, sr=sr, hop_length=512, **kwargs)
    actual = af.pcen(xp.asarray(S), sr=sr, hop_length=512, **kwargs)
    tolerance_check(assert_like(actual, xp, dtype=xp.float64, shape=S.shape), expected, 1e-9, case)


@pytest.mark.parametrize("pieces", [3, 5, 7])
def test_pcen_chunked_with_zi_zf_is_unchunked(xp, pieces):
    S, sr = SPECTRA["mel music_vibeac"]
    expected, zf = librosa.pcen(S, sr=sr, return_zf=True)
    outs, zi = [], None
    cuts = np.linspace(0, S.shape[-1], pieces + 1).astype(int)
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        out, zi = af.pcen(xp.asarray(S[:, lo:hi]), sr=sr, zi=zi, return_zf=True)
        outs.append(assert_like(out, xp, dtype=xp.float64))
    tolerance_check(np.concatenate(outs, axis=-1), expected, 1e-9, "chunked")
    tolerance_check(assert_like(zi, xp, dtype=xp.float64, shape=(S.shape[0], 1)), zf, 1e-9, "zf")


def test_pcen_float32_on_30_seconds(xp):
    """float32 against float64 on 30 s (2584 frames, 41 blocks of the scan)."""
    y, sr = load("music_vibeace_22k_mono.flac", seconds=30.0)
    S = librosa.feature.melspectrogram(y=y, sr=sr) * 2 ** 31
    expected = librosa.pcen(S, sr=sr)
    actual = af.pcen(xp.asarray(S.astype(np.float32)), sr=sr)
    tolerance_check(assert_like(actual, xp, dtype=xp.xp.float32, shape=S.shape), expected, 1e-5)


def test_pcen_per_band_parameters_and_batches(xp):
    """Arrays of one value per band (what the trainable layers pass) equal the scalars, and a
    batch is filtered example by example."""
    S, sr = SPECTRA["mel music_vibeac"]
    n = S.shape[0]
    b = af.pcen_smoothing_coefficient(sr=sr)
    batch = np.stack([S, S[:, ::-1] * 1e-3])
    expected = np.stack([librosa.pcen(s, sr=sr, gain=0.9, power=0.4) for s in batch])
    per_band = af.pcen(xp.asarray(batch), sr=sr, gain=xp.asarray(np.full(n, 0.9)),
                       bias=xp.asarray(np.full(n, 2.0)), power=xp.asarray(np.full(n, 0.4)),
                       b=xp.asarray(np.full(n, b)))
    tolerance_check(assert_like(per_band, xp, dtype=xp.float64, shape=batch.shape), expected, 1e-9)
    varied = np.linspace(0.02, 0.3, n)
    rows = np.stack([librosa.pcen(S[k:k + 1], sr=sr, b=varied[k])[0] for k in range(n)])
    tolerance_check(af.pcen(S, sr=sr, b=varied), rows, 1e-9, "a different b per band")


def test_pcen_time_axis_and_ref():
    S, sr = SPECTRA["cqt music_vibeac"]
    tolerance_check(af.pcen(S.T, sr=sr, axis=0, max_size=3),
                    librosa.pcen(S.T, sr=sr, axis=0, max_size=3), 1e-9, "axis=0")
    ref = np.maximum(S, np.roll(S, 1, axis=0))
    tolerance_check(af.pcen(S, sr=sr, ref=ref), librosa.pcen(S, sr=sr, ref=ref), 1e-9, "ref")


def test_pcen_under_jit_and_compile():
    S, sr = SPECTRA["mel music_vibeac"]
    expected = librosa.pcen(S, sr=sr)
    jax = optional("jax")
    jax.config.update("jax_enable_x64", True)
    jitted = jax.jit(lambda s: af.pcen(s, sr=sr, max_size=3))
    tolerance_check(np.asarray(jitted(jax.numpy.asarray(S))),
                    librosa.pcen(S, sr=sr, max_size=3), 1e-9, "jax.jit")
    torch = optional("torch")
    compiled = torch.compile(lambda s: af.pcen(s, sr=sr), dynamic=False)
    tolerance_check(compiled(torch.asarray(S)).numpy(), expected, 1e-9, "torch.compile")


def lcn_reference(S, kernel_size, sigma):
    """LCN written out with scipy.signal.convolve2d (float64), one 2-d example at a time."""
    w = [scipy.signal.windows.gaussian(k, std=s, sym=True) for k, s in zip(kernel_size, sigma)]
    kernel = np.outer(w[0], w[1])
    kernel /= kernel.sum()

    def smooth(x):
        return scipy.signal.convolve2d(x, kernel, mode="same", boundary="symm")

    out = np.empty_like(S)
    for index in np.ndindex(*S.shape[:-2]):
        x = S[index]
        V = x - smooth(x)
        local = np.sqrt(smooth(V ** 2))
        out[index] = V / np.maximum(np.maximum(local, local.mean()), 1e-8)
    return out


@pytest.mark.parametrize("kernel_size, sigma", [((7, 7), None), ((5, 9), (1.0, 3.0)),
                                                ((3, 1), None), ((9, 15), None)])
def test_lcn_is_the_definition(xp, kernel_size, sigma):
    a, b = SPECTRA["cqt music_vibeac"][0], SPECTRA["cqt speech_libri"][0]
    n = min(a.shape[-1], b.shape[-1])
    C = np.log1p(np.stack([a[:, :n], b[:, :n]]) / 2 ** 31 * 1e3)
    stds = tuple(k / 4 for k in kernel_size) if sigma is None else sigma
    expected = lcn_reference(C, kernel_size, stds)
    actual = af.lcn(xp.asarray(C), kernel_size=kernel_size, sigma=sigma)
    tolerance_check(assert_like(actual, xp, dtype=xp.float64, shape=C.shape), expected, 1e-9)


def test_standardize(xp):
    S = np.log1p(SPECTRA["mel music_vibeac"][0][None].repeat(3, axis=0) * np.array([1, 10, 100])[:, None, None])
    out = assert_like(af.standardize(xp.asarray(S)), xp, dtype=xp.float64, shape=S.shape)
    mean, std = S.mean(axis=(-2, -1), keepdims=True), S.std(axis=(-2, -1), keepdims=True)
    tolerance_check(out, (S - mean) / (std + 1e-10), 1e-12, "per example")
    per_band = af.standardize(xp.asarray(S), axis=-1)
    tolerance_check(assert_like(per_band, xp, dtype=xp.float64), (S - S.mean(-1, keepdims=True))
                    / (S.std(-1, keepdims=True) + 1e-10), 1e-12, "per band")
    given = af.standardize(xp.asarray(S), mean=xp.asarray(mean[0]), std=2.0)
    tolerance_check(assert_like(given, xp, dtype=xp.float64), (S - mean[0]) / (2.0 + 1e-10), 1e-12)


def test_errors():
    S = SPECTRA["mel music_vibeac"][0][:, :40]
    with pytest.raises(af.ParameterError, match="non-negative"):
        af.pcen(S - S.mean())
    with pytest.raises(TypeError, match="complex"):
        af.pcen(S.astype(np.complex128))
    for kwargs, text in [({"time_constant": 0}, "time_constant=0"), ({"gain": -1}, "gain must"),
                         ({"power": -0.5}, "power must"), ({"bias": -1}, "bias must"),
                         ({"b": 1.5}, "b must be >= 0.0 and <= 1.0"), ({"eps": 0}, "eps=0"),
                         ({"max_size": 0}, "max_size=0"), ({"axis": 2}, "axis=2"),
                         ({"gain": np.ones(7)}, "gain of shape \\(7,\\)")]:
        with pytest.raises(af.ParameterError, match=text):
            af.pcen(S, **kwargs)
    with pytest.raises(af.ParameterError, match="odd"):
        af.lcn(S, kernel_size=(4, 7))
    with pytest.raises(af.ParameterError, match="reaches further than the 40 frames"):
        af.lcn(S, kernel_size=(7, 83))
    with pytest.raises(af.ParameterError, match="axis must"):
        af.standardize(S, axis=3)
