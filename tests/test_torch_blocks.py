"""Eager torch on the CPU maps frames in blocks (``_blocks.map_frames``), as NumPy does: the
same numbers as one call on the whole array, gradients included, and one call wherever a loop
would be recorded (autograd on the frames, tracing); ``|z| ** 2`` gives the same bits by each
of its two forms."""

import numpy as np
import pytest

import audiofront as af
from audiofront import _backend, _blocks
from helpers import optional, tolerance_check

torch = optional("torch")
XP = _backend.array_namespace(torch.zeros(1))


def _calls(frames):
    """The frame counts ``map_frames`` hands its function, and its output."""
    seen = []

    def double(block):
        seen.append(block.shape[-2])
        return block * 2

    return seen, _blocks.map_frames(double, frames, XP)


def test_blocks_cover_every_frame_once():
    frames = torch.randn(2, 600, 8)
    seen, out = _calls(frames)
    assert seen == [256, 256, 88] * 2
    assert torch.equal(out, frames * 2)


def test_one_call_where_autograd_records_the_frames():
    frames = torch.randn(2, 600, 8, requires_grad=True)
    seen, out = _calls(frames)
    assert seen == [600]
    out.sum().backward()
    assert torch.equal(frames.grad, torch.full_like(frames, 2.0))
    with torch.no_grad():  # nothing recorded: blocks again
        assert _calls(frames)[0] == [256, 256, 88] * 2


def test_one_call_while_tracing():
    seen = []

    def traced(frames):
        return _blocks.map_frames(lambda b: (seen.append(int(b.shape[-2])), b * 2)[1], frames,
                                   XP)

    with pytest.warns(DeprecationWarning):  # torch.jit.trace is deprecated, not gone
        torch.jit.trace(traced, torch.randn(1, 600, 8), check_trace=False)
    assert seen == [600]


def test_one_call_under_torch_func_transforms():
    """``torch.func.vmap`` and ``grad`` wrap the frames: one call, the numbers of the batch."""
    x = torch.from_numpy(np.random.default_rng(5).standard_normal((3, 48000))
                         .astype(np.float32))

    def mel(v):
        return af.melspectrogram(v, sr=16000, n_fft=512, hop_length=128)

    tolerance_check(torch.func.vmap(mel)(x).numpy(), mel(x).numpy(), 1e-6)
    grad = torch.func.grad(lambda v: mel(v).sum())(x[0])
    x0 = x[0].clone().requires_grad_()
    mel(x0).sum().backward()
    tolerance_check(grad.numpy(), x0.grad.numpy(), 1e-5)


@pytest.fixture(scope="module")
def clips():
    # 2 x 3 s at 16 kHz, hop 128: 376 frames a clip, two blocks
    return torch.from_numpy(np.random.default_rng(3).standard_normal((2, 48000))
                            .astype(np.float32))


@pytest.mark.parametrize("feature", [
    lambda y: af.stft(y, n_fft=512, hop_length=128),
    lambda y: af.melspectrogram(y, sr=16000, n_fft=512, hop_length=128),
    lambda y: af.log_frequency_spectrogram(y, sr=16000, n_fft=512, hop_length=128),
], ids=["stft", "melspectrogram", "log_frequency_spectrogram"])
def test_blocks_give_one_calls_numbers(clips, feature, monkeypatch):
    blocked = feature(clips)
    monkeypatch.setattr(_blocks, "_eager_torch_cpu", lambda x: False)
    whole = feature(clips)
    # the same operations on fewer frames at a time: equal up to the FFT's and BLAS's rounding
    # for another batch size; a block written in the wrong place would be off by its size
    tolerance_check(blocked.numpy(), whole.numpy(), 1e-6)


def test_gradients_through_blocks(clips, monkeypatch):
    """A trainable filterbank on an input that needs no gradient: the frames run in blocks
    and the filterbank's gradient comes through the blocks' writes."""
    aft = pytest.importorskip("audiofront.adapters.torch")

    def filterbank_gradient():
        torch.manual_seed(0)
        m = aft.MelSpectrogram(sr=16000, n_fft=512, hop_length=128, n_mels=40,
                               trainable_filterbank=True)
        (m(clips) ** 0.5).mean().backward()
        return m.mel_basis.grad.numpy()

    blocked = filterbank_gradient()
    monkeypatch.setattr(_blocks, "_eager_torch_cpu", lambda x: False)
    tolerance_check(blocked, filterbank_gradient(), 1e-5)
    assert np.abs(blocked).max() > 0


@pytest.mark.parametrize("shape", [(16, 2, 201), (4, 300, 201)], ids=["a step", "a signal"])
def test_abs_squared_forms_give_the_same_bits(shape):
    g = torch.Generator().manual_seed(1)
    z = torch.complex(torch.randn(shape, generator=g), torch.randn(shape, generator=g))
    assert (z.numel() <= _backend._SMALL_SQUARE) == (shape[1] == 2)  # one form each
    assert torch.equal(_backend.abs_squared(z, XP), z.real ** 2 + z.imag ** 2)
    assert torch.equal(_backend.abs_squared(z.conj(), XP), z.real ** 2 + z.imag ** 2)
