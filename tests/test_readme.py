"""The README's Python examples run (on the CPU when there is no GPU)."""

import pathlib
import re

import pytest

from helpers import optional

README = pathlib.Path(__file__).parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index, tmp_path, monkeypatch):
    code = BLOCKS[index]
    torch = optional("torch")
    if "cupy" in code:
        optional("cupy")
    if "import jax" in code:
        optional("jax")
    if "onnx" in code:
        optional("onnxscript")
    if not torch.cuda.is_available():
        code = code.replace(".cuda()", "").replace('device="cuda"', 'device="cpu"')
    monkeypatch.chdir(tmp_path)
    if "audiofront-demo.h5" in code:
        optional("h5py")
        from audiofront.cli import main

        assert main(["demo", "-q"]) == 0
    namespace = {}
    if index > 0 and "y = " not in code and "(y" in code:  # blocks continue the quickstart's y
        exec(BLOCKS[0], namespace)
    exec(compile(code, f"README block {index}", "exec"), namespace)
