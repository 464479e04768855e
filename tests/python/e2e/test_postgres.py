"""PostgreSQL for a team, on a throwaway cluster the tests start (conftest.py ``postgres``):

- ``ice287g publish --postgres URL``: every mart with its types, keys and comments; the read-only role
  selects and cannot write; a second publish while a reader holds a transaction open swaps cleanly;
  re-publishing is idempotent;
- ``ice287g build --target postgres``: the dbt project builds green there from the sample, every mart
  equal row for row to the DuckDB build, and no personal arrest field leaves the work file.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import duckdb
import pytest
from compare_support import compare_marts, rows_of
from warehouse_support import copy_warehouse, run_cli

from ingest.publish import DENY_COLUMNS

pytestmark = pytest.mark.slow  # builds of its own


@pytest.fixture(scope="module")
def team_db(postgres) -> str:
    return postgres.create_database("team")


@pytest.fixture(scope="module")
def published_team(built_sample_warehouse: Path, team_db: str, tmp_path_factory) -> Path:
    warehouse = copy_warehouse(built_sample_warehouse, tmp_path_factory.mktemp("pgpub") / "wh")
    result = run_cli("publish", "--warehouse-dir", str(warehouse), "--postgres", team_db)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return warehouse


def _published_tables(marts: Path) -> dict[tuple[str, str], int]:
    con = duckdb.connect(str(marts), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
        return {(s, t): con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}
    finally:
        con.close()


def _pg(url: str, sql: str, params=None) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as con:
        return con.execute(sql, params).fetchall()


def test_publish_creates_every_mart_with_types_keys_and_comments(published_team: Path, team_db: str):
    from ingest import dictionary

    marts = published_team / "marts.duckdb"
    expected = _published_tables(marts)
    schema_of = {"main": "marts", "reference": "reference"}
    for (schema, table), n in expected.items():
        got = _pg(team_db, f'select count(*) from {schema_of[schema]}."{table}"')[0][0]
        assert got == n, (schema, table)
    docs = dictionary.build(published_team / "dbt_target" / "manifest.json", marts)
    keys = {
        (r[0], r[1]): r[2]
        for r in _pg(
            team_db,
            "select n.nspname, c.relname, array(select a.attname from unnest(k.conkey) with ordinality u(attnum, i) "
            "join pg_attribute a on a.attrelid = c.oid and a.attnum = u.attnum order by u.i) "
            "from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace "
            "where k.contype = 'p' and n.nspname in ('marts', 'reference')",
        )
    }
    for doc in docs:
        if doc.primary_key:
            assert keys[(schema_of[doc.published_schema], doc.name)] == doc.primary_key, doc.name
    assert all(keys.get(("marts", d.name)) for d in docs if d.dbt_schema == "marts")
    uncommented = _pg(
        team_db,
        "select c.relname, a.attname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped "
        "where n.nspname = 'marts' and c.relkind = 'r' and c.relname <> 'build_info' "
        "and (col_description(c.oid, a.attnum) is null or obj_description(c.oid, 'pg_class') is null)",
    )
    assert uncommented == []
    types = dict(
        _pg(
            team_db,
            "select table_name || '.' || column_name, "
            "case when data_type = 'numeric' then 'numeric(' || numeric_precision || ',' || numeric_scale || ')' "
            "else data_type end from information_schema.columns where table_schema = 'marts'",
        )
    )
    assert types["dim_counties.county_fips"] == "text"
    assert types["fct_payments.amount_usd"] == "numeric(14,2)"
    assert types["dim_publications.published_date"] == "date"
    assert types["fct_agreements.signed_date"] == "date"


def test_read_only_role_selects_and_cannot_write(published_team: Path, team_db: str, postgres):
    import psycopg

    with psycopg.connect(team_db, autocommit=True) as con:
        con.execute("drop role if exists bi_user")
        con.execute("create role bi_user login in role ice287g_reader")
    bi_url = team_db.replace("postgresql://postgres@", "postgresql://bi_user@")
    with psycopg.connect(bi_url, autocommit=True) as bi:
        assert bi.execute("select count(*) from marts.dim_agencies").fetchone()[0] > 0
        assert bi.execute("select count(*) from reference.states").fetchone()[0] > 50
        for sql in (
            "insert into marts.build_info values ('x', 'y')",
            "delete from marts.dim_agencies",
            "create table marts.intruder (a integer)",
            "drop table reference.states",
        ):
            with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.DependentObjectsStillExist)):
                bi.execute(sql)


def test_second_publish_while_a_reader_holds_a_transaction_swaps_cleanly(published_team: Path, team_db: str):
    import psycopg

    before = _pg(team_db, "select value from marts.build_info where key = 'publication'")[0][0]
    reader = psycopg.connect(team_db)  # a BI session: read committed, a transaction left open
    try:
        n_old = reader.execute("select count(*) from marts.fct_agreements").fetchone()[0]
        assert reader.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        outcome: dict = {}

        def publish():
            outcome["result"] = run_cli("publish", "--warehouse-dir", str(published_team), "--postgres", team_db)

        worker = threading.Thread(target=publish)
        worker.start()
        worker.join(timeout=180)
        assert not worker.is_alive(), "publish blocked behind the reader's open transaction"
        result = outcome["result"]
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "still in use by a reader" in result.stdout  # the old schema it holds is kept for now
        # the reader's next statement (same transaction) sees the new publication, complete
        after = reader.execute("select value from marts.build_info where key = 'publication'").fetchone()[0]
        assert after != before
        assert reader.execute("select count(*) from marts.fct_agreements").fetchone()[0] == n_old
        reader.execute("commit")
    finally:
        reader.close()
    # the old schemas the reader held are dropped by the next publish
    result = run_cli("publish", "--warehouse-dir", str(published_team), "--postgres", team_db)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    leftovers = _pg(
        team_db,
        "select nspname from pg_namespace where nspname like '%\\_\\_old\\_%' or nspname like '%\\_\\_load\\_%'",
    )
    assert leftovers == []


def test_republish_is_idempotent(published_team: Path, team_db: str):
    import psycopg

    def snapshot() -> dict[str, list]:
        with psycopg.connect(team_db) as con, con.cursor() as cur:
            tables = [
                r[0]
                for r in cur.execute(
                    "select table_name from information_schema.tables where table_schema = 'marts' "
                    "and table_name <> 'build_info' order by 1"
                ).fetchall()
            ]
            return {t: rows_of(cur, f'select * from marts."{t}"')[1] for t in tables}

    first = snapshot()
    result = run_cli("publish", "--warehouse-dir", str(published_team), "--postgres", team_db)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert snapshot() == first
    schemas = _pg(team_db, "select nspname from pg_namespace where nspname not like 'pg\\_%' order by 1")
    assert [s[0] for s in schemas] == ["information_schema", "marts", "public", "reference"]


def test_dbt_builds_green_on_postgres_and_every_mart_equals_duckdb(
    built_sample_warehouse: Path, postgres, tmp_path_factory, sample_dir: Path
):
    import psycopg

    url = postgres.create_database("dbt_ci")
    warehouse = copy_warehouse(built_sample_warehouse, tmp_path_factory.mktemp("pgdbt") / "wh")
    result = run_cli(
        "build", "--raw-dir", str(sample_dir), "--warehouse-dir", str(warehouse), "--target", "postgres",
        "--postgres", url, "--strict", timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert "error" not in result.stdout.lower().split("dbt build (postgres):")[-1].split("\n")[0]
    diffs = compare_marts(warehouse / "work.duckdb", url)
    assert len(diffs) > 25
    assert {t: d for t, d in diffs.items() if d} == {}
    n_rows = _pg(url, "select sum(n_live_tup) from pg_stat_user_tables where schemaname = 'marts'")[0][0]
    assert n_rows and n_rows > 1000

    # privacy: the personal fields of arrest records never left the work file
    duck = duckdb.connect(str(warehouse / "work.duckdb"), read_only=True)
    with psycopg.connect(url) as pg:
        personal = pg.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'raw' "
            "and column_name = any(%s)",
            [sorted(DENY_COLUMNS)],
        ).fetchall()
        assert personal, "the raw arrest tables carry personal columns (masked)"
        n_local = 0
        for table, column in personal:
            local = duck.execute(f'select count(distinct "{column}") from raw."{table}"').fetchone()[0]
            n_local += local
            values = [r[0] for r in pg.execute(f'select distinct "{column}" from raw."{table}"').fetchall()]
            kept = [v for v in values if v is not None]
            assert all(str(v).strip().lower().replace(" ", "") in _REDACTIONS for v in kept), (table, column, kept)
        assert n_local > 0  # the work file does hold them
        persons = pg.execute("select count(distinct person_key) from marts.fct_arrests").fetchone()[0]
        assert persons > 0
        marts_personal = pg.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'marts' "
            "and column_name = any(%s)",
            [sorted(DENY_COLUMNS)],
        ).fetchall()
        assert marts_personal == []

        # the PL/pgSQL Jaro-Winkler returns DuckDB's jaro_winkler_similarity
        rng = random.Random(287)

        def word() -> str:
            return "".join(rng.choice("abcdeñ '") for _ in range(rng.randint(0, 12)))

        pairs = [(word(), word()) for _ in range(400)]
        pairs += [("laramie county sheriffs office", "laramie cnty sheriffs office"), ("martha", "marhta")]
        for left, right in pairs:
            want = duck.execute("select jaro_winkler_similarity(?, ?)", [left, right]).fetchone()[0]
            got = pg.execute("select public.ice287g_jaro_winkler(%s, %s)", [left, right]).fetchone()[0]
            assert abs(want - got) < 1e-12, (left, right, want, got)
    duck.close()


_REDACTIONS = {"(b)(6),(b)(7)(c)", "(b)(6);(b)(7)(c)", "b(6),b(7)c", "(b)(7)(e)", "(b)(6)", "(b)(7)(c)", "--", "-"}


def test_a_failed_publish_leaves_what_postgresql_serves_untouched(published_team: Path, postgres):
    """A loader that may not replace the existing `marts` schema fails at the swap: nothing changes."""
    import psycopg

    url = postgres.create_database("team_failed")
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("drop role if exists loader")
        con.execute("create role loader login createrole")
        con.execute("grant create on database team_failed to loader")
        con.execute("create schema marts")  # owned by postgres: loader cannot rename it
        con.execute("create table marts.sentinel as select 42 as answer")
    loader_url = url.replace("postgresql://postgres@", "postgresql://loader@")
    result = run_cli("publish", "--warehouse-dir", str(published_team), "--postgres", loader_url)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "PostgreSQL publish failed" in result.stderr and "unchanged" in result.stderr
    assert _pg(url, "select answer from marts.sentinel") == [(42,)]
    schemas = [r[0] for r in _pg(url, "select nspname from pg_namespace where nspname like 'marts%' order by 1")]
    assert schemas == ["marts"]
    assert _pg(url, "select count(*) from pg_namespace where nspname like 'reference%'") == [(0,)]
