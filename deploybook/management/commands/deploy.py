"""`manage.py deploy RECIPE`: a thin wrapper over deploybook.runtime.deploy().

Only this module knows about Django: it parses options, styles the runtime's lines, asks for
confirmation, and turns deploybook's errors into CommandError with the exit status that
deploybook.errors.exit_status gives (the same as `deploybook`'s own command line).
"""

from __future__ import annotations

import gc
import sys
from argparse import ArgumentParser, RawDescriptionHelpFormatter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError  # type: ignore[import-untyped]

DESCRIPTION = """\
Configure this Django project for a hosting platform by following a deploybook recipe.

Modes:
  (default)        write the configuration only: settings, platform files, requirements.
                   Nothing on the platform is contacted or created; the commands to run
                   are printed. Review the one change with `git diff`.
  --dry-run        print the diff of every file and every command; write nothing.
  --automate-all   also commit the change (one commit) and run the recipe's commands.
  --redeploy       run only the commands that deploy the committed project again.
  --rollback       run only the commands that go back to the release before (recipes
                   that keep releases, such as vps).
  --rehearse       serve the configured project locally the way the platform would
                   (its build, release and web commands, its environment, a real
                   database), probe it, and report; nothing is written or deployed.
  --recover        put back the files of a deploy that was stopped before it could
                   finish or undo (killed, power loss); every deploy does this first.

Values: --set NAME=VALUE, or the environment (a variable's env name, or DEPLOYBOOK_<NAME>),
then what deploybook finds in the project, then the recipe's defaults.
"""


class Command(BaseCommand):  # type: ignore[misc]  # Django ships no type hints
    help = "Configure (and optionally deploy) this project with a deploybook recipe."
    # The project's own checks are not this command's business, and skipping them keeps it quick.
    requires_system_checks: list[str] = []  # noqa: RUF012 - Django's own type for this attribute

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = DESCRIPTION
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "recipe",
            nargs="?",
            metavar="RECIPE",
            help="a recipe id (see --list) or a path to a recipe file",
        )
        parser.add_argument("--list", action="store_true", help="list the recipes you can deploy with, and exit")
        parser.add_argument("--recipe-file", metavar="PATH", help="deploy with the recipe in this Markdown file")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            dest="assignments",
            help="choose a variant (--set db=sqlite), give a recipe variable (--set app_name=blog), "
            "or choose the dependency manager when the project has several (--set pkg=poetry); repeatable",
        )
        modes = parser.add_mutually_exclusive_group()
        modes.add_argument(
            "--automate-all",
            action="store_true",
            help="after writing the configuration, commit it (one commit) and run the recipe's platform "
            "commands, creating the app and deploying it; asks for confirmation first",
        )
        modes.add_argument(
            "--redeploy",
            action="store_true",
            help="run only the recipe's redeploy commands (e.g. git push) for the committed project",
        )
        modes.add_argument(
            "--rollback",
            action="store_true",
            help="run only the recipe's rollback commands, which serve the release before the running one again "
            "(for recipes that keep releases, such as vps); database migrations are not reversed",
        )
        modes.add_argument(
            "--recover",
            action="store_true",
            help="only put back the files of a deploy that was stopped before it could finish or undo its "
            "change (killed, or the machine lost power); every deploy also does this first",
        )
        modes.add_argument(
            "--rehearse",
            action="store_true",
            help="after configuring, serve the project locally the way the platform would and probe it: "
            "a fresh virtualenv, the build and release commands, the web server with the platform's "
            "environment against a real database; writes and deploys nothing",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print the diff and the commands, and change nothing"
        )
        parser.add_argument(
            "--no-lock",
            action="store_false",
            dest="relock",
            help="do not refresh the lock file (poetry.lock, uv.lock, ...) that the new requirements make "
            "stale; the note then says what to run",
        )
        parser.add_argument("--yes", "-y", action="store_true", help="answer yes to the confirmation question")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="never ask anything; --automate-all and --redeploy then need --yes",
        )
        parser.add_argument(
            "--allow-dirty",
            action="store_true",
            help="go ahead even though git has uncommitted changes (they would mix with the deploy's change)",
        )
        parser.add_argument(
            "--project",
            metavar="DIR",
            help="the folder holding manage.py (default: the manage.py you ran, else the current folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Django, the project's settings and apps, and every module loaded so far stay alive
        # until the command ends, yet each full collection that the runtime's imports and
        # planning trigger would walk them all again (benchmarks/deploy_vs_check.py shows it
        # in a dry run's time). Frozen, the collector leaves them alone; unfreezing at the end
        # hands them back, so a process that runs the command many times (call_command in
        # tests, a long-lived shell) collects exactly as before.
        gc.freeze()
        try:
            self._handle(options)
        finally:
            gc.unfreeze()

    def _handle(self, options: dict[str, Any]) -> None:
        # Imported here, not at the top: `manage.py help deploy` should not load the runtime.
        from deploybook.errors import DeploybookError, exit_status

        try:
            if options["list"]:
                self._list()
                return
            if options["recover"]:
                self._recover(options)
                return
            self._deploy(options)
        except DeploybookError as error:
            raise CommandError(str(error), returncode=exit_status(error)) from None
        except KeyboardInterrupt as error:
            # The runtime reports an interruption after it has started writing itself, with
            # what it left behind; one that reaches here came before anything was written.
            raise CommandError("interrupted; nothing was changed", returncode=exit_status(error)) from None
        except OSError as error:
            raise CommandError(f"{error}\n  hint: check the file or folder it names, then run deploy again") from None

    def _deploy(self, options: dict[str, Any]) -> None:
        from deploybook.compiler.resolve import parse_assignments
        from deploybook.errors import UsageError
        from deploybook.runtime.deploy import deploy
        from deploybook.runtime.modes import AUTOMATE, CONFIG, REDEPLOY, ROLLBACK
        from deploybook.runtime.request import DeployRequest

        mode = (
            AUTOMATE
            if options["automate_all"]
            else REDEPLOY
            if options["redeploy"]
            else ROLLBACK
            if options["rollback"]
            else CONFIG
        )
        if options["rehearse"] and options["dry_run"]:
            raise UsageError("--rehearse writes nothing already", hint="leave out --dry-run")
        request = DeployRequest(
            recipe=options["recipe"],
            recipe_file=Path(options["recipe_file"]) if options["recipe_file"] else None,
            project=_project_dir(options["project"]),
            assignments=parse_assignments(options["assignments"]),
            mode=mode.dry() if options["dry_run"] else mode,
            assume_yes=options["yes"],
            interactive=options["interactive"],
            allow_dirty=options["allow_dirty"] or options["rehearse"],
            relock=options["relock"],
        )
        if options["rehearse"]:
            self._rehearse(request)
            return
        deploy(request, _StyledOutput(self), confirm=self._confirm)

    def _recover(self, options: dict[str, Any]) -> None:
        from deploybook.errors import UsageError
        from deploybook.runtime.recover import recover

        if options["recipe"] or options["recipe_file"]:
            raise UsageError(
                "--recover needs no recipe", hint="it restores what a stopped deploy left; leave out the recipe"
            )
        self.stdout.write(recover(_project_dir(options["project"])).describe())

    def _rehearse(self, request: Any) -> None:
        from deploybook.runtime.rehearsal import rehearse_request

        report = rehearse_request(request, self.stdout)  # prints its progress and its report
        if not report.ok:
            raise CommandError("the rehearsal failed: fix what the report says before you deploy")

    def _list(self) -> None:
        from deploybook.runtime.recipes import list_recipes

        entries = list_recipes()
        self.stdout.write("Recipes for `manage.py deploy RECIPE`:", self.style.MIGRATE_HEADING)
        width = max((len(e.id) for e in entries), default=0)
        for entry in entries:
            if entry.hidden:
                continue
            broken = f"  (has {entry.errors} error(s): deploybook check {entry.display})" if entry.errors else ""
            origin = "" if entry.origin == "bundled" else f"  [from {entry.origin}]"
            self.stdout.write(f"  {entry.id:<{width}}  {entry.title}: {entry.summary}{origin}{broken}")
        for entry in entries:
            if entry.hidden:
                self.stdout.write(
                    f"note: {entry.origin} also offers a recipe '{entry.id}' ({entry.display}); the bundled "
                    f"recipe '{entry.id}' has that id, so `deploy {entry.id}` runs the bundled one\n"
                    f"  hint: run the pack's with --recipe-file {entry.display}, and ask its authors to rename it",
                    self.style.WARNING,
                )

    def _confirm(self, question: str) -> bool:
        self.stdout.write(question, self.style.WARNING, ending="")
        self.stdout.flush()
        try:
            answer = input()
        except EOFError:
            return False
        return answer.strip().lower() in ("y", "yes")


def _project_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    # `python src/manage.py deploy` runs from elsewhere; the manage.py that ran is the project's.
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "manage.py" and script.is_file():
        return script.resolve().parent
    return Path.cwd()


class _StyledOutput:
    """The runtime's lines on the command's stdout, styled by role."""

    def __init__(self, command: BaseCommand) -> None:
        style = command.style
        self.stdout = command.stdout
        self.styles: dict[str, Callable[[str], str]] = {
            "heading": style.MIGRATE_HEADING,
            "create": style.SUCCESS,
            "update": style.WARNING,
            "success": style.SUCCESS,
            "warning": style.WARNING,
            "error": style.ERROR,
            "command": style.SQL_KEYWORD,
            "diff-add": style.SUCCESS,
            "diff-remove": style.ERROR,
            "diff-hunk": style.HTTP_INFO,
        }

    def line(self, text: str, role: str = "") -> None:
        self.stdout.write(text, self.styles.get(role))
