"""frame / overlap_add / pad against brute force and NumPy, on every backend."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import audiofront as af
from audiofront.framing import pad
from helpers import assert_like, to_numpy


def _frames_reference(x, length, hop, pad_end):
    n = x.shape[-1]
    count = -(-n // hop) if pad_end else 1 + (n - length) // hop
    if pad_end:
        x = np.concatenate([x, np.zeros(x.shape[:-1] + (max(0, (count - 1) * hop + length - n),))], -1)
    return np.stack([x[..., t * hop:t * hop + length] for t in range(count)], axis=-2)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 300), length=st.integers(1, 64), hop=st.integers(1, 64),
       pad_end=st.booleans())
def test_frame_and_overlap_add_brute_force(n, length, hop, pad_end):
    x = np.random.default_rng(n).standard_normal((2, n))
    if not pad_end and n < length:
        with pytest.raises(af.ParameterError, match="frame_length"):
            af.frame(x, frame_length=length, hop_length=hop)
        return
    frames = af.frame(x, frame_length=length, hop_length=hop, pad_end=pad_end)
    expected = _frames_reference(x, length, hop, pad_end)
    np.testing.assert_array_equal(frames, expected)
    assert frames.shape[-2] == af.frame_count(n, frame_length=length, hop_length=hop, pad_end=pad_end)
    out = af.overlap_add(frames, hop_length=hop)
    ola = np.zeros(x.shape[:-1] + ((frames.shape[-2] - 1) * hop + length,))
    for t in range(frames.shape[-2]):
        ola[..., t * hop:t * hop + length] += frames[..., t, :]
    np.testing.assert_allclose(out, ola, rtol=1e-12, atol=1e-12)


def test_frame_and_overlap_add_backends(xp, rng):
    x = rng.standard_normal((3, 1000)).astype(np.float32)
    frames = af.frame(xp.asarray(x), frame_length=128, hop_length=48)
    got = assert_like(frames, xp, dtype=xp.xp.float32, shape=(3, 1 + (1000 - 128) // 48, 128))
    np.testing.assert_array_equal(got, _frames_reference(x, 128, 48, False))
    out = af.overlap_add(frames, hop_length=48)
    np.testing.assert_allclose(assert_like(out, xp, dtype=xp.xp.float32),
                               af.overlap_add(_frames_reference(x, 128, 48, False), hop_length=48),
                               rtol=1e-5, atol=1e-5)
    padded = af.frame(xp.asarray(x), frame_length=128, hop_length=48, pad_end=True)
    assert_like(padded, xp, dtype=xp.xp.float32, shape=(3, -(-1000 // 48), 128))


@pytest.mark.parametrize("mode,np_mode", [("constant", "constant"), ("reflect", "reflect"),
                                          ("edge", "edge"), ("wrap", "wrap")])
def test_pad_modes_match_numpy(xp, mode, np_mode):
    x = np.arange(24.0, dtype=np.float32).reshape(2, 12)
    for before, after in [(0, 0), (3, 5), (7, 0), (0, 11)]:
        out = pad(xp.asarray(x), before, after, mode=mode)
        expected = np.pad(x, [(0, 0), (before, after)], mode=np_mode)
        np.testing.assert_array_equal(assert_like(out, xp, dtype=xp.xp.float32), expected)


def test_reflect_pad_needs_enough_signal():
    with pytest.raises(af.ParameterError, match="reflect"):
        af.stft(np.zeros(100), n_fft=256, pad_mode="reflect")


def test_frame_count_conventions():
    assert af.frame_count(22050, frame_length=2048, hop_length=512, center=True) == 44
    assert af.frame_count(22050, frame_length=2048, hop_length=512) == 1 + 20002 // 512  # 40
    assert af.frame_count(22050, frame_length=2048, hop_length=512, pad_end=True) == 44
    assert af.frame_count(100, frame_length=2048, hop_length=512) == 0


def test_mask_stripes(xp):
    S = np.ones((2, 3, 5, 8), dtype=np.float32)
    start = np.array([[0, 2, 7], [1, 1, 3]])
    width = np.array([[2, 0, 3], [1, 4, 2]])
    out = af.mask_stripes(xp.asarray(S), start=xp.asarray(start), width=xp.asarray(width), axis=-1)
    got = assert_like(out, xp, dtype=xp.xp.float32, shape=S.shape)
    expected = S.copy()
    for i in np.ndindex(2, 3):
        expected[i][:, start[i]:start[i] + width[i]] = 0
    np.testing.assert_array_equal(got, expected)
    out = af.mask_stripes(xp.asarray(S), start=1, width=2, axis=-2, value=-1.0)
    expected = S.copy()
    expected[..., 1:3, :] = -1
    np.testing.assert_array_equal(to_numpy(out), expected)


def test_symmetric_pad_matches_numpy(xp):
    x = np.arange(24.0, dtype=np.float32).reshape(2, 12)
    for before, after in [(0, 0), (3, 5), (12, 0)]:
        out = pad(xp.asarray(x), before, after, mode="symmetric")
        np.testing.assert_array_equal(to_numpy(out), np.pad(x, [(0, 0), (before, after)], mode="symmetric"))
