"""Rewrite exercises/ from solutions/: each stub is generated from its reference solution.

For kit maintainers, after changing a solution. A learner never runs this: it overwrites exercises/.
`--check` writes nothing and exits 1 if a committed stub differs from what would be generated.
"""

import argparse
import sys

from grader.roadmap import KIT_ROOT, load_roadmap
from grader.stubs import stub_for


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stubs that differ")
    parser.add_argument("names", nargs="*", help="exercises to rebuild (default: all)")
    args = parser.parse_args()
    roadmap = load_roadmap()
    stale = []
    for exercise in [roadmap.get(name) for name in args.names] or roadmap.exercises:
        target = KIT_ROOT / "exercises" / exercise.file
        stub = stub_for(KIT_ROOT / "solutions" / exercise.file)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == stub:
            continue
        stale.append(target)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(stub, encoding="utf-8")
    verb = "differ from their solutions" if args.check else "rewritten"
    for path in stale:
        print(f"{verb}: {path.relative_to(KIT_ROOT)}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
