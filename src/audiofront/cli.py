"""The ``audiofront`` command: ``extract``, ``info``, ``show`` and ``demo``.

Every parameter of a feature's core function is an option (``--n-bins 96``, ``--fmin C3``,
``--center false`` ...), generated from the function's signature, so the command and the
library cannot drift apart.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import extract as ex

__all__ = ["main"]

EXIT_OK, EXIT_SKIPPED, EXIT_ERROR = 0, 1, 2


def _value(text: str):
    """An option's value: int, float, true/false, none, or the string itself (e.g. 'C3')."""
    lowered = text.lower()
    if lowered in ("none", "null"):
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def _feature_options(parser) -> list[str]:
    """Add ``--<param>`` for every parameter of every feature; returns their names."""
    names = sorted({name for f in ex.FEATURES for name in ex.feature_params(f)} - {"sr"})
    group = parser.add_argument_group(
        "feature parameters", "any parameter of the feature's core function (see "
        "help(audiofront.cqt) etc.); each feature takes its own")
    for name in names:
        group.add_argument("--" + name.replace("_", "-"), dest="opt_" + name, type=_value,
                           default=argparse.SUPPRESS, metavar="VALUE")
    return names


def _normalization_options(parser) -> None:
    parser.add_argument("--pcen", action="store_true",
                        help="per-channel energy normalisation of the magnitudes (instead of --db)")
    parser.add_argument("--lcn", action="store_true",
                        help="local contrast normalisation (after --db, as the seed notebook)")
    parser.add_argument("--lcn-kernel", type=int, nargs=2, default=[7, 7], metavar=("FREQ", "FRAMES"),
                        help="LCN neighbourhood in bins and frames, odd (default 7 7)")


def _lcn(args):
    return tuple(args.lcn_kernel) if args.lcn else None


def _options(args) -> dict:
    return {k[4:]: v for k, v in vars(args).items() if k.startswith("opt_")}


def _parser():
    parser = argparse.ArgumentParser(prog="audiofront", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="features of a folder of audio into an HDF5 file",
                       description=ex.__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", help="audio files, folders (recursive) or .txt lists")
    p.add_argument("-o", "--output", required=True, help="the HDF5 file (resumed if it exists)")
    p.add_argument("--feature", default="cqt", choices=sorted(ex.FEATURES))
    p.add_argument("--sr", type=float, default=22050.0, help="resample to this rate (default 22050)")
    p.add_argument("--mono", action="store_true", help="mix channels down")
    p.add_argument("--segment", type=int, help="slice clips into rows of this many samples")
    p.add_argument("--overlap", type=float, default=0.0, help="overlap of segments, a fraction")
    p.add_argument("--duration", type=float, help="seconds per row without --segment")
    p.add_argument("--db", action="store_true", help="store decibels")
    _normalization_options(p)
    p.add_argument("--dtype", default="float32", choices=["float32", "float16"])
    p.add_argument("--keep-audio", action="store_true", help="store the samples of each row too")
    p.add_argument("--backend", default="numpy", choices=["numpy", "torch", "cupy"])
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes, one numerical thread each (default: every core; "
                        "1 on a GPU)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run the tasks on this Dask scheduler (tcp://host:8786); every worker "
                        "must reach the output's folder")
    p.add_argument("--batch-size", type=int, default=None,
                   help="rows per core call (default: about 4 M samples; 16 M on a GPU)")
    p.add_argument("--compression", default="none", choices=["gzip", "lzf", "none"],
                   help="HDF5 compression (default none: float features compress by 1.0-1.3x "
                        "at the cost of computing them again)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _feature_options(p)

    p = sub.add_parser("info", help="summarise a features file")
    p.add_argument("file")

    p = sub.add_parser("verify", help="check that a features file is complete and whole")
    p.add_argument("file")

    p = sub.add_parser("show", help="a picture of a clip's features")
    p.add_argument("file", help="an audio file, or a features file (with --row)")
    p.add_argument("-o", "--output", default=None, help="PNG to write (default: FILE.png)")
    p.add_argument("--feature", default="cqt", choices=sorted(ex.FEATURES))
    p.add_argument("--row", type=int, default=0, help="row of a features file (default 0)")
    p.add_argument("--sr", type=float, default=22050.0)
    _normalization_options(p)
    _feature_options(p)

    p = sub.add_parser("demo", help="extract the bundled example recordings; write a picture")
    p.add_argument("--out-dir", default=".", help="where audiofront-demo.h5/.png go")
    p.add_argument("-q", "--quiet", action="store_true")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        commands = {"extract": _extract, "info": _info, "verify": _verify, "show": _show,
                    "demo": _demo}
        return commands[args.command](args)
    except (ex.ExtractError, ValueError, ImportError) as exc:
        print(f"audiofront {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\ninterrupted: the output holds every file finished so far; run the same "
              "command again to resume", file=sys.stderr)
        return 130


def _extract(args) -> int:
    summary = ex.extract(
        args.inputs, args.output, feature=args.feature, options=_options(args), sr=args.sr,
        mono=args.mono, segment=args.segment, overlap=args.overlap, duration=args.duration,
        db=args.db, pcen=args.pcen, lcn=_lcn(args), dtype=args.dtype,
        keep_audio=args.keep_audio, backend=args.backend, workers=args.workers,
        scheduler=args.scheduler, batch_size=args.batch_size,
        compression=None if args.compression == "none" else args.compression, quiet=args.quiet)
    print(summary.report(), file=sys.stderr)
    return EXIT_OK if summary.ok else EXIT_SKIPPED


def _verify(args) -> int:
    """0: complete and whole; 1: whole but in progress (resume it); 2: broken."""
    complete, problems = ex.verify(args.file)
    for problem in problems:
        print(f"audiofront verify: {args.file}: {problem}", file=sys.stderr)
    if problems:
        return EXIT_ERROR
    print(f"{args.file}: {'complete' if complete else 'in progress (resume to finish)'}, "
          f"every part present")
    return EXIT_OK if complete else EXIT_SKIPPED


def _info(args) -> int:
    import json

    import h5py
    import numpy as np

    with h5py.File(args.file, "r") as f:
        problem = ex.format_problem(f, args.file)
        if problem:
            raise ex.ExtractError(problem)
        record = json.loads(f.attrs["params"])
        names = f["label_names"].asstr()[()].tolist()
        counts = np.bincount(f["label"][()], minlength=len(names)) if len(names) else []
        feats = f["features"] if "features" in f else None
        print(f"{args.file}: {record['feature']} features, "
              f"{'complete' if f.attrs.get('complete') else 'in progress (resume to finish)'}")
        if feats is not None:
            print(f"  rows: {feats.shape[0]}, row shape {feats.shape[1:]}, {feats.dtype}")
        print(f"  files: {len(f['files'])}, skipped: {len(f['skipped'])}")
        print("  labels: " + ", ".join(f"{n} ({c})" for n, c in zip(names, counts, strict=True)))
        print(f"  sr {record['sr']} Hz, segment {record['segment']}, overlap {record['overlap']}, "
              f"db {record['db']}, mono {record['mono']}")
        if record.get("normalization"):
            (step, kwargs), = record["normalization"].items()
            print(f"  normalisation: {step} " + ", ".join(f"{k}={v}" for k, v in kwargs.items()))
        print("  parameters: " + ", ".join(f"{k}={v}" for k, v in record["params"].items()))
    return EXIT_OK


def _show(args) -> int:
    from . import io, plot

    output = args.output or os.path.splitext(args.file)[0] + ".png"
    if args.file.endswith((".h5", ".hdf5")):
        import json

        import h5py

        with h5py.File(args.file, "r") as f:
            record = json.loads(f.attrs["params"])
            S = f["features"][args.row][..., :int(f["frames"][args.row])]  # its true frames
            freqs = f["frequencies"][()]
            files = f["files"].asstr()[()]
            title = f"{os.path.basename(files[f['source'][args.row]])}, row {args.row}"
        while S.ndim > 2:
            S = S[0]
        feature, params, db = record["feature"], record["params"], record["db"]
        norm = record.get("normalization")
        db = db and not norm
        sr = record["sr"]
    else:
        feature = args.feature
        params = ex.feature_params(feature, _options(args))
        if "sr" in params:
            params["sr"] = args.sr
        y, sr = io.load(args.file, sr=args.sr, mono=True)
        spectral = feature not in ("mfcc", "chroma")
        norm = ex.normalization_step(feature, params, pcen=args.pcen, lcn=_lcn(args))
        db = spectral and not args.pcen  # decibels, then LCN when asked; PCEN instead of them
        S = ex.compute(y[:1], feature, params, db=db, norm=norm)[0]
        db = db and norm is None
        freqs = ex.frequencies(feature, params, S.shape[0])
        title = os.path.basename(args.file)
    hop = params.get("hop_length") or params.get("n_fft", 2048) // 4
    step = f", {next(iter(norm)).upper()}" if norm else ""
    plot.plot_features(S, sr=sr, hop_length=hop, frequencies=freqs, feature=feature,
                       title=f"{title}: {feature}{step}", path=output, db=db)
    print(output)
    return EXIT_OK


def _demo(args) -> int:
    import argparse as _argparse

    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "demo")
    os.makedirs(args.out_dir, exist_ok=True)
    h5 = os.path.join(args.out_dir, "audiofront-demo.h5")
    png = os.path.join(args.out_dir, "audiofront-demo.png")
    summary = ex.extract([here], h5, feature="cqt", options={"fmin": "C2", "n_bins": 72},
                         sr=22050, mono=True, segment=11025, overlap=0.5, db=True,
                         quiet=args.quiet)
    print(summary.report(), file=sys.stderr)
    speech = os.path.join(here, "speech", "speech_libri_5703_16k_mono.flac")
    try:
        _show(_argparse.Namespace(file=speech, output=png, feature="cqt", sr=22050.0,
                                  pcen=False, lcn=False, lcn_kernel=[7, 7],
                                  opt_fmin="C2", opt_n_bins=72))
    except ImportError:
        png = "no picture: pip install matplotlib (the 'plot' extra)"
    print(f"audiofront demo: features in {h5} (read them with h5py); picture: {png}",
          file=sys.stderr)
    return EXIT_OK if summary.ok else EXIT_SKIPPED


if __name__ == "__main__":
    sys.exit(main())
