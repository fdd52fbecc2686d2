"""`deploybook new`: the skeleton compiles cleanly and deploys like a bundled recipe."""

from __future__ import annotations

import io
from pathlib import Path

from deploybook.cli import main
from deploybook.testing.recipe_cases import RecipeCase, configure
from deploybook.testing.recipe_checks import check_deploy_problems, page_test_problems, rerun_problems


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_new_writes_a_recipe_that_checks_clean(tmp_path: Path) -> None:
    code, out, _ = run("new", "acme-cloud", "--dir", str(tmp_path), "--title", "Acme Cloud")
    recipe = tmp_path / "acme-cloud.md"
    assert code == 0
    assert f"wrote {recipe}" in out
    text = recipe.read_text(encoding="utf-8")
    assert "\nid: acme-cloud\n" in text
    assert "\ntitle: Acme Cloud\n" in text
    assert '--8<-- "_partials/production-settings.md"' in text
    assert 'phase="redeploy"' in text
    code, out, _ = run("check", str(recipe))
    assert (code, out) == (0, "1 recipe checked: 0 errors, 0 warnings\n")


def test_new_never_replaces_a_file(tmp_path: Path) -> None:
    (tmp_path / "acme.md").write_text("mine\n", encoding="utf-8")
    code, _, err = run("new", "acme", "--dir", str(tmp_path))
    assert code == 2
    assert f"{tmp_path / 'acme.md'} already exists; nothing was written" in err
    assert (tmp_path / "acme.md").read_text(encoding="utf-8") == "mine\n"


def test_new_refuses_an_id_that_cannot_be_a_url(tmp_path: Path) -> None:
    code, _, err = run("new", "Acme_Cloud", "--dir", str(tmp_path))
    assert code == 2
    assert "recipe id 'Acme_Cloud' is not usable" in err
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_a_bundled_recipes_id(tmp_path: Path) -> None:
    code, _, err = run("new", "heroku", "--dir", str(tmp_path))
    assert code == 2
    assert "a bundled recipe already has the id 'heroku'" in err and "acme-heroku" in err
    code, _, err = run("new-pack", "acme-recipes", "--recipe", "heroku", "--dir", str(tmp_path))
    assert code == 2
    assert "a bundled recipe already has the id 'heroku'" in err
    assert list(tmp_path.iterdir()) == []


def test_the_skeleton_deploys_with_the_bundled_production_settings(tmp_path: Path) -> None:
    run("new", "acme-cloud", "--dir", str(tmp_path / "recipes"))
    case = RecipeCase(tmp_path / "recipes" / "acme-cloud.md", "acme-cloud", "requirements", "flat", "sqlite")
    configured = configure(case, tmp_path / "project")
    assert "recipes/_partials/production-settings.md" in configured.recipe.partials
    assert page_test_problems(configured) == []
    assert check_deploy_problems(configured) == []
    assert rerun_problems(configured) == []


def test_new_pack_writes_an_installable_pack_with_its_tests(tmp_path: Path) -> None:
    code, out, _ = run("new-pack", "acme-recipes", "--dir", str(tmp_path))
    pack = tmp_path / "acme-recipes"
    assert code == 0
    assert f"wrote {pack}" in out
    pyproject = (pack / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points."deploybook.recipes"]\nacme-recipes = "acme_recipes.recipes"' in pyproject
    assert 'deploybook_recipes = ["src/acme_recipes/recipes"]' in pyproject
    assert "from deploybook.testing.invariants import *" in (pack / "tests" / "test_recipes.py").read_text()
    assert "python manage.py deploy acme" in (pack / "README.md").read_text()
    code, out, _ = run("check", str(pack / "src" / "acme_recipes" / "recipes"))
    assert (code, out) == (0, "1 recipe checked: 0 errors, 0 warnings\n")


def test_new_pack_never_writes_into_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "acme-recipes").mkdir()
    code, _, err = run("new-pack", "acme-recipes", "--dir", str(tmp_path))
    assert code == 2
    assert "already exists; nothing was written" in err
    assert list((tmp_path / "acme-recipes").iterdir()) == []
