"""Extraction on many workers: a local process pool and a real Dask cluster give the output a
single process gives, and nothing is lost when the driver or a worker is killed mid-run."""

import io as stdio
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from helpers import optional

h5py = optional("h5py")
soundfile = optional("soundfile")
optional("soxr")

import audiofront as af  # noqa: E402
from audiofront import _store  # noqa: E402
from audiofront.cli import main  # noqa: E402
from audiofront.extract import extract, verify  # noqa: E402
from test_extract import read  # noqa: E402

# 84 bins with the direct algorithm at hop 128: about 0.1 s per 4 s clip, so a run of 24 clips
# in batches of one is still going when it is killed
ARGS = ["--mono", "--batch-size", "1", "-q", "--feature", "cqt", "--n-bins", "84",
        "--algorithm", "direct", "--hop-length", "128"]
OPTIONS = {"n_bins": 84, "algorithm": "direct", "hop_length": 128}


@pytest.fixture
def many(tmp_path):
    """24 clips of 4 s noise in three label folders, and one of 9 s (a longer whole clip)."""
    root = tmp_path / "many"
    for i in range(24):
        (root / f"label{i % 3}").mkdir(parents=True, exist_ok=True)
        seconds = 9 if i == 5 else 4
        y = np.random.default_rng(i).uniform(-0.5, 0.5, 22050 * seconds).astype(np.float32)
        soundfile.write(root / f"label{i % 3}" / f"clip{i:02d}.wav", y, 22050)
    return root


@pytest.fixture(scope="module")
def cluster():
    """A real Dask cluster: a scheduler and two worker processes (one thread each)."""
    distributed = optional("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local, \
            distributed.Client(local) as client:
        yield local.scheduler_address, client


def wait_until_idle(client, timeout=60):
    """Until no task of a killed driver is still running on the cluster."""
    deadline = time.time() + timeout
    while any(client.processing().values()) and time.time() < deadline:
        time.sleep(0.1)


def assert_same_output(a_path, b_path):
    """Two finished outputs hold the same files in the same order with the same rows, bit for
    bit: the batches are the same whoever computes them, and every computing process runs its
    numerical libraries on one thread, so every sum is taken in the same order."""
    (a, a_attrs), (b, b_attrs) = read(a_path), read(b_path)
    assert set(a) == set(b) and a_attrs["complete"] and b_attrs["complete"]
    assert a_attrs["params"] == b_attrs["params"]
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


@pytest.fixture
def always_spawn(monkeypatch):
    """Start the pool however short the job (by default only for more than a second of work)."""
    from audiofront import _workers

    monkeypatch.setattr(_workers, "SPAWN_AFTER", 0.0)
    monkeypatch.setenv("AUDIOFRONT_SPAWN_AFTER", "0")  # for the command run as a subprocess


def _high_water_mark() -> float:
    """This process's peak resident memory in bytes, from Linux's /proc (inf elsewhere)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return float("inf")


def test_pool_equals_one_process(many, tmp_path, always_spawn):
    one, pool = tmp_path / "one.h5", tmp_path / "pool.h5"
    bar = stdio.StringIO()
    single = extract([many], one, options=OPTIONS, mono=True, batch_size=3, workers=1, quiet=True)
    summary = extract([many], pool, options=OPTIONS, mono=True, batch_size=3, workers=2,
                      stream=bar)
    assert summary.ok and summary.written == single.written == 24
    assert len(summary.peak_memory) == 2 and len(single.peak_memory) == 1  # two workers, here
    worker = [peak for pid, peak in summary.peak_memory.items() if pid != os.getpid()]
    assert len(worker) == 1 and 50 * 2 ** 20 < worker[0] < 4 * 2 ** 30
    # this process's figure is its high-water mark since it started: the whole test session's
    here = summary.peak_memory[os.getpid()]
    assert 50 * 2 ** 20 < here <= _high_water_mark()
    assert "peak memory of the 2 computing processes" in summary.report()
    assert_same_output(pool, one)
    data = af.FeatureFile(pool)  # whole clips: the 9 s clip is longer than the rest
    lengths = [data[i][0].shape[-1] for i in range(len(data))]
    assert max(lengths) > min(lengths) and lengths.count(max(lengths)) == 1
    text = bar.getvalue()  # one bar for the whole job, finished
    assert "24/24" in text and "audio 0:01:41 of 0:01:41" in text and "x real time" in text


def test_a_short_job_starts_no_pool(many, tmp_path):
    """A second of work or less is done here: starting a worker would cost half of it."""
    summary = extract([many / "label0"], tmp_path / "short.h5", feature="mel", mono=True,
                      batch_size=2, workers=2, quiet=True)
    assert summary.ok and summary.written == 8 and list(summary.peak_memory) == [os.getpid()]


def test_dask_cluster_equals_one_process(many, tmp_path, cluster):
    address, client = cluster
    one, dask_out = tmp_path / "one.h5", tmp_path / "dask.h5"
    extract([many], one, options=OPTIONS, mono=True, batch_size=4, workers=1, quiet=True)
    summary = extract([many], dask_out, options=OPTIONS, mono=True, batch_size=4,
                      scheduler=address, quiet=True)
    pids = set(client.run(os.getpid).values())
    assert summary.ok and set(summary.peak_memory) <= pids and len(summary.peak_memory) >= 1
    assert_same_output(dask_out, one)
    assert not os.path.exists(str(dask_out) + ".parts")


def test_a_killed_dask_worker_loses_nothing(many, tmp_path, cluster):
    address, client = cluster
    out, one = tmp_path / "killed_worker.h5", tmp_path / "one.h5"
    victims = list(client.run(os.getpid).values())
    killed = []

    parts = tmp_path / "killed_worker.h5.parts"

    def kill_one_worker_mid_run():
        deadline = time.time() + 120
        while time.time() < deadline and not (parts.is_dir() and
                                              len(list(parts.glob("*.h5"))) >= 2):
            time.sleep(0.02)
        os.kill(victims[0], signal.SIGKILL)
        killed.append(time.perf_counter())

    killer = threading.Thread(target=kill_one_worker_mid_run)
    killer.start()
    summary = extract([many], out, options=OPTIONS, mono=True, batch_size=1, scheduler=address,
                      quiet=True)
    finished = time.perf_counter()
    killer.join()
    # killed after two of the 24 batches, while the others ran (each takes ~0.1 s)
    assert killed and killed[0] < finished and summary.ok and summary.written == 24
    with h5py.File(out, "r") as f:
        assert f.attrs["complete"] and len(f["files"]) == 24
    assert verify(out) == (True, [])
    extract([many], one, options=OPTIONS, mono=True, batch_size=1, workers=1, quiet=True)
    assert_same_output(out, one)
    client.wait_for_workers(2, timeout=60)  # the nanny restarted it, for the next test


@pytest.mark.parametrize("where", ["pool", "cluster"])
def test_sigkill_leaves_a_valid_file_and_rerun_completes(where, many, tmp_path, capsys, request,
                                                         always_spawn):
    """The driver is killed mid-run: the output is valid and holds what was finished; the same
    command resumes and gives the output of a run never killed."""
    args = ["extract", str(many), *ARGS]
    if where == "cluster":
        address, client = request.getfixturevalue("cluster")
        args += ["--scheduler", address]
    killed = tmp_path / "killed.h5"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen([sys.executable, "-m", "audiofront.cli", *args, "-o", str(killed)],
                            env=env, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    committed = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with h5py.File(killed, "r") as f:
                committed = len(f["files"])
        except (OSError, KeyError):
            continue
        if committed >= 3:
            break
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if where == "cluster":
        wait_until_idle(client)  # its running tasks finish; their parts are never read
    with h5py.File(killed, "r") as f:  # valid, and every row of a listed file is there
        files = f["files"].asstr()[()]
        assert 3 <= len(files) < 24 and not f.attrs["complete"]
        assert f["features"].shape[0] == len(files) and np.isfinite(f["features"][()]).all()
        part = tmp_path / "killed.h5.parts" / f["parts"].asstr()[0]
    # verify: whole but in progress; with a part gone (read as zeros by HDF5) it is broken
    assert main(["verify", str(killed)]) == 1
    hidden = part.rename(tmp_path / "hidden.h5")
    assert main(["verify", str(killed)]) == 2
    assert f"part {part} is missing" in capsys.readouterr().err
    hidden.rename(part)
    assert main([*args, "-o", str(killed)]) == 0
    assert main(["verify", str(killed)]) == 0
    reference = tmp_path / "reference.h5"
    assert main(["extract", str(many), *ARGS, "-o", str(reference)]) == 0
    assert_same_output(killed, reference)
    assert not os.path.exists(str(killed) + ".parts")


def test_parts_the_output_does_not_name_are_never_read(many, tmp_path, always_spawn):
    out = tmp_path / "f.h5"
    extract([many / "label2"], out, options=OPTIONS, mono=True, batch_size=1, workers=2,
            quiet=True)  # 8 clips, the longest among them
    # a stray part (a late task of a killed run) with the name a new batch's part will have
    stray = _store.part_path(str(out), [str(many / "label0" / "clip00.wav")])
    os.makedirs(os.path.dirname(stray), exist_ok=True)
    with h5py.File(stray, "w") as f:
        f["garbage"] = np.ones(3)
    summary = extract([many], out, options=OPTIONS, mono=True, batch_size=1, workers=2,
                      quiet=True)
    assert summary.ok and summary.already == 8 and summary.written == 16
    reference = tmp_path / "reference.h5"
    extract([many], reference, options=OPTIONS, mono=True, batch_size=1, workers=2, quiet=True)
    assert_same_output(out, reference)


def test_worker_and_batch_arguments_are_checked(many, tmp_path, capsys):
    for bad in ("0", "-2"):
        assert main(["extract", str(many), "-o", str(tmp_path / "x.h5"), "--workers", bad]) == 2
        assert f"workers must be a positive integer. Received: workers={bad}" in capsys.readouterr().err
    assert main(["extract", str(many), "-o", str(tmp_path / "x.h5"), "--batch-size", "0"]) == 2
    assert "Received: batch_size=0" in capsys.readouterr().err
    assert not (tmp_path / "x.h5").exists()


def test_a_killed_pool_worker_stops_the_run_and_the_rerun_completes(many, tmp_path,
                                                                     always_spawn):
    """A pool process killed mid-run (say by the kernel, out of memory) stops the run with an
    error rather than leaving it waiting; the output holds what was finished and the same
    call completes it."""
    import psutil

    out, one = tmp_path / "f.h5", tmp_path / "one.h5"
    me = psutil.Process()
    before = {c.pid for c in me.children(recursive=True)}  # a Dask cluster's, say

    def kill_a_pool_process():
        deadline = time.time() + 120
        while time.time() < deadline:
            children = [c for c in me.children() if c.pid not in before
                        and "spawn_main" in " ".join(c.cmdline())]
            if children and (tmp_path / "f.h5.parts").is_dir():
                children[0].kill()
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_a_pool_process)
    killer.start()
    with pytest.raises(Exception, match="(?i)process"):
        extract([many], out, options=OPTIONS, mono=True, batch_size=1, workers=2, quiet=True)
    killer.join()
    assert verify(out)[1] == []  # whole, in progress
    summary = extract([many], out, options=OPTIONS, mono=True, batch_size=1, workers=2,
                      quiet=True)
    assert summary.ok and summary.already + summary.written == 24
    extract([many], one, options=OPTIONS, mono=True, batch_size=1, workers=1, quiet=True)
    assert_same_output(out, one)


def test_interrupted_before_any_new_part_keeps_the_output(many, tmp_path, monkeypatch):
    """Files added to a finished output, and the run stopped before its first batch is done:
    the interruption comes through, and the output still holds every file it held."""
    from audiofront import _rows

    out = tmp_path / "f.h5"
    extract([many / "label2"], out, options=OPTIONS, mono=True, workers=1, quiet=True)
    before = read(out)[0]

    def interrupted(job, files):
        raise KeyboardInterrupt

    monkeypatch.setattr(_rows, "run_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        extract([many], out, options=OPTIONS, mono=True, workers=1, quiet=True)
    assert verify(out)[1] == []
    after = read(out)[0]
    np.testing.assert_array_equal(after["files"], before["files"])
    np.testing.assert_array_equal(after["frequencies"], before["frequencies"])
