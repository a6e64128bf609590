"""The launch cell (tools/launch_cell.py) installs the book's packages in a fresh
Python, as on Colab, and does nothing where they are already installed.

Run for real: wheels of xentlib and the book kit are built from this checkout,
a new virtual environment without them is created, and the cell's own source is
executed there, pointed at the wheels instead of the repository. Needs pip to
reach PyPI (or its cache) for the dependencies.
"""

import os
import pathlib
import subprocess
import sys
import venv

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import launch_cell  # noqa: E402

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "backmatter").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_starts_with_the_hidden_launch_cell(path):
    notebook = nbformat.read(path, as_version=4)
    first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert first_code.source == launch_cell.CELL_SOURCE, "run tools/launch_cell.py on it"
    assert "remove-cell" in first_code.metadata.get("tags", [])
    assert not first_code.outputs, "the cell must print nothing where the packages exist"


def run(*command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheels")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(folder),
        str(ROOT), str(ROOT / "bookkit"))
    built = {path.name.split("-")[0]: path for path in folder.glob("*.whl")}
    assert set(built) == {"xentlib", "xentbook"}, built
    return built


def test_launch_cell_installs_the_book_in_a_fresh_environment(wheels, tmp_path):
    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    missing = subprocess.run([python, "-c", "import xentlib"], capture_output=True)
    assert missing.returncode != 0, "the fresh environment already has xentlib"

    requirements = (f"'xentlib[symbolic] @ {wheels['xentlib'].as_uri()}' "
                    f"'xentbook @ {wheels['xentbook'].as_uri()}'")
    environment = {**os.environ, "XENT_BOOK_REQUIREMENTS": requirements}
    run(python, "-c", launch_cell.CELL_SOURCE, env=environment, cwd=tmp_path)

    check = run(python, "-c", "import xentlib, xentbook.glue; "
                "print(round(float(xentlib.cross_entropy([0.5, 0.5], [0.25, 0.75])), 6))",
                cwd=tmp_path)
    assert check.stdout.strip() == "0.836988"  # (log 4 + log 4/3) / 2 nats

    # Installed now: the cell must not call pip again (an impossible source proves it).
    nothing = {**os.environ, "XENT_BOOK_REQUIREMENTS": "no-such-package-xent==0"}
    run(python, "-c", launch_cell.CELL_SOURCE, env=nothing, cwd=tmp_path)
