#!/usr/bin/env bash
# The wheels benchmarks/gpu.py needs that the GPU machine's image lacks (its Python is 3.12 and
# nothing can be fetched there): audiofront's own dependency array-api-compat, and the peers and
# readers the steps compare with (nnAudio, librosa and what it needs, soundfile, soxr).
# Run here, in the repository's root; then carry ".whl" and start the command there with
#   python3 -m pip install -q --no-index --no-deps --target /tmp/site .whl/*.whl &&
#   export PYTHONPATH=/tmp/site && python3 benchmarks/gpu.py
set -euo pipefail
cd "$(dirname "$0")/.."
grep -qx "/.whl/" .git/info/exclude 2>/dev/null || echo "/.whl/" >> .git/info/exclude
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
  --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
  --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .whl \
  "array-api-compat==$(python3 -c 'import array_api_compat; print(array_api_compat.__version__)' 2>/dev/null || echo 1.13.0)" \
  nnAudio==0.3.4 librosa==0.11.0 audioread decorator pooch platformdirs soundfile cffi \
  pycparser soxr
du -sh .whl
