"""`hasten rule CODE` / `hasten rule --all`: the rules' documentation."""

from __future__ import annotations

import json
import sys

from hasten.analyzers.registry import all_rules, get_rule


def register(sub) -> None:
    parser = sub.add_parser("rule", help="show a rule's documentation", description="Show the documentation of a rule (by code, name or alias), or list all rules.")
    parser.add_argument("code", nargs="?", help="a rule code (HS101), name (list-membership-in-loop) or alias (PERF401)")
    parser.add_argument("--all", action="store_true", help="list every rule")
    parser.add_argument("--output-format", choices=("text", "json"), default="text")


def run(args) -> int:
    if args.all:
        rules = all_rules()
        if args.output_format == "json":
            print(json.dumps([r.to_json() for r in rules], indent=2, ensure_ascii=False))
        else:
            for r in rules:
                fix = {"always": "fix", "sometimes": "fix?", "never": ""}[r.fix_availability.value]
                print(f"{r.code}  {r.name:<36} {r.status.value:<8} {fix:<5} {r.summary}")
        return 0
    if not args.code:
        print("hasten rule: give a rule code, or --all (e.g. `hasten rule HS101`)", file=sys.stderr)
        return 2
    rule = get_rule(args.code)
    if rule is None:
        print(f"hasten rule: unknown rule '{args.code}'; `hasten rule --all` lists them", file=sys.stderr)
        return 2
    if args.output_format == "json":
        print(json.dumps(rule.to_json(), indent=2, ensure_ascii=False))
    else:
        print(rule.explanation())
    return 0
