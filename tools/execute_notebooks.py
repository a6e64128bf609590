"""Re-execute chapter notebooks in place, so their stored outputs are current.

Notebooks are committed executed: nbval compares every stored output with a
fresh run, and readers on GitHub see the results. Run this after editing a
notebook (``make notebooks`` runs it on every chapter)::

    .venv/bin/python tools/execute_notebooks.py chapters/01_surprise.ipynb
"""

import argparse
import pathlib
import sys

import nbformat
from nbclient import NotebookClient


def coalesce_streams(outputs):
    """Merge consecutive stdout (or stderr) outputs into one.

    How a cell's printing is split into chunks depends on when the kernel
    flushed, so the same output can be stored as one chunk or two.
    """
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream"
                and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def execute_in_place(path, timeout=600):
    """Run every cell of the notebook at ``path`` and write the outputs back."""
    notebook = nbformat.read(path, as_version=4)
    # Same working directory as Jupyter Book and nbval: the notebook's folder.
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    # Per-cell timestamps change on every run and would make each re-execution a
    # diff on every cell; nothing reads them.
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    nbformat.write(notebook, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"executing {path}", file=sys.stderr)
        execute_in_place(path)


if __name__ == "__main__":
    main()
