#!/usr/bin/env python3
"""Reads PIT's mutations.xml files and prints the score over them, each class's, and the survivors.

Usage: mutation_report.py MUTATIONS_XML...   (the last line is `mutation score: N% (killed K of M)`)

A mutant counts as killed when PIT detected it (KILLED, TIMED_OUT, MEMORY_ERROR, RUN_ERROR: a test
failed or the mutated code never finished); SURVIVED and NO_COVERAGE are survivors. Equivalent
mutants are not subtracted: they stay in the count and are explained in docs/mutation.md.
"""
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict


def main(paths):
    total = killed = 0
    per_class = defaultdict(lambda: [0, 0])
    survivors = []
    for path in paths:
        for m in ET.parse(path).getroot().iter("mutation"):
            cls = m.findtext("mutatedClass").split("$")[0].rsplit(".", 1)[-1]
            detected = m.get("detected") == "true"
            total += 1
            per_class[cls][1] += 1
            if detected:
                killed += 1
                per_class[cls][0] += 1
            else:
                survivors.append(
                    (cls, int(m.findtext("lineNumber")), m.findtext("mutatedMethod"),
                     m.get("status"), m.findtext("description")))
    if total == 0:
        print("no mutations found (did PIT run?)", file=sys.stderr)
        return 1
    print("per class (killed/generated):")
    for cls in sorted(per_class):
        k, n = per_class[cls]
        print(f"  {cls:<18} {k:>4}/{n:<4} {100 * k // n:>3}%")
    print(f"survivors ({len(survivors)}):")
    for cls, line, method, status, description in sorted(survivors):
        print(f"  {cls}:{line} {method}: {description} [{status}]")
    print(f"mutation score: {100 * killed // total}% (killed {killed} of {total})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
