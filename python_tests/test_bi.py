"""What BI clients open (docs/bi.md): the published DuckDB file and Parquet files read by the DuckDB 1.x readers
BI drivers bundle.

Each reader is installed apart from the project's pins, in a virtual environment of its own under
.venv-readers/ (git-ignored, kept between runs like any package), and reads every mart of the demo's publish:
the same rows as DuckDB 2 reads, and the descriptions BI tools show.
"""

from __future__ import annotations

import json
import pathlib
import struct
import subprocess
import sys

import pytest

from conftest import ROOT, publish

# The oldest DuckDB 1.x, the one Evidence's driver bundles, and the newest 1.x.
DUCKDB_READERS = ("1.0.0", "1.4.2", "1.5.6")

# Every mart as JSON text, values as str() gives them, rows sorted: the same whatever the reader's Python types.
READ_EVERY_MART = """
import json, pathlib, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
marts = [name for (name,) in con.execute(
    "select table_name from duckdb_tables() where schema_name = 'marts' order by 1").fetchall()]
read = {}
for mart in marts:
    columns = [name for (name,) in con.execute(
        "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ?"
        " order by column_index", [mart]).fetchall()]
    rows = sorted(json.dumps(list(row), default=str) for row in con.execute(f'select * from marts."{mart}"').fetchall())
    described = con.execute(
        "select count(*) from duckdb_columns() where schema_name = 'marts' and table_name = ? and comment is not null",
        [mart]).fetchone()[0]
    read[mart] = {"columns": columns, "rows": rows, "described_columns": described}
parquet = {}
for path in sorted(pathlib.Path(sys.argv[2]).glob("*.parquet")):
    parquet[path.stem] = con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()[0]
print(json.dumps({"version": duckdb.__version__, "marts": read, "parquet_rows": parquet}))
"""


def reader_python(version: str) -> pathlib.Path:
    """The Python of a virtual environment holding DuckDB `version` alone, made once."""
    venv = ROOT / ".venv-readers" / f"duckdb-{version}"
    python = venv / "bin" / "python"
    if not (venv / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"duckdb=={version}"],
            check=True,
        )
        (venv / ".installed").touch()
    return python


def read_every_mart(python: str | pathlib.Path, db: pathlib.Path) -> dict:
    result = subprocess.run(
        [str(python), "-c", READ_EVERY_MART, str(db), str(db.parent / "parquet")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def published(demo, tmp_path_factory) -> pathlib.Path:
    return publish(demo, tmp_path_factory.mktemp("published"))


@pytest.fixture(scope="module")
def as_duckdb_2_reads_it(published) -> dict:
    return read_every_mart(sys.executable, published)


@pytest.mark.parametrize("version", DUCKDB_READERS)
def test_duckdb_1x_readers_open_the_published_file_and_read_every_mart(
    version, published, as_duckdb_2_reads_it
) -> None:
    read = read_every_mart(reader_python(version), published)
    assert read["version"] == version
    expected = as_duckdb_2_reads_it["marts"]
    assert sorted(read["marts"]) == sorted(expected) and len(expected) > 40
    for mart, content in expected.items():
        assert read["marts"][mart]["columns"] == content["columns"], mart
        assert read["marts"][mart]["rows"] == content["rows"], mart
        assert read["marts"][mart]["described_columns"] == content["described_columns"] > 0, mart
        assert read["parquet_rows"][mart] == len(content["rows"]), mart


def test_the_published_file_is_in_the_storage_format_duckdb_1x_reads(published) -> None:
    """The file's header names storage version 64, the one DuckDB 0.10 to 1.1 write and every later DuckDB reads
    (DuckDB 2's own format is a number no 1.x reader accepts)."""
    magic, version = struct.unpack("<8x4sQ", published.read_bytes()[:20])
    assert (magic, version) == (b"DUCK", 64)
