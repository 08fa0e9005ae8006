"""The torch.nn modules: same numbers as the core on NumPy, devices, dtypes, state, gradients,
training, torch.compile and ONNX export."""

import io

import numpy as np
import pytest

from helpers import optional

torch = optional("torch")

import audiofront as af  # noqa: E402
from audiofront.adapters import torch as aft  # noqa: E402
from helpers import tolerance_check  # noqa: E402

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.fixture(scope="module")
def clips():
    """Two 2 s excerpts of real recordings at 16 kHz-ish rates, float32, (2, 2, n)."""
    from helpers import load

    speech, _ = load("speech_libri_5703_16k_mono.flac", seconds=2.0)
    music, _ = load("music_vibeace_22k_mono.flac", seconds=32000 / 22050)
    y = np.stack([speech[:32000], music[:32000]]).astype(np.float32)
    return np.stack([y, y[::-1] * 0.5])


CASES = {  # name -> (module factory, core function on NumPy)
    "STFT": (lambda: aft.STFT(n_fft=512, hop_length=128),
             lambda y: af.stft(y, n_fft=512, hop_length=128)),
    "STFT-dft": (lambda: aft.STFT(n_fft=512, hop_length=128, method="dft"),
                 lambda y: af.stft(y, n_fft=512, hop_length=128)),
    "Spectrogram": (lambda: aft.Spectrogram(n_fft=400, hop_length=160, power=1.0),
                    lambda y: af.spectrogram(y, n_fft=400, hop_length=160, power=1.0)),
    "MelSpectrogram": (lambda: aft.MelSpectrogram(sr=16000, n_fft=512, n_mels=64, fmin=20.0),
                       lambda y: af.melspectrogram(y, sr=16000, n_fft=512, n_mels=64, fmin=20.0)),
    "MelSpectrogram-dft-win": (
        lambda: aft.MelSpectrogram(sr=16000, n_fft=512, win_length=400, method="dft", htk=True),
        lambda y: af.melspectrogram(y, sr=16000, n_fft=512, win_length=400, htk=True)),
    "LogFrequencySpectrogram": (
        lambda: aft.LogFrequencySpectrogram(sr=16000, n_fft=1024, fmin=50.0, n_bins=72),
        lambda y: af.log_frequency_spectrogram(y, sr=16000, n_fft=1024, fmin=50.0, n_bins=72)),
    "MFCC": (lambda: aft.MFCC(sr=16000, n_mfcc=13, lifter=22, n_fft=512, n_mels=40),
             lambda y: af.mfcc(y, sr=16000, n_mfcc=13, lifter=22, n_fft=512, n_mels=40)),
    "CQT": (lambda: aft.CQT(sr=16000, fmin=65.0, n_bins=60, hop_length=256),
            lambda y: af.cqt(y, sr=16000, fmin=65.0, n_bins=60, hop_length=256)),
    "CQT-direct-magnitude": (
        lambda: aft.CQT(sr=16000, fmin=110.0, n_bins=48, algorithm="direct", output="magnitude"),
        lambda y: np.abs(af.cqt(y, sr=16000, fmin=110.0, n_bins=48, algorithm="direct"))),
    "Frame": (lambda: aft.Frame(frame_length=400, hop_length=160),
              lambda y: af.frame(y, frame_length=400, hop_length=160)),
}


@pytest.mark.parametrize("name", CASES)
def test_modules_match_the_core(clips, name):
    make, core = CASES[name]
    expected = core(clips)
    out = make()(torch.from_numpy(clips))
    assert out.dtype == (torch.complex64 if np.iscomplexobj(expected) else torch.float32)
    tolerance_check(out.numpy(), expected, 1e-5, name)


def test_post_processing_modules(clips):
    M = af.melspectrogram(clips, sr=16000, n_fft=512)
    Mt = torch.from_numpy(M)
    tolerance_check(aft.PowerToDB(ref="max")(Mt).numpy(), af.power_to_db(M, ref=np.max), 1e-5)
    tolerance_check(aft.AmplitudeToDB()(Mt).numpy(), af.amplitude_to_db(M), 1e-5)
    tolerance_check(aft.Delta(order=2)(Mt).numpy(), af.delta(M, order=2), 1e-5)
    fb = af.mel_filterbank(sr=16000, n_fft=512, n_mels=32)
    P = af.spectrogram(clips, n_fft=512)
    applied = aft.ApplyFilterbank("mel", sr=16000, n_fft=512, n_mels=32)(torch.from_numpy(P))
    tolerance_check(applied.numpy(), fb @ P, 1e-5)
    given = aft.ApplyFilterbank(filterbank=fb)(torch.from_numpy(P))
    tolerance_check(given.numpy(), fb @ P, 1e-5)
    x = clips / np.abs(clips).max()
    codes = aft.MuLawEncoding()(torch.from_numpy(x))
    assert codes.dtype == torch.int64
    np.testing.assert_array_equal(codes.numpy(), af.mu_law_encode(x))
    tolerance_check(aft.MuLawDecoding()(codes).numpy(), af.mu_law_decode(af.mu_law_encode(x)), 1e-6)
    S = aft.STFT(n_fft=512, hop_length=128)(torch.from_numpy(clips))
    back = aft.InverseSTFT(n_fft=512, hop_length=128)(S, length=clips.shape[-1])
    tolerance_check(back.numpy(), clips, 1e-5)
    learner = aft.InverseSTFT(n_fft=512, hop_length=128, trainable=True, trainable_window=True)
    assert learner.method == "dft" and isinstance(learner.idft_basis, torch.nn.Parameter)
    assert isinstance(learner.window, torch.nn.Parameter)
    tolerance_check(learner(S, length=clips.shape[-1]).detach().numpy(), clips, 1e-5, "dft")
    with pytest.raises(af.ParameterError, match="Received: method='fft'"):
        aft.InverseSTFT(trainable=True, method="fft")


def test_layout_time_freq(clips):
    x = torch.from_numpy(clips)
    a = aft.MelSpectrogram(sr=16000, n_fft=512)(x)
    b = aft.MelSpectrogram(sr=16000, n_fft=512, layout="time_freq")(x)
    assert b.shape == a.transpose(-1, -2).shape
    torch.testing.assert_close(b, a.transpose(-1, -2))
    d = aft.Delta(layout="time_freq")(b)
    torch.testing.assert_close(d, aft.Delta()(a).transpose(-1, -2))
    S = aft.STFT(n_fft=256, layout="time_freq")(x)
    y = aft.InverseSTFT(n_fft=256, layout="time_freq")(S, length=x.shape[-1])
    tolerance_check(y.numpy(), clips, 1e-5)


@pytest.mark.parametrize("device", DEVICES)
def test_to_device_and_double(clips, device):
    m = aft.MelSpectrogram(sr=16000, n_fft=512, method="dft", trainable_filterbank=True).to(device)
    x = torch.from_numpy(clips).to(device)
    out = m(x)
    assert out.device.type == device and out.dtype == torch.float32
    m64 = m.double()
    out64 = m64(x.double())
    assert out64.dtype == torch.float64 and m64.mel_basis.dtype == torch.float64
    tolerance_check(out.detach().cpu().numpy(), out64.detach().cpu().numpy(), 1e-5)
    exact = af.melspectrogram(clips.astype(np.float64), sr=16000, n_fft=512)
    tolerance_check(out64.detach().cpu().numpy(), exact, 1e-6)  # basis was rounded to float32 once


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_in_float32_out_in_input_dtype(clips, dtype):
    m = aft.MelSpectrogram(sr=16000, n_fft=512)
    x = torch.from_numpy(clips).to(dtype)
    out = m(x)
    assert out.dtype == dtype
    ref = m(x.float())
    tolerance_check(out.float().numpy(), ref.numpy(), 1e-2)  # the output's own rounding
    assert torch.isfinite(out).all()


def test_state_dict_round_trip(clips):
    torch.manual_seed(0)
    m = aft.MelSpectrogram(sr=16000, n_fft=256, trainable_stft=True, trainable_filterbank=True)
    with torch.no_grad():
        m.mel_basis.mul_(1.5)
        m.dft_basis.add_(0.01)
    assert set(m.state_dict()) == {"dft_basis", "mel_basis"}  # buffers are not persistent
    buffer = io.BytesIO()
    torch.save(m.state_dict(), buffer)
    buffer.seek(0)
    fresh = aft.MelSpectrogram(sr=16000, n_fft=256, trainable_stft=True, trainable_filterbank=True)
    fresh.load_state_dict(torch.load(buffer))
    x = torch.from_numpy(clips)
    torch.testing.assert_close(fresh(x), m(x), rtol=0, atol=0)
    plain = aft.MelSpectrogram(sr=16000, n_fft=256)
    assert plain.state_dict() == {} or len(plain.state_dict()) == 0


def test_trainable_parameters_get_gradients_and_move():
    m = aft.MelSpectrogram(sr=8000, n_fft=128, n_mels=16, trainable_stft=True,
                           trainable_filterbank=True)
    before = {k: v.detach().clone() for k, v in m.named_parameters()}
    assert set(before) == {"dft_basis", "mel_basis"}
    opt = torch.optim.SGD(m.parameters(), lr=1e-3)
    loss = m(torch.randn(4, 2000)).mean()
    loss.backward()
    for name, p in m.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    opt.step()
    for name, p in m.named_parameters():
        assert not torch.equal(p.detach(), before[name]), name  # nnAudio#115: they must move
    # and the shared caches of the core were not touched
    torch.testing.assert_close(aft.MelSpectrogram(sr=8000, n_fft=128, n_mels=16).mel_basis,
                               before["mel_basis"])


def test_trainable_needs_dft():
    with pytest.raises(af.ParameterError, match="method='dft'"):
        aft.STFT(method="fft", trainable=True)


@pytest.mark.parametrize("module", [
    lambda: aft.STFT(n_fft=32, hop_length=8),
    lambda: aft.STFT(n_fft=32, hop_length=8, method="dft"),
    lambda: aft.MelSpectrogram(sr=8000, n_fft=64, hop_length=16, n_mels=8),
    lambda: aft.PowerToDB(top_db=None),
    lambda: aft.CQT(sr=8000, fmin=500.0, n_bins=12, hop_length=32, algorithm="direct"),
    lambda: aft.CQT(sr=8000, fmin=250.0, n_bins=24, hop_length=32, algorithm="multirate"),
], ids=["STFT-fft", "STFT-dft", "MelSpectrogram", "PowerToDB", "CQT-direct", "CQT-multirate"])
def test_gradcheck_float64(module):
    m = module().double()
    if isinstance(m, aft.PowerToDB):
        x = (torch.rand(2, 5, 7, dtype=torch.float64) + 0.1).requires_grad_()
    else:
        x = torch.randn(2, 150, dtype=torch.float64).requires_grad_()

    def f(inp):
        out = m(inp)
        return torch.view_as_real(out) if out.is_complex() else out

    assert torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-6)


def test_small_model_trains():
    """Mel front end + small CNN separates tones from noise; the loss goes down."""
    torch.manual_seed(0)
    sr, n = 8000, 4000
    t = torch.arange(n) / sr
    freqs = torch.empty(32).uniform_(300, 2000)
    tones = torch.sin(2 * torch.pi * freqs[:, None] * t) * 0.5
    noise = torch.randn(32, n) * 0.3
    x = torch.cat([tones, noise])
    labels = torch.cat([torch.zeros(32), torch.ones(32)]).long()
    model = torch.nn.Sequential(
        aft.MelSpectrogram(sr=sr, n_fft=256, hop_length=128, n_mels=32),
        aft.PowerToDB(ref="max"),
        torch.nn.Unflatten(1, (1, 32)),
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(),
        torch.nn.AdaptiveAvgPool2d(4), torch.nn.Flatten(), torch.nn.Linear(128, 2),
    )
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(40):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0], losses[::8]


@pytest.mark.filterwarnings("ignore:Dynamo detected a call to a `functools.lru_cache`")
@pytest.mark.parametrize("module", [
    lambda: aft.MelSpectrogram(sr=16000, n_fft=512, n_mels=64),
    lambda: aft.CQT(sr=16000, fmin=65.0, n_bins=60, hop_length=256, output="magnitude"),
], ids=["MelSpectrogram", "CQT"])
def test_torch_compile_matches_eager(clips, module):
    m = module()
    x = torch.from_numpy(clips)
    compiled = torch.compile(m)
    tolerance_check(compiled(x).numpy(), m(x).numpy(), 1e-5)


@pytest.mark.parametrize("method", ["fft", "dft"])
def test_onnx_export_dynamic_batch(tmp_path, method):
    """Both STFT methods export: 'fft' through ONNX's DFT operator, 'dft' as a matrix product."""
    ort = optional("onnxruntime")
    optional("onnxscript")
    m = aft.MelSpectrogram(sr=16000, n_fft=512, n_mels=40, method=method).eval()
    path = tmp_path / "mel.onnx"
    example = torch.randn(2, 16000)
    batch = torch.export.Dim("batch", min=1, max=64)
    torch.onnx.export(m, (example,), str(path), input_names=["audio"], output_names=["mel"],
                      dynamic_shapes={"x": {0: batch}}, dynamo=True)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for b in (1, 3, 5):
        x = torch.randn(b, 16000)
        (onnx_out,) = session.run(None, {"audio": x.numpy()})
        tolerance_check(onnx_out, m(x).detach().numpy(), 1e-4, f"onnx batch {b}")


def test_augmentations_train_only(clips):
    x = torch.from_numpy(clips)
    noise = aft.AdditiveNoise(power=0.01, random_gain=True)
    spec = aft.SpecAugment(freq_mask_param=10, time_mask_param=20, n_freq_masks=2)
    M = aft.MelSpectrogram(sr=16000, n_fft=512)(x) + 1.0
    noise.eval()
    spec.eval()
    assert noise(x) is x and spec(M) is M
    noise.train()
    spec.train()
    a, b = noise(x), noise(x)
    assert not torch.equal(a, b)  # fresh randomness every call
    assert 0 < (a - x).pow(2).mean() < 0.02
    masked = spec(M)
    zero = masked == 0
    assert zero.any()
    # masks are whole stripes: every zero lies in an all-zero row or an all-zero column
    rows = zero.all(dim=-1, keepdim=True)
    cols = zero.all(dim=-2, keepdim=True)
    assert torch.equal(zero, zero & (rows | cols))
    assert rows.sum(dim=(-2, -1)).max() <= 20 and cols.sum(dim=(-2, -1)).max() <= 20


def test_bad_input_gives_core_errors():
    m = aft.MelSpectrogram(sr=16000, n_fft=512, center=False)
    with pytest.raises(TypeError, match="floating-point"):
        m(torch.zeros(2, 16000, dtype=torch.int16))
    with pytest.raises(af.ParameterError, match="0-d"):
        m(torch.tensor(1.0))
    with pytest.raises(af.ParameterError, match="fewer than n_fft=512"):
        m(torch.zeros(2, 100))
    with pytest.raises(af.ParameterError, match="layout='freq_first'"):
        aft.STFT(layout="freq_first")
    with pytest.raises(af.ParameterError, match="n_fft=0"):
        aft.Spectrogram(n_fft=0)


def test_normalisation_modules_match_the_core(clips):
    M = af.melspectrogram(clips, sr=16000, n_fft=512, hop_length=256) * 2 ** 31
    Mt = torch.from_numpy(M)
    tolerance_check(aft.PCEN(sr=16000, hop_length=256)(Mt).numpy(),
                    af.pcen(M, sr=16000, hop_length=256), 1e-5, "PCEN")
    tolerance_check(aft.PCEN(sr=16000, hop_length=256, max_size=3, layout="time_freq")(
        Mt.transpose(-1, -2)).transpose(-1, -2).numpy(),
        af.pcen(M, sr=16000, hop_length=256, max_size=3), 1e-5, "PCEN max_size=3")
    logM = np.log1p(M / 2 ** 31)
    tolerance_check(aft.LCN(kernel_size=(5, 9))(torch.from_numpy(logM)).numpy(),
                    af.lcn(logM, kernel_size=(5, 9)), 1e-5, "LCN")
    tolerance_check(aft.Standardize()(torch.from_numpy(logM)).numpy(), af.standardize(logM), 1e-5)
    mean, std = logM.mean(axis=(0, 1, 3))[:, None], logM.std(axis=(0, 1, 3))[:, None]
    dataset = aft.Standardize(mean=mean, std=std)
    tolerance_check(dataset(torch.from_numpy(logM)).numpy(), (logM - mean) / (std + 1e-10), 1e-5)
    # a trainable PCEN starts where the fixed one is
    trainable = aft.PCEN(sr=16000, hop_length=256, trainable=True, n_bands=128)
    tolerance_check(trainable(Mt).detach().numpy(), af.pcen(M, sr=16000, hop_length=256), 1e-5)


def test_trainable_pcen_gradcheck_step_and_ranges():
    torch.manual_seed(0)
    m = aft.PCEN(sr=8000, hop_length=64, trainable=True, n_bands=6).double()
    S = (torch.rand(2, 6, 150, dtype=torch.float64) * 100).requires_grad_()
    assert torch.autograd.gradcheck(m, (S,), eps=1e-6, atol=1e-6)
    raw = [p.detach().clone() for p in m.parameters()]
    opt = torch.optim.SGD(m.parameters(), lr=0.5)
    for _ in range(3):
        opt.zero_grad()
        m(S.detach()).pow(2).mean().backward()
        opt.step()
    assert all(not torch.equal(a, p.detach()) for a, p in zip(raw, m.parameters()))
    now = m.pcen_kwargs()
    assert all(bool((now[k] > 0).all()) for k in ("gain", "bias", "power", "b"))
    assert bool((now["b"] < 1).all())
    with pytest.raises(af.ParameterError, match="n_bands"):
        aft.PCEN(trainable=True)
    with pytest.raises(af.ParameterError, match="must start > 0. Received: bias=0"):
        aft.PCEN(trainable=True, n_bands=4, bias=0)
    with pytest.raises(af.ParameterError, match="gain must be >= 0"):
        aft.PCEN(gain=-1)


@pytest.mark.filterwarnings("ignore:Dynamo detected a call to a `functools.lru_cache`")
def test_pcen_and_lcn_compile(clips):
    M = torch.from_numpy(af.melspectrogram(clips, sr=16000, n_fft=512, hop_length=256))
    for m in (aft.PCEN(sr=16000, hop_length=256, trainable=True, n_bands=128),
              aft.LCN(kernel_size=(5, 7))):
        tolerance_check(torch.compile(m)(M).detach().numpy(), m(M).detach().numpy(), 1e-5)
