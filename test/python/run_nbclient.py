"""Executes a notebook with nbclient (what papermill and nbconvert use) and prints its outputs as JSON."""
import json
import sys

import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name=sys.argv[2], timeout=120, allow_errors=False).execute()
print(json.dumps([{"source": c.source, "execution_count": c.get("execution_count"), "outputs": c.get("outputs", [])}
                  for c in nb.cells if c.cell_type == "code"]))
