"""audiofront.streaming: every chunking of a stream gives the offline frames.

The reference is the offline function on the whole signal (itself tested against librosa);
the streams are cut at random places, in lengths that stress the framing (0 and 1 sample,
hop - 1, primes, more than n_fft), on every backend, under jax.jit / lax.scan and
torch.compile, and through a save and restore of the state.
"""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import audiofront as af
from audiofront import streaming
from helpers import assert_like, load, optional, to_numpy, tolerance_check

FRAMED = ["stft", "spectrogram", "melspectrogram", "log_frequency_spectrogram", "mfcc"]


def _signal(n, seed=0, dtype=np.float64, channels=(2,)):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 8000
    y = 0.3 * np.sin(2 * np.pi * (200 * t + 900 * t ** 2)) + 0.1 * rng.standard_normal(channels + (n,))
    return y.astype(dtype)


def _cut(n, sizes):
    """Chunk boundaries from a list of chunk lengths, repeated until the signal ends."""
    edges, at, i = [0], 0, 0
    while at < n:
        at = min(n, at + sizes[i % len(sizes)])
        edges.append(at)
        i += 1
    return edges


def run(spec, y, edges, *, xp_concat=None, **constants):
    """Every step's output and the flush, concatenated along time."""
    state, parts = spec.init(y[..., :0]), []
    for a, b in zip(edges[:-1], edges[1:]):
        frames, state = spec.step(state, y[..., a:b], **constants)
        parts.append(frames)
    parts.append(spec.flush(state, **constants))
    concat = xp_concat or (lambda p: np.concatenate(p, axis=-1))
    return concat(parts)


def _offline(name, y, params):
    return getattr(af, name)(y, **params)


def _params(name, n_fft, hop, win, center):
    params = dict(n_fft=n_fft, hop_length=hop, win_length=win, center=center)
    if name not in ("stft", "spectrogram"):
        params["sr"] = 8000
    if name == "melspectrogram":
        params.update(n_mels=24, fmin=40.0)
    if name == "log_frequency_spectrogram":
        params.update(n_bins=24, fmin=200.0)
    if name == "mfcc":
        params.update(n_mels=24, n_mfcc=9, top_db=None)
    return params


chunk_lengths = st.lists(st.one_of(st.sampled_from([0, 1, 2, 3, 5, 7, 13, 31, 97, 257, 1009]),
                                   st.integers(0, 1500)), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(FRAMED), n_fft=st.integers(16, 600), hop_frac=st.floats(0.05, 1.0),
       win_frac=st.floats(0.3, 1.0), center=st.booleans(), extra=st.integers(0, 2500),
       sizes=chunk_lengths, float32=st.booleans(), method=st.sampled_from(["fft", "dft"]))
def test_any_chunking_gives_the_offline_frames(name, n_fft, hop_frac, win_frac, center, extra,
                                               sizes, float32, method):
    hop = max(1, int(hop_frac * n_fft))
    win = max(1, int(win_frac * n_fft))
    params = _params(name, n_fft, hop, win, center)
    if name in ("melspectrogram", "log_frequency_spectrogram"):
        params["n_fft"] = n_fft = max(n_fft, 128)  # filters wide enough to be non-empty
        params["win_length"] = min(win, n_fft)
    if name != "mfcc":
        params["method"] = method
    y = _signal(n_fft + extra, dtype=np.float32 if float32 else np.float64)
    spec = getattr(streaming, name)(**params)
    expected = _offline(name, y, params)
    actual = run(spec, y, _cut(y.shape[-1], sizes + [hop - 1 or 1]))
    assert actual.dtype == expected.dtype
    tolerance_check(actual, expected, 1e-6 if float32 else 1e-12, f"{name} {params} {sizes}")


@settings(max_examples=40, deadline=None)
@given(width=st.sampled_from([3, 5, 9, 11]), order=st.integers(1, 2),
       mode=st.sampled_from(["interp", "nearest", "mirror", "constant", "symmetric"]),
       n=st.integers(0, 60), sizes=st.lists(st.integers(0, 17), min_size=1, max_size=5))
def test_delta_streams_for_every_mode(width, order, mode, n, sizes):
    x = _signal(n, channels=(2, 3))
    spec = streaming.delta(width=width, order=order, mode=mode)
    edges = _cut(n, [s or 1 for s in sizes]) if n else [0]
    try:
        expected = af.delta(x, width=width, order=order, mode=mode)
    except af.ParameterError as offline_error:  # too short for the mode: the same error at flush
        with pytest.raises(af.ParameterError, match=str(offline_error)[:30]):
            run(spec, x, edges)
        return
    tolerance_check(run(spec, x, edges), expected, 1e-12, f"delta {width} {order} {mode} {n}")


@pytest.mark.parametrize("pcen_params", [{}, {"max_size": 3}, {"gain": 0.8, "bias": 10.0,
                                                                "power": 0.25, "b": 0.1}])
def test_pipelines_equal_the_offline_composition(pcen_params):
    y = _signal(7000)
    mel = dict(sr=8000, n_fft=256, hop_length=80, n_mels=32)
    S = af.melspectrogram(y, **mel)
    cases = [
        (streaming.chain(streaming.melspectrogram(**mel), streaming.power_to_db(ref=2.0),
                         streaming.delta(), streaming.delta(order=2, width=5, mode="nearest")),
         af.delta(af.delta(af.power_to_db(S, ref=2.0, top_db=None)), order=2, width=5,
                  mode="nearest")),
        (streaming.chain(streaming.melspectrogram(**mel),
                         streaming.pcen(sr=8000, hop_length=80, **pcen_params)),
         af.pcen(S, sr=8000, hop_length=80, **pcen_params)),
        (streaming.chain(streaming.spectrogram(n_fft=256, hop_length=80, power=1.0),
                         streaming.amplitude_to_db(amin=1e-4)),
         af.amplitude_to_db(af.spectrogram(y, n_fft=256, hop_length=80, power=1.0), amin=1e-4,
                            top_db=None)),
    ]
    for spec, expected in cases:
        for sizes in ([1], [79, 0, 3], [160], [5000]):
            tolerance_check(run(spec, y, _cut(7000, sizes)), expected, 1e-12, f"{spec} {sizes}")


def test_every_backend_streams_a_recording_in_20_ms_chunks(xp):
    y, sr = load("speech_libri_5703_16k_mono.flac", seconds=3.0)
    y = np.stack([y, y[::-1]]).astype(np.float32)
    mel = dict(sr=sr, n_fft=512, hop_length=160, n_mels=40)
    spec = streaming.chain(streaming.melspectrogram(**mel), streaming.power_to_db(),
                           streaming.delta())
    yb = xp.asarray(y)
    # the stream equals the offline call on the same backend (which the other tests compare
    # with librosa, to each backend's float32 tolerance)
    expected = to_numpy(af.delta(af.power_to_db(af.melspectrogram(yb, **mel), top_db=None)))
    step = sr // 50
    edges = list(range(0, y.shape[-1], step)) + [y.shape[-1]]
    out = run(spec, yb, edges, xp_concat=lambda p: xp.xp.concat(p, axis=-1))
    tolerance_check(assert_like(out, xp, dtype=xp.xp.float32, shape=expected.shape), expected,
                    1e-6, "speech")


def test_a_saved_state_resumes_the_stream():
    y = _signal(6000)
    spec = streaming.chain(streaming.melspectrogram(sr=8000, n_fft=400, hop_length=100),
                           streaming.pcen(sr=8000, hop_length=100), streaming.delta())
    state, parts = spec.init(y[..., :0]), []
    for a in range(0, 6000, 333):
        frames, state = spec.step(state, y[..., a:a + 333])
        parts.append(frames)
        state = pickle.loads(pickle.dumps(state))  # as if saved to disk and restored
    parts.append(spec.flush(state))
    expected = af.delta(af.pcen(af.melspectrogram(y, sr=8000, n_fft=400, hop_length=100),
                                sr=8000, hop_length=100))
    tolerance_check(np.concatenate(parts, -1), expected, 1e-12)


@pytest.mark.parametrize("n_fft,hop,center", [(400, 160, True), (2048, 512, True),
                                              (512, 512, True), (400, 160, False), (7, 3, True)])
def test_after_prime_length_whole_hops_keep_the_state_shape(n_fft, hop, center):
    spec = streaming.chain(streaming.melspectrogram(sr=16000, n_fft=n_fft, hop_length=hop,
                                                    center=center, n_mels=4, fmin=0.0),
                           streaming.delta(width=3))
    y = _signal(spec.prime_length + 20 * hop)
    frames, state = spec.step(spec.init(y[..., :0]), y[..., :spec.prime_length])
    shapes = [a.shape for s in state.arrays for a in s.arrays]
    at = spec.prime_length
    for m in (1, 3, 2):
        frames, state = spec.step(state, y[..., at:at + m * hop])
        at += m * hop
        assert frames.shape[-1] == m
        assert [a.shape for s in state.arrays for a in s.arrays] == shapes


def test_latency_is_half_a_window_when_centred():
    assert streaming.melspectrogram(n_fft=2048).latency == 1024
    assert streaming.stft(n_fft=2047, center=False).latency == 2047
    assert streaming.stft(n_fft=7).latency == 4
    chain = streaming.chain(streaming.stft(n_fft=512, hop_length=128), streaming.delta(width=9))
    assert chain.latency == 256 + 4 * 128
    # the first frame is emitted exactly when its last needed sample arrives
    spec = streaming.spectrogram(n_fft=512, hop_length=128)
    y = _signal(1000, channels=())
    frames, _ = spec.step(spec.init(y[:0]), y[:spec.latency - 1])
    assert frames.shape[-1] == 0
    frames, _ = spec.step(spec.init(y[:0]), y[:spec.latency])
    assert frames.shape[-1] == 1


def test_under_jax_jit_and_lax_scan():
    jax = optional("jax")
    jnp = jax.numpy
    sr, hop = 16000, 160
    spec = streaming.chain(streaming.melspectrogram(sr=sr, n_fft=400, hop_length=hop, n_mels=40),
                           streaming.power_to_db(), streaming.delta())
    y = _signal(sr, dtype=np.float32)
    expected = af.delta(af.power_to_db(af.melspectrogram(y, sr=sr, n_fft=400, hop_length=hop,
                                                         n_mels=40), top_db=None))
    yj = jnp.asarray(y)
    step = jax.jit(spec.step)
    head, state = step(spec.init(yj[..., :0]), yj[..., :spec.prime_length])
    chunk = 2 * hop  # 20 ms
    n = (y.shape[-1] - spec.prime_length) // chunk * chunk
    chunks = jnp.moveaxis(yj[..., spec.prime_length:spec.prime_length + n].reshape(2, -1, chunk), 1, 0)

    def body(state, c):
        frames, state = spec.step(state, c)
        return state, frames

    state, scanned = jax.lax.scan(body, state, chunks)  # (steps, 2, 40, 2)
    tail, state = step(state, yj[..., spec.prime_length + n:])
    out = jnp.concatenate([head, *jnp.unstack(scanned), tail, jax.jit(spec.flush)(state)], axis=-1)
    tolerance_check(np.asarray(out), expected, 1e-6, "jit + scan")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_under_torch_compile():
    torch = optional("torch")
    spec = streaming.chain(streaming.melspectrogram(sr=16000, n_fft=400, hop_length=160),
                           streaming.power_to_db())
    y = _signal(8000, dtype=np.float32)
    yt = torch.from_numpy(y)
    expected = af.power_to_db(af.melspectrogram(yt, sr=16000, n_fft=400, hop_length=160),
                              top_db=None).numpy()
    step = torch.compile(spec.step)
    # primed, every 20 ms chunk has the same shapes: one compilation serves the stream
    head, state = spec.step(spec.init(yt[..., :0]), yt[..., :spec.prime_length])
    parts, at = [head], spec.prime_length
    while at + 320 <= 8000:
        frames, state = step(state, yt[..., at:at + 320])
        parts.append(frames)
        at += 320
    frames, state = spec.step(state, yt[..., at:])
    parts += [frames, spec.flush(state)]
    tolerance_check(torch.cat(parts, -1).numpy(), expected, 1e-6, "torch.compile")


# --- what cannot stream, and what does not fit the stream ------------------------------------

def test_whole_signal_quantities_are_refused():
    with pytest.raises(af.ParameterError, match="callable ref.*Received: ref="):
        streaming.power_to_db(ref=np.max)
    with pytest.raises(af.ParameterError, match="top_db=None. Received: top_db=80"):
        streaming.mfcc(top_db=80.0)
    with pytest.raises(af.ParameterError, match="pad_mode='constant'.*Received: pad_mode='reflect'"):
        streaming.melspectrogram(pad_mode="reflect")
    streaming.melspectrogram(pad_mode="reflect", center=False)  # no padding: fine
    with pytest.raises(af.ParameterError, match="Received: mode='wrap'"):
        streaming.delta(mode="wrap")
    with pytest.raises(af.ParameterError, match="Received: window of type ndarray"):
        streaming.stft(n_fft=16, window=np.ones(16))
    with pytest.raises(af.ParameterError, match="n_mels"):  # the offline checks, when made
        streaming.melspectrogram(n_mels=0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'nfft'"):
        streaming.stft(nfft=16)


def test_chunks_and_states_that_do_not_fit_are_named():
    spec = streaming.melspectrogram(n_fft=256, hop_length=64)
    y = _signal(1000, dtype=np.float32)
    state = spec.init(y[..., :0])
    with pytest.raises(af.ParameterError, match="dtype float32. Received: dtype float64"):
        spec.step(state, y.astype(np.float64))
    with pytest.raises(af.ParameterError, match=r"leading shape \(2,\).*Received: shape \(3, 100\)"):
        spec.step(state, np.zeros((3, 100), np.float32))
    with pytest.raises(af.ParameterError, match="another spec"):
        streaming.melspectrogram(n_fft=512, hop_length=64).step(state, y)
    with pytest.raises(TypeError, match="State that init"):
        spec.step((np.zeros((2, 128), np.float32),), y)
    with pytest.raises(TypeError, match="integer PCM"):
        spec.step(state, np.zeros((2, 10), np.int16))
    torch = optional("torch")
    with pytest.raises(TypeError, match="the state holds numpy arrays"):
        spec.step(state, torch.zeros(2, 10))


def test_a_chunk_on_another_device_is_named():
    xs = optional("array_api_strict")
    spec = streaming.spectrogram(n_fft=64)
    state = spec.init(xs.zeros((0,), dtype=xs.float64))
    other = xs.asarray(np.zeros(10), device=xs.Device("device1"))
    with pytest.raises(af.ParameterError, match="state's device.*Received: device"):
        spec.step(state, other)


# --- the torch modules with external state, and their ONNX export ----------------------------

def _torch_stream(module, y, edges):
    state, parts = module.init_state(y[..., :0]), []
    for a, b in zip(edges[:-1], edges[1:]):
        frames, state = module(y[..., a:b], state)
        parts.append(frames)
    parts.append(module.flush(state))
    return parts


@pytest.mark.parametrize("name,params", [
    ("MelSpectrogram", dict(sr=16000, n_fft=400, hop_length=160, n_mels=40)),
    ("Spectrogram", dict(n_fft=256, hop_length=100, power=1.0, method="dft")),
    ("LogFrequencySpectrogram", dict(sr=16000, n_fft=1024, hop_length=256, n_bins=48, fmin=100.0)),
])
def test_torch_stream_modules_equal_their_offline_modules(name, params):
    torch = optional("torch")
    from audiofront.adapters import torch as aft
    from audiofront.adapters.torch import streaming as aft_streaming

    y = torch.from_numpy(_signal(9000, dtype=np.float32))
    offline = getattr(aft, name)(**params)
    stream = getattr(aft_streaming, name)(**params, then=[streaming.delta(width=5)])
    expected = af.delta(offline(y), width=5).numpy()
    for sizes in ([1, 159, 400], [320]):
        out = torch.cat(_torch_stream(stream, y, _cut(9000, sizes)), -1)
        tolerance_check(out.numpy(), expected, 1e-6, f"{name} {sizes}")
    timefreq = getattr(aft_streaming, name)(**params, layout="time_freq")
    out = torch.cat(_torch_stream(timefreq, y, _cut(9000, [700])), -2)
    tolerance_check(out.numpy(), offline(y).transpose(-1, -2).numpy(), 1e-6, "time_freq")


def test_trainable_stream_module_learns_and_moves_with_its_tensors():
    torch = optional("torch")
    from audiofront.adapters.torch.streaming import MelSpectrogram

    m = MelSpectrogram(sr=16000, n_fft=256, hop_length=128, n_mels=16, method="dft",
                       trainable_stft=True, trainable_filterbank=True)
    assert {n for n, _ in m.named_parameters()} == {"module.dft_basis", "module.mel_basis"}
    y = torch.from_numpy(_signal(2000, dtype=np.float32))
    frames, state = m(y, m.init_state(y[..., :0]))
    frames.sum().backward()
    assert m.module.mel_basis.grad is not None and m.module.dft_basis.grad.abs().sum() > 0
    m = m.double()  # the tensors follow; a float32 stream now needs a float64 state
    with pytest.raises(af.ParameterError, match="dtype"):
        m(y.double(), state)


def test_exported_onnx_stream_runs_chunk_by_chunk_like_the_offline_mel(tmp_path):
    torch = optional("torch")
    ort = optional("onnxruntime")
    optional("onnxscript")
    from audiofront.adapters.torch.streaming import MelSpectrogram

    mel = dict(sr=16000, n_fft=400, hop_length=160, n_mels=40)
    m = MelSpectrogram(**mel, method="dft", then=[streaming.power_to_db()]).eval()
    y = torch.from_numpy(_signal(16000, dtype=np.float32))
    expected = af.power_to_db(af.melspectrogram(y.numpy(), **mel), top_db=None)
    # the graph has the fixed shapes of a primed stream: prime it, then export one 20 ms step
    head, state = m(y[..., :m.prime_length], m.init_state(y[..., :0]))
    chunk = 320
    path = tmp_path / "stream.onnx"
    torch.onnx.export(m, (y[..., :chunk], state), str(path), input_names=["chunk", "buffer"],
                      output_names=["frames", "buffer_out"], dynamo=True)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    parts, at, buffer = [head.numpy()], m.prime_length, state[0].numpy()
    while at + chunk <= 16000:
        frames, buffer = session.run(None, {"chunk": y[..., at:at + chunk].numpy(), "buffer": buffer})
        parts.append(frames)
        at += chunk
    frames, state = m(y[..., at:], (torch.from_numpy(buffer),))  # the rest, and the end
    parts += [frames.numpy(), m.flush(state).numpy()]
    tolerance_check(np.concatenate(parts, -1), expected, 1e-5, "onnx stream")
