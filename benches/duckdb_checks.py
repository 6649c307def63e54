#!/usr/bin/env python3
"""The regaudit rule set over a `regaudit synth` register, written by hand as
DuckDB SQL: what an auditor would otherwise do. Prints one `RULE count` line
per rule and the elapsed seconds, for benches/run.sh to compare.

Usage: duckdb_checks.py SYNTH_DIR AS_OF [THREADS]
"""
import sys
import time
import tomllib
from pathlib import Path

import duckdb

synth = Path(sys.argv[1])
as_of = sys.argv[2]
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
repo = Path(__file__).resolve().parent.parent

lexicon = tomllib.loads((repo / "rules/lexicon/health.toml").read_text())
health_re = "(?i)\\b(?:(?:%s)\\w*|(?:%s)\\b)" % (
    "|".join(lexicon["stems"]),
    "|".join(lexicon["words"]),
)

start = time.perf_counter()
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
con.execute(f"""
CREATE MACRO century(s) AS CASE WHEN s = '+' THEN '18'
    WHEN s IN ('-', 'Y', 'X', 'W', 'V', 'U') THEN '19' ELSE '20' END;
CREATE MACRO hetu_birth(h) AS
    try_strptime(substr(h, 1, 4) || century(upper(substr(h, 7, 1))) || substr(h, 5, 2), '%d%m%Y');
CREATE MACRO hetu_valid(h) AS
    regexp_full_match(h, '\\d{{6}}[-+ABCDEFYXWVUabcdefyxwvu]\\d{{3}}[0-9A-Ya-y]')
    AND CAST(substr(h, 8, 3) AS INTEGER) >= 2
    AND hetu_birth(h) IS NOT NULL
    AND substr('0123456789ABCDEFHJKLMNPRSTUVWXY',
               CAST(CAST(substr(h, 1, 6) || substr(h, 8, 3) AS BIGINT) % 31 AS INTEGER) + 1, 1)
        = upper(substr(h, 11, 1));
CREATE MACRO fi_date(d) AS coalesce(try_strptime(d, '%Y-%m-%d'), try_strptime(d, '%d.%m.%Y'));
CREATE MACRO yes(v) AS lower(trim(coalesce(v, ''))) IN ('kyllä', 'kylla', 'k', 'yes', 'y', 'true', 'x', '1');
CREATE TABLE r AS SELECT * FROM read_csv('{synth / "register.csv"}', header = true, all_varchar = true);
CREATE TABLE ev AS SELECT * FROM read_csv('{synth / "events.csv"}', header = true, all_varchar = true);
CREATE TABLE bans AS SELECT * FROM read_csv('{synth / "bans.csv"}', header = true, all_varchar = true);
""")

basis = """CASE lower(trim(oikeusperuste))
    WHEN 'sopimus' THEN 'contract' WHEN 'asiakassuhde' THEN 'contract' WHEN 'contract' THEN 'contract'
    WHEN 'suostumus' THEN 'consent' WHEN 'consent' THEN 'consent'
    WHEN 'oikeutettu etu' THEN 'legitimate_interests'
    WHEN 'lakisääteinen velvoite' THEN 'legal_obligation' ELSE 'unknown' END"""
consent = f"({basis} = 'consent' OR yes(markkinointilupa))"

queries = {
    "ID002": "SELECT count(*) FROM r WHERE henkilötunnus IS NOT NULL AND NOT hetu_valid(trim(henkilötunnus))",
    "ID003": """SELECT coalesce(sum(len(list_filter(
        regexp_extract_all(lisätiedot, '(?:^|[^0-9A-Za-z])(\\d{6}[-+ABCDEFYXWVU]\\d{3}[0-9A-Y])(?:$|[^0-9A-Za-z])', 1),
        lambda x: hetu_valid(x)))), 0) FROM r""",
    "CAT002": f"SELECT count(*) FROM r WHERE regexp_matches(lisätiedot, '{health_re}')",
    "LB001": "SELECT count(*) FROM r WHERE oikeusperuste IS NULL OR trim(oikeusperuste) = ''",
    "LB002": f"SELECT count(*) FROM r WHERE trim(coalesce(oikeusperuste, '')) <> '' AND {basis} NOT IN ('contract', 'consent')",
    "LB003": f"SELECT count(*) FROM r WHERE {consent} AND suostumus_pvm IS NULL AND suostumuksen_lähde IS NULL",
    "LB004": f"""SELECT count(*) FROM r WHERE {consent} AND fi_date(suostumus_pvm) IS NOT NULL
        AND hetu_valid(trim(henkilötunnus))
        AND date_sub('year', hetu_birth(henkilötunnus), fi_date(suostumus_pvm)) BETWEEN 0 AND 12""",
    "RET001": f"SELECT count(*) FROM r WHERE fi_date(asiakkuus_päättyi) + INTERVAL 5 YEAR < DATE '{as_of}'",
    "RET002": f"SELECT count(*) FROM r WHERE fi_date(poistopyyntö_pvm) + INTERVAL 1 MONTH < DATE '{as_of}'",
    "TRF001": "SELECT count(*) FROM r WHERE upper(trim(käsittelymaa)) NOT IN ("
    "'AT','BE','BG','HR','CY','CZ','DK','EE','FI','FR','DE','GR','EL','HU','IE','IT','LV','LT','LU','MT','NL','PL','PT','RO','SK','SI','ES','SE','AX','IS','LI','NO',"
    "'AD','AR','FO','GG','IL','IM','JP','JE','NZ','KR','CH','GB','UY','BR')",
    "ACC001": """SELECT count(*) FILTER (WHERE NOT regexp_full_match(sähköposti, '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+'))
        + count(*) FILTER (WHERE postinumero IS NOT NULL AND NOT regexp_full_match(trim(postinumero), '\\d{5}'))
        + count(*) FILTER (WHERE viimeisin_palvelutapahtuma IS NOT NULL AND fi_date(viimeisin_palvelutapahtuma) IS NULL)
        FROM r""",
    "MKT001": """SELECT count(*) FROM ev e WHERE e.asiakasnumero IN (SELECT asiakasnumero FROM r) AND EXISTS (
        SELECT 1 FROM bans b WHERE b.asiakasnumero = e.asiakasnumero
          AND (b.channel = 'all' OR b.channel = e.channel)
          AND CAST(e.sent_at AS TIMESTAMP) >= CAST(b.banned_at AS TIMESTAMP)
          AND (b.lifted_at IS NULL OR CAST(e.sent_at AS TIMESTAMP) < CAST(b.lifted_at AS TIMESTAMP)))""",
    "MKT002": """SELECT count(*) FROM ev e JOIN r ON r.asiakasnumero = e.asiakasnumero
        WHERE e.channel IN ('email', 'sms') AND coalesce(r.asiakastyyppi, '') NOT ILIKE '%yritys%'
          AND NOT yes(r.markkinointilupa)""",
}
for rule, sql in queries.items():
    (count,) = con.execute(sql).fetchone()
    print(f"{rule} {count}")
print(f"seconds {time.perf_counter() - start:.3f}")
