#!/usr/bin/env python3
"""Prints one register's benchmark figures for benches/run.sh: wall time,
rows/s, MB/s and peak RSS of each tool, findings per second and report bytes,
the ratio regaudit/DuckDB against its target, and the per-rule finding counts
of both side by side (they must agree)."""
import json
import os
import sys

n, mb, d, repeat = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
ra_s, ra_kb, dd_s, dd_kb, cat_s, cat_kb, rg_s, rg_kb, read_s, read_kb = map(float, sys.argv[5:15])

# The summary sits at the end of the report: read the tail, not 500 MB of findings.
with open(f"{d}/report.json", "rb") as f:
    f.seek(0, os.SEEK_END)
    size = f.tell()
    f.seek(max(0, size - 4_000_000))
    tail = f.read().decode("utf-8", "replace")
summary = json.loads("{" + tail[tail.rindex('"summary"'):tail.rindex('"inputs"')].rstrip().rstrip(",") + "}")["summary"]
ours = summary["by_rule"]
theirs = dict(line.split() for line in open(f"{d}/duckdb.txt") if not line.startswith("seconds"))
total = summary["total"]
heavy = d.endswith("-heavy")
target = 0.75 if heavy else 0.5

print(f"\n== {n:,} rows, {'findings-heavy' if heavy else 'findings-light'} register ({mb} MB CSV), "
      f"{total:,} findings, JSON report {size / 1e6:.0f} MB")
print(f"{'tool':<32}{'wall s':>9}{'rows/s':>12}{'MB/s':>9}{'findings/s':>13}{'peak RSS MiB':>14}")
rows = [("cat > /dev/null", cat_s, cat_kb, None), ("rg (one regex)", rg_s, rg_kb, None),
        ("regaudit, every rule off (read)", read_s, read_kb, None),
        ("regaudit (all rules, JSON)", ra_s, ra_kb, total),
        ("DuckDB SQL (same findings)", dd_s, dd_kb, total)]
for name, s, kb, found in rows:
    fps = f"{found / max(s, 0.01):,.0f}" if found else "—"
    s = max(s, 0.01)  # /usr/bin/time counts in hundredths
    print(f"{name:<32}{s:>9.2f}{n / s:>12,.0f}{mb / s:>9.1f}{fps:>13}{kb / 1024:>14.0f}")
ratio = ra_s / dd_s
print(f"regaudit/DuckDB {ratio:.2f} (target <= {target}; median of {repeat} runs each) "
      f"{'MET' if ratio <= target else 'NOT MET'}; peak RSS {ra_kb / 1024:.0f} MiB "
      f"({'within' if ra_kb <= 1024 * 1024 else 'OVER'} 1 GiB)")
print("findings per rule (regaudit / DuckDB):", ", ".join(
    f"{r} {ours.get(r, 0)}/{theirs.get(r)}" + ("" if ours.get(r, 0) == int(theirs.get(r, -1)) else " DIFFERS")
    for r in sorted(theirs)))
