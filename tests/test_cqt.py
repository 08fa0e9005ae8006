"""CQT / VQT: the definition written out, librosa's numbers, every backend."""

import warnings

import librosa
import numpy as np
import pytest
import scipy.signal

import audiofront as af
from helpers import assert_like, load, tolerance_check

SEED = dict(sr=22050, fmin="C3", n_bins=96, bins_per_octave=24, hop_length=1024)  # the notebook's


def librosa_frame_count(n, *, sr, hop_length, fmin, n_bins, bins_per_octave, gamma=0.0):
    """The frame count of librosa's own transform (the VQT: the CQT is gamma=0)."""
    y = np.random.default_rng(n).standard_normal(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # librosa warns that n_fft exceeds short signals
        return librosa.vqt(y, sr=sr, hop_length=hop_length, fmin=fmin, n_bins=n_bins,
                           bins_per_octave=bins_per_octave, gamma=gamma).shape[-1]


def brute_force_cqt(y, *, sr, hop_length, fmin, n_bins, bins_per_octave, scale=True, gamma=0.0,
                    intervals="equal"):
    """Each frame against each of librosa's kernels (filters.wavelet, in float64), in the time
    domain: C[k, t] = length_k * sum_j kernel_k[j] y[t * hop - j] (the convolution librosa's
    spectral product computes), divided by sqrt(length_k) when scale."""
    freqs = librosa.interval_frequencies(n_bins, fmin=fmin, intervals=intervals,
                                         bins_per_octave=bins_per_octave)
    alpha = librosa.filters._relative_bandwidth(freqs=freqs)
    kernels, lengths = librosa.filters.wavelet(freqs=freqs, sr=sr, window="hann", norm=1,
                                               pad_fft=True, gamma=gamma, alpha=alpha,
                                               dtype=np.complex128)
    N = kernels.shape[1]
    n_frames = librosa_frame_count(len(y), sr=sr, hop_length=hop_length, fmin=fmin,
                                   n_bins=n_bins, bins_per_octave=bins_per_octave, gamma=gamma)
    padded = np.pad(y, (N // 2, N // 2 + n_frames * hop_length))
    offsets = np.arange(N)
    reversed_index = (-offsets) % N  # frame sample paired with kernel sample n is at -n
    C = np.empty((n_bins, n_frames), dtype=np.complex128)
    for t in range(n_frames):
        frame = padded[t * hop_length:t * hop_length + N]
        C[:, t] = kernels @ frame[reversed_index]
    C *= lengths[:, None]
    return C / np.sqrt(lengths[:, None]) if scale else C


@pytest.mark.parametrize("params", [
    dict(sr=16000, hop_length=256, fmin=65.0, n_bins=60, bins_per_octave=12),
    dict(sr=22050, hop_length=512, fmin=librosa.note_to_hz("C1"), n_bins=84, bins_per_octave=12),
    dict(sr=22050, hop_length=1024, fmin=librosa.note_to_hz("C3"), n_bins=96, bins_per_octave=24),
    dict(sr=8000, hop_length=128, fmin=100.0, n_bins=40, bins_per_octave=12, scale=False),
])
def test_direct_is_the_definition(params):
    y, sr = load("speech_libri_5703_16k_mono.flac", seconds=2.0)
    params = dict(params)
    expected = brute_force_cqt(y, **params)
    actual = af.cqt(y, algorithm="direct", **params)
    assert actual.dtype == np.complex128
    tolerance_check(actual, expected, 1e-6, "direct vs definition")


def db_agreement(actual, expected):
    """(median |dB diff|, 99th percentile, correlation of dB) over bins within 60 dB of the max."""
    a = 20 * np.log10(np.abs(actual) + 1e-30)
    b = 20 * np.log10(np.abs(expected) + 1e-30)
    keep = b > b.max() - 60
    diff = np.abs(a - b)[keep]
    return np.median(diff), np.percentile(diff, 99), np.corrcoef(a[keep], b[keep])[0, 1]


def _assert_close_to_librosa(actual, expected, what):
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    median, p99, corr = db_agreement(actual, expected)
    assert median <= 0.2 and p99 <= 2.0 and corr >= 0.999, (what, median, p99, corr)


RECORDINGS = ["music_vibeace_22k_mono.flac", "speech_libri_5703_16k_mono.flac",
              "music_trumpet_44k_stereo.wav"]


@pytest.mark.parametrize("name", RECORDINGS)
@pytest.mark.parametrize("algorithm", ["direct", "multirate"])
@pytest.mark.parametrize("params", [{}, SEED, dict(hop_length=256, n_bins=72, bins_per_octave=12)],
                         ids=["default", "seed", "hop256"])
def test_cqt_agrees_with_librosa(recordings, name, algorithm, params):
    y, sr = recordings[name]
    params = {**params, "sr": sr}
    lib_params = {**params, "fmin": af.note_to_hz(params["fmin"]) if "fmin" in params else None}
    expected = librosa.cqt(y, sparsity=0, **lib_params)
    actual = af.cqt(y, algorithm=algorithm, **params)
    _assert_close_to_librosa(actual, expected, f"{name} {algorithm}")


@pytest.mark.parametrize("gamma", [None, 10.0])
def test_vqt(recordings, gamma):
    """'direct' is the definition; 'multirate' reproduces librosa's VQT. The two differ more
    than for the CQT (p99 ~2.3 dB for the ERB gamma): the short low-frequency VQT kernels are
    wide-band, and both multirate computations, librosa's and ours, build them at decimated
    rates where they are no longer band-limited."""
    y, sr = load("music_vibeace_22k_mono.flac", seconds=3.0)
    fmin = librosa.note_to_hz("C1")
    expected = brute_force_cqt(y, sr=sr, hop_length=512, fmin=fmin, n_bins=72,
                               bins_per_octave=12, gamma=gamma)
    direct = af.vqt(y, sr=sr, gamma=gamma, n_bins=72, algorithm="direct")
    tolerance_check(direct, expected, 1e-6, "vqt direct vs definition")
    y, sr = recordings["music_vibeace_22k_mono.flac"]
    _assert_close_to_librosa(af.vqt(y, sr=sr, gamma=gamma, n_bins=72, algorithm="multirate"),
                             librosa.vqt(y, sr=sr, gamma=gamma, sparsity=0, n_bins=72),
                             f"vqt gamma={gamma}")


@pytest.mark.parametrize("intervals", ["pythagorean", "ji3", "ji5", "ji7", [1, 4 / 3, 3 / 2],
                                       list(librosa.plimit_intervals(primes=[3, 5])[::-1])],
                         ids=["pythagorean", "ji3", "ji5", "ji7", "array3", "array12"])
def test_vqt_intervals(recordings, intervals):
    """Every interval set: 'direct' is the definition on librosa's frequencies; 'multirate'
    agrees with librosa's VQT as the equal-tempered CQT does for the 12-ratio sets. (Three
    ratios an octave make third-octave-wide kernels, which both multirate computations build
    at rates where they are no longer band-limited, as for the VQT: p99 2.7 dB apart.)"""
    bpo = len(intervals) if isinstance(intervals, list) else 12
    y, sr = load("music_vibeace_22k_mono.flac", seconds=3.0)
    fmin = librosa.note_to_hz("C2")
    expected = brute_force_cqt(y, sr=sr, hop_length=512, fmin=fmin, n_bins=5 * bpo,
                               bins_per_octave=bpo, intervals=intervals)
    direct = af.vqt(y, sr=sr, fmin=fmin, gamma=0, n_bins=5 * bpo, intervals=intervals,
                    algorithm="direct")
    tolerance_check(direct, expected, 1e-6, f"vqt intervals={intervals} vs definition")
    if bpo != 12:
        return
    y, sr = recordings["music_vibeace_22k_mono.flac"]
    _assert_close_to_librosa(
        af.vqt(y, sr=sr, intervals=intervals, n_bins=7 * bpo, algorithm="multirate"),
        librosa.vqt(y, sr=sr, intervals=intervals, n_bins=7 * bpo, sparsity=0),
        f"vqt intervals={intervals}")


def test_interval_sets_are_librosas():
    from audiofront import intervals as I

    for n in range(1, 41):
        for sort in (True, False):
            for factors in (False, True):
                kw = dict(bins_per_octave=n, sort=sort, return_factors=factors)
                got, want = I.pythagorean_intervals(**kw), librosa.pythagorean_intervals(**kw)
                assert np.array_equal(got, want) if not factors else got == want, (n, kw)
                for primes in ([3], [3, 5], [3, 5, 7], [5, 7], [3, 11]):
                    got = I.plimit_intervals(primes=primes, **kw)
                    want = librosa.plimit_intervals(primes=primes, **kw)
                    assert np.array_equal(got, want) if not factors else got == want, (n, primes, kw)
    for intervals in ["equal", "pythagorean", "ji3", "ji5", "ji7", [1, 4 / 3, 3 / 2], [1.5, 1, 1.25]]:
        for sort in (True, False):
            for n_bins in (1, 7, 36, 85):
                kw = dict(fmin=32.7, intervals=intervals, bins_per_octave=24, tuning=0.1, sort=sort)
                np.testing.assert_array_equal(I.interval_frequencies(n_bins, **kw),
                                              librosa.interval_frequencies(n_bins, **kw))


def test_vqt_interval_array_is_the_named_set(rng):
    """librosa's own check: equal temperament given as ratios is the 'equal' set, and the
    array's length sets bins_per_octave."""
    y = rng.standard_normal(22050)
    named = af.vqt(y, bins_per_octave=20, n_bins=60, intervals="equal")
    given = af.vqt(y, n_bins=60, intervals=2.0 ** (np.arange(20) / 20.0))
    np.testing.assert_allclose(given, named, rtol=0, atol=1e-12 * np.abs(named).max())
    assert af.cqt_frame_count(22050, n_bins=60, intervals=2.0 ** (np.arange(20) / 20.0)) \
        == given.shape[-1]
    for bad in ("ji11", [0.5, 1.0], [1.0, 2.0], [[1.0, 1.5]], []):
        with pytest.raises(af.ParameterError, match="intervals"):
            af.vqt(y, intervals=bad)


def brown_definition(y, *, sr, hop_length, fmin, n_bins, bins_per_octave, gamma=0.0):
    """Brown's constant-Q transform as nnAudio's CQT1992v2 defines it, written out: Q = 1 /
    (2^(1/bpo) - 1), lengths ceil(Q sr / (f + gamma / alpha)), periodic Hann kernels of unit L1
    norm centred in a power-of-two buffer N, each frame (reflect padding by N // 2) correlated
    with the conjugate kernel, times sqrt(length)."""
    alpha = 2.0 ** (1.0 / bins_per_octave) - 1
    freqs = fmin * 2.0 ** (np.arange(n_bins) / bins_per_octave)
    lengths = np.ceil(1 / alpha * sr / (freqs + gamma / alpha))
    N = int(2 ** np.ceil(np.log2(lengths.max())))
    padded = np.pad(y, N // 2, mode="reflect")
    n_frames = 1 + len(y) // hop_length
    C = np.zeros((n_bins, n_frames), dtype=np.complex128)
    for k, (f, l) in enumerate(zip(freqs, lengths)):
        n = np.arange(-l // 2, l // 2)
        kernel = scipy.signal.get_window("hann", len(n), fftbins=True) * np.exp(2j * np.pi * f * n / sr)
        kernel /= np.abs(kernel).sum()
        buffer = np.zeros(N, dtype=np.complex128)
        left = (N - len(n)) // 2
        buffer[left:left + len(n)] = kernel
        for t in range(n_frames):
            C[k, t] = np.sqrt(l) * np.dot(padded[t * hop_length:t * hop_length + N], np.conj(buffer))
    return C


@pytest.mark.parametrize("gamma", [0.0, 6.0])
def test_brown_kernels_are_the_definition(gamma):
    y = load("music_vibeace_22k_mono.flac", seconds=1.0)[0]
    kw = dict(sr=22050, hop_length=256, fmin=110.0, n_bins=30, bins_per_octave=12)
    expected = brown_definition(y, gamma=gamma, **kw)
    actual = af.vqt(y, kernels="brown", pad_mode="reflect", gamma=gamma, **kw)
    tolerance_check(actual, expected, 1e-12, f"brown gamma={gamma}")
    assert af.cqt_frame_count(len(y), kernels="brown", gamma=gamma, **kw) == expected.shape[-1]
    with pytest.raises(af.ParameterError, match="algorithm='multirate'"):
        af.cqt(y, kernels="brown", algorithm="multirate", **kw)


def test_direct_basis_is_the_transform(xp, rng):
    y = rng.standard_normal((2, 8000))
    kw = dict(sr=8000, fmin=200.0, n_bins=24, hop_length=128)
    expected = af.cqt(y, algorithm="direct", **kw)
    basis = af.cqt_direct_basis(**kw, xp=xp.xp, device=xp.device, dtype=xp.xp.float32)
    out = af.cqt(xp.asarray(y.astype(np.float32)), direct_basis=basis, **kw)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.complex64, shape=expected.shape), expected, 1e-5)
    with pytest.raises(af.ParameterError, match="direct_basis must have shape"):
        af.cqt(y, direct_basis=np.ones((3, 48)), **kw)


def test_multirate_with_odd_hop_and_sparsity(recordings):
    y, sr = recordings["music_vibeace_22k_mono.flac"]
    expected = librosa.cqt(y, sr=sr, hop_length=333, sparsity=0.01)
    actual = af.cqt(y, sr=sr, hop_length=333, sparsity=0.01, algorithm="multirate")
    _assert_close_to_librosa(actual, expected, "odd hop, sparsity")


FRAME_DESIGNS = {
    # early downsampling by 4, then hops 16, 8, 4, 2: four roundings up of the length
    "hop64": (dict(sr=22050, hop_length=64, fmin=65.0, n_bins=48, bins_per_octave=12),
              range(64)),
    # the review's case: 511 / 1023 / 2047 / 4095 samples give 2 / 3 / 5 / 9 frames
    "hop512": (dict(sr=22050, hop_length=512, fmin=65.0, n_bins=48, bins_per_octave=12),
               [0, 1, 2, 127, 128, 129, 255, 256, 257, 383, 384, 385, 510, 511]),
    "8k": (dict(sr=8000, hop_length=512, fmin=200.0, n_bins=6, bins_per_octave=12),
           [0, 1, 255, 256, 257, 511]),
    "odd hop": (dict(sr=22050, hop_length=333, fmin=65.0, n_bins=48, bins_per_octave=12),
                [0, 1, 166, 332]),
    "vqt": (dict(sr=22050, hop_length=256, fmin=65.0, n_bins=36, bins_per_octave=12,
                 gamma=None), [0, 1, 63, 64, 127, 128, 255]),
}


@pytest.mark.parametrize("design", list(FRAME_DESIGNS))
def test_frame_count_is_librosas_for_every_remainder(design):
    """Both algorithms and cqt_frame_count give librosa's count for n % hop_length over every
    remainder where the octaves' decimated lengths round differently."""
    params, remainders = dict(FRAME_DESIGNS[design][0]), FRAME_DESIGNS[design][1]
    hop = params["hop_length"]
    gamma = params.pop("gamma", 0.0)
    for whole in (1, 4):
        for r in remainders:
            n = whole * hop + r - 1
            expected = librosa_frame_count(n, gamma=gamma, **params)
            y = np.random.default_rng(n).standard_normal(n)
            assert af.cqt_frame_count(n, gamma=gamma, **params) == expected, (n, "count")
            for algorithm in ("direct", "multirate"):
                C = af.vqt(y, gamma=gamma, algorithm=algorithm, **params)
                assert C.shape[-1] == expected, (n, algorithm, C.shape[-1], expected)


def test_direct_frames_past_the_end_are_the_definition():
    """The frames librosa's count adds beyond 1 + n // hop are the definition there too."""
    y = np.random.default_rng(3).standard_normal(4095)
    params = dict(sr=22050, hop_length=512, fmin=65.0, n_bins=48, bins_per_octave=12)
    expected = brute_force_cqt(y, **params)
    assert expected.shape[-1] == 9 == 2 + 4095 // 512
    tolerance_check(af.cqt(y, algorithm="direct", **params), expected, 1e-6, "direct")


@pytest.mark.parametrize("algorithm", ["direct", "multirate"])
@pytest.mark.parametrize("bin_index", [0, 13, 40, 83])
def test_tone_peaks_in_its_bin(algorithm, bin_index):
    sr = 22050
    f = af.cqt_frequencies(84, fmin="C1")[bin_index]
    t = np.arange(3 * sr) / sr
    C = af.cqt(np.sin(2 * np.pi * f * t), sr=sr, algorithm=algorithm)
    middle = np.abs(C[:, C.shape[-1] // 2])
    assert int(np.argmax(middle)) == bin_index


def test_chroma_of_c_major_triad():
    sr = 22050
    t = np.arange(2 * sr) / sr
    chord = sum(np.sin(2 * np.pi * af.note_to_hz(n) * t) for n in ("C4", "E4", "G4"))
    chroma = af.chroma_cqt(chord, sr=sr)
    assert chroma.shape == (12, 1 + len(chord) // 512)
    profile = chroma[:, 10:-10].mean(axis=-1)
    assert set(np.argsort(profile)[-3:]) == {0, 4, 7}  # C, E, G
    assert np.allclose(chroma.max(axis=0), 1.0)
    expected = librosa.feature.chroma_cqt(y=chord, sr=sr, tuning=0.0)
    np.testing.assert_allclose(chroma[:, 10:-10], expected[:, 10:-10], atol=0.05)


def test_pseudo_cqt_matches_librosa(recordings):
    y, sr = recordings["music_vibeace_22k_mono.flac"]
    for scale in (True, False):
        expected = librosa.pseudo_cqt(y, sr=sr, sparsity=0, scale=scale)
        tolerance_check(af.pseudo_cqt(y, sr=sr, scale=scale), expected, 1e-5, "pseudo_cqt")


def test_frequencies_notes_and_kernels():
    np.testing.assert_allclose(af.cqt_frequencies(84, fmin="C1", tuning=0.2),
                               librosa.cqt_frequencies(84, fmin=librosa.note_to_hz("C1"), tuning=0.2),
                               rtol=1e-14)
    for note in ("C1", "A4", "C#3", "Db3", "B-1", "G\u266f5", "E\u266d2"):
        assert af.note_to_hz(note) == pytest.approx(librosa.note_to_hz(note), rel=1e-14)
    for f in (32.7, 440.0, 466.16, 1000.0):
        assert af.hz_to_note(f) == librosa.hz_to_note(f)
    assert list(af.hz_to_note([440.0, 880.0], unicode=False)) == ["A4", "A5"]
    freqs = librosa.cqt_frequencies(n_bins=48, fmin=65.0, bins_per_octave=12)
    alpha = librosa.filters._relative_bandwidth(freqs=freqs)
    expected, lengths = librosa.filters.wavelet(freqs=freqs, sr=16000, alpha=alpha,
                                                dtype=np.complex128)
    kernels, mine = af.cqt_filterbank(sr=16000, fmin=65.0, n_bins=48)
    np.testing.assert_allclose(mine, lengths, rtol=1e-14)
    np.testing.assert_allclose(kernels, expected, rtol=0, atol=1e-15)


# --- every backend ---------------------------------------------------------------------------

@pytest.mark.parametrize("algorithm", ["direct", "multirate"])
def test_cqt_backends_agree_with_numpy(xp, rng, algorithm):
    y = rng.standard_normal((2, 2, 11025)).astype(np.float32)
    params = dict(sr=22050, fmin=110.0, n_bins=48, hop_length=256, algorithm=algorithm)
    expected = af.cqt(y, **params)
    out = af.cqt(xp.asarray(y), **params)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.complex64, shape=expected.shape), expected,
                    1e-5, f"{xp} cqt")


def test_chroma_and_pseudo_backends(xp, rng):
    y = rng.standard_normal((2, 11025)).astype(np.float32)
    for f in (lambda a: af.chroma_cqt(a, sr=22050, fmin=65.0, n_octaves=5),
              lambda a: af.pseudo_cqt(a, sr=22050, fmin=65.0, n_bins=60)):
        expected = f(y)
        out = f(xp.asarray(y))
        tolerance_check(assert_like(out, xp, dtype=xp.xp.float32, shape=expected.shape),
                        expected, 1e-5)


def test_seed_workload_on_float32_batch(rng):
    """The notebook's transform on a batch of 30 s clips: shape, dtype, agreement."""
    y = rng.standard_normal((2, 30 * 22050)).astype(np.float32)
    C = af.cqt(y, **SEED)
    assert C.shape == (2, 96, 1 + 30 * 22050 // 1024) and C.dtype == np.complex64
    expected = librosa.cqt(y[0].astype(np.float64), sparsity=0,
                           **{**SEED, "fmin": librosa.note_to_hz("C3")})
    _assert_close_to_librosa(C[0], expected, "seed float32")


def test_auto_picks_multirate_for_low_fmin():
    from audiofront import constantq as cqt_module, constantq_kernels as kern

    design = kern.make_design(*kern.validated(22050, 512, None, 84, 12, 0.0, 1.0, 1, 0.0,
                                              "hann", 0.0))
    assert cqt_module._flops(design, 220500, "multirate") < cqt_module._flops(design, 220500, "direct")


def test_cqt_errors():
    y = np.zeros(22050)
    with pytest.raises(af.ParameterError, match="fmin=0"):
        af.cqt(y, fmin=0)
    with pytest.raises(af.ParameterError, match="fmin=-5"):
        af.cqt(y, fmin=-5.0)
    with pytest.raises(af.ParameterError, match="Nyquist"):
        af.cqt(y, sr=8000, n_bins=96)
    with pytest.raises(af.ParameterError, match="algorithm='fast'"):
        af.cqt(y, algorithm="fast")
    with pytest.raises(af.ParameterError, match="sparsity=1"):
        af.cqt(y, sparsity=1.0)
    with pytest.raises(af.ParameterError, match="note"):
        af.cqt(y, fmin="H2")
    with pytest.raises(TypeError, match="int16"):
        af.cqt(np.zeros(100, np.int16))
    with pytest.raises(af.ParameterError, match="multiple of n_chroma"):
        af.chroma_cqt(y, bins_per_octave=20)


@pytest.mark.parametrize("algorithm", ["direct", "multirate"])
def test_cqt_agrees_with_librosa_on_synthetic_tones(algorithm):
    sr = 22050
    t = np.arange(5 * sr) / sr
    rng = np.random.default_rng(7)
    y = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 6)) * np.exp(-((t - c) ** 2) / 0.5)
            for f, c in zip(af.cqt_frequencies(84, fmin="C1")[::7] * 1.013, np.linspace(0.3, 4.7, 12),
                            strict=True))
    y = y + 1e-3 * rng.standard_normal(len(t))
    _assert_close_to_librosa(af.cqt(y, sr=sr, algorithm=algorithm),
                             librosa.cqt(y, sr=sr, sparsity=0), f"tones {algorithm}")


def test_half_hop_holds_the_half_shifted_frames(recordings):
    """One CQT at hop 512 has the notebook's aligned (hop 1024) and half-shifted (the clip from
    sample 512, hop 1024) columns, which benchmarks/extract.py relies on."""
    y, sr = recordings["music_vibeace_22k_mono.flac"]
    kw = dict(sr=sr, fmin="C3", n_bins=96, bins_per_octave=24)
    both = af.cqt(y, hop_length=512, **kw)
    aligned = af.cqt(y, hop_length=1024, **kw)
    shifted = af.cqt(y[512:], hop_length=1024, **kw)
    tolerance_check(both[:, ::2][:, :aligned.shape[1]], aligned, 1e-12)
    n = min(both[:, 1::2].shape[1], shifted.shape[1])
    tolerance_check(both[:, 1::2][:, 8:n], shifted[:, 8:n], 1e-9)  # away from the clip's start
