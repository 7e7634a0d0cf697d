"""How well churn_probability ranks leavers beside the rules (docs/rules/churn-warning.md#churn-probability).

Builds the warehouse twice into DuckDB files of their own: at as_of_date (the
model is fitted on the snapshot var churn_horizon_days before it, every fifth
user kept out), and at that fit snapshot's day, where the rule-based warning
says what it said then. On the users kept out of the fit, with the label "no
activity date in the horizon after the snapshot", it prints the AUC of:

- the rule-based risk level (low 0, medium 1, high 2) and the signal count,
  as the warning stood on the snapshot day;
- recency alone (days since the last activity date);
- churn_probability.

    uw evaluate-churn
    uw evaluate-churn --as-of 2011-09-30 --vars '{raw_source: files, raw_path: data/online_retail}'
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile

import duckdb
import pandas as pd
import yaml

from user_warehouse import project
from user_warehouse.recommend import build_at_cutoff

RISK = {"low": 0, "medium": 1, "high": 2}


def evaluate(at_as_of: pathlib.Path, at_snapshot: pathlib.Path) -> tuple[pd.DataFrame, dict]:
    from sklearn.metrics import roc_auc_score

    with duckdb.connect(str(at_as_of), read_only=True) as con:
        kept_out = con.sql(
            "select scores.user_id, scores.is_churned, scores.churn_probability, snapshots.raw_value as recency"
            " from intermediate.int_churn_scores as scores"
            " inner join intermediate.int_churn_snapshots as snapshots on scores.user_id = snapshots.user_id"
            " and snapshots.purpose = 'fit' and snapshots.feature = 'days_since_last_activity'"
            " where scores.purpose = 'fit' and scores.is_validation order by scores.user_id"
        ).df()
        quality = con.sql("select * from marts.churn_model_quality").df().iloc[0].to_dict()
    with duckdb.connect(str(at_snapshot), read_only=True) as con:
        rules = con.sql("select user_id, risk_level, signal_count from marts.user_churn_warning").df()
    frame = kept_out.merge(rules, on="user_id", how="left")
    if frame["risk_level"].isna().any() or frame["is_churned"].nunique() < 2:
        raise SystemExit("uw evaluate-churn: the users kept out need a warning on the snapshot day and both labels")
    label = frame["is_churned"].astype(int)
    scores = {
        "rule-based risk level": frame["risk_level"].map(RISK),
        "rule signal count": frame["signal_count"],
        "recency alone": frame["recency"],
        "churn_probability": frame["churn_probability"],
    }
    table = pd.DataFrame(
        {
            "users": len(frame),
            "churn_rate": label.mean(),
            "auc": {k: roc_auc_score(label, v) for k, v in scores.items()},
        }
    )
    return table, quality


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw evaluate-churn", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--as-of", help="the as_of_date of the first build (default: the data's last day)")
    parser.add_argument("--vars", help="dbt vars as YAML for both builds, e.g. '{raw_source: files, raw_path: data}'")
    args = parser.parse_args(argv)
    given = (yaml.safe_load(args.vars) if args.vars else None) or {}
    horizon = int(given.get("churn_horizon_days") or project.dbt_vars()["churn_horizon_days"])
    with tempfile.TemporaryDirectory(prefix="uw-evaluate-") as scratch:
        work = pathlib.Path(scratch)
        build_at_cutoff(args.as_of, args.vars, work / "as_of.duckdb", work / "t1", ["+churn_model_quality"])
        with duckdb.connect(str(work / "as_of.duckdb"), read_only=True) as con:
            as_of = con.sql("select as_of_date from intermediate.int_as_of_date").fetchall()[0][0]
        snapshot = (pd.Timestamp(as_of) - pd.Timedelta(days=horizon)).date().isoformat()
        build_at_cutoff(snapshot, args.vars, work / "snapshot.duckdb", work / "t2", ["+user_churn_warning"])
        table, quality = evaluate(work / "as_of.duckdb", work / "snapshot.duckdb")
    print(
        f"churn in the {horizon} days after {snapshot}, users kept out of the fit "
        f"({int(quality['fitted_users'])} fitted), as_of_date {as_of}:\n"
    )
    print("| score | users | churn rate | AUC |\n|---|---:|---:|---:|")
    for name, row in table.iterrows():
        print(f"| {name} | {int(row['users'])} | {row['churn_rate']:.3f} | {row['auc']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
