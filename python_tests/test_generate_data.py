"""The data generator: deterministic, streamed in independent blocks, dirty at the asked rate."""

from __future__ import annotations

import filecmp
import json
import pathlib

import pandas as pd
import pytest

from user_warehouse import generate as gen

RELATIONS = list(gen.COLUMNS)


def _read(folder: pathlib.Path, relation: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{relation}.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_gives_identical_bytes(tmp_path: pathlib.Path, fmt: str) -> None:
    gen.generate(300, tmp_path / "a", fmt, seed=7, dirty=0.05)
    gen.generate(300, tmp_path / "b", fmt, seed=7, dirty=0.05)
    for relation in RELATIONS:
        name = f"{relation}.{fmt}"
        assert filecmp.cmp(tmp_path / "a" / name, tmp_path / "b" / name, shallow=False), name


def test_another_seed_gives_other_data(tmp_path: pathlib.Path) -> None:
    gen.generate(300, tmp_path / "a", seed=7)
    gen.generate(300, tmp_path / "b", seed=8)
    assert not filecmp.cmp(tmp_path / "a" / "raw_events.csv", tmp_path / "b" / "raw_events.csv", shallow=False)


def test_blocks_are_independent_so_output_streams(tmp_path: pathlib.Path, monkeypatch) -> None:
    monkeypatch.setattr(gen, "BLOCK_USERS", 100)
    gen.generate(250, tmp_path / "big", seed=3)
    gen.generate(100, tmp_path / "small", seed=3)
    big, small = _read(tmp_path / "big", "raw_users"), _read(tmp_path / "small", "raw_users")
    assert big["user_id"].astype(int).tolist() == list(range(1, 251))
    pd.testing.assert_frame_equal(big.head(100), small)
    # Every block contributes events, and event ids never collide across blocks.
    events = _read(tmp_path / "big", "raw_events")
    assert events["event_id"].is_unique
    assert events["event_id"].str.split("-").str[0].nunique() == 3


def test_behaviour_is_realistic_enough_for_the_marts(tmp_path: pathlib.Path) -> None:
    gen.generate(2000, tmp_path, seed=11)
    users, events, orders = (_read(tmp_path, r) for r in ("raw_users", "raw_events", "raw_orders"))
    per_user = events[events["user_id"] != ""].groupby("user_id").size()
    assert per_user.max() > 10 * per_user.median()  # heavy tail
    assert (events["user_id"] == "").mean() > 0.2  # anonymous browsing to stitch
    assert {"cpc", "paid_social", "email", "affiliate", "display"} <= set(events["utm_medium"])
    assert events["referrer"].str.contains("baidu|google").any()  # organic search arrives by referrer
    assert {"page_view", "search", "add_to_cart", "checkout", "purchase", "login", "app_open"} <= set(
        events["event_type"]
    )
    buys = orders.groupby("user_id").size()
    assert (buys == 1).any() and (buys >= 2).any()  # one-off and repeat buyers
    assert {"paid", "completed", "cancelled", "refunded"} <= set(orders["status"])
    assert (orders["discount_amount"] != "").mean() > 0.1
    assert (users["inviter_user_id"] != "").mean() > 0.03
    assert users["city"].isin(list(gen.CITIES) + [""]).all()


def test_dirty_rows_of_every_kind_at_the_asked_rate(tmp_path: pathlib.Path) -> None:
    rate = 0.08
    manifest = gen.generate(3000, tmp_path, seed=5, dirty=rate)
    on_disk = json.loads((tmp_path / "_manifest.json").read_text())
    assert on_disk == manifest
    for relation in RELATIONS:
        injected = manifest["dirty"][relation]
        assert set(injected) == set(gen.DIRTY_KINDS[relation]), relation
        exact_copies = injected["exact_duplicate"]
        clean_rows = manifest["rows"][relation] - exact_copies
        assert sum(injected.values()) == pytest.approx(rate * clean_rows, abs=2), relation
        frame = _read(tmp_path, relation)
        assert len(frame) == manifest["rows"][relation]
        assert frame.duplicated().sum() >= exact_copies
        if relation in gen.TIME_COLUMN:
            column = frame[gen.TIME_COLUMN[relation]]
            assert (column == "2099-01-01T00:00:00Z").sum() == injected["future_timestamp"]
        if relation in gen.PARENT:
            assert frame[gen.PARENT[relation]].str.startswith("ghost-").sum() == injected["orphan_foreign_key"]
    events = _read(tmp_path, "raw_events")
    assert (events["event_type"] == "hover_banner").sum() == manifest["dirty"]["raw_events"]["unknown_event_type"]
    orders = _read(tmp_path, "raw_orders")
    assert orders["amount"].str.startswith("-").sum() == manifest["dirty"]["raw_orders"]["negative_amount"]


def test_committed_demo_seeds_come_from_the_documented_command(tmp_path: pathlib.Path, root: pathlib.Path) -> None:
    demo = json.loads((root / "seeds/raw/demo_manifest.json").read_text())
    gen.generate(demo["users"], tmp_path, "csv", seed=demo["seed"], dirty=demo["dirty_rate"])
    for relation in RELATIONS:
        name = f"{relation}.csv"
        assert filecmp.cmp(tmp_path / name, root / "seeds/raw" / name, shallow=False), name


def test_cli_rejects_bad_arguments(capsys) -> None:
    with pytest.raises(SystemExit):
        gen.main(["--users", "0"])
    assert "--users" in capsys.readouterr().err
