"""The extraction output on disk: part files, the output published over them, and its checks.

A run's work arrives as *parts*: HDF5 files of whole audio files' rows in ``<output>.parts/``,
each written under a temporary name and renamed (atomic), named by a hash of the audio files it
holds, so a retried or duplicated task rewrites the same part with the same content. After each
part, ``<output>`` is rewritten (again by rename) as a small file whose ``features`` / ``audio``
are virtual datasets over the parts so far and whose ``parts`` dataset names them; to finish,
the parts' chunks are copied into ``<output>`` in the order of the inputs and the parts are
removed. A part the output does not name (a run killed between writing and publishing it, or
a task of a killed run finishing late) is never read: the next run removes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid

import numpy as np

FORMAT = "audiofront-features/2"  # /2: whole clips by default, per-row samples and frames
ROW_KEYS = ("row_file", "offset", "samples", "frames")  # per-row metadata of a part
ARRAYS = ("features", "audio")


class ExtractError(RuntimeError):
    """The extraction cannot start (bad inputs, an output made with other parameters)."""


def h5py():
    import h5py

    return h5py


def format_problem(f, path) -> str | None:
    """Why the open HDF5 file ``f`` is not an output this version reads, or None."""
    found = f.attrs.get("format")
    if found == FORMAT:
        return None
    if isinstance(found, str) and found.startswith("audiofront-features/"):
        return (f"{path} was written by another audiofront version (format {found}; this one "
                f"reads {FORMAT}): extract into a new file")
    return f"{path} is not an audiofront features file (format={found!r})"


def parts_dir(output: str) -> str:
    return output + ".parts"


def part_path(output: str, files) -> str:
    """Where the part holding exactly ``files`` (in this order) goes."""
    digest = hashlib.sha256("\n".join(files).encode()).hexdigest()[:20]
    return os.path.join(parts_dir(output), f"{digest}.h5")


def _flat(record: dict) -> dict:
    return {**{k: v for k, v in record.items() if k != "params"}, **record.get("params", {})}


def existing(output: str, record: dict) -> tuple[set, list]:
    """``(files done, index of the parts the output is built over)`` of an existing output made
    with ``record`` (nothing for a new one); raises :class:`ExtractError` for one made with other
    parameters. Anything in the parts folder that the output does not name is removed."""
    done, named = set(), []
    if os.path.exists(output):
        try:
            with h5py().File(output, "r") as f:
                problem = format_problem(f, output)
                if problem:
                    raise ExtractError(f"{problem}; choose another output path")
                theirs = json.loads(f.attrs["params"])
                done = set(f["files"].asstr()[()].tolist())
                named = f["parts"].asstr()[()].tolist() if "parts" in f else []
        except ExtractError:
            raise
        except Exception as exc:
            raise ExtractError(f"{output} exists but cannot be read ({exc}); move it away") from None
        if theirs != record:
            theirs, ours = _flat(theirs), _flat(record)
            diff = sorted(k for k in set(theirs) | set(ours) if theirs.get(k) != ours.get(k))
            detail = ", ".join(f"{k}: file {theirs.get(k)!r}, now {ours.get(k)!r}" for k in diff)
            raise ExtractError(
                f"{output} was made with other parameters ({detail}); it is left untouched. Use "
                f"another output path, or the same options to resume."
            )
    folder = parts_dir(output)
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            if name not in named:
                os.remove(os.path.join(folder, name))
    return done, [part_index(os.path.join(folder, name)) for name in named]


CHUNK_BYTES = 2 ** 16  # a chunk holds at most this much of a row (64 KiB: a 96-bin float32 CQT, 170 frames)


def chunks(shape, dtype) -> tuple:
    """The chunk shape of a ``(rows, ..., length)`` dataset: one row, cut along its last axis
    into pieces of at most :data:`CHUNK_BYTES`, so a row's zero padding (a short clip among
    long ones) lies in chunks that are never written and take no space."""
    inner = int(np.prod(shape[1:-1], dtype=np.int64)) * np.dtype(dtype).itemsize
    return (1,) + tuple(shape[1:-1]) + (max(1, min(shape[-1], CHUNK_BYTES // max(1, inner))),)


def write_part(output: str, batch: dict, compression) -> str:
    """One batch of whole files as a part, in the output's chunks (see :func:`chunks`) and
    compression, so that the final copy moves the chunks as they are. Of each row only its
    true frames (samples) are written."""
    name = part_path(output, batch["files"])
    os.makedirs(os.path.dirname(name), exist_ok=True)
    tmp = f"{name}.{uuid.uuid4().hex[:8]}.tmp"  # a duplicated task writes its own
    with h5py().File(tmp, "w") as f:
        _write_rows(f, batch, compression)
        for key in ROW_KEYS:
            f[key] = batch[key]
        f["files"] = strings(batch["files"])
        f["labels"] = strings(batch["labels"])
    os.replace(tmp, name)
    return name


def _write_rows(f, rows, compression) -> None:
    """``features`` and ``audio`` of ``rows`` (arrays or datasets) into the open file ``f``:
    of each row only its ``frames`` (``samples``) first entries."""
    for key, lengths in (("features", rows["frames"]), ("audio", rows["samples"])):
        if key in rows:
            data = rows[key]
            ds = f.create_dataset(key, shape=data.shape, dtype=data.dtype,
                                  chunks=chunks(data.shape, data.dtype), compression=compression)
            if np.all(lengths == data.shape[-1]) and isinstance(data, np.ndarray):
                ds[...] = data
            else:
                for row, n in enumerate(lengths):
                    ds[row, ..., :n] = data[row, ..., :n]


def strings(values):
    return np.array(values, dtype=h5py().string_dtype())


def part_index(part: str) -> dict:
    """What publishing needs to know of a part (read once per run, then kept)."""
    with h5py().File(part, "r") as f:
        return {"path": part, **{key: f[key][()] for key in ROW_KEYS},
                "files": f["files"].asstr()[()].tolist(), "labels": f["labels"].asstr()[()].tolist(),
                "shapes": {key: (f[key].shape, f[key].dtype) for key in ARRAYS if key in f}}


def publish(output: str, index: list, attrs: dict, freqs, skipped, *, consolidate: bool,
            compression, order=()) -> None:
    """Rewrite ``output`` (by rename) from the parts described by ``index`` (see
    :func:`part_index`): virtual datasets in the parts' order, or, to finish, ordinary ones
    with the files in the order of ``order`` (files not in it first, as they were) and each
    file's rows by offset; then the parts are removed."""
    files, labels = [], []
    rows = {key: [] for key in ROW_KEYS}
    where = []  # (part, row in the part) of every row
    for p, entry in enumerate(index):
        for key in ROW_KEYS:
            rows[key].append(entry[key] + (len(files) if key == "row_file" else 0))
        where += [(p, r) for r in range(len(entry["offset"]))]
        files += entry["files"]
        labels += entry["labels"]
    rows = {key: np.concatenate(v) if v else np.zeros(0, dtype=np.int64) for key, v in rows.items()}
    if consolidate:
        rank = {path: i for i, path in enumerate(order)}
        by_file = sorted(range(len(files)), key=lambda i: (rank.get(files[i], -1), i))
        new_file = np.empty(len(files), dtype=np.int64)
        new_file[by_file] = np.arange(len(files))
        files, labels = [files[i] for i in by_file], [labels[i] for i in by_file]
        rows["row_file"] = new_file[rows["row_file"]]
        perm = np.lexsort((rows["offset"], rows["row_file"]))
        rows = {key: v[perm] for key, v in rows.items()}
        where = [where[i] for i in perm]
    label_names = sorted(set(labels))
    file_label = np.array([label_names.index(lab) for lab in labels], dtype=np.int32)
    row_file = rows["row_file"].astype(np.int32)
    tmp = output + ".tmp"
    with h5py().File(tmp, "w") as out:
        for key in ARRAYS:
            shapes = [entry["shapes"][key] for entry in index if key in entry["shapes"]]
            if shapes:
                shape = (sum(s[0] for s, _ in shapes),) + shapes[0][0][1:]
                if consolidate:
                    _copy(out, key, shape, shapes[0][1], index, where, compression)
                else:
                    _link(out, key, shape, shapes[0][1], index, output)
        out["label"] = file_label[row_file]
        out["source"] = row_file
        for key in ("offset", "samples", "frames"):
            out[key] = rows[key].astype(np.int64)
        out["files"] = strings(files)
        out["file_label"] = file_label
        out["label_names"] = strings(label_names)
        out["skipped"] = strings([f"{p}\t{r}" for p, r in skipped])
        out["frequencies"] = freqs
        out["parts"] = strings([] if consolidate else
                               [os.path.basename(entry["path"]) for entry in index])
        for key, value in attrs.items():
            out.attrs[key] = value
        out.attrs["complete"] = bool(consolidate)
    os.replace(tmp, output)
    if consolidate:
        shutil.rmtree(parts_dir(output), ignore_errors=True)


def _copy(out, key, shape, dtype, index, where, compression):
    """Row ``i`` of ``out[key]`` is row ``where[i]`` of its part, copied chunk by chunk as
    stored (compressed or not; the chunks never written stay unwritten)."""
    ds = out.create_dataset(key, shape=shape, dtype=dtype, chunks=chunks(shape, dtype),
                            compression=compression)
    opened, f, stored = None, None, None
    try:
        for row, (p, r) in enumerate(where):
            if p != opened:  # rows of a part mostly follow each other
                if f is not None:
                    f.close()
                f, opened = h5py().File(index[p]["path"], "r"), p
                src = f[key]
                if src.chunks != ds.chunks:
                    raise ExtractError(f"{index[p]['path']}: {key} has chunks {src.chunks}, "
                                       f"the output {ds.chunks}")
                stored = {}  # row -> offsets of its written chunks
                for i in range(src.id.get_num_chunks()):
                    offset = src.id.get_chunk_info(i).chunk_offset
                    stored.setdefault(offset[0], []).append(offset)
            for offset in stored.get(r, ()):
                mask, chunk = src.id.read_direct_chunk(offset)
                ds.id.write_direct_chunk((row,) + offset[1:], chunk, mask)
    finally:
        if f is not None:
            f.close()


def _link(out, key, shape, dtype, index, output):
    """``out[key]`` as a virtual dataset over the parts, in their order."""
    layout = h5py().VirtualLayout(shape=shape, dtype=dtype)
    start = 0
    for entry in index:
        pshape = entry["shapes"][key][0]
        rel = os.path.relpath(entry["path"], os.path.dirname(output))
        layout[start:start + pshape[0]] = h5py().VirtualSource(rel, key, shape=pshape)
        start += pshape[0]
    out.create_virtual_dataset(key, layout)


def adopt_consolidated(output: str, compression) -> dict | None:
    """A finished output gets more files: its rows become a part (rewritten in this version's
    chunks), so new parts can join it. Returns that part's index entry, or None when there is
    nothing to adopt."""
    if not os.path.exists(output):
        return None
    with h5py().File(output, "r") as f:
        if "features" not in f or not f.attrs.get("complete"):
            return None
        files = f["files"].asstr()[()].tolist()
        part = part_path(output, files)
        os.makedirs(parts_dir(output), exist_ok=True)
        with h5py().File(part + ".tmp", "w") as g:
            rows = {key: f[key] for key in ARRAYS if key in f}
            rows.update({key: f[key][()] for key in ("frames", "samples")})
            _write_rows(g, rows, compression)
            g["row_file"] = f["source"][()]
            for key in ("offset", "samples", "frames"):
                g[key] = f[key][()]
            g["files"] = strings(files)
            names = f["label_names"].asstr()[()].tolist()
            g["labels"] = strings([names[i] for i in f["file_label"][()]])
    os.replace(part + ".tmp", part)
    return part_index(part)


def verify(output) -> tuple[bool, list[str]]:
    """``(complete, problems)`` of an extraction output.

    HDF5 virtual datasets read a missing source as fill values, silently, so an in-progress
    output whose part files were moved or deleted still opens: this checks that every part
    the output points at exists with the data it should hold, and that the per-row datasets
    agree (counts, indices into ``files`` and ``label_names``, frame counts). ``problems`` is
    empty for a valid file; ``complete`` says whether the run finished (else resume it).
    """
    output = os.fspath(output)
    problems = []
    try:
        f = h5py().File(output, "r")
    except Exception as exc:
        return False, [f"{output} cannot be opened: {exc}"]
    with f:
        problem = format_problem(f, output)
        if problem:
            return False, [problem]
        need = ("features", "label", "source", "offset", "samples", "frames", "files",
                "label_names", "file_label")
        missing = [key for key in need if key not in f]
        if missing:
            return False, [f"missing datasets: {', '.join(missing)}"]
        for key in ARRAYS:
            if key in f and f[key].is_virtual:
                for source in f[key].virtual_sources():
                    path = os.path.join(os.path.dirname(os.path.abspath(output)), source.file_name)
                    problem = _check_source(path, source.dset_name)
                    if problem:
                        problems.append(f"{key}: {problem}")
        rows = f["features"].shape[0]
        for key in ("label", "source", "offset", "samples", "frames"):
            if f[key].shape[0] != rows:
                problems.append(f"{key} has {f[key].shape[0]} entries for {rows} rows")
        if not problems and rows:
            if f["source"][()].max() >= len(f["files"]):
                problems.append("a row's source is not among the files")
            if f["label"][()].max() >= len(f["label_names"]):
                problems.append("a row's label is not among the label names")
            if f["frames"][()].max() > f["features"].shape[-1]:
                problems.append("a row has more frames than the features dataset holds")
        complete = bool(f.attrs.get("complete"))
    return complete, problems


def _check_source(path, dataset):
    if not os.path.exists(path):
        return f"part {path} is missing (its rows would read as zeros)"
    try:
        with h5py().File(path, "r") as part:
            if dataset not in part:
                return f"part {path} has no dataset {dataset!r}"
    except Exception as exc:
        return f"part {path} cannot be read ({exc})"
    return None
