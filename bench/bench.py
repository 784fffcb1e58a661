#!/usr/bin/env python3
"""Scrutiny benchmarks, with DuckDB as the peer in the same run.

Measures, on data the project generates itself (and the real police.uk files
in ../shared when present):
  1. import throughput of `scrutiny import extract` vs DuckDB read_csv of the same files;
  2. import throughput of `scrutiny import police-uk` vs DuckDB read_csv;
  3. `scrutiny report quarterly` vs DuckDB computing the same table (every
     measure of the plan, 3 months and the same months last year) from its
     own tables of the same records, on a one-force store and on the national
     store. The DuckDB figures are checked equal to Scrutiny's.

Usage: python3 bench/bench.py [--work DIR] [--national-forces N] [--national-years Y] [--skip-national]
Needs: a release build (cargo build --release -p scrutiny-cli) and `pip install duckdb`.
Prints a Markdown table for docs/benchmarks.md.
"""

import argparse
import json
import lzma
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "scrutiny"


def run(*args, capture=True):
    started = time.perf_counter()
    result = subprocess.run([str(BIN), *map(str, args)], capture_output=capture, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"scrutiny {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout


def median_of(count, function):
    times = []
    value = None
    for _ in range(count):
        elapsed, value = function()
        times.append(elapsed)
    return statistics.median(times), value


def csv_files(folder, patterns):
    return sorted(path for pattern in patterns for path in Path(folder).rglob(pattern))


def count_rows(files):
    total = 0
    for path in files:
        with open(path, "rb") as handle:
            total += sum(1 for _ in handle) - 1
    return total


# ---------------------------------------------------------------- DuckDB peer

def duck_load_extract(connection, folder):
    """Loads every extract under folder into DuckDB tables (force from extract.json)."""
    connection.execute("DROP TABLE IF EXISTS crimes; DROP TABLE IF EXISTS outcomes; DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS asb;")
    kinds = {
        "crimes": "crimes*.csv",
        "outcomes": "outcomes*.csv",
        "events": "suspect-activity*.csv",
        "asb": "asb*.csv",
    }
    manifests = sorted(Path(folder).rglob("extract.json"))
    for table, pattern in kinds.items():
        selects = []
        for manifest in manifests:
            force = json.loads(manifest.read_text())["force"].replace("'", "''")
            for path in sorted(manifest.parent.glob(pattern)):
                selects.append(f"SELECT '{force}' AS force, * FROM read_csv('{path}', header = true, all_varchar = true)")
        connection.execute(f"CREATE TABLE {table} AS " + " UNION ALL ".join(selects))


def duck_import(duck_file, folder):
    """DuckDB's import as a whole: open a fresh database file, read_csv every
    file into its tables, and close it (the checkpoint that writes the tables
    to the file), as Scrutiny's time is its whole process, fsyncs and commit
    included. Returns the seconds and leaves the database for the queries."""
    duck_file.unlink(missing_ok=True)
    Path(str(duck_file) + ".wal").unlink(missing_ok=True)
    started = time.perf_counter()
    connection = duckdb.connect(str(duck_file))
    duck_load_extract(connection, folder)
    connection.close()
    return time.perf_counter() - started


def alternating(runs, scrutiny, duck):
    """Medians of `runs` alternating runs of each import (a fresh store or
    database file each time), so that neither has the quieter moments."""
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(scrutiny())
        theirs.append(duck())
    return statistics.median(ours), statistics.median(theirs)


def duck_codes(connection):
    hocr = tomllib.loads((ROOT / "definitions" / "hocr.toml").read_text())
    groups = {group["id"]: group["category"] for group in hocr["group"]}
    subgroups = {subgroup["id"]: subgroup["group"] for subgroup in hocr["subgroup"]}
    rows = []
    for version in hocr["version"]:
        for code, offence in version["offences"].items():
            group = subgroups[offence["subgroup"]]
            rows.append((code, offence["subgroup"], group, groups[group]))
    connection.execute("DROP TABLE IF EXISTS codes; CREATE TABLE codes (code VARCHAR, subgroup VARCHAR, grp VARCHAR, category VARCHAR)")
    connection.executemany("INSERT INTO codes VALUES (?, ?, ?, ?)", rows)


FLAG_SQL = {
    "domestic-abuse": "c.domestic_abuse = 'Y'",
    "child-protection": "c.child_protection = 'Y'",
    "adult-protection": "c.adult_protection = 'Y'",
    "knife": "c.knife_or_sharp_instrument = 'Y'",
    "hate-crime": "c.hate_crime <> ''",
}
OUTCOME_SETS = {set_["id"]: set_["types"] for set_ in tomllib.loads((ROOT / "definitions" / "outcomes.toml").read_text())["set"]}


def quoted(values):
    return ", ".join("'" + value + "'" for value in values)


def duck_count_sql(spec, force, months):
    """SQL giving (month, n) for one count spec over the listed months."""
    source = spec["source"]
    where = [f"c.force = '{force}'"]
    for key, column in (("categories", "category"), ("groups", "grp"), ("subgroups", "subgroup")):
        if spec.get(key):
            where.append(f"k.{column} IN ({quoted(spec[key])})")
    for flag in spec.get("flags", []):
        where.append(FLAG_SQL[flag])
    if spec.get("any_flags"):
        where.append("(" + " OR ".join(FLAG_SQL[flag] for flag in spec["any_flags"]) + ")")
    month_list = quoted(months)
    if source == "asb":
        return f"SELECT substr(incident_date, 1, 7) AS month, count(*) FROM asb c WHERE c.force = '{force}' AND substr(incident_date, 1, 7) IN ({month_list}) GROUP BY 1"
    if source == "crimes":
        return (f"SELECT substr(c.recorded_date, 1, 7) AS month, count(*) FROM crimes c JOIN codes k ON k.code = c.offence_code "
                f"WHERE c.status = 'recorded' AND substr(c.recorded_date, 1, 7) IN ({month_list}) AND {' AND '.join(where)} GROUP BY 1")
    if source == "outcomes":
        types = list(spec.get("outcome_types", [])) + OUTCOME_SETS.get(spec.get("outcome_set"), [])
        return (f"SELECT substr(o.outcome_date, 1, 7) AS month, count(*) FROM outcomes o "
                f"JOIN crimes c ON c.force = o.force AND c.crime_reference = o.crime_reference JOIN codes k ON k.code = c.offence_code "
                f"WHERE c.status = 'recorded' AND CAST(o.outcome_type AS INTEGER) IN ({', '.join(map(str, types))}) "
                f"AND substr(o.outcome_date, 1, 7) IN ({month_list}) AND {' AND '.join(where)} GROUP BY 1")
    if source == "suspect-events":
        events = spec.get("events") or ["arrest", "voluntary-interview", "interview"]
        return (f"SELECT substr(e.event_date, 1, 7) AS month, count(*) FROM events e "
                f"JOIN crimes c ON c.force = e.force AND c.crime_reference = e.crime_reference JOIN codes k ON k.code = c.offence_code "
                f"WHERE c.status = 'recorded' AND e.event IN ({quoted(events)}) "
                f"AND substr(e.event_date, 1, 7) IN ({month_list}) AND {' AND '.join(where)} GROUP BY 1")
    raise ValueError(source)


def months_of_quarter(to):
    year, month = map(int, to.split("-"))
    index = year * 12 + month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - 2, index + 1)]


def duck_quarterly(connection, plan_id, force, to):
    """Every count of the plan's quarterly table: {measure: {month: n}} for the quarter and last year."""
    plan = tomllib.loads((ROOT / "definitions" / "plans" / f"{plan_id}.toml").read_text())
    current = months_of_quarter(to)
    last_year = [f"{int(m[:4]) - 1:04d}{m[4:]}" for m in current]
    months = current + last_year
    results = {}
    specs = {measure["id"]: measure for measure in plan["measure"]}
    for measure in plan["measure"]:
        if measure.get("kind") == "rate":
            numerator = dict(measure["numerator"])
            rows = dict(connection.execute(duck_count_sql(numerator, force, months)).fetchall())
            denominator = dict(connection.execute(duck_count_sql(specs[measure["denominator"]], force, months)).fetchall())
            results[measure["id"]] = {month: (rows.get(month, 0), denominator.get(month, 0)) for month in months}
        else:
            rows = dict(connection.execute(duck_count_sql(measure, force, months)).fetchall())
            results[measure["id"]] = {month: rows.get(month, 0) for month in months}
    return results


def check_equal(ours, theirs, to):
    """Asserts Scrutiny's JSON equals DuckDB's counts for every month and measure."""
    checked = 0
    for table in ours["measures"]:
        duck = theirs[table["id"]]
        for row in table["rows"]:
            if row["label"] == "total":
                continue
            month = row["label"]
            last = f"{int(month[:4]) - 1:04d}{month[4:]}"
            if table["kind"] == "count":
                assert (row["current"], row["last_year"]) == (duck[month], duck[last]), (table["id"], month, row, duck)
            else:
                assert (row["numerator"], row["denominator"]) == duck[month], (table["id"], month, row, duck[month])
                assert (row["last_year_numerator"], row["last_year_denominator"]) == duck[last], (table["id"], last)
            checked += 1
    return checked


# ---------------------------------------------------------------- benchmarks

def bench_extract(work, name, extract, to, force, quarterly_runs=5, import_runs=3):
    store = work / f"{name}-store"
    files = csv_files(extract, ["crimes*.csv", "outcomes*.csv", "suspect-activity*.csv", "asb*.csv"])
    rows = count_rows(files)
    size = sum(path.stat().st_size for path in files)
    duck_file = work / f"{name}.duckdb"

    def scrutiny_import():
        shutil.rmtree(store, ignore_errors=True)
        return run("import", "extract", extract, "--data", store)[0]

    import_seconds, duck_load = alternating(import_runs, scrutiny_import, lambda: duck_import(duck_file, extract))
    report_args = ("report", "quarterly", "--plan", "making-kent-safer", "--to", to, "--data", store, "--force", force, "--format", "json")
    run(*report_args)
    report_seconds, report = median_of(quarterly_runs, lambda: run(*report_args))
    connection = duckdb.connect(str(duck_file))
    duck_codes(connection)
    connection.close()

    def duck_query():
        started = time.perf_counter()
        fresh = duckdb.connect(str(duck_file), read_only=True)
        result = duck_quarterly(fresh, "making-kent-safer", force, to)
        fresh.close()
        return time.perf_counter() - started, result

    duck_query()
    duck_seconds, duck_result = median_of(quarterly_runs, duck_query)
    checked = check_equal(json.loads(report), duck_result, to)
    return {
        "name": name, "rows": rows, "megabytes": size / 1e6,
        "import_seconds": import_seconds, "duck_load_seconds": duck_load,
        "report_seconds": report_seconds, "duck_report_seconds": duck_seconds, "checked": checked,
    }


def bench_police_uk(work):
    source = ROOT.parent / "shared" / "data" / "police-uk" / "kent"
    if not source.is_dir():
        return None
    plain = work / "police-uk-kent"
    shutil.rmtree(plain, ignore_errors=True)
    plain.mkdir(parents=True)
    for path in sorted(source.glob("*.csv.xz")):
        (plain / path.name[:-3]).write_bytes(lzma.decompress(path.read_bytes()))
    files = sorted(plain.glob("*.csv"))
    rows = count_rows(files)
    store = work / "police-uk-store"
    duck_file = work / "police-uk.duckdb"

    def scrutiny_import():
        shutil.rmtree(store, ignore_errors=True)
        return run("import", "police-uk", plain, "--data", store)[0]

    def duck():
        duck_file.unlink(missing_ok=True)
        started = time.perf_counter()
        connection = duckdb.connect(str(duck_file))
        connection.execute("CREATE TABLE street AS SELECT * FROM read_csv([" + quoted(map(str, files)) + "], header = true, all_varchar = true)")
        connection.close()
        return time.perf_counter() - started

    import_seconds, duck_load = alternating(3, scrutiny_import, duck)
    return {"rows": rows, "megabytes": sum(p.stat().st_size for p in files) / 1e6, "import_seconds": import_seconds, "duck_load_seconds": duck_load}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default="/tmp/scrutiny-bench")
    parser.add_argument("--national-forces", type=int, default=43)
    parser.add_argument("--national-years", type=int, default=10)
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()
    if not BIN.exists():
        sys.exit("build first: cargo build --release -p scrutiny-cli")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}")
    results = []

    seed = work / "seed-2024"
    shutil.rmtree(seed, ignore_errors=True)
    seconds, _ = run("generate", "--profile", "seed-2024", "--out", seed)
    print(f"generated seed-2024 in {seconds:.1f} s")
    results.append(bench_extract(work, "seed-2024 (one force, 35 months)", seed, "2024-07", "Kent"))

    ten_years = work / "ten-years"
    shutil.rmtree(ten_years, ignore_errors=True)
    seconds, _ = run("generate", "--profile", "national", "--forces", "20", "--years", "10", "--out", ten_years)
    kent = ten_years / "kent"
    print(f"generated 10-year forces in {seconds:.1f} s")
    results.append(bench_extract(work, "Kent-sized force, 10 years", kent, "2024-12", "Kent"))

    if not args.skip_national:
        national = work / "national"
        if not (national / "kent" / "extract.json").exists():
            shutil.rmtree(national, ignore_errors=True)
            seconds, _ = run("generate", "--profile", "national", "--forces", args.national_forces, "--years", args.national_years, "--out", national)
            print(f"generated national in {seconds:.1f} s")
        results.append(bench_extract(work, f"national ({args.national_forces} forces, {args.national_years} years)", national, "2024-12", "Kent", quarterly_runs=3, import_runs=1))

    police = bench_police_uk(work)

    print()
    print("| data | rows | CSV MB | Scrutiny import | rows/s | DuckDB read_csv | rows/s | Scrutiny `report quarterly` | DuckDB same table | figures checked equal |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['name']} | {r['rows']:,} | {r['megabytes']:,.0f} | {r['import_seconds']:.2f} s | {r['rows'] / r['import_seconds']:,.0f} "
              f"| {r['duck_load_seconds']:.2f} s | {r['rows'] / r['duck_load_seconds']:,.0f} "
              f"| {r['report_seconds'] * 1000:.0f} ms | {r['duck_report_seconds'] * 1000:.0f} ms | {r['checked']} cells |")
    if police:
        print(f"| police.uk Kent, 13 months (street CSV) | {police['rows']:,} | {police['megabytes']:,.0f} | {police['import_seconds']:.2f} s "
              f"| {police['rows'] / police['import_seconds']:,.0f} | {police['duck_load_seconds']:.2f} s | {police['rows'] / police['duck_load_seconds']:,.0f} | | | |")


if __name__ == "__main__":
    main()
