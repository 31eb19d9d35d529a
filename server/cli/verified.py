"""`hasten check --fix --verified-only [--verify-accept equivalent]`: verify every fix against the
project's tests and apply the ones whose verdict the user accepts (``hasten.server.verify.batch``
does the verifying)."""

from __future__ import annotations

import difflib
import shlex
import sys

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config, load_config, resolve_config, setting_origins
from hasten.analyzers.source import Source
from hasten.server.cli.files import WriteRefused, python_files, read_python_files, write_user_file
from hasten.server.cli.selection import overrides_from_args, validate_selectors
from hasten.server.verify.batch import ACCEPT_EQUIVALENT, ACCEPT_FASTER, apply_verified, verifiable, verified_fixes


def run_check_verified_only(args) -> int:
    """`hasten check --fix --verified-only [--verify-accept equivalent]`: verify every fix, apply the ones
    whose verdict the user accepts, and print each verdict with its evidence."""
    from hasten.server.verify.process import exit_cleanly_on_sigterm

    exit_cleanly_on_sigterm()
    problems = validate_selectors(args)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 2
    if args.paths == ["-"] or "-" in args.paths:
        print("hasten: --verified-only needs files on disk (their project's tests run on copies)", file=sys.stderr)
        return 2
    accept = ACCEPT_EQUIVALENT if getattr(args, "verify_accept", "faster") == "equivalent" else ACCEPT_FASTER
    root_config, _ = load_config(args.paths[0])
    files, errors = python_files(args.paths, root_config.exclude)
    total_applied = 0
    total_checked = 0
    diffs = []
    overrides = overrides_from_args(args)
    announced: set[str] = set()
    for path, text in read_python_files(files, errors):
        config = resolve_config(load_config(str(path))[0], overrides)
        source = Source(text, str(path))
        findings = check(source, config).findings  # only fixes matter: the model never writes one
        if not verifiable(findings):
            continue

        announce_test_run(str(path), config, announced)

        def progress(finding, stage, message, percent=None, path=path):
            if not args.quiet and sys.stderr.isatty():
                print(f"\r\033[K{path}: {finding.code}: {stage}: {message}", end="", file=sys.stderr, flush=True)

        results = verified_fixes(str(path), findings, config, accept, text=text, progress=progress)
        if not args.quiet and sys.stderr.isatty():
            print("\r\033[K", end="", file=sys.stderr)
        new_text, applied, held = apply_verified(text, results, str(path))
        total_checked += len(results)
        total_applied += len(applied)
        for r in results:
            line, col = source.byte_to_cli(r.finding.start)
            mark = "applied" if r in applied else ("held back: another fix in the same function was applied; run again" if r in held else "not applied")
            print(f"{path}:{line}:{col}: {r.finding.code} {r.finding.fix.title} — {r.verdict.headline()} [{mark}]")
        if new_text != text:
            if args.diff:
                diffs.append("".join(difflib.unified_diff(text.splitlines(True), new_text.splitlines(True), str(path), str(path))))
            else:
                try:
                    write_user_file(path, text, new_text, roots=args.paths)
                except WriteRefused as exc:
                    errors.append(f"hasten: {path}: {exc}")
    for e in errors:
        print(e, file=sys.stderr)
    if args.diff:
        sys.stdout.write("".join(diffs))
    what = "verified faster" if accept == ACCEPT_FASTER else "verified faster or equivalent"
    print(f"{'Would apply' if args.diff else 'Applied'} {total_applied} of {total_checked} fixes ({what}).")
    return 2 if errors else 0


def announce_test_run(path: str, config: Config, shown: set[str]) -> None:
    """Say on stderr, once per distinct command, what verification is about to run and where the
    test command and interpreter came from: a cloned repository's pyproject.toml may name them."""
    from hasten.server.verify.session import project_interpreter, test_command
    from hasten.server.verify.project import find_project_root

    root = find_project_root(path, config.root)
    interpreter = project_interpreter(root, config.verify)
    try:
        argv = test_command(config.verify, interpreter)
    except ValueError:
        return  # the verdict says the command does not parse
    origins = setting_origins(config)
    command_from = origins.get("verify.test-command", "the default")
    if "verify.interpreter" in origins:
        interpreter_from = origins["verify.interpreter"]
    elif interpreter == sys.executable:
        interpreter_from = "the Python running hasten"
    else:
        interpreter_from = "the project's virtual environment"
    line = f"hasten: running the tests in {root} with: {shlex.join(argv)} (test command from {command_from}; interpreter from {interpreter_from})"
    if line not in shown:
        shown.add(line)
        print(line, file=sys.stderr, flush=True)

