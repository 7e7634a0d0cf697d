"""Turn the UCI "Online Retail" purchase log into the warehouse's raw relations.

The public data set (a UK online shop's invoice lines, December 2010 to
December 2011: InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
UnitPrice, CustomerID, Country) has no events, users or feedback; this writes
the five relations the raw contract asks for (docs/raw-contract.md), so that
`uw build` and `uw evaluate-recommendations` run on it unchanged:

- raw_orders: one order per invoice with a customer; invoices whose number
  starts with C are cancellations (status refunded), the others completed;
  amount = the sum of its lines' quantity × unit price.
- raw_order_items: the lines of those orders with a positive quantity and
  price (the product is the StockCode; no category in the source).
- raw_users: one user per customer, registered at their first invoice.
- raw_events, raw_feedback: the header only (the source has none).

Times are the shop's local time (London), written with that zone.

    python scripts/prepare_online_retail.py "Online Retail.csv" data/online_retail
    uw evaluate-recommendations --cutoff 2010-12-19 \
        --vars '{raw_source: files, raw_path: data/online_retail}'

Reading the .xlsx the source is published as needs openpyxl; a CSV export of
it reads with pandas alone.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import pandas as pd

from user_warehouse.generate import COLUMNS

ZONE = "Europe/London"


def read(source: pathlib.Path) -> pd.DataFrame:
    types = {"InvoiceNo": str, "StockCode": str}
    lines = pd.read_excel(source, dtype=types) if source.suffix == ".xlsx" else pd.read_csv(source, dtype=types)
    lines = lines[lines["CustomerID"].notna()].copy()
    lines["customer"] = lines["CustomerID"].astype("int64").astype(str)
    lines["time"] = pd.to_datetime(lines["InvoiceDate"]).dt.tz_localize(ZONE).map(lambda t: t.isoformat())
    return lines


def relations(lines: pd.DataFrame) -> dict[str, pd.DataFrame]:
    kept = lines[(lines["Quantity"] > 0) & (lines["UnitPrice"] > 0)]
    orders = (
        lines.assign(line_amount=lines["Quantity"].abs() * lines["UnitPrice"].abs())
        .groupby("InvoiceNo", sort=True)
        .agg(user_id=("customer", "first"), ordered_at=("time", "first"), amount=("line_amount", "sum"))
        .reset_index()
        .rename(columns={"InvoiceNo": "order_id"})
    )
    orders["status"] = orders["order_id"].str.startswith("C").map({True: "refunded", False: "completed"})
    orders["amount"] = orders["amount"].round(2).map("{:.2f}".format)
    orders["currency"] = "GBP"
    items = pd.DataFrame(
        {
            "order_id": kept["InvoiceNo"],
            "product_id": kept["StockCode"].str.strip().str.upper(),
            "quantity": kept["Quantity"].astype(int),
            "unit_price": kept["UnitPrice"].map("{:.2f}".format),
        }
    )
    items = items[items["order_id"].isin(orders.loc[orders["status"] == "completed", "order_id"])]
    users = (
        lines.sort_values("time")
        .groupby("customer", sort=True)
        .agg(registered_at=("time", "first"))
        .reset_index()
        .rename(columns={"customer": "user_id"})
    )
    tables = {"raw_users": users, "raw_orders": orders, "raw_order_items": items}
    out = {}
    for relation, columns in COLUMNS.items():
        frame = tables.get(relation, pd.DataFrame())
        out[relation] = frame.reindex(columns=columns)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=pathlib.Path, help="Online Retail.xlsx, or a CSV export of it")
    parser.add_argument("out", type=pathlib.Path, help="folder for the five raw relations (CSV)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for relation, frame in relations(read(args.source)).items():
        frame.to_csv(args.out / f"{relation}.csv", index=False)
        print(f"{relation}: {len(frame):,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
