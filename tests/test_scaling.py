"""Decibel scaling against librosa, per-example floors, and by backend."""

import librosa
import numpy as np
import pytest

import audiofront as af
from helpers import assert_like, tolerance_check


@pytest.fixture
def power(recordings):
    y, sr = recordings["music_vibeace_22k_mono.flac"]
    return np.abs(librosa.stft(y)) ** 2


@pytest.mark.parametrize("ref", [1.0, 0.5, np.max])
@pytest.mark.parametrize("top_db", [80.0, 40.0, None])
@pytest.mark.parametrize("amin", [1e-10, 1e-5])
def test_power_to_db_matches_librosa(power, ref, top_db, amin):
    expected = librosa.power_to_db(power, ref=ref, amin=amin, top_db=top_db)
    actual = af.power_to_db(power, ref=ref, amin=amin, top_db=top_db)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("ref", [1.0, 0.1, np.max])
def test_amplitude_to_db_matches_librosa(power, ref):
    mag = np.sqrt(power)
    np.testing.assert_allclose(af.amplitude_to_db(mag, ref=ref),
                               librosa.amplitude_to_db(mag, ref=ref), rtol=0, atol=1e-9)


def test_db_inverses_match_librosa(power):
    db = librosa.power_to_db(power, top_db=None)
    np.testing.assert_allclose(af.db_to_power(db, ref=2.0), librosa.db_to_power(db, ref=2.0),
                               rtol=1e-12)
    np.testing.assert_allclose(af.db_to_amplitude(db, ref=2.0),
                               librosa.db_to_amplitude(db, ref=2.0), rtol=1e-12)
    np.testing.assert_allclose(af.db_to_power(af.power_to_db(power, top_db=None)),
                               np.maximum(power, 1e-10), rtol=1e-10)


def test_top_db_and_ref_are_per_example(power):
    """A loud and a quiet example in one batch: each is floored against its own peak."""
    batch = np.stack([power, power * 1e-6])
    out = af.power_to_db(batch, ref=np.max, top_db=80.0)
    for i in range(2):
        np.testing.assert_allclose(out[i], librosa.power_to_db(batch[i], ref=np.max, top_db=80.0),
                                   atol=1e-9)
    assert out[1].max() == 0.0 and out[1].min() == -80.0
    # a user callable receives the axes to reduce
    out2 = af.power_to_db(batch, ref=lambda S, axis, keepdims: np.median(S, axis=axis, keepdims=keepdims))
    np.testing.assert_allclose(out2[1], librosa.power_to_db(batch[1], ref=np.median), atol=1e-9)


@pytest.mark.parametrize("ref", [1.0, np.max])
def test_scaling_backends(xp, power, ref):
    batch = np.stack([power[:, :50], power[:, 50:100] * 1e-3]).astype(np.float32)
    expected = af.power_to_db(batch, ref=ref)
    out = af.power_to_db(xp.asarray(batch), ref=ref)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.float32, shape=batch.shape), expected, 1e-5)
    mag = np.sqrt(batch)
    out = af.amplitude_to_db(xp.asarray(mag), ref=ref)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.float32, shape=batch.shape),
                    af.amplitude_to_db(mag, ref=ref), 1e-5)
    back = af.db_to_power(af.power_to_db(xp.asarray(batch), top_db=None))
    tolerance_check(assert_like(back, xp, dtype=xp.xp.float32), np.maximum(batch, 1e-10), 1e-5)
    amp = af.db_to_amplitude(xp.asarray(np.float32([0.0, -20.0])))
    np.testing.assert_allclose(assert_like(amp, xp, dtype=xp.xp.float32), [1.0, 0.1], rtol=1e-6)


def test_complex_input_is_its_magnitude_with_librosas_warning():
    D = np.random.default_rng(3).standard_normal((4, 6)) * np.exp(1j * np.arange(6))
    for name in ("power_to_db", "amplitude_to_db"):
        with pytest.warns(UserWarning, match=f"{name} was called on complex input") as ours:
            got = getattr(af, name)(D)
        with pytest.warns(UserWarning) as theirs:
            expected = getattr(librosa, name)(D)
        assert str(ours[0].message) == str(theirs[0].message)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9 * np.abs(expected).max())


@pytest.mark.parametrize("value", [1, 0, 10.0, True, -10, np.array([3, 0, 7]),
                                   np.array([True, False]), np.float32(2.5), np.int16(9)],
                         ids=repr)
def test_numbers_and_integer_arrays_as_librosa_takes_them(value):
    for name in ("power_to_db", "amplitude_to_db", "db_to_power", "db_to_amplitude"):
        got = getattr(af, name)(value)
        try:
            expected = getattr(librosa, name)(value)
        except TypeError:  # librosa's amplitude_to_db cannot square a boolean array
            expected = getattr(librosa, name)(np.asarray(value, np.float64))
        else:  # the same kind of result; a float32 NumPy scalar keeps its dtype here (ours)
            if not isinstance(value, np.floating):
                assert type(got) is type(expected), (name, type(got), type(expected))
                assert np.asarray(got).dtype == np.asarray(expected).dtype, name
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    # lists too (librosa's dB conversions take them, its inverses do not)
    np.testing.assert_allclose(af.power_to_db([1, 2, 40]), librosa.power_to_db([1, 2, 40]))


def test_integer_arrays_use_the_namespaces_default_float(xp):
    got = af.power_to_db(xp.xp.asarray([1, 10, 100], device=xp.device))
    default = xp.xp.__array_namespace_info__().default_dtypes(device=xp.device)["real floating"]
    np.testing.assert_allclose(assert_like(got, xp, dtype=default), [0.0, 10.0, 20.0], atol=1e-5)


def test_scaling_rejects_bad_parameters():
    with pytest.raises(af.ParameterError, match="top_db=-1"):
        af.power_to_db(np.ones(3), top_db=-1)
    with pytest.raises(af.ParameterError, match="amin=0"):
        af.power_to_db(np.ones(3), amin=0)
    with pytest.raises(af.ParameterError, match="ref="):
        af.power_to_db(np.ones(3), ref="loud")
