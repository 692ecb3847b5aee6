"""Write grader/suites/SHA256SUMS, the hashes of the suites and support code the grader checks before each run.

    python scripts/hash_suites.py           # after changing a suite or a support module on purpose
    python scripts/hash_suites.py --check   # exit 1 and list the files that differ (the kit's tests do this)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader.integrity import MANIFEST_NAME, changed_files, manifest_text  # noqa: E402
from grader.roadmap import GRADER_DIR  # noqa: E402


def main(argv: list[str]) -> int:
    if "--check" in argv:
        notes = changed_files()
        for note in notes:
            print(note)
        return 1 if notes else 0
    (GRADER_DIR / MANIFEST_NAME).write_text(manifest_text(), encoding="utf-8", newline="\n")
    print(f"wrote grader/{MANIFEST_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
