"""audiofront.compat.librosa: librosa's signatures, its numbers against librosa itself, every
backend. (librosa's own test suite runs against it too: ../shared/peer_suite/run_librosa.sh.)"""

import inspect
import subprocess
import sys

import librosa
import numpy as np
import pytest

import audiofront as af
import audiofront.compat.librosa as L
from helpers import assert_like, load, to_numpy, tolerance_check
from test_cqt import db_agreement

MODULES = {"": (L, librosa), "core": (L.core, librosa.core), "feature": (L.feature, librosa.feature),
           "feature.inverse": (L.feature.inverse, librosa.feature.inverse),
           "filters": (L.filters, librosa.filters), "util": (L.util, librosa.util)}
FUNCTIONS = [(mod, name) for mod, (ours, _) in MODULES.items()
             for name in getattr(ours, "__all__", [n for n in dir(ours) if not n.startswith("_")])
             if inspect.isfunction(getattr(ours, name))]


def _parameters(f):
    return [(p.name, p.kind, p.default) for p in inspect.signature(f).parameters.values()]


@pytest.mark.parametrize("mod,name", FUNCTIONS, ids=[f"{m}.{n}".strip(".") for m, n in FUNCTIONS])
def test_signature_is_librosas(mod, name):
    ours, theirs = MODULES[mod]
    assert _parameters(getattr(ours, name)) == _parameters(getattr(theirs, name))


def test_the_namespace_has_what_the_issue_lists():
    top = ("stft istft cqt vqt pseudo_cqt power_to_db amplitude_to_db db_to_power db_to_amplitude "
           "mu_compress mu_expand hz_to_mel mel_to_hz mel_frequencies fft_frequencies "
           "cqt_frequencies note_to_hz hz_to_note note_to_midi midi_to_hz estimate_tuning "
           "pitch_tuning piptrack magphase pcen").split()
    assert all(inspect.isfunction(getattr(L, n)) for n in top)
    assert all(inspect.isfunction(getattr(L.feature, n))
               for n in ("melspectrogram", "mfcc", "delta", "chroma_cqt"))
    assert L.filters.mel and L.filters.get_window and L.util.frame and L.core.stft is L.stft
    assert L.ParameterError is af.ParameterError


def test_importing_it_imports_no_librosa():
    code = ("import sys, audiofront.compat.librosa as l; "
            "print(sorted(m for m in ('librosa', 'torch', 'jax', 'tensorflow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- numbers: float64 against librosa --------------------------------------------------------

@pytest.fixture(scope="module")
def music():
    return load("music_vibeace_22k_mono.flac", seconds=5.0)


@pytest.fixture(scope="module")
def stereo():
    import soundfile

    from helpers import DATA

    y, sr = soundfile.read(DATA / "music_trumpet_44k_stereo.wav", dtype="float64", frames=44100 * 3)
    return np.ascontiguousarray(y.T), sr


def test_spectra_are_librosas(music, stereo):
    y, sr = music
    for kw in ({}, dict(n_fft=1024, hop_length=300, win_length=800, window="blackmanharris",
                        pad_mode="reflect"), dict(n_fft=512, center=False, window=np.hamming)):
        D = librosa.stft(y, **kw)
        tolerance_check(L.stft(y, **kw), D, 1e-9, f"stft {kw}")
        inv = {k: v for k, v in kw.items() if k not in ("pad_mode",)}
        tolerance_check(L.istft(D, length=len(y), **inv), librosa.istft(D, length=len(y), **inv),
                        1e-9, "istft")
    ys, _ = stereo
    tolerance_check(L.stft(ys), librosa.stft(ys), 1e-9, "stereo stft")
    S = np.abs(librosa.stft(y[:22050]))
    tolerance_check(L.griffinlim(S, random_state=0, dtype=np.float64),
                    librosa.griffinlim(S, random_state=0, dtype=np.float64), 1e-9, "griffinlim")
    for power in (1, 2):
        for got, want in zip(L.magphase(L.stft(y), power=power),
                             librosa.magphase(librosa.stft(y), power=power)):
            tolerance_check(got, want, 1e-9, "magphase")


def test_stft_dtype_and_out_are_librosas(music):
    y32 = music[0].astype(np.float32)
    D = L.stft(y32, dtype=np.complex128)
    assert D.dtype == librosa.stft(y32, dtype=np.complex128).dtype == np.complex128
    out = np.zeros((1025, D.shape[-1] + 5), dtype=np.complex128)
    view = L.stft(y32, dtype=np.complex128, out=out)
    assert view.shape == D.shape and np.shares_memory(view, out)
    np.testing.assert_array_equal(view, D)
    with pytest.raises(af.ParameterError, match="Received: out.shape"):
        L.stft(y32, out=np.zeros((1025, 3), dtype=np.complex64))
    with pytest.raises(af.ParameterError, match="Received: dtype"):
        L.stft(y32, dtype=np.float32)
    y = L.istft(D, dtype=np.float32)
    assert y.dtype == librosa.istft(D, dtype=np.float32).dtype == np.float32
    out = np.empty_like(y)
    assert L.istft(D, dtype=np.float32, out=out) is out
    np.testing.assert_array_equal(out, y)


def test_features_are_librosas(music, stereo):
    y, sr = music
    for kw in ({}, dict(n_fft=1024, hop_length=256, n_mels=64, fmax=8000.0, htk=True, norm=None)):
        # librosa's float32 filterbank on float64 audio, reproduced
        tolerance_check(L.feature.melspectrogram(y=y, sr=sr, **kw),
                        librosa.feature.melspectrogram(y=y, sr=sr, **kw), 1e-9, f"mel {kw}")
    S = np.abs(librosa.stft(y)) ** 2
    tolerance_check(L.feature.melspectrogram(S=S, sr=sr, dtype=np.float64),
                    librosa.feature.melspectrogram(S=S, sr=sr, dtype=np.float64), 1e-9, "mel S=")
    ys, sr2 = stereo  # two channels: librosa's top_db floor is over both
    for kw in ({}, dict(n_mfcc=13, dct_type=3, lifter=22, n_mels=64, mel_norm=None)):
        tolerance_check(L.feature.mfcc(y=ys, sr=sr2, **kw), librosa.feature.mfcc(y=ys, sr=sr2, **kw),
                        1e-9, f"mfcc {kw}")
    M = librosa.feature.mfcc(y=y, sr=sr)
    for kw in ({}, dict(order=2, width=5, mode="nearest"), dict(axis=0, width=3, mode="constant")):
        tolerance_check(L.feature.delta(M, **kw), librosa.feature.delta(M, **kw), 1e-9, f"delta {kw}")
    for kw in (dict(sr=sr, n_fft=2048), dict(sr=16000, n_fft=512, n_mels=40, htk=True, norm=2.0,
                                              dtype=np.float64)):
        got, want = L.filters.mel(**kw), librosa.filters.mel(**kw)
        assert got.dtype == want.dtype
        tolerance_check(got, want, 1e-7 if got.dtype == np.float32 else 1e-12, f"filters.mel {kw}")
    for window in ("hann", "blackmanharris", ("kaiser", 8.0), ("gaussian", 7), np.hanning):
        for fftbins in (True, False):
            tolerance_check(L.filters.get_window(window, 400, fftbins=fftbins),
                            librosa.filters.get_window(window, 400, fftbins=fftbins), 1e-12)


def test_chroma_and_constant_q_are_librosas(music):
    """Within the core's documented agreement with librosa's multirate CQT (median and 99th
    percentile of the dB difference over the bins within 60 dB of the maximum)."""
    y, sr = music
    for got, want in [(L.cqt(y, sr=sr), librosa.cqt(y, sr=sr)),
                      (L.vqt(y, sr=sr, intervals="ji5"), librosa.vqt(y, sr=sr, intervals="ji5")),
                      (L.pseudo_cqt(y, sr=sr), librosa.pseudo_cqt(y, sr=sr)),
                      (L.feature.chroma_cqt(y=y, sr=sr), librosa.feature.chroma_cqt(y=y, sr=sr))]:
        assert got.shape == want.shape
        median, p99, corr = db_agreement(got, want)
        assert median <= 0.05 and p99 <= 1.5 and corr >= 0.999, (median, p99, corr)
    C = np.abs(librosa.cqt(y, sr=sr, n_bins=84, bins_per_octave=12))
    tolerance_check(L.feature.chroma_cqt(C=C, bins_per_octave=12),
                    librosa.feature.chroma_cqt(C=C, bins_per_octave=12), 1e-9, "chroma C=")


def test_conversions_and_tuning_are_librosas(music):
    y, sr = music
    assert L.estimate_tuning(y=y, sr=sr) == librosa.estimate_tuning(y=y, sr=sr)
    for got, want in zip(L.piptrack(y=y, sr=sr), librosa.piptrack(y=y, sr=sr)):
        np.testing.assert_array_equal(got != 0, want != 0)  # the same peaks, values to rounding
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    freqs = np.array([110.0, 220.7, 439.0, 882.0])
    assert L.pitch_tuning(freqs) == librosa.pitch_tuning(freqs)
    batch = np.abs(librosa.stft(np.stack([y, 1e-3 * y[::-1]])))  # librosa floors both together
    for f in ("power_to_db", "amplitude_to_db"):
        for ref in (1.0, np.max):
            tolerance_check(getattr(L, f)(batch, ref=ref), getattr(librosa, f)(batch, ref=ref), 1e-12)
    for f in ("power_to_db", "amplitude_to_db", "db_to_power", "db_to_amplitude"):
        lists = [[0.1, 2.0]] if f.endswith("_db") else []  # librosa takes lists there only
        for value in [3, 0.5, np.array([1, 10, 100])] + lists:
            np.testing.assert_allclose(getattr(L, f)(value), getattr(librosa, f)(value), rtol=1e-12)
    x = np.linspace(-1, 1, 101)
    np.testing.assert_array_equal(L.mu_compress(x), librosa.mu_compress(x))
    np.testing.assert_allclose(L.mu_expand(L.mu_compress(x)), librosa.mu_expand(librosa.mu_compress(x)),
                               rtol=1e-12)
    assert L.note_to_hz("A!1-25") == librosa.note_to_hz("A!1-25")
    assert L.hz_to_note(440.0, cents=True) == librosa.hz_to_note(440.0, cents=True)
    assert L.midi_to_note(61, unicode=False) == librosa.midi_to_note(61, unicode=False)
    np.testing.assert_allclose(L.mel_frequencies(40, fmax=8000), librosa.mel_frequencies(40, fmax=8000),
                               rtol=1e-12)
    np.testing.assert_allclose(L.cqt_frequencies(24, fmin=55.0), librosa.cqt_frequencies(24, fmin=55.0),
                               rtol=1e-12)
    np.testing.assert_allclose(L.hz_to_mel(1000.0, htk=True), librosa.hz_to_mel(1000.0, htk=True))
    np.testing.assert_array_equal(L.fft_frequencies(sr=sr), librosa.fft_frequencies(sr=sr))
    assert L.plimit_intervals(primes=[3, 5], return_factors=True) == \
        librosa.plimit_intervals(primes=[3, 5], return_factors=True)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_frame_is_librosas_on_every_axis(axis, rng):
    x = rng.standard_normal((20, 21, 22))
    got = L.util.frame(x, frame_length=5, hop_length=3, axis=axis)
    want = librosa.util.frame(x, frame_length=5, hop_length=3, axis=axis)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    ints = np.arange(10)
    np.testing.assert_array_equal(L.util.frame(ints, frame_length=3, hop_length=1),
                                  librosa.util.frame(ints, frame_length=3, hop_length=1))


def test_what_it_cannot_honour_is_refused(music):
    y, sr = music
    with pytest.raises(af.ParameterError, match="cqt_mode"):
        L.feature.chroma_cqt(y=y, sr=sr, cqt_mode="hybrid")
    with pytest.raises(af.ParameterError, match="window"):
        L.feature.chroma_cqt(y=y, sr=sr, window=np.ones(12))
    with pytest.raises(af.ParameterError, match="Received: {'deriv': 2}"):
        L.feature.delta(np.ones((3, 20)), deriv=2)
    with pytest.raises(TypeError, match="n_mel"):
        L.feature.melspectrogram(y=y, n_mel=40)
    with pytest.raises(af.ParameterError, match="axis"):
        L.util.frame(y, frame_length=4, hop_length=2, axis=1)


# --- every backend ---------------------------------------------------------------------------

def test_the_namespace_runs_on_every_backend(xp, rng):
    y = rng.standard_normal((2, 8000)).astype(np.float32)
    x = xp.asarray(y)
    D = L.stft(x, n_fft=512)
    tolerance_check(assert_like(D, xp, dtype=xp.xp.complex64), librosa.stft(y, n_fft=512), 1e-5)
    M = L.feature.melspectrogram(y=x, sr=16000, n_fft=512, n_mels=40)
    tolerance_check(assert_like(M, xp, dtype=xp.xp.float32),
                    librosa.feature.melspectrogram(y=y, sr=16000, n_fft=512, n_mels=40), 1e-5)
    mf = L.feature.mfcc(y=x, sr=16000, n_fft=512, n_mels=40)
    tolerance_check(assert_like(mf, xp, dtype=xp.xp.float32),
                    librosa.feature.mfcc(y=y, sr=16000, n_fft=512, n_mels=40), 1e-4)
    F = L.util.frame(x, frame_length=400, hop_length=160)
    np.testing.assert_array_equal(assert_like(F, xp, dtype=xp.xp.float32),
                                  librosa.util.frame(y, frame_length=400, hop_length=160))
    back = L.istft(D, n_fft=512, length=8000)
    tolerance_check(assert_like(back, xp, dtype=xp.xp.float32, shape=y.shape), y, 1e-5)
    db = L.power_to_db(M, ref=1.0)
    tolerance_check(to_numpy(db), librosa.power_to_db(to_numpy(M)), 1e-5)
