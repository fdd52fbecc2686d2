"""Test helpers for deploying recipes into throwaway projects, shared by the test suites.

- `install_fake_clis(bin_dir, page_resolution(request), record_file)`: fake platform CLIs
  (heroku, fly, upsun, ...) that answer from the recipe's console transcripts and record
  every call and what it read on stdin.
- `fake_apis.serve_fake_apis(page_resolution(request), folder)`: a stand-in on loopback for the
  platform APIs the page calls with curl (the real curl), answering only the page's requests.
- `process_list.ProcessList()`: every process's command line, sampled while a block runs, to
  prove no secret was ever on one.
- `install_app(project_dir)`: add "deploybook" to a sample project's INSTALLED_APPS and commit.
- `tree_bytes(root)`: every file's bytes and mode, to prove a tree did not change.
"""

from __future__ import annotations

from deploybook.testing.fake_clis import REAL_PROGRAMS, FakeClis, install_fake_clis, page_resolution, replay_commands
from deploybook.testing.projects import commit_all, install_app, tree_bytes

__all__ = [
    "REAL_PROGRAMS",
    "FakeClis",
    "commit_all",
    "install_app",
    "install_fake_clis",
    "page_resolution",
    "replay_commands",
    "tree_bytes",
]
