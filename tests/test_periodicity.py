"""CFP (combined frequency and periodicity): the definition written out in float64, nnAudio's
CFP in float64 with the same window, every backend."""

import numpy as np
import pytest
import scipy.signal

import audiofront as af
from helpers import assert_like, load, optional, tolerance_check


def _triangle_rows(points_hz, centres, columns):
    out = np.zeros((len(centres) - 1, len(points_hz)))
    for i in range(1, len(centres) - 1):
        for j in columns(i):
            f = points_hz[j]
            if centres[i - 1] < f < centres[i]:
                out[i, j] = (f - centres[i - 1]) / (centres[i] - centres[i - 1])
            elif centres[i] < f < centres[i + 1]:
                out[i, j] = (centres[i + 1] - f) / (centres[i + 1] - centres[i])
    return out


def cfp_definition(y, sr=16000, hop=320, win=2049, fr=2.0, fc=80.0, tc=0.001, g=(0.24, 0.6, 1)):
    """Su and Yang's CFP with nnAudio's choices, one frame at a time with numpy.fft."""
    N = int(sr / fr)
    h = scipy.signal.get_window("blackmanharris", win, fftbins=False)
    window = np.zeros(N)
    window[(N - win) // 2:(N - win) // 2 + win] = h
    padded = np.pad(y, N // 2)
    frames = np.stack([padded[t * hop:t * hop + N] for t in range(1 + len(y) // hop)])
    spec = np.abs(np.fft.fft(frames * window, axis=-1)) / np.linalg.norm(h)

    def layer(x, gi, cut):
        x = np.maximum(x, 0)
        x = np.log(x + 1e-8) if gi == 0 else x ** gi  # g = 0: the log, as nnAudio
        if cut:
            x[:, :cut] = 0
            x[:, -cut:] = 0
        return x

    tfr0 = spec
    s = layer(spec.copy(), g[0], 0)
    ceps = None
    for i, gi in enumerate(g[1:]):
        x = np.real(np.fft.fft(s if i % 2 == 0 else ceps, axis=-1)) / np.sqrt(N)
        if i % 2 == 0:
            ceps = layer(x, gi, int(round(sr * tc)))
        else:
            s = layer(x, gi, int(round(fc / fr)))
    centres = [fc * 2 ** (k / 48) for k in range(int(np.ceil(np.log2(1 / tc / fc)) * 48))]
    centres = np.array([c for c in centres if c < 1 / tc])
    n_f, n_q = int(round(1 / tc / fr) + 1), int(round(sr / fc) + 1)
    freqs = sr * np.linspace(0, 0.5, N // 2, endpoint=True)[:n_f]
    F = _triangle_rows(freqs, centres, lambda i: range(int(round(centres[i - 1] / fr)),
                                                       int(round(centres[i + 1] / fr) + 1)))
    with np.errstate(divide="ignore"):
        q_hz = sr / np.arange(n_q)
    Q = _triangle_rows(q_hz, centres, lambda i: range(int(round(sr / centres[i + 1])),
                                                      int(round(sr / centres[i - 1]) + 1)))
    LF, LQ = F @ s[:, :n_f].T, Q @ ceps[:, :n_q].T
    return LF * LQ, F @ tfr0[:, :n_f].T, LF, LQ


@pytest.fixture(scope="module")
def speechlike():
    y, sr = load("speech_libri_5703_16k_mono.flac", seconds=2.0)
    return y


@pytest.mark.parametrize("g", [(0.24, 0.6, 1.0), (0.2, 0.6), (0.1, 0.0, 0.5, 0.2)],
                         ids=["default", "two-layers", "four-layers-log"])
def test_cfp_is_the_definition(speechlike, g):
    expected = cfp_definition(speechlike, g=g)
    actual = af.cfp(speechlike, g=g)
    # a log layer (g = 0) then a power 0.2 of its transform: two float64 FFTs (scipy's,
    # numpy's) already differ by 1.5e-8 of the maximum through it
    rel = 1e-7 if 0.0 in g else 1e-9
    for name, a, b in zip(("Z", "tfrL0", "tfrLF", "tfrLQ"), actual, expected):
        tolerance_check(a, b, rel, f"cfp {name} g={g}")
    assert len(af.cfp_frequencies()) - 1 == actual[0].shape[-2]


def test_cfp_finds_the_fundamental():
    t = np.arange(16000) / 16000
    for f0 in (110.0, 220.0, 330.0):
        y = sum(np.sin(2 * np.pi * k * f0 * t) / k for k in range(1, 6))
        Z = af.cfp(y)[0]
        peak = af.cfp_frequencies()[int(np.median(np.argmax(Z[:, 5:-5], axis=0)))]
        assert abs(np.log2(peak / f0)) < 1 / 48, (f0, peak)


def test_cfp_on_backends(xp, speechlike):
    y = speechlike[:8000]
    expected = af.cfp(y)
    out = af.cfp(xp.asarray(y))
    for a, b in zip(out, expected):
        tolerance_check(assert_like(a, xp, dtype=xp.float64, shape=b.shape), b, 1e-9)
    out32 = af.cfp(xp.asarray(y.astype(np.float32)))[1]
    tolerance_check(assert_like(out32, xp, dtype=xp.xp.float32), expected[1], 1e-5, "float32 tfrL0")


def test_nnaudio_cfp_in_float64(speechlike):
    """compat.nnaudio's CFP modules against nnAudio's own run in float64 with the exact
    window and maps (its float32 buffers moved to float64 would carry their rounding, which
    this ill-conditioned representation amplifies to ~2e-4)."""
    torch = optional("torch")
    signal = optional("scipy.signal")
    if not hasattr(signal, "blackmanharris"):  # nnAudio 0.3.4 calls the pre-1.13 name
        signal.blackmanharris = scipy.signal.windows.blackmanharris
    nn = optional("nnAudio.features")
    from audiofront.compat.nnaudio import features as A

    x = torch.from_numpy(speechlike)[None]
    theirs = nn.Combined_Frequency_Periodicity().double()
    theirs.h = torch.from_numpy(scipy.signal.windows.blackmanharris(2049))
    maps = theirs.create_logfreq_matrix(theirs.f, theirs.q, 2, 80, 1 / 1000, 48, 16000)
    theirs.freq2logfreq_matrix, theirs.quef2logfreq_matrix = (torch.from_numpy(m) for m in maps)
    ours = A.Combined_Frequency_Periodicity().double()
    for a, b in zip(ours(x), theirs(x)):
        tolerance_check(a.numpy(), b.numpy(), 1e-9, "Combined_Frequency_Periodicity")
    assert A.CFP()(x.float()).shape == (1, 174, 1 + len(speechlike) // 320)
    with pytest.raises(af.ParameterError, match="Received: fc=900"):
        A.CFP(fc=900, tc=0.002)
