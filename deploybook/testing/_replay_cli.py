"""A stand-in for a platform CLI (heroku, fly, upsun), answering from a recipe's transcripts.

Run as a script by the executables `install_fake_clis` writes; standard library only, so it
starts fast and works with any environment the deploy passes on.

    _replay_cli.py REPLAY_FILE RECORD_FILE PROGRAM [ARG...]

It appends `[PROGRAM, ARG...]` as one JSON line to RECORD_FILE, then looks for the first
replay entry of PROGRAM whose argv pattern matches; it prints that entry's output and exits 0.
An argv no entry matches exits 1 and says which commands it expected.
"""

from __future__ import annotations

import json
import re
import sys


def main(argv: list[str]) -> int:
    replay_file, record_file, program, *args = argv
    called = [program, *args]
    with open(record_file, "a", encoding="utf-8") as record:
        record.write(json.dumps(called) + "\n")
    with open(replay_file, encoding="utf-8") as handle:
        entries = [e for e in json.load(handle)["commands"] if e["argv"][0] == program]
    for entry in entries:
        patterns = entry["patterns"]
        if len(patterns) != len(called):
            continue
        if all(re.fullmatch(p, a, re.DOTALL) for p, a in zip(patterns, called, strict=True)):
            for line in entry["output"]:
                print(line)
            return int(entry.get("exit", 0))
    expected = "\n".join(f"  {' '.join(e['argv'])}    ({e['source']})" for e in entries) or "  (none)"
    print(
        f"fake {program} (deploybook.testing): unexpected command: {' '.join(called)}\n"
        f"the recipe's transcripts show only:\n{expected}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
