"""Where extraction tasks run: in this process, in a local process pool, or on a Dask cluster.

Each runner takes a task function and its argument lists and yields the tasks' (small) results
as they finish, in any order. Tasks must be idempotent: Dask may run one twice, and a killed
run leaves its pool's busy workers to finish what they hold.
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import sys
import time

__all__ = ["available_cores", "run"]

# Thread pools of the numerical libraries: one thread per worker process, as many processes as
# cores (a worker per core beats threads inside one process: the FFTs are single-threaded).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def available_cores() -> int:
    """The cores this process may run on (its affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# Starting a worker process costs about half a second here (an interpreter, its imports, its
# first kernels), so the pool is started only when the batches left after the first would take
# this process longer than this many seconds.
SPAWN_AFTER = float(os.environ.get("AUDIOFRONT_SPAWN_AFTER", "1.0"))


def run(task, job, batches, *, workers: int = 1, scheduler: str | None = None):
    """Yield ``task(job, batch)`` for every batch, as each finishes.

    ``scheduler``: the address of a running Dask scheduler (``tcp://host:8786``). Else this
    process computes the first batch; if the others would take it longer than
    :data:`SPAWN_AFTER` seconds, ``workers - 1`` processes of a local pool (spawned, one
    numerical thread each) join it: this process goes on computing while their interpreters
    start, and they share the batches left. This process computes on one numerical thread too,
    so the numbers do not depend on ``workers``.
    """
    if scheduler is not None:
        yield from _dask(task, job, batches, scheduler)
        return
    with one_thread():
        if not batches:
            return
        start = time.perf_counter()
        yield task(job, batches[0])
        left = batches[1:]
        if workers > 1 and len(left) > 1 and (time.perf_counter() - start) * len(left) > SPAWN_AFTER:
            yield from _pool(task, job, left, min(workers, len(left)) - 1)
        else:
            for batch in left:
                yield task(job, batch)


@contextlib.contextmanager
def one_thread():
    """This process's numerical libraries on one thread (BLAS, OpenMP, torch) for the block."""
    from threadpoolctl import threadpool_limits

    torch = sys.modules.get("torch")
    before = torch.get_num_threads() if torch is not None else None
    with threadpool_limits(limits=1):
        if torch is not None:
            torch.set_num_threads(1)
        try:
            yield
        finally:
            if torch is not None:
                torch.set_num_threads(before)


def _worker_init():
    """A pool process: one numerical thread (for what it has loaded already, and through the
    environment for what it loads later, torch included), and it exits at once when its driver
    dies (killed, say) instead of computing the batch it holds; the next run redoes it."""
    import multiprocessing
    import multiprocessing.connection
    import threading

    from threadpoolctl import threadpool_limits

    os.environ.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    threadpool_limits(limits=1)  # for the rest of this process's life
    parent = multiprocessing.parent_process()
    if parent is not None:
        def watch():
            multiprocessing.connection.wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def _pool(task, job, batches, processes):
    """This process and ``processes`` spawned ones share ``batches``: each of those holds one
    batch at a time (the next is sent as it returns one), this process takes the others. A pool
    process that dies (killed, out of memory) stops the run with BrokenProcessPool; what was
    finished is in the output and the same command resumes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: forking a process that holds thread pools (BLAS, torch, JAX) is unsafe
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init)
    todo, done = collections.deque(batches), queue.SimpleQueue()

    def send():
        try:
            batch = todo.popleft()
        except IndexError:
            return
        try:
            pool.submit(task, job, batch).add_done_callback(returned)
        except Exception as exc:  # the pool broke or shut down
            done.put(exc)

    def returned(future):  # on the pool's management thread
        done.put(future)
        send()

    remaining = len(batches)
    try:
        for _ in range(processes):
            send()
        while remaining:
            batch = None
            if done.empty():  # nothing returned yet: compute a batch here
                with contextlib.suppress(IndexError):
                    batch = todo.popleft()
            if batch is not None:
                result = task(job, batch)
            else:
                result = done.get()
                if isinstance(result, BaseException):
                    raise result
                result = result.result()  # a task's exception, or BrokenProcessPool
            remaining -= 1
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask(task, job, batches, address):
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ImportError("--scheduler needs Dask: pip install 'audiofront[dask]'") from None
    from dask.base import tokenize

    with Client(address) as client:
        # a key per (job, batch): resubmitting the same work (a retried driver) reuses it
        futures = [client.submit(task, job, batch, key=f"audiofront-extract-{tokenize(job, batch)}",
                                 retries=2)
                   for batch in batches]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            client.cancel(futures)
