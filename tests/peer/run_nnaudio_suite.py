"""Run nnAudio 0.3.4's own tests twice, with nnAudio and with audiofront.compat.nnaudio
standing in for it, and compare test by test.

    python tests/peer/run_nnaudio_suite.py --nnaudio-repo PATH [--keep DIR]

The tests come from nnAudio's sdist on PyPI; the sdist lacks two things they need, taken from a
checkout of nnAudio's repository (``--nnaudio-repo``, github.com/KinWaiCheuk/nnAudio): its
``Installation/tests/parameters.py`` and the ground-truth outputs in
``Installation/tests/ground-truths``. ``librosa.example('vibeace')`` (not downloadable here) is
the same recording's first 60 s in tests/data. The substituted run puts the stand-in package
``nnaudio_shim/nnAudio`` (next to this file) first on the path; nnAudio itself must be installed
for the baseline (``pip install --no-deps nnAudio==0.3.4``). Exit status 0 when every test that
passes with nnAudio passes substituted.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent / "data"
SDIST = "nnAudio==0.3.4"
CONFTEST = f'''import librosa

librosa.example = lambda key, hq=False: {str(DATA / "music_vibeace_22k_mono.flac")!r}
'''


def prepare(workdir: pathlib.Path, repo: pathlib.Path) -> pathlib.Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--no-binary", ":all:", SDIST, "-d", str(workdir)], check=True)
    (archive,) = workdir.glob("nnaudio-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    tests = next(workdir.glob("nnaudio-*/tests"))
    source = repo / "Installation" / "tests"
    shutil.copy(source / "parameters.py", tests / "parameters.py")
    shutil.copytree(source / "ground-truths", tests / "ground-truths")
    (tests / "conftest.py").write_text(CONFTEST)
    return tests


def run(tests: pathlib.Path, report: pathlib.Path, substituted: bool) -> dict[str, str]:
    env = dict(os.environ)
    if substituted:
        env["PYTHONPATH"] = os.pathsep.join([str(HERE / "nnaudio_shim"), env.get("PYTHONPATH", "")])
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "--continue-on-collection-errors", f"--junitxml={report}", "."],
                   cwd=tests, env=env, check=False)
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        kinds = {child.tag for child in case}
        outcomes[name] = ("failed" if kinds & {"failure", "error"} else
                          "skipped" if "skipped" in kinds else "passed")
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nnaudio-repo", type=pathlib.Path, required=True)
    parser.add_argument("--keep", type=pathlib.Path, help="work here and keep the files")
    args = parser.parse_args()
    workdir = args.keep or pathlib.Path(tempfile.mkdtemp(prefix="nnaudio-suite-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        tests = prepare(workdir, args.nnaudio_repo)
        baseline = run(tests, workdir / "baseline.xml", substituted=False)
        ours = run(tests, workdir / "substituted.xml", substituted=True)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    passing = [t for t, o in baseline.items() if o == "passed"]
    lost = [t for t in passing if ours.get(t) != "passed"]
    gained = [t for t, o in ours.items() if o == "passed" and baseline.get(t) != "passed"]
    for t in lost:
        print(f"passes with nnAudio, not substituted: {t} ({ours.get(t, 'missing')})")
    for t in gained:
        print(f"fails with nnAudio, passes substituted: {t}")
    print(f"nnAudio suite: {len(passing) - len(lost)}/{len(passing)} of the tests that pass with "
          f"nnAudio pass substituted ({len(baseline)} collected; nnAudio passes {len(passing)}; "
          f"{len(gained)} more pass substituted only)")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
