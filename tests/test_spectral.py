"""stft / istft / spectrogram against librosa, brute force, and across backends."""

import librosa
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import audiofront as af
from helpers import RECORDINGS, assert_like, load, optional, to_numpy, tolerance_check

LIBROSA_WINDOW = {"hann": "hann", "hamming": "hamming", "blackman": "blackman",
                  "bartlett": "bartlett", "ones": "boxcar"}

GEOMETRIES = [  # n_fft, hop_length, win_length
    (2048, 512, None),
    (2048, 512, 1024),   # win_length < n_fft
    (1023, 256, None),   # odd n_fft
    (511, 100, 300),     # odd n_fft, odd window, hop not dividing anything
]


@pytest.mark.parametrize("name", RECORDINGS)
@pytest.mark.parametrize("n_fft,hop,win", GEOMETRIES)
@pytest.mark.parametrize("center,pad_mode", [(True, "constant"), (True, "reflect"),
                                             (False, "constant"), (False, "reflect")])
def test_stft_matches_librosa_on_recordings(name, n_fft, hop, win, center, pad_mode):
    y, _ = load(name)
    expected = librosa.stft(y, n_fft=n_fft, hop_length=hop, win_length=win, center=center,
                            pad_mode=pad_mode)
    actual = af.stft(y, n_fft=n_fft, hop_length=hop, win_length=win, center=center,
                     pad_mode=pad_mode)
    assert actual.dtype == np.complex128
    tolerance_check(actual, expected, 1e-9, f"{name} stft")


def _synthetic(n, sr=22050, seed=0):
    t = np.arange(n) / sr
    chirp = np.sin(2 * np.pi * (50 * t + 2000 * t ** 2))
    noise = np.random.default_rng(seed).standard_normal(n)
    clicks = np.zeros(n)
    clicks[:: max(1, n // 7)] = 1.0
    return 0.5 * chirp + 0.1 * noise + clicks


@settings(max_examples=60, deadline=None)
@given(n_fft=st.integers(8, 600), hop_frac=st.floats(0.05, 1.0), win_frac=st.floats(0.2, 1.0),
       extra=st.integers(0, 3000), center=st.booleans(),
       pad_mode=st.sampled_from(["constant", "reflect"]),
       window=st.sampled_from(sorted(LIBROSA_WINDOW)))
def test_stft_matches_librosa_hypothesis(n_fft, hop_frac, win_frac, extra, center, pad_mode, window):
    hop = max(1, int(hop_frac * n_fft))
    win = max(1, int(win_frac * n_fft))
    y = _synthetic(n_fft + extra)
    # Centring is padding the whole signal by n_fft // 2. librosa >= 0.10 pads the head and
    # the tail pieces separately, which differs from that when a reflected tail piece is
    # shorter than the padding (tiny signals with large hops), so the reference pads itself.
    padded = np.pad(y, n_fft // 2, mode=pad_mode) if center else y
    expected = librosa.stft(padded, n_fft=n_fft, hop_length=hop, win_length=win, center=False,
                            window=LIBROSA_WINDOW[window])
    for method in ("fft", "dft"):
        actual = af.stft(y, n_fft=n_fft, hop_length=hop, win_length=win, center=center,
                         pad_mode=pad_mode, window=window, method=method)
        tolerance_check(actual, expected, 1e-9, f"stft method={method}")


def test_kaiser_and_array_windows_match_librosa():
    y = _synthetic(5000)
    expected = librosa.stft(y, n_fft=512, hop_length=128, window=("kaiser", 8.0))
    tolerance_check(af.stft(y, n_fft=512, hop_length=128, window=("kaiser", 8.0)), expected, 1e-9)
    tolerance_check(af.stft(y, n_fft=512, hop_length=128, window=("kaiser", 8.0), method="dft"),
                    expected, 1e-9)
    w = np.random.default_rng(1).uniform(0.1, 1.0, 300)
    expected = librosa.stft(y, n_fft=512, hop_length=128, win_length=300, window=w)
    for method in ("fft", "dft"):
        tolerance_check(af.stft(y, n_fft=512, hop_length=128, win_length=300, window=w,
                                method=method), expected, 1e-9)


@pytest.mark.parametrize("n_fft", [256, 1024, 1025])
def test_dft_method_agrees_with_fft(n_fft):
    y = _synthetic(20000)
    S_fft = af.stft(y, n_fft=n_fft, hop_length=n_fft // 4)
    S_dft = af.stft(y, n_fft=n_fft, hop_length=n_fft // 4, method="dft")
    tolerance_check(S_dft, S_fft, 1e-9, "dft vs fft")
    P_fft = af.spectrogram(y, n_fft=n_fft, power=1.0)
    P_dft = af.spectrogram(y, n_fft=n_fft, power=1.0, method="dft")
    tolerance_check(P_dft, P_fft, 1e-9, "dft vs fft magnitude")


def test_stft_brute_force_definition():
    """S[k, t] = sum_n w[n] y_padded[t * hop + n] exp(-2j pi k n / N), written out."""
    y = _synthetic(700)
    n_fft, hop = 64, 24
    w = np.hanning(n_fft + 1)[:-1]
    padded = np.pad(y, n_fft // 2)
    n_frames = 1 + len(y) // hop
    k = np.arange(n_fft // 2 + 1)[:, None]
    n = np.arange(n_fft)[None, :]
    kernel = np.exp(-2j * np.pi * k * n / n_fft)
    expected = np.stack([kernel @ (w * padded[t * hop:t * hop + n_fft]) for t in range(n_frames)], -1)
    tolerance_check(af.stft(y, n_fft=n_fft, hop_length=hop), expected, 1e-12)


@pytest.mark.parametrize("power", [1.0, 2.0, 0.5])
def test_spectrogram_power(power):
    y = _synthetic(8000)
    S = librosa.stft(y, n_fft=512)
    tolerance_check(af.spectrogram(y, n_fft=512, power=power), np.abs(S) ** power, 1e-9)
    tolerance_check(af.magnitude(af.stft(y, n_fft=512)), np.abs(S), 1e-9)
    np.testing.assert_allclose(af.phase(af.stft(y, n_fft=512)), np.angle(S), atol=1e-6)


# --- istft -----------------------------------------------------------------------------------

@pytest.mark.parametrize("window", ["hann", "hamming", "blackman"])
@pytest.mark.parametrize("hop_div", [2, 4])
@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("n_fft", [512, 1024])
def test_istft_reconstructs(window, hop_div, center, n_fft):
    y, _ = load("speech_libri_5703_16k_mono.flac", seconds=2.0)
    hop = n_fft // hop_div
    S = af.stft(y, n_fft=n_fft, hop_length=hop, window=window, center=center)
    y2 = af.istft(S, hop_length=hop, window=window, center=center, length=len(y))
    assert y2.shape == y.shape and y2.dtype == np.float64
    if center:
        np.testing.assert_allclose(y2, y, atol=1e-10, rtol=0)
    else:  # the first and last samples are seen by no window (zero at the frame edges)
        inner = slice(1, len(y) - n_fft)
        np.testing.assert_allclose(y2[inner], y[inner], atol=1e-10, rtol=0)
    # and without length=, the natural length
    y3 = af.istft(S, hop_length=hop, window=window, center=center)
    if center:
        assert len(y3) == hop * (S.shape[-1] - 1)
        np.testing.assert_allclose(y3, y[:len(y3)], atol=1e-10, rtol=0)


@settings(max_examples=40, deadline=None)
@given(n_fft=st.integers(16, 300), hop_frac=st.sampled_from([0.125, 0.25, 0.5]),
       frames=st.integers(1, 40), center=st.booleans(),
       length=st.one_of(st.none(), st.integers(1, 5000)), method=st.sampled_from(["fft", "dft"]))
def test_istft_matches_librosa_hypothesis(n_fft, hop_frac, frames, center, length, method):
    """On arbitrary (not necessarily consistent) spectra, istft is librosa's istft, by the
    inverse FFT or the inverse DFT basis."""
    hop = max(1, int(hop_frac * n_fft))
    rng = np.random.default_rng(n_fft * 1000 + frames)
    S = rng.standard_normal((n_fft // 2 + 1, frames)) + 1j * rng.standard_normal((n_fft // 2 + 1, frames))
    S[0].imag = 0
    if n_fft % 2 == 0:
        S[-1].imag = 0
    expected = librosa.istft(S, n_fft=n_fft, hop_length=hop, center=center, length=length)
    actual = af.istft(S, n_fft=n_fft, hop_length=hop, center=center, length=length,
                      method=method)
    tolerance_check(actual, expected, 1e-9, f"istft {method}")


# --- every backend ---------------------------------------------------------------------------

def _batch(rng, shape=(2, 3, 6000)):
    return rng.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("method", ["fft", "dft"])
@pytest.mark.parametrize("center,pad_mode", [(True, "constant"), (True, "reflect"), (False, "constant")])
def test_stft_backends_agree_with_numpy(xp, rng, method, center, pad_mode):
    y = _batch(rng)
    expected = af.stft(y, n_fft=512, hop_length=128, win_length=400, center=center,
                       pad_mode=pad_mode, method=method)
    out = af.stft(xp.asarray(y), n_fft=512, hop_length=128, win_length=400, center=center,
                  pad_mode=pad_mode, method=method)
    actual = assert_like(out, xp, dtype=xp.xp.complex64, shape=expected.shape)
    tolerance_check(actual, expected, 1e-5, f"{xp} stft")


def test_spectrogram_and_istft_backends(xp, rng):
    y = _batch(rng)
    expected = af.spectrogram(y, n_fft=256, hop_length=64)
    out = af.spectrogram(xp.asarray(y), n_fft=256, hop_length=64)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.float32, shape=expected.shape), expected, 1e-5)
    S = af.stft(xp.asarray(y), n_fft=256, hop_length=64)
    back = af.istft(S, hop_length=64, length=y.shape[-1])
    tolerance_check(assert_like(back, xp, dtype=xp.xp.float32, shape=y.shape), y, 1e-5)
    back = af.istft(S, hop_length=64, length=y.shape[-1], method="dft",
                    idft_basis=xp.asarray(af.idft_basis(n_fft=256)))
    tolerance_check(assert_like(back, xp, dtype=xp.xp.float32, shape=y.shape), y, 1e-5, "dft")
    mag = af.magnitude(S)
    assert_like(mag, xp, dtype=xp.xp.float32, shape=S.shape)
    ph = af.phase(S)
    tolerance_check(assert_like(ph, xp, dtype=xp.xp.float32, shape=S.shape),
                    np.angle(to_numpy(S)), 1e-5)


@pytest.mark.parametrize("power", [1, 2, 0.5])
def test_magphase_is_librosas_on_backends(xp, rng, power):
    S = librosa.stft(rng.standard_normal(4000), n_fft=256)
    S[:3, :2] = 0  # librosa's phase is 1 where the spectrum is 0
    mag_ref, phase_ref = librosa.magphase(S, power=power)
    mag, phase = af.magphase(xp.asarray(S), power=power)
    tolerance_check(assert_like(mag, xp, dtype=xp.xp.float64, shape=S.shape), mag_ref, 1e-12)
    tolerance_check(assert_like(phase, xp, dtype=xp.xp.complex128, shape=S.shape), phase_ref, 1e-12)
    mag32, phase32 = af.magphase(xp.asarray(S.astype(np.complex64)), power=power)
    assert_like(mag32, xp, dtype=xp.xp.float32)
    assert_like(phase32, xp, dtype=xp.xp.complex64)


def test_float64_on_backends(xp, rng):
    y = rng.standard_normal(4000)
    out = af.stft(xp.asarray(y), n_fft=256)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.complex128), librosa.stft(y, n_fft=256), 1e-9)


def test_float32_close_to_float64(recordings):
    y, _ = recordings["music_vibeace_22k_mono.flac"]
    S64 = af.spectrogram(y)
    S32 = af.spectrogram(y.astype(np.float32))
    assert S32.dtype == np.float32
    tolerance_check(S32, S64, 1e-4, "float32 vs float64")


def test_user_window_array_and_dft_basis_on_backend(xp, rng):
    y = _batch(rng, (2, 3000))
    w = np.hamming(256)
    expected = af.stft(y, n_fft=256, window=w)
    tolerance_check(to_numpy(af.stft(xp.asarray(y), n_fft=256, window=xp.asarray(w))), expected, 1e-5)
    basis = af.dft_basis(n_fft=256, window="hann", xp=xp.xp, device=xp.device, dtype=xp.xp.float32)
    got = af.stft(xp.asarray(y), n_fft=256, method="dft", dft_basis=basis)
    tolerance_check(to_numpy(got), af.stft(y, n_fft=256), 1e-5)


def test_frames_are_views_on_numpy_and_torch():
    """The framing step copies nothing (the window is applied while framing, one copy)."""
    from audiofront import _backend

    y = np.zeros(10000, np.float32)
    frames = af.frame(y, frame_length=2048, hop_length=512)
    assert np.shares_memory(frames, y) and frames.base is not None
    torch = optional("torch")
    t = torch.zeros(10000)
    ft = af.frame(t, frame_length=2048, hop_length=512)
    assert ft.untyped_storage().data_ptr() == t.untyped_storage().data_ptr()
    assert _backend.library(_backend.array_namespace(t)) == "torch"


def test_no_float64_upcast_anywhere(rng):
    y = _batch(rng, (2, 5000))
    for f in (af.stft, af.spectrogram, af.melspectrogram, af.log_frequency_spectrogram):
        out = f(y, n_fft=512)
        assert out.dtype in (np.float32, np.complex64), (f.__name__, out.dtype)


def test_librosas_warning_for_an_n_fft_longer_than_the_signal():
    y = np.zeros(930)
    with pytest.warns(UserWarning) as theirs:
        librosa.stft(y, n_fft=1024)
    with pytest.warns(UserWarning) as ours:
        af.stft(y, n_fft=1024)
    assert str(ours[0].message) == str(theirs[0].message)


@pytest.mark.parametrize("n_fft", [1, 2, 7, 16, 255])
def test_idft_basis_is_the_inverse_real_fft(n_fft):
    # row k (and n_bins + k) is irfft of the unit spectrum 1 (and 1j) at bin k
    n_bins = n_fft // 2 + 1
    eye = np.eye(n_bins)
    expected = np.concatenate([np.fft.irfft(eye, n=n_fft), np.fft.irfft(1j * eye, n=n_fft)])
    tolerance_check(af.idft_basis(n_fft=n_fft), expected, 1e-13, f"n_fft={n_fft}")


def test_istft_dft_errors():
    S = af.stft(np.zeros(2048), n_fft=256)
    with pytest.raises(af.ParameterError, match=r"must have shape \(258, 256\).*Received: "
                                                r"idft_basis of shape \(258, 255\)"):
        af.istft(S, method="dft", idft_basis=np.zeros((258, 255)))
    with pytest.raises(af.ParameterError, match="Received: method='matrix'"):
        af.istft(S, method="matrix")
