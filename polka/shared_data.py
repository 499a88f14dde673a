"""Where the real test data lives: ../shared beside the checkout, used by path, never copied.

Tests and benchmarks ask here rather than guessing paths of their own. POLKA_MARC_DATA
overrides the MARC folder (e.g. for a checkout that does not sit beside shared/).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


@cache
def shared_dir() -> Path:
    if "POLKA_MARC_DATA" in os.environ:
        return Path(os.environ["POLKA_MARC_DATA"]).resolve().parent.parent
    # Beside the checkout (CI, developers); else the workplace's own copy, for clones made
    # elsewhere (e.g. a throwaway clone under /tmp).
    candidates = [parent / "shared" for parent in Path(__file__).resolve().parents]
    candidates.append(Path("/work/shared"))
    for candidate in candidates:
        if (candidate / "data" / "marc").is_dir():
            return candidate
    raise RuntimeError("../shared/data/marc not found beside the checkout: set POLKA_MARC_DATA")


def marc_data_dir() -> Path:
    if "POLKA_MARC_DATA" in os.environ:
        return Path(os.environ["POLKA_MARC_DATA"])
    return shared_dir() / "data" / "marc"


def schemas_dir() -> Path:
    return shared_dir() / "schemas"
