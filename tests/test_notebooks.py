"""The notebooks in ``notebooks/``: each runs top to bottom on the sample corpus and draws its figures,
and each is stored without outputs.

They run on an ipykernel of the Python running the tests (``VenvKernelManager``), whatever kernelspecs
the machine has installed, with ``notebooks/`` as the working directory.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest
from ipykernel.kernelspec import get_kernel_dict
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT_S = 120
BUDGET_S = 60  # each notebook takes 5-15 s (the first also builds the store, about 10 s); this catches a runaway


class VenvKernelManager(AsyncKernelManager):
    """Starts ``sys.executable -m ipykernel_launcher``: the kernel of this venv, not one found on PATH."""

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(resource_dir=str(NOTEBOOK_DIR), **get_kernel_dict())


def run(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    client = NotebookClient(
        nb,
        kernel_name="python3",
        kernel_manager_class=VenvKernelManager,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()
    return nb


def outputs(nb: nbformat.NotebookNode, output_type: str | None = None) -> list[dict[str, Any]]:
    found = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    return [o for o in found if output_type is None or o["output_type"] == output_type]


def test_there_are_the_five_notebooks() -> None:
    """Quickstart, casualty figures, timeline, networks and quotes, in reading order."""
    assert [p.stem for p in NOTEBOOKS] == [
        "01_quickstart",
        "02_casualty_figures",
        "03_timeline",
        "04_networks",
        "05_quotes",
    ]


def test_every_notebook_is_in_the_readme() -> None:
    """notebooks/README.md names each notebook file."""
    readme = (NOTEBOOK_DIR / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in NOTEBOOKS if p.name not in readme] == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    """A valid nbformat 4 file whose code cells have no outputs and no execution counts."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:80]


def test_kernel_is_this_python() -> None:
    """The notebooks' kernel runs the interpreter of the tests, so it imports this checkout of kg."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys, kg; print(sys.executable)")])
    printed = "".join(o["text"] for o in outputs(run(nb), "stream"))
    assert printed.strip() == sys.executable


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_and_draws_figures(path: Path) -> None:
    """Every cell runs without an error on the sample corpus, and the notebook draws at least one figure."""
    nb = nbformat.read(path, as_version=4)
    started = time.monotonic()
    try:
        run(nb)
    except CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{exc}")
    elapsed = time.monotonic() - started
    assert outputs(nb, "error") == []
    figures = [o for o in outputs(nb) if "image/png" in o.get("data", {})]
    assert figures, f"{path.name} drew no figure"
    assert elapsed < BUDGET_S, f"{path.name} took {elapsed:.0f} s"
