"""Runs Node's own test runner over tests/js, so `make test` covers the JavaScript too."""

import shutil
import subprocess
from pathlib import Path

JS_TESTS = Path(__file__).parent / "js"


def test_node_test_runner_passes():
    node = shutil.which("node")
    assert node, "Node.js is needed for tests/js (scripts/ensure-test-tools installs it)"
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    assert files, "no JavaScript tests found"
    result = subprocess.run([node, "--test", *files], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
