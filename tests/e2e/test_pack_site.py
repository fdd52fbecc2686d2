"""A pack made by `deploybook new-pack` builds its own site with deploybook's plugin.

`mkdocs build --strict` in the generated pack makes its recipe's page the way the bundled
recipes' pages are made, and the pack's links lock guards the links the page publishes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

STEP = """\
## Declare the processes {#procfile}

A new step publishes a new link: the lock must list it before the site builds.

```text {title="Procfile" step="procfile" action="write" file="Procfile"}
web: gunicorn --chdir {{ project_dir }} {{ wsgi_module }}
```

## Deploy {#deploy}
"""


def run(*argv: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, f"{argv} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def build(pack: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "mkdocs", "build", "--strict", cwd=pack, check=check)


def test_a_generated_pack_builds_its_recipe_pages_strictly(tmp_path: Path) -> None:
    run(sys.executable, "-m", "deploybook", "new-pack", "acme-recipes", "--dir", tmp_path, cwd=tmp_path)
    pack = tmp_path / "acme-recipes"
    build(pack)
    page = (pack / "site" / "recipes" / "acme" / "index.html").read_text(encoding="utf-8")
    assert ">Deploy a Django project to Acme" in page
    assert 'id="python-version"' in page  # a step's anchor, as on the bundled pages
    assert (pack / "site" / "go" / "acme" / "python-version" / "index.html").is_file()  # its short link
    index = (pack / "site" / "recipes" / "index.html").read_text(encoding="utf-8")
    assert 'href="acme/"' in index

    # A new step: the strict build refuses it until the pack's lock lists its links.
    recipe = pack / "src" / "acme_recipes" / "recipes" / "acme.md"
    recipe.write_text(recipe.read_text(encoding="utf-8").replace("## Deploy {#deploy}\n", STEP), encoding="utf-8")
    refused = build(pack, check=False)
    assert refused.returncode != 0
    assert "not in links.lock.json yet" in refused.stderr and "procfile" in refused.stderr
    lock = [sys.executable, "-m", "deploybook.compiler.site.lock", "--recipes", "src/acme_recipes/recipes"]
    run(*lock, "--update", cwd=pack)
    run(*lock, cwd=pack)
    build(pack)
    assert 'id="procfile"' in (pack / "site" / "recipes" / "acme" / "index.html").read_text(encoding="utf-8")
