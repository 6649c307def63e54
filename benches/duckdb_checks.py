#!/usr/bin/env python3
"""The regaudit rule set over a `regaudit synth` register, written by hand as
DuckDB SQL: what an auditor would otherwise do. Prints one `RULE count` line
per rule and the elapsed seconds, for benches/run.sh to compare.

Usage: duckdb_checks.py SYNTH_DIR AS_OF [THREADS]
"""
import re
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
def alternatives(terms):
    return "|".join(re.escape(t).replace("'", "''") for t in terms)


# The lexicon as one RE2 pattern: stems at a word's start, heads anywhere in a
# compound, whole words; the decoys (company and street names …) are excluded
# by a second pattern.
health_re = "(?i)(?:\\b(?:%s)|(?:%s)|\\b(?:%s)\\b)" % (
    alternatives(lexicon["stems"]),
    alternatives(lexicon.get("heads", [])),
    alternatives(lexicon["words"]),
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
    AND substr(h, 8, 3) >= '002'
    AND substr('0123456789ABCDEFHJKLMNPRSTUVWXY',
               CAST(CAST(substr(h, 1, 6) || substr(h, 8, 3) AS BIGINT) % 31 AS INTEGER) + 1, 1)
        = upper(substr(h, 11, 1))
    -- the costliest test last: a real date for the century sign
    AND hetu_birth(h) IS NOT NULL;
-- Finnish dates: one parser per shape (two failing parsers per value cost 13x).
CREATE MACRO fi_date(d) AS
    CASE WHEN contains(d, '.') THEN try_strptime(d, '%d.%m.%Y') ELSE try_cast(d AS DATE) END;
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

excluded = tomllib.loads((synth / "notice.toml").read_text()).get("categories", {}).get("excluded", [])
hetu_excluded = "user.government_id.national_identification_number" in excluded
code_in_text = "(?:^|[^0-9A-Za-z])(\\d{6}[-+ABCDEFYXWVU]\\d{3}[0-9A-Y])(?:$|[^0-9A-Za-z])"

# One SELECT per rule, each giving one row per finding: (rule, record key, column).
queries = {
    "ID002": "SELECT 'ID002', asiakasnumero, 'henkilötunnus' FROM r "
    "WHERE henkilötunnus IS NOT NULL AND NOT hetu_valid(trim(henkilötunnus))",
    # Codes in free text: ID003 where the notice declares identity codes, ID001 where it excludes them.
    ("ID001" if hetu_excluded else "ID003"): f"""SELECT '{"ID001" if hetu_excluded else "ID003"}', asiakasnumero, 'lisätiedot'
        FROM (SELECT asiakasnumero, unnest(regexp_extract_all(lisätiedot, '{code_in_text}', 1)) AS code
              FROM r WHERE lisätiedot IS NOT NULL)
        WHERE hetu_valid(code)""",
    "CAT002": f"SELECT 'CAT002', asiakasnumero, 'lisätiedot' FROM r WHERE regexp_matches(lisätiedot, '{health_re}')",
    "LB001": "SELECT 'LB001', asiakasnumero, 'oikeusperuste' FROM r WHERE oikeusperuste IS NULL OR trim(oikeusperuste) = ''",
    "LB002": f"SELECT 'LB002', asiakasnumero, 'oikeusperuste' FROM r "
    f"WHERE trim(coalesce(oikeusperuste, '')) <> '' AND {basis} NOT IN ('contract', 'consent')",
    "LB003": f"SELECT 'LB003', asiakasnumero, 'markkinointilupa' FROM r "
    f"WHERE {consent} AND suostumus_pvm IS NULL AND suostumuksen_lähde IS NULL",
    "LB004": f"""SELECT 'LB004', asiakasnumero, 'suostumus_pvm' FROM r WHERE {consent} AND fi_date(suostumus_pvm) IS NOT NULL
        AND hetu_valid(trim(henkilötunnus))
        AND date_sub('year', hetu_birth(henkilötunnus), fi_date(suostumus_pvm)) BETWEEN 0 AND 12""",
    "RET001": f"SELECT 'RET001', asiakasnumero, 'asiakkuus_päättyi' FROM r "
    f"WHERE fi_date(asiakkuus_päättyi) + INTERVAL 5 YEAR < DATE '{as_of}'",
    "RET002": f"SELECT 'RET002', asiakasnumero, 'poistopyyntö_pvm' FROM r "
    f"WHERE fi_date(poistopyyntö_pvm) + INTERVAL 1 MONTH < DATE '{as_of}'",
    "TRF001": "SELECT 'TRF001', asiakasnumero, 'käsittelymaa' FROM r WHERE upper(trim(käsittelymaa)) NOT IN ("
    "'AT','BE','BG','HR','CY','CZ','DK','EE','FI','FR','DE','GR','EL','HU','IE','IT','LV','LT','LU','MT','NL','PL','PT','RO','SK','SI','ES','SE','AX','IS','LI','NO',"
    "'AD','AR','FO','GG','IL','IM','JP','JE','NZ','KR','CH','GB','UY','BR')",
    "ACC001": """SELECT 'ACC001', asiakasnumero, 'sähköposti' FROM r
            WHERE NOT regexp_full_match(sähköposti, '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+')
        UNION ALL SELECT 'ACC001', asiakasnumero, 'postinumero' FROM r
            WHERE postinumero IS NOT NULL AND NOT regexp_full_match(trim(postinumero), '\\d{5}')
        UNION ALL SELECT 'ACC001', asiakasnumero, 'viimeisin_palvelutapahtuma' FROM r
            WHERE viimeisin_palvelutapahtuma IS NOT NULL AND fi_date(viimeisin_palvelutapahtuma) IS NULL""",
    "MKT001": """SELECT 'MKT001', e.asiakasnumero, 'channel' FROM ev e SEMI JOIN r ON r.asiakasnumero = e.asiakasnumero
        WHERE EXISTS (
        SELECT 1 FROM bans b WHERE b.asiakasnumero = e.asiakasnumero
          AND (b.channel = 'all' OR b.channel = e.channel)
          AND e.sent_at >= b.banned_at
          AND (b.lifted_at IS NULL OR e.sent_at < b.lifted_at))""",
    "MKT002": """SELECT 'MKT002', e.asiakasnumero, 'channel' FROM ev e JOIN r ON r.asiakasnumero = e.asiakasnumero
        WHERE e.channel IN ('email', 'sms') AND coalesce(r.asiakastyyppi, '') NOT ILIKE '%yritys%'
          AND NOT yes(r.markkinointilupa)""",
}
if hetu_excluded:
    # ID001 also covers the identity-code column itself.
    queries["ID001"] = ("SELECT 'ID001', asiakasnumero, 'henkilötunnus' FROM r "
        "WHERE hetu_valid(trim(henkilötunnus)) UNION ALL " + queries["ID001"])

findings = synth / "duckdb-findings.parquet"
union = "\nUNION ALL\n".join(f"({sql})" for sql in queries.values())
con.execute(f"COPY (SELECT * FROM ({union}) AS f(rule, record, col)) TO '{findings}' (FORMAT parquet)")
elapsed = time.perf_counter() - start
counts = dict(con.execute(f"SELECT rule, count(*) FROM '{findings}' GROUP BY ALL").fetchall())
for rule in sorted(queries):
    print(f"{rule} {counts.get(rule, 0)}")
print(f"seconds {elapsed:.3f}")
