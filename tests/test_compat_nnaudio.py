"""audiofront.compat.nnaudio: nnAudio 0.3.4's signatures and numbers (against nnAudio itself
and librosa), input shapes, trainable flags, gradients, torch.compile and ONNX export.
(nnAudio's own test suite runs against it too: tests/peer/run_nnaudio_suite.py.)"""

import inspect
import warnings

import librosa
import numpy as np
import pytest

from helpers import load, optional, tolerance_check

torch = optional("torch")

import audiofront as af  # noqa: E402
from audiofront.compat.nnaudio import Spectrogram, features as A  # noqa: E402


@pytest.fixture(scope="module")
def nn_features():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return optional("nnAudio.features")


@pytest.fixture(scope="module")
def clips():
    y, _ = load("music_vibeace_22k_mono.flac", seconds=3.0)
    rng = np.random.default_rng(5)
    return torch.tensor(np.stack([y, 0.3 * rng.standard_normal(len(y))]), dtype=torch.float32)


def _parameters(f):
    return [(p.name, p.kind, p.default) for p in inspect.signature(f).parameters.values()]


@pytest.mark.parametrize("name", A.__all__)
def test_signatures_are_nnaudios(nn_features, name):
    ours, theirs = getattr(A, name), getattr(nn_features, name)
    assert _parameters(ours.__init__) == _parameters(theirs.__init__)
    assert _parameters(ours.forward) == _parameters(theirs.forward)
    assert getattr(Spectrogram, name) is ours  # the 0.2 module path serves the same class


def _quiet(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make()


def _compare(ours, theirs, x, rel=1e-4, what=""):
    a = ours(x).detach().numpy()
    b = _quiet(lambda: theirs(x)).detach().numpy()
    tolerance_check(a, b, rel, what)


@pytest.mark.parametrize("kw", [
    {}, dict(n_fft=1024, hop_length=256, win_length=800, window="hamming"),
    dict(n_fft=512, center=False), dict(n_fft=512, pad_mode="constant"),
    dict(freq_scale="linear", freq_bins=200, fmin=50, fmax=6000),
    dict(freq_scale="log", freq_bins=150, fmin=30, fmax=8000),
    dict(freq_scale="log2", freq_bins=120, fmin=60, fmax=10000),
], ids=["default", "win_length", "no-center", "constant", "linear", "log", "log2"])
def test_stft_is_nnaudios(nn_features, clips, kw):
    for fmt in ("Magnitude", "Complex"):
        ours = A.STFT(output_format=fmt, **kw)
        theirs = _quiet(lambda: nn_features.STFT(output_format=fmt, verbose=False, **kw))
        _compare(ours, theirs, clips, what=f"STFT {kw} {fmt}")
    ph_ours = A.STFT(output_format="Phase", **kw)(clips).numpy()
    ph_theirs = nn_features.STFT(output_format="Phase", verbose=False, **kw)(clips).numpy()
    mag = nn_features.STFT(output_format="Magnitude", verbose=False, **kw)(clips).numpy()
    strong = mag > 1e-3 * mag.max()  # the angle is defined where there is energy
    wrapped = np.angle(np.exp(1j * (ph_ours - ph_theirs)))
    assert np.abs(wrapped[strong]).max() < 1e-3


def test_stft_is_librosas_in_float64(clips):
    y = clips.double()
    S = A.STFT(n_fft=1024, hop_length=256).double()(y).numpy()
    expected = librosa.stft(y.numpy(), n_fft=1024, hop_length=256, pad_mode="reflect")
    tolerance_check(S[..., 0] + 1j * S[..., 1], expected, 1e-6, "float64 STFT vs librosa")


@pytest.mark.parametrize("shape", [(3000,), (2, 3000), (2, 1, 3000)])
def test_input_shapes(shape):
    x = torch.randn(*shape)
    out = A.MelSpectrogram(n_fft=512, n_mels=40)(x)
    assert out.shape == ((1,) if len(shape) == 1 else (2,)) + (40, 1 + 3000 // 512)
    with pytest.raises(af.ParameterError, match="Received: shape"):
        A.STFT()(torch.randn(2, 2, 3000))


@pytest.mark.parametrize("kw", [{}, dict(n_fft=1024, n_mels=64, fmin=30.0, fmax=8000.0, htk=True),
                                dict(norm=None, power=1.0, win_length=1500)])
def test_mel_mfcc_gammatone_are_nnaudios(nn_features, clips, kw):
    _compare(A.MelSpectrogram(**kw), nn_features.MelSpectrogram(verbose=False, **kw), clips,
             what=f"mel {kw}")
    _compare(A.MFCC(n_mfcc=13, **kw), nn_features.MFCC(n_mfcc=13, verbose=False, **kw), clips,
             rel=1e-4, what=f"mfcc {kw}")
    gt = {k: v for k, v in kw.items() if k not in ("n_mels", "htk", "norm")}
    _compare(A.Gammatonegram(**gt), nn_features.Gammatonegram(verbose=False, **gt), clips,
             what=f"gammatone {gt}")


def test_mel_and_mfcc_are_librosas(clips):
    y = clips.numpy().astype(np.float64)
    M = A.MelSpectrogram().double()(torch.from_numpy(y)).numpy()
    tolerance_check(M, librosa.feature.melspectrogram(y=y, pad_mode="reflect", dtype=np.float64),
                    1e-4, "mel vs librosa")


def test_inverse_stft(nn_features, clips):
    X = nn_features.STFT(verbose=False)(clips)
    _compare(lambda Z: A.iSTFT()(Z, onesided=True, length=clips.shape[-1]),
             lambda Z: nn_features.iSTFT(verbose=False)(Z, onesided=True, length=clips.shape[-1]),
             X, what="iSTFT")
    s = A.STFT(iSTFT=True)
    tolerance_check(s.inverse(s(clips), length=clips.shape[-1]).numpy(), clips.numpy(), 1e-5)
    full = torch.cat([X, X[:, 1:-1].flip(1) * torch.tensor([1.0, -1.0])], dim=1)  # two-sided
    tolerance_check(A.iSTFT()(full, length=clips.shape[-1]).numpy(), clips.numpy(), 1e-5)
    # trainable kernels and window: the same transform until they learn
    learner = A.iSTFT(trainable_kernels=True, trainable_window=True)
    assert {n for n, _ in learner.named_parameters()} == {"istft.window", "istft.idft_basis"}
    tolerance_check(learner(full, length=clips.shape[-1]).detach().numpy(), clips.numpy(), 1e-5)


def test_trainable_inverse_stft_learns_and_has_true_gradients():
    X = torch.view_as_real(torch.stft(torch.randn(2, 1500), 256, 64, window=torch.hann_window(256),
                                      return_complex=True))
    module = A.iSTFT(n_fft=256, hop_length=64, trainable_kernels=True, trainable_window=True)
    before = {k: v.detach().clone() for k, v in module.named_parameters()}
    opt = torch.optim.SGD(module.parameters(), lr=1e-2)
    module(X, onesided=True).square().mean().backward()
    opt.step()
    for name, p in module.named_parameters():
        assert not torch.equal(p.detach(), before[name]), name
    small = A.iSTFT(n_fft=16, hop_length=4, trainable_kernels=True,
                    trainable_window=True).double()
    Z = torch.randn(1, 9, 12, 2, dtype=torch.float64)
    basis, window = small.istft.idft_basis, small.istft.window
    assert torch.autograd.gradcheck(lambda b, w: af.istft(
        torch.complex(Z[..., 0], Z[..., 1]), n_fft=16, hop_length=4, window=w, method="dft",
        idft_basis=b), (basis, window), eps=1e-6, atol=1e-6)


def test_griffin_lim_reconstructs(clips):
    S = A.STFT(output_format="Magnitude", n_fft=512)(clips)
    y = A.Griffin_Lim(n_fft=512, n_iter=32)(S)
    assert y.shape == (2, (S.shape[-1] - 1) * 128)
    again = A.STFT(output_format="Magnitude", n_fft=512)(y)
    err = torch.linalg.norm(again - S[..., :again.shape[-1]]) / torch.linalg.norm(S)
    assert err < 0.25, float(err)


def test_trainable_modules_learn():
    m = torch.nn.Sequential(A.MelSpectrogram(sr=8000, n_fft=256, n_mels=16, trainable_mel=True,
                                             trainable_STFT=True))
    g = A.Gammatonegram(sr=8000, n_fft=256, n_bins=16, trainable_bins=True, trainable_STFT=True)
    s = A.STFT(n_fft=256, freq_scale="log", freq_bins=40, fmin=50, fmax=3000, trainable=True,
               output_format="Magnitude")
    for module in (m, g, s):
        params = dict(module.named_parameters())
        assert params, module
        before = {k: v.detach().clone() for k, v in params.items()}
        opt = torch.optim.SGD(module.parameters(), lr=1e-2)
        module(torch.randn(3, 2000)).mean().backward()
        opt.step()
        for name, p in module.named_parameters():
            assert not torch.equal(p.detach(), before[name]), name
    x = torch.randn(1, 300, dtype=torch.float64, requires_grad=True)
    grid = A.STFT(n_fft=64, hop_length=16, freq_scale="log", freq_bins=10, fmin=100, fmax=3000,
                  trainable=True, output_format="Magnitude").double()
    assert torch.autograd.gradcheck(grid, (x,), eps=1e-6, atol=1e-6)


@pytest.mark.filterwarnings("ignore:Dynamo detected a call to a `functools.lru_cache`")
def test_compile_and_onnx(tmp_path, clips):
    ort = optional("onnxruntime")
    optional("onnxscript")
    for module in (A.STFT(freq_scale="log", freq_bins=100, output_format="Magnitude"),
                   A.MelSpectrogram(n_fft=1024, n_mels=64)):
        module.eval()
        tolerance_check(torch.compile(module)(clips).numpy(), module(clips).numpy(), 1e-5)
        path = tmp_path / "m.onnx"
        torch.onnx.export(module, (clips,), str(path), input_names=["audio"],
                          dynamic_shapes={"x": {0: torch.export.Dim("batch", min=1, max=16)}},
                          dynamo=True)
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        x = torch.cat([clips, clips[:1]])
        (out,) = session.run(None, {"audio": x.numpy()})
        tolerance_check(out, module(x).detach().numpy(), 1e-4, f"onnx {type(module).__name__}")


def _db_stats(a, b):
    """(max |a - b| / max |b|, median and 99th percentile of the dB difference over the bins
    within 60 dB of b's maximum)."""
    a, b = np.abs(a), np.abs(b)
    keep = b > 1e-3 * b.max()
    db = np.abs(20 * np.log10(a[keep] / b[keep]))
    return np.abs(a - b).max() / b.max(), np.median(db), np.percentile(db, 99)


@pytest.fixture(scope="module")
def sweep():
    from scipy.signal import chirp

    t = np.linspace(0, 1, 44100)
    return torch.tensor(chirp(t, 55, 1, 22050, method="logarithmic").astype(np.float32))[None]


CQT_KW = dict(sr=44100, fmin=55, n_bins=207, bins_per_octave=24)


@pytest.mark.parametrize("norm_type", ["librosa", "convolutional", "wrap"])
def test_cqt1992v2_is_nnaudios(nn_features, sweep, norm_type):
    for fmt in ("Magnitude", "Complex"):
        ours = A.CQT1992v2(output_format=fmt, **CQT_KW)
        theirs = _quiet(lambda: nn_features.CQT1992v2(output_format=fmt, **CQT_KW))
        _compare(lambda x: ours(x, normalization_type=norm_type),
                 lambda x: theirs(x, normalization_type=norm_type), sweep, rel=2e-5,
                 what=f"CQT1992v2 {fmt} {norm_type}")
    # 'Phase' of nnAudio's CQTs is (cos, sin) of the phase on a last axis of two (the STFT's
    # is radians); compared where the phase is defined (bins above 1e-3 of the peak)
    ours = A.CQT1992v2(output_format="Phase", **CQT_KW)(sweep).numpy()
    theirs = _quiet(lambda: nn_features.CQT1992v2(output_format="Phase", **CQT_KW))(sweep).numpy()
    magnitude = A.CQT1992v2(**CQT_KW)(sweep).numpy()
    assert ours.shape == theirs.shape == magnitude.shape + (2,)
    loud = magnitude > 1e-3 * magnitude.max()
    np.testing.assert_allclose(ours[loud], theirs[loud], rtol=0, atol=1e-3)
    other = dict(sr=22050, hop_length=256, fmin=32.7, n_bins=84, filter_scale=0.8, window="hamming")
    _compare(A.CQT(**other), _quiet(lambda: nn_features.CQT(**other)), sweep[:, ::2], rel=2e-5)


def test_cqt2010v2_and_vqt_are_within_nnaudios_own_spread(nn_features, sweep):
    """nnAudio's CQT2010v2 decimates with its own filter and differs from its CQT1992v2 (the
    same transform at one rate) by a median 0.24 dB, 99th percentile 65 dB on this sweep;
    compat's CQT2010v2 is the exact transform, so it differs from nnAudio's by as much."""
    n92 = _quiet(lambda: nn_features.CQT1992v2(**CQT_KW))(sweep).numpy()
    n10 = _quiet(lambda: nn_features.CQT2010v2(**CQT_KW))(sweep).numpy()
    ours = A.CQT2010v2(**CQT_KW)(sweep).numpy()
    spread = _db_stats(n92, n10)
    mine = _db_stats(ours, n10)
    assert mine[1] <= spread[1] + 0.01 and mine[2] <= spread[2] + 0.5, (mine, spread)
    tolerance_check(ours, n92, 2e-5, "CQT2010v2 = the exact CQT1992v2")
    nv = _quiet(lambda: nn_features.VQT(gamma=5, **CQT_KW))(sweep).numpy()
    v = A.VQT(gamma=5, **CQT_KW)(sweep).numpy()
    assert v.shape == nv.shape and _db_stats(v, nv)[1] < 0.5


def test_cqt_modules_train_and_run_in_every_format(sweep):
    m = A.CQT1992v2(sr=8000, fmin=100, n_bins=24, hop_length=128, trainable=True)
    (name, p), = m.named_parameters()
    before = p.detach().clone()
    opt = torch.optim.SGD(m.parameters(), lr=1e-2)
    m(torch.randn(2, 4000)).mean().backward()
    opt.step()
    assert not torch.equal(p.detach(), before), name
    small = A.CQT1992v2(sr=8000, fmin=500, n_bins=6, hop_length=64, trainable=True,
                        output_format="Complex").double()
    x = torch.randn(1, 400, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(small, (x,), eps=1e-6, atol=1e-6)
    for cls in (Spectrogram.CQT1992, Spectrogram.CQT2010):
        for fmt in ("Magnitude", "Complex", "Phase"):
            out = cls(sr=8000, fmin=110, n_bins=36, output_format=fmt)(torch.randn(1, 8000))
            assert out.shape[:2] == (1, 36) and out.shape[-1] == (16 if fmt == "Magnitude" else 2)


def test_misuse_gets_clear_errors():
    with pytest.raises(af.ParameterError, match="Received: fmax=30000"):
        A.STFT(freq_scale="log", freq_bins=10, fmax=30000, sr=22050)
    with pytest.raises(af.ParameterError, match="freq_bins=100, freq_scale='no'"):
        A.STFT(freq_bins=100)
    with pytest.raises(af.ParameterError, match="Received: output_format='Power'"):
        A.STFT(output_format="Power")
    with pytest.raises(af.ParameterError, match="iSTFT=True"):
        A.STFT().inverse(torch.zeros(1, 1025, 3, 2))
    with pytest.raises(af.ParameterError, match="Received: norm=2"):
        A.MelSpectrogram(norm=2)
    with pytest.raises(TypeError, match="freq_scale"):
        A.MelSpectrogram(freq_scale="log")
    with pytest.warns(UserWarning, match="orthonormal DCT whatever norm says"):
        A.MFCC(norm=None)
    with pytest.raises(af.ParameterError, match="Received: center=False"):
        A.CQT1992v2(center=False)
    with pytest.raises(af.ParameterError, match="Nyquist"):
        A.CQT1992v2(sr=8000, n_bins=120)
    with pytest.raises(af.ParameterError, match="Received: normalization_type='none'"):
        A.CQT1992v2(sr=8000, fmin=100, n_bins=12)(torch.randn(1, 4000), normalization_type="none")
    # nnAudio#139: CQT2010v2 with a hop its octaves cannot halve crashes in nnAudio; here not
    out = A.CQT2010v2(sr=22050, hop_length=333, n_bins=84)(torch.randn(1, 22050))
    assert out.shape == (1, 84, 1 + 22050 // 333)
