"""The audiofront command: extraction into HDF5 (content, labels, layouts, bad files,
parameter mismatch), info, show and demo. Workers, clusters and SIGKILL: test_extract_workers."""

import os
import warnings

import numpy as np
import pytest

from helpers import optional

h5py = optional("h5py")
soundfile = optional("soundfile")
optional("soxr")
optional("tqdm")
optional("threadpoolctl")

import audiofront as af  # noqa: E402
from audiofront import io as afio  # noqa: E402
from audiofront.cli import main  # noqa: E402
from helpers import DATA, tolerance_check  # noqa: E402

CQT = ["--feature", "cqt", "--fmin", "C2", "--n-bins", "60", "--hop-length", "512"]

# A stored row against the core's output on that segment alone: both are float32, computed in
# other batches (another BLAS blocking, another summation order), so they agree to float32
# rounding relative to the row's maximum, not to an absolute bound in its quiet bins. Measured
# on the test recordings, a float32 CQT row is within 2e-7 .. 2.7e-6 of the float64 row
# (relative to the row's maximum; a 60-bin CQT at hop 512 sums up to ~700 products per output
# through up to 4 decimation stages, each a 32-tap sum, so ~1e-6 is float32's unit roundoff
# 6e-8 grown by the square root of the terms summed); two float32 rows then differ by at
# most twice that: 1e-5 of the row's maximum leaves a margin of two.
FLOAT32_ROW = 1e-5


def assert_row_close(actual, expected, what=""):
    tolerance_check(actual, expected, FLOAT32_ROW, what)


@pytest.fixture
def dataset(tmp_path):
    """A GTZAN-style folder: one sub-folder per label, clips of a few seconds at various
    rates, mono and stereo, cut from the test recordings."""
    root = tmp_path / "clips"
    sources = {
        "music": ["music_vibeace_22k_mono.flac", "music_trumpet_44k_stereo.wav"],
        "speech": ["speech_libri_5703_16k_mono.flac"],
        "birds": ["env_robin_44k_stereo.flac"],
    }
    for label, names in sources.items():
        (root / label).mkdir(parents=True)
        for name in names:
            y, sr = soundfile.read(DATA / name, dtype="float32", always_2d=True)
            for k in range(2):
                clip = y[k * sr:(k + 2) * sr]
                soundfile.write(root / label / f"{name.split('.')[0]}_{k}.wav", clip, sr)
    return root


def read(path):
    with h5py.File(path, "r") as f:
        return {key: f[key][()] for key in f}, dict(f.attrs)


def test_extract_content_labels_offsets(dataset, tmp_path):
    out = tmp_path / "features.h5"
    code = main(["extract", str(dataset), "-o", str(out), "--segment", "8192", "--overlap", "0.5",
                 "--mono", "-q", *CQT])
    assert code == 0
    data, attrs = read(out)
    files = [f.decode() for f in data["files"]]
    names = [n.decode() for n in data["label_names"]]
    assert names == ["birds", "music", "speech"] and attrs["complete"]
    assert len(files) == 8
    assert data["features"].shape[1:] == (60, 1 + 8192 // 512)
    for row in range(0, len(data["features"]), 5):
        path = files[data["source"][row]]
        assert names[data["label"][row]] == os.path.basename(os.path.dirname(path))
        y, _ = afio.load(path, sr=22050, mono=True)
        start = data["offset"][row]
        segment = y[0, start:start + 8192]
        expected = np.abs(af.cqt(segment, sr=22050, fmin="C2", n_bins=60, hop_length=512))
        assert_row_close(data["features"][row], expected, f"row {row}")
    # offsets: the aligned and half-shifted frames of the notebook, per file
    for i, path in enumerate(files):
        n = afio.load(path, sr=22050, mono=True)[0].shape[1]
        offsets = data["offset"][data["source"] == i]
        assert len(offsets) == n // 8192 + int(np.floor(n / 8192 - 0.5))  # N1 + N2 of the notebook
        np.testing.assert_array_equal(offsets, np.arange(len(offsets)) * 4096)


def test_stereo_kept_mono_upmixed_and_audio_kept(dataset, tmp_path):
    out = tmp_path / "stereo.h5"
    with pytest.warns(UserWarning, match="cuts 8 of 8 clips"):
        code = main(["extract", str(dataset), "-o", str(out), "--feature", "mel", "--n-mels",
                     "40", "--duration", "1.5", "--keep-audio", "--db", "-q"])
    assert code == 0
    data, _ = read(out)
    assert data["features"].shape[1:3] == (2, 40)  # channels kept
    assert data["audio"].shape[1:] == (2, int(1.5 * 22050))
    files = [f.decode() for f in data["files"]]
    mono_row = next(r for r in range(len(data["source"])) if "mono" in os.path.basename(files[data["source"][r]]))
    np.testing.assert_array_equal(data["audio"][mono_row][0], data["audio"][mono_row][1])
    expected = af.melspectrogram(data["audio"][mono_row], sr=22050, n_mels=40)
    # in decibels a quiet bin's float32 rounding is a large dB change, so compare powers
    # (relative to each channel's maximum; both sides floored top_db=80 dB below it)
    stored = af.db_to_power(data["features"][mono_row])
    floored = af.db_to_power(af.power_to_db(expected))
    for channel in range(2):
        assert_row_close(stored[channel], floored[channel], f"channel {channel}")
    # the stored frequencies are the bands' centres: where each mel filter peaks
    fb = af.mel_filterbank(sr=22050, n_fft=2048, n_mels=40)
    peaks = af.fft_frequencies(sr=22050, n_fft=2048)[np.argmax(fb, axis=1)]
    bin_hz = 22050 / 2048
    assert np.all(np.abs(data["frequencies"] - peaks) <= bin_hz / 2 + 1e-9)
    np.testing.assert_allclose(data["frequencies"],
                               af.mel_frequencies(42, fmin=0.0, fmax=11025.0)[1:-1], rtol=1e-12)


def test_bad_files_are_reported_and_skipped(dataset, tmp_path, capsys):
    (dataset / "speech" / "corrupt.wav").write_bytes(b"RIFF" + os.urandom(2000))
    (dataset / "speech" / "empty.flac").write_bytes(b"")
    soundfile.write(dataset / "speech" / "silent_zero_length.wav", np.zeros((0, 1)), 8000)
    soundfile.write(dataset / "speech" / "other_rate.wav", np.random.default_rng(0).uniform(-.5, .5, 8000 * 2), 8000)
    out = tmp_path / "f.h5"
    code = main(["extract", str(dataset), "-o", str(out), "--mono", "--segment", "8192", *CQT])
    assert code == 1  # something was skipped
    err = capsys.readouterr().err
    assert "3 files skipped" in err
    for name in ("corrupt.wav", "empty.flac", "silent_zero_length.wav"):
        assert name in err
    data, _ = read(out)
    files = [f.decode() for f in data["files"]]
    assert any(f.endswith("other_rate.wav") for f in files)  # resampled, not skipped
    assert len(data["skipped"]) == 3


def test_other_parameters_are_refused(dataset, tmp_path, capsys):
    out = tmp_path / "f.h5"
    assert main(["extract", str(dataset / "speech"), "-o", str(out), "--mono", "-q", *CQT]) == 0
    before = out.read_bytes()
    code = main(["extract", str(dataset / "speech"), "-o", str(out), "--mono", "-q",
                 "--feature", "cqt", "--fmin", "C2", "--n-bins", "48"])
    assert code == 2
    err = capsys.readouterr().err
    assert "other parameters" in err and "n_bins: file 60, now 48" in err
    assert out.read_bytes() == before  # untouched
    # the same options resume: nothing to do, still the same content
    assert main(["extract", str(dataset / "speech"), "-o", str(out), "--mono", "-q", *CQT]) == 0
    assert read(out)[0]["features"].shape == h5py.File(out, "r")["features"].shape


def test_unknown_option_for_feature(dataset, tmp_path, capsys):
    code = main(["extract", str(dataset), "-o", str(tmp_path / "x.h5"), "--feature", "cqt",
                 "--n-mels", "40"])
    assert code == 2 and "--n-mels is not a parameter of the 'cqt' feature" in capsys.readouterr().err
    assert not (tmp_path / "x.h5").exists()


def test_adding_files_to_a_finished_output(dataset, tmp_path):
    out = tmp_path / "grow.h5"
    assert main(["extract", str(dataset / "speech"), "-o", str(out), "--mono", "-q", *CQT]) == 0
    first = read(out)[0]
    assert main(["extract", str(dataset / "speech"), str(dataset / "birds"), "-o", str(out),
                 "--mono", "-q", *CQT]) == 0
    grown, attrs = read(out)
    assert attrs["complete"] and len(grown["files"]) == len(first["files"]) + 2
    np.testing.assert_array_equal(grown["features"][:len(first["features"])], first["features"])


def test_torch_backend_matches_numpy(dataset, tmp_path):
    optional("torch")
    outs = []
    for backend in ("numpy", "torch"):
        out = tmp_path / f"{backend}.h5"
        assert main(["extract", str(dataset / "speech"), "-o", str(out), "--mono", "-q",
                     "--backend", backend, "--feature", "mel", "--n-mels", "32"]) == 0
        outs.append(read(out)[0]["features"])
    for row in range(len(outs[0])):  # torch's and NumPy's float32 FFTs round differently
        assert_row_close(outs[1][row], outs[0][row], f"row {row}")


def test_info_show_and_demo(dataset, tmp_path, capsys, monkeypatch):
    optional("matplotlib")
    out = tmp_path / "f.h5"
    main(["extract", str(dataset / "speech"), "-o", str(out), "--mono", "-q", "--segment", "8192",
          "--db", *CQT])
    capsys.readouterr()
    assert main(["info", str(out)]) == 0
    text = capsys.readouterr().out
    assert "cqt features, complete" in text and "speech (" in text and "n_bins=60" in text
    png = tmp_path / "row.png"
    assert main(["show", str(out), "--row", "3", "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    clip = next((dataset / "birds").iterdir())
    for feature in ("cqt", "mel", "chroma", "mfcc"):
        png = tmp_path / f"{feature}.png"
        assert main(["show", str(clip), "--feature", feature, "-o", str(png)]) == 0
        assert png.stat().st_size > 10000
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--out-dir", "demo", "-q"]) == 0
    data, attrs = read(tmp_path / "demo" / "audiofront-demo.h5")
    assert attrs["complete"] and len(data["files"]) == 3
    assert (tmp_path / "demo" / "audiofront-demo.png").exists()


def test_text_list_float16_and_exact_rows(dataset, tmp_path):
    listing = tmp_path / "list.txt"
    clips = sorted((dataset / "music").iterdir())
    listing.write_text("# my clips\n" + "\n".join(os.path.relpath(c, tmp_path) for c in clips) + "\n")
    out = tmp_path / "half.h5"
    assert main(["extract", str(listing), "-o", str(out), "--mono", "--dtype", "float16", "-q",
                 "--segment", "8192", *CQT]) == 0
    data, _ = read(out)
    assert data["features"].dtype == np.float16 and len(data["files"]) == len(clips)
    out32 = tmp_path / "single.h5"
    assert main(["extract", str(listing), "-o", str(out32), "--mono", "-q", "--segment", "8192",
                 *CQT]) == 0
    full, _ = read(out32)
    np.testing.assert_array_equal(data["features"], full["features"].astype(np.float16))
    # a row is the core's output on that segment alone, to float32 rounding (BLAS may sum in
    # another order for another batch size)
    path = full["files"][full["source"][7]].decode()
    y, _ = afio.load(path, sr=22050, mono=True)
    start = full["offset"][7]
    expected = np.abs(af.cqt(y[:, start:start + 8192], sr=22050, fmin="C2", n_bins=60, hop_length=512))[0]
    assert_row_close(full["features"][7], expected, "row 7")


@pytest.mark.parametrize("flags, apply", [
    (["--pcen"], lambda C: af.pcen(C * 2 ** 31, sr=22050, hop_length=512)),
    (["--db", "--lcn", "--lcn-kernel", "5", "9"], lambda C: af.lcn(C, kernel_size=(5, 9))),
    (["--lcn"], lambda C: af.lcn(C, kernel_size=(7, 7))),
])
def test_normalised_features(dataset, tmp_path, capsys, flags, apply):
    """The normalisation step on the stored feature: the same extraction without it gives the
    rows it was applied to (same batches, same code up to that step), so the check isolates
    the step; the rows themselves are tested against the core above."""
    args = ["extract", str(dataset / "music"), "--segment", "8192", "--mono", "-q", *CQT]
    plain, out = tmp_path / "plain.h5", tmp_path / "norm.h5"
    assert main([*args, "-o", str(plain), *(["--db"] if "--db" in flags else [])]) == 0
    assert main([*args, "-o", str(out), *flags]) == 0
    before, after = read(plain)[0]["features"], read(out)[0]["features"]
    expected = apply(before.astype(np.float64))
    for row in range(len(after)):
        tolerance_check(after[row], expected[row], 1e-5, f"{flags} row {row}")
    assert main(["info", str(out)]) == 0
    assert ("pcen" if "--pcen" in flags else "lcn") in capsys.readouterr().out
    # another normalisation is other parameters: refused, the file untouched
    stored = out.read_bytes()
    other = ["--lcn"] if "--pcen" in flags else ["--pcen"]
    assert main([*args, "-o", str(out), *other]) == 2
    assert out.read_bytes() == stored


def test_normalisation_errors(dataset, tmp_path, capsys):
    base = ["extract", str(dataset / "music"), "-o", str(tmp_path / "x.h5"), "-q", *CQT]
    assert main([*base, "--pcen", "--db"]) == 2
    assert "--pcen replaces the decibel step" in capsys.readouterr().err
    assert main([*base, "--pcen", "--lcn"]) == 2
    assert "Choose one normalisation" in capsys.readouterr().err
    assert main([*base, "--lcn", "--lcn-kernel", "4", "7"]) == 2
    assert "odd" in capsys.readouterr().err
    assert not (tmp_path / "x.h5").exists()


def test_show_draws_normalised_features(dataset, tmp_path):
    optional("matplotlib")
    clip = next((dataset / "birds").iterdir())
    for flag in ("--pcen", "--lcn"):
        png = tmp_path / f"{flag[2:]}.png"
        assert main(["show", str(clip), "--feature", "mel", flag, "-o", str(png)]) == 0
        assert png.stat().st_size > 10000


@pytest.fixture
def uneven(tmp_path):
    """One folder of clips from 0.5 s to 40 s (noise and tones, two labels, one stereo)."""
    root = tmp_path / "uneven"
    rng = np.random.default_rng(7)
    seconds = {"short": 0.5, "speech_like": 14.0, "call": 2.7, "long": 40.0}
    for i, (name, dur) in enumerate(seconds.items()):
        label = root / ("a" if i % 2 else "b")
        label.mkdir(parents=True, exist_ok=True)
        n = int(dur * 22050)
        y = 0.3 * rng.standard_normal(n) + 0.5 * np.sin(2 * np.pi * (220 + 110 * i) * np.arange(n) / 22050)
        soundfile.write(label / f"{name}.wav", y.astype(np.float32), 22050)
    return root, seconds


def test_whole_clips_are_stored_whole(uneven, tmp_path):
    root, seconds = uneven
    out = tmp_path / "whole.h5"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing is cut, so nothing to warn about
        assert main(["extract", str(root), "-o", str(out), "-q", *CQT]) == 0
    data = af.FeatureFile(out)
    assert len(data) == 4 and data.label_names == ["a", "b"]
    for i in range(len(data)):
        S, label = data[i]
        path, offset = data.source(i)
        assert offset == 0 and data.label_names[label] == os.path.basename(os.path.dirname(path))
        y, _ = afio.load(path, sr=22050, mono=True)
        assert y.shape[1] == int(seconds[os.path.basename(path)[:-4]] * 22050)  # whole
        expected = np.abs(af.cqt(y[0], sr=22050, fmin="C2", n_bins=60, hop_length=512))
        assert S.shape == expected.shape, (path, S.shape, expected.shape)
        assert_row_close(S, expected, path)
    raw, _ = read(out)
    assert raw["features"].shape[-1] == max(raw["frames"])  # padded to the longest clip
    assert sorted(raw["samples"]) == sorted(int(s * 22050) for s in seconds.values())
    with h5py.File(out, "r") as f:  # the padding takes no space: its chunks are never written
        ds = f["features"]
        chunk_bytes = int(np.prod(ds.chunks)) * ds.dtype.itemsize
        written = sum(-(-int(n) // ds.chunks[-1]) for n in raw["frames"])
        assert ds.chunks[-1] < ds.shape[-1] and ds.id.get_storage_size() == written * chunk_bytes
    gz = tmp_path / "whole_gzip.h5"
    assert main(["extract", str(root), "-o", str(gz), "-q", *CQT, "--compression", "gzip"]) == 0
    np.testing.assert_array_equal(read(gz)[0]["features"], raw["features"])


def test_fixed_duration_warns_of_what_it_cuts(uneven, tmp_path):
    root, _ = uneven
    with pytest.warns(UserWarning, match=r"cuts 2 of 4 clips, 48\.0 s of audio"):
        assert main(["extract", str(root), "-o", str(tmp_path / "d.h5"), "-q", "--duration", "3",
                     "--feature", "mel", "--n-mels", "32"]) == 0
    data, _ = read(tmp_path / "d.h5")
    assert data["features"].shape[0] == 4  # the shorter clips padded, their true length kept
    assert sorted(data["samples"]) == [11025, 59535, 3 * 22050, 3 * 22050]


def test_feature_file_in_a_torch_dataloader(uneven, tmp_path):
    torch = optional("torch")
    root, _ = uneven
    out = tmp_path / "f.h5"
    assert main(["extract", str(root), "-o", str(out), "-q", "--feature", "mel",
                 "--n-mels", "32"]) == 0
    data = af.FeatureFile(out)
    # spawned workers: forking this process, which runs JAX's threads, could deadlock
    loader = torch.utils.data.DataLoader(data, batch_size=None, num_workers=2,
                                         multiprocessing_context="spawn")
    seen = [(S.shape[-1], int(label)) for S, label in loader]  # each worker opens the file
    assert seen == [(data[i][0].shape[-1], data[i][1]) for i in range(len(data))]
    with pytest.raises(IndexError, match="Received: 4"):
        data[4]


def test_an_older_format_is_named_not_misread(dataset, tmp_path, capsys):
    old = tmp_path / "old.h5"
    with h5py.File(old, "w") as f:
        f.attrs["format"] = "audiofront-features/1"
    before = old.read_bytes()
    assert main(["extract", str(dataset / "speech"), "-o", str(old), "-q", *CQT]) == 2
    assert "written by another audiofront version (format audiofront-features/1" in capsys.readouterr().err
    assert old.read_bytes() == before
    assert main(["verify", str(old)]) == 2 and main(["info", str(old)]) == 2
    with pytest.raises(ValueError, match="another audiofront version"):
        af.FeatureFile(old)


@pytest.mark.parametrize("subtype", ["PCM_16", "PCM_24", "FLOAT"])
def test_load_decodes_as_libsndfile_does(tmp_path, subtype):
    """io.load decodes 16-bit PCM itself (int16 scaled by 2 ** -15): the same float32 values as
    libsndfile's own conversion, bit for bit, for WAV and FLAC, mono and stereo."""
    y = np.random.default_rng(3).uniform(-1, 1, (5000, 2)).astype(np.float32)
    paths = [tmp_path / "s.wav"]
    soundfile.write(paths[0], y, 16000, subtype=subtype)
    if subtype != "FLOAT":
        paths.append(tmp_path / "s.flac")
        soundfile.write(paths[1], y, 16000, subtype=subtype)
    paths += sorted(DATA.glob("*.flac")) + sorted(DATA.glob("*.wav"))
    for path in paths:
        expected, rate = soundfile.read(path, dtype="float32", always_2d=True)
        got, got_rate = afio.load(path)
        assert got.flags.c_contiguous and got.dtype == np.float32 and got_rate == rate
        np.testing.assert_array_equal(got, expected.T, err_msg=str(path))
