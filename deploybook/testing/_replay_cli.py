"""A stand-in for a platform CLI (heroku, fly, upsun), answering from a recipe's transcripts.

Run as a script by the executables `install_fake_clis` writes; standard library only, so it
starts fast and works with any environment the deploy passes on.

    _replay_cli.py REPLAY_FILE RECORD_FILE PROGRAM [ARG...]

It appends `[PROGRAM, ARG...]` as one JSON line to RECORD_FILE (and what it read on standard
input to RECORD_FILE.stdin), then looks for the first replay entry of PROGRAM whose argv
pattern matches, and whose input pattern too when the page gives the command input; it prints
that entry's output and exits 0. A call no entry matches exits 1 and says what it expected.
With DEPLOYBOOK_FAKE_LINGER=SECONDS it stays alive that long first, so a test that samples the
process list (deploybook.testing.process_list) sees every call while it runs.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time


def main(argv: list[str]) -> int:
    replay_file, record_file, program, *args = argv
    called = [program, *args]
    stdin = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
    with open(record_file, "a", encoding="utf-8") as record:
        record.write(json.dumps(called) + "\n")
    with open(record_file + ".stdin", "a", encoding="utf-8") as record:
        record.write(json.dumps(stdin) + "\n")
    time.sleep(float(os.environ.get("DEPLOYBOOK_FAKE_LINGER") or 0))
    with open(replay_file, encoding="utf-8") as handle:
        entries = [e for e in json.load(handle)["commands"] if e["argv"][0] == program]
    for entry in entries:
        patterns = entry["patterns"]
        if len(patterns) != len(called):
            continue
        wanted_input = entry.get("stdin")
        if wanted_input is not None and not re.fullmatch(wanted_input, stdin, re.DOTALL):
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
