"""`uw`: the user warehouse's one command. Each subcommand is a module of this package with a main(argv)."""

from __future__ import annotations

import importlib
import importlib.util
import sys

# subcommand: (module, what it does), in the order a reader meets them
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("build", "the daily command: dbt build, then publish, report and exports, stopping at a failure"),
    "publish": (
        "publish",
        "swap the marts of a build that passed whole in for BI tools (DuckDB file, Parquet, PostgreSQL)",
    ),
    "report": ("report", "the daily operations report: one HTML file that opens without a network"),
    "export": ("export", "one CSV and one Parquet file per audience, contact hashed and masked only"),
    "freshness": ("freshness", "each raw relation's newest published data against max_data_age_days; 1 when stale"),
    "fit": ("fit", "the predicted-value fit on PostgreSQL or Spark (DuckDB fits inside dbt build)"),
    "evaluate-recommendations": (
        "recommend",
        "build at a cutoff and score the recommendations against popularity and ALS (extra [evaluate])",
    ),
    "evaluate-churn": (
        "evaluate_churn",
        "build at as_of_date and at the churn fit's snapshot; AUC of the rules, recency and churn_probability",
    ),
    "superset": (
        "superset",
        "Apache Superset with the marts, the semantic layer's metrics and the operations dashboard (make superset)",
    ),
    "validate": ("validate", "the Great Expectations suites over the marts (extra [dev])"),
    "semantic": ("semantic", "every semantic-layer metric through MetricFlow against its mart (extra [dev])"),
    "generate": ("generate", "deterministic demo or benchmark data: users, events, orders, items, feedback"),
    "split-days": ("split_days", "split raw files into history and the last day, as folders of parts"),
    "load-raw": ("load_raw", "load raw files into tables of PostgreSQL or Spark, for raw_source: warehouse"),
    "compare": ("compare", "compare every mart of two DuckDB warehouses (rows and content)"),
    "compare-engines": ("compare_engines", "compare every mart of PostgreSQL or Spark with DuckDB's"),
    "benchmark": ("benchmark", "time and measure a full and a daily build at given sizes"),
    "demo-docs": ("demo_outputs", "write (or --check) docs/demo-outputs.md from the demo build"),
}


# what a command needs beyond the package itself: (module, the extra of pyproject.toml that brings it)
NEEDS: dict[str, tuple[str, str]] = {
    "generate": ("pyarrow", "data"),
    "load-raw": ("pyarrow", "data"),
    "benchmark": ("pyarrow", "data"),
    "validate": ("great_expectations", "dev"),
    "evaluate-recommendations": ("implicit", "evaluate"),
    "semantic": ("metricflow", "semantic"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: uw COMMAND [options]   (uw COMMAND --help for a command's options)", "", "commands:"]
    lines += [f"  {name:<{width}}  {summary}" for name, (_, summary) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    if args[0] == "--version":
        from user_warehouse import __version__

        print(__version__)
        return 0
    if args[0] not in COMMANDS:
        print(f"uw: unknown command '{args[0]}'\n\n{usage()}", file=sys.stderr)
        return 2
    if args[0] in NEEDS and importlib.util.find_spec(NEEDS[args[0]][0]) is None:
        needed, extra = NEEDS[args[0]]
        print(
            f"uw {args[0]} needs {needed}, from the extra [{extra}]: .venv/bin/pip install -e '.[{extra}]'"
            " (make install-dev installs every extra)",
            file=sys.stderr,
        )
        return 2
    module = importlib.import_module(f"user_warehouse.{COMMANDS[args[0]][0]}")
    return module.main(args[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
