"""Numbers published outside this project (data/README.md says where each comes from), loaded once
for every cross-check that uses them. A missing or broken file raises at import: the tests that need
these numbers fail at collection instead of skipping."""
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> dict:
    path = DATA / name
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise RuntimeError(f"published reference data {path} is missing or unreadable: {error}") from error


CS231N = _read("cs231n_fixtures.json")
EXTERNAL = _read("external_examples.json")
PYTORCH = _read("pytorch_optimizers.json")
