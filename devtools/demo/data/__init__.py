"""The demo data as YAML files next to this module, read once per process.

The modules of devtools.demo load them through the services, so the workflow rules apply
to the demo as to everyone; these files only say what there is to load.
"""

from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent


@cache
def load(name: str):
    """The content of `<name>.yaml` in this folder, as plain data (yaml.safe_load: no Python
    objects; unquoted ISO dates become `datetime.date`)."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)
