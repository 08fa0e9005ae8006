"""Tuning estimation against librosa's piptrack / estimate_tuning / pitch_tuning."""

import numpy as np
import pytest

import audiofront as af
from helpers import RECORDINGS, assert_like, load, optional

librosa = optional("librosa")


@pytest.mark.parametrize("name", list(RECORDINGS))
def test_piptrack_and_estimate_tuning_as_librosa(name):
    y, sr = load(name, seconds=5.0)
    y = y.astype(np.float64)
    pitches, mags = af.piptrack(y, sr=sr)
    ref_pitches, ref_mags = librosa.piptrack(y=y, sr=sr)
    np.testing.assert_array_equal(pitches > 0, ref_pitches > 0)  # the same peaks
    np.testing.assert_allclose(pitches, ref_pitches, rtol=1e-12, atol=0)
    np.testing.assert_allclose(mags, ref_mags, rtol=0, atol=1e-12 * ref_mags.max())
    for kwargs in ({}, {"resolution": 0.02, "bins_per_octave": 36}, {"fmin": 60.0, "threshold": 0.3}):
        assert af.estimate_tuning(y, sr=sr, **kwargs) == librosa.estimate_tuning(y=y, sr=sr, **kwargs)
    S = np.abs(librosa.stft(y, n_fft=1024))
    assert af.estimate_tuning(S=S, sr=sr, n_fft=1024) == librosa.estimate_tuning(S=S, sr=sr)


def test_detuned_tone_and_pitch_tuning():
    t = np.arange(22050) / 22050
    for cents in (-40, -10, 0, 25, 45):
        y = np.sin(2 * np.pi * 440 * 2 ** (cents / 1200) * t)
        estimate = af.estimate_tuning(y, sr=22050)
        assert estimate == librosa.estimate_tuning(y=y, sr=22050)
        assert estimate == pytest.approx(cents / 100, abs=0.03)  # the method's own accuracy
    freqs = [440.0, 442.0, 445.0, 220.5, 0.0, -3.0]
    assert af.pitch_tuning(freqs) == librosa.pitch_tuning(freqs)
    with pytest.warns(UserWarning, match="empty frequency set"):
        assert af.pitch_tuning([0.0]) == 0.0


def test_tuning_none_estimates_it_as_librosa():
    y, sr = load("env_robin_44k_stereo.flac", seconds=3.0)
    tuning = af.estimate_tuning(y, sr=sr)
    assert tuning != 0.0
    np.testing.assert_array_equal(af.cqt(y, sr=sr, tuning=None, n_bins=48),
                                  af.cqt(y, sr=sr, tuning=tuning, n_bins=48))
    # chroma's CQT has 36 bins per octave: the tuning is estimated in those bins, as librosa
    tuning36 = af.estimate_tuning(y, sr=sr, bins_per_octave=36)
    np.testing.assert_array_equal(af.chroma_cqt(y, sr=sr), af.chroma_cqt(y, sr=sr, tuning=tuning36))


def test_piptrack_on_backend(xp):
    y, sr = load("music_vibeace_22k_mono.flac", seconds=2.0)
    y = y.astype(np.float32)
    pitches, mags = af.piptrack(xp.asarray(y), sr=sr)
    ref_pitches, ref_mags = af.piptrack(y, sr=sr)
    assert_like(pitches, xp, dtype=xp.xp.float32)
    got = np.asarray(assert_like(mags, xp, dtype=xp.xp.float32))
    strong = ref_mags > 1e-3 * ref_mags.max()  # float32 rounding may move the weakest peaks
    np.testing.assert_allclose(np.asarray(assert_like(pitches, xp, dtype=xp.xp.float32))[strong],
                               ref_pitches[strong], rtol=1e-4)
    np.testing.assert_allclose(got[strong], ref_mags[strong], rtol=1e-4)
    assert af.estimate_tuning(xp.asarray(y), sr=sr) == pytest.approx(
        af.estimate_tuning(y, sr=sr), abs=0.011)
