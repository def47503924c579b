// Package reportcmp computes the daily figures and the retention cohorts of
// an event log twice, with the qunops report library and with SQL in DuckDB,
// as comparable rows: the correctness half of cmd/reportbench, which measures
// the two.
//
// The SQL follows the definitions of package metrics (its package doc,
// Tracker.Days and Tracker.Retention):
//
//   - events whose non-empty ID was already seen in the same group are
//     dropped (qunops keeps the first one added; SQL keeps an arbitrary one,
//     the same thing when duplicates are copies, as in generated logs);
//   - a day is a calendar day in the location (Asia/Shanghai by default),
//     and a group has every day from its first event to its last;
//   - a join makes a member and a leave ends it, at the same instant a join
//     before a leave; a member whose earliest event is not a join (roster,
//     message, leave...) was a member since before the log began;
//   - members of a day = members at the start of the day, plus every member
//     with an event that day (each event is evidence of presence);
//     speakers = distinct members with a message; messages, joins and
//     leaves count events;
//   - the day-N cohort of day D = distinct members with a join on D; one is
//     retained when it is a member at the end of day D+N; a cohort is
//     complete when D+N is not after the group's last day, and its retained
//     count is 0 until then.
package reportcmp

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"github.com/qunops/qunops/report"
)

// RetentionDays are the N of the compared cohorts: the report's default
// (seed F26).
var RetentionDays = report.DefaultRetentionDays()

// A row is one line of the comparison: a day ("day", group, date, members,
// speakers, messages, joins, leaves) or a cohort ("ret", group, N, date,
// joined, retained, complete), tab-separated. Rows sort by group, then date
// (and N), the same way for both engines.
func dayRow(group, date string, members, speakers, messages, joins, leaves int) string {
	return strings.Join([]string{"day", group, date, strconv.Itoa(members), strconv.Itoa(speakers),
		strconv.Itoa(messages), strconv.Itoa(joins), strconv.Itoa(leaves)}, "\t")
}

func retRow(group string, n int, date string, joined, retained int, complete bool) string {
	return strings.Join([]string{"ret", group, strconv.Itoa(n), date, strconv.Itoa(joined),
		strconv.Itoa(retained), strconv.FormatBool(complete)}, "\t")
}

// Rows returns the day and cohort rows of a built report, sorted.
func Rows(rep *report.Report) []string {
	var out []string
	for _, g := range rep.Groups {
		for _, d := range g.Days {
			out = append(out, dayRow(g.Group, d.Date.Format(time.DateOnly), d.Members, d.Speakers, d.Messages, d.Joins, d.Leaves))
		}
		for _, n := range RetentionDays {
			for _, c := range g.Retention[strconv.Itoa(n)] {
				out = append(out, retRow(g.Group, n, c.Date.Format(time.DateOnly), c.Joined, c.Retained, c.Complete))
			}
		}
	}
	slices.Sort(out)
	return out
}

// Qunops builds the whole report of the files (days, retention, tiers,
// terms, verdicts) with workers goroutines per file (0: GOMAXPROCS) and
// returns it with its number of bad lines.
func Qunops(files []string, workers int) (*report.Report, int, error) {
	return report.BuildFiles(files, report.Options{}, report.ReadOptions{Workers: workers})
}

// Open opens an in-memory DuckDB database limited to threads threads.
func Open(threads int) (*sql.DB, error) {
	db, err := sql.Open("duckdb", "?threads="+strconv.Itoa(threads))
	if err != nil {
		return nil, fmt.Errorf("reportcmp: duckdb: %w", err)
	}
	return db, nil
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// query is the SQL of the days and the cohorts. %[1]s is the list of files,
// %[2]s the location's name, %[3]s the list of retention days.
//
// The members at the start of each day are counted from intervals (a
// difference array summed over the days), never by crossing members with
// days; the members present only through their events that day are added by
// an ASOF join that finds each one's state at the start of the day.
const query = `
CREATE OR REPLACE TEMP TABLE ev AS
WITH raw AS (
  SELECT "group" AS g, member AS m, type AS typ, "time" AS ts, id
  FROM read_json(%[1]s, format = 'newline_delimited',
    columns = {"type": 'VARCHAR', "group": 'VARCHAR', "member": 'VARCHAR', "time": 'TIMESTAMPTZ', "id": 'VARCHAR'})
), dedup AS (
  SELECT * FROM raw WHERE id IS NULL OR id = ''
  UNION ALL
  SELECT * FROM raw WHERE id <> '' QUALIFY row_number() OVER (PARTITION BY g, id) = 1
)
SELECT g, m, typ, epoch_us(ts) AS us,
  CAST(timezone(%[2]s, ts) AS DATE) AS d
FROM dedup;

CREATE OR REPLACE TEMP TABLE span AS SELECT g, min(d) AS first, max(d) AS last FROM ev GROUP BY g;

-- trans: the end-of-day state of each member on each day with a join or leave.
CREATE OR REPLACE TEMP TABLE trans AS
SELECT g, m, d, arg_max(typ = 'join', us * 2 + CAST(typ = 'leave' AS BIGINT)) AS s
FROM ev WHERE typ IN ('join', 'leave') GROUP BY g, m, d;

-- pre: whether a member was one since before the log began.
CREATE OR REPLACE TEMP TABLE pre AS
SELECT g, m, coalesce(min(us) FILTER (typ <> 'join') < min(us) FILTER (typ = 'join'),
                      min(us) FILTER (typ <> 'join') IS NOT NULL) AS pre
FROM ev GROUP BY g, m;

CREATE OR REPLACE TEMP TABLE days AS
WITH
-- Intervals of days at whose start the member is in: [lo, hi].
seg AS (
  SELECT p.g, sp.first AS lo, coalesce((SELECT min(t.d) FROM trans t WHERE t.g = p.g AND t.m = p.m), sp.last) AS hi
  FROM pre p JOIN span sp USING (g) WHERE p.pre
  UNION ALL
  SELECT t.g, t.d + 1 AS lo, coalesce(lead(t.d) OVER (PARTITION BY t.g, t.m ORDER BY t.d), sp.last) AS hi
  FROM trans t JOIN span sp USING (g) QUALIFY t.s
),
delta AS (
  SELECT g, d, sum(k) AS k FROM (
    SELECT g, lo AS d, 1 AS k FROM seg WHERE lo <= hi
    UNION ALL
    SELECT g, hi + 1 AS d, -1 AS k FROM seg WHERE lo <= hi
  ) GROUP BY g, d
),
cal AS (
  SELECT g, CAST(unnest(generate_series(first, last, INTERVAL 1 DAY)) AS DATE) AS d FROM span
),
inside AS (
  SELECT c.g, c.d, CAST(coalesce(sum(x.k) OVER (PARTITION BY c.g ORDER BY c.d), 0) AS BIGINT) AS n
  FROM cal c LEFT JOIN delta x USING (g, d)
),
counts AS (
  SELECT g, d,
    count(*) FILTER (typ = 'message') AS messages,
    count(DISTINCT m) FILTER (typ = 'message') AS speakers,
    count(*) FILTER (typ = 'join') AS joins,
    count(*) FILTER (typ = 'leave') AS leaves
  FROM ev GROUP BY g, d
),
present AS (SELECT DISTINCT g, m, d FROM ev),
extra AS (
  SELECT pr.g, pr.d, count(*) AS n
  FROM present pr
  ASOF LEFT JOIN trans t ON pr.g = t.g AND pr.m = t.m AND pr.d > t.d
  JOIN pre p ON pr.g = p.g AND pr.m = p.m
  WHERE NOT coalesce(t.s, p.pre)
  GROUP BY pr.g, pr.d
)
SELECT i.g, i.d, i.n + coalesce(e.n, 0) AS members, coalesce(c.speakers, 0) AS speakers,
  coalesce(c.messages, 0) AS messages, coalesce(c.joins, 0) AS joins, coalesce(c.leaves, 0) AS leaves
FROM inside i LEFT JOIN counts c USING (g, d) LEFT JOIN extra e USING (g, d);

CREATE OR REPLACE TEMP TABLE cohorts AS
WITH jd AS (SELECT DISTINCT g, m, d FROM ev WHERE typ = 'join'),
ns AS (SELECT unnest(%[3]s) AS n),
target AS (SELECT jd.g, jd.m, jd.d, ns.n, jd.d + ns.n AS td FROM jd CROSS JOIN ns),
state AS (
  SELECT x.g, x.d, x.n, x.td, t.s
  FROM target x ASOF LEFT JOIN trans t ON x.g = t.g AND x.m = t.m AND x.td >= t.d
)
SELECT st.g, st.n, st.d, count(*) AS joined,
  CASE WHEN st.td <= sp.last THEN count(*) FILTER (st.s) ELSE 0 END AS retained,
  st.td <= sp.last AS complete
FROM state st JOIN span sp USING (g)
GROUP BY st.g, st.n, st.d, st.td, sp.last;
`

// DuckDB computes the rows of the files in db, in the location named loc
// (an IANA name, as Asia/Shanghai).
func DuckDB(ctx context.Context, db *sql.DB, files []string, loc string) ([]string, error) {
	quoted := make([]string, len(files))
	for i, f := range files {
		quoted[i] = sqlString(f)
	}
	ns := make([]string, len(RetentionDays))
	for i, n := range RetentionDays {
		ns[i] = strconv.Itoa(n)
	}
	conn, err := db.Conn(ctx) // temp tables live in one connection
	if err != nil {
		return nil, fmt.Errorf("reportcmp: duckdb: %w", err)
	}
	defer conn.Close()
	defer conn.ExecContext(ctx, `DROP TABLE IF EXISTS ev; DROP TABLE IF EXISTS span; DROP TABLE IF EXISTS trans;
		DROP TABLE IF EXISTS pre; DROP TABLE IF EXISTS days; DROP TABLE IF EXISTS cohorts`)
	q := fmt.Sprintf(query, "["+strings.Join(quoted, ", ")+"]", sqlString(loc), "["+strings.Join(ns, ", ")+"]")
	for _, stmt := range strings.Split(q, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("reportcmp: duckdb: %w\nin: %s", err, stmt)
		}
	}
	var out []string
	rows, err := conn.QueryContext(ctx, `SELECT g, d, members, speakers, messages, joins, leaves FROM days`)
	if err != nil {
		return nil, fmt.Errorf("reportcmp: duckdb: %w", err)
	}
	for rows.Next() {
		var g string
		var d time.Time
		var members, speakers, messages, joins, leaves int
		if err := rows.Scan(&g, &d, &members, &speakers, &messages, &joins, &leaves); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reportcmp: duckdb: days: %w", err)
		}
		out = append(out, dayRow(g, d.Format(time.DateOnly), members, speakers, messages, joins, leaves))
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("reportcmp: duckdb: days: %w", err)
	}
	rows, err = conn.QueryContext(ctx, `SELECT g, n, d, joined, retained, complete FROM cohorts`)
	if err != nil {
		return nil, fmt.Errorf("reportcmp: duckdb: %w", err)
	}
	for rows.Next() {
		var g string
		var n, joined, retained int
		var d time.Time
		var complete bool
		if err := rows.Scan(&g, &n, &d, &joined, &retained, &complete); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reportcmp: duckdb: cohorts: %w", err)
		}
		out = append(out, retRow(g, n, d.Format(time.DateOnly), joined, retained, complete))
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("reportcmp: duckdb: cohorts: %w", err)
	}
	slices.Sort(out)
	return out, nil
}

// Diff returns a description of the first row where a and b differ, or ""
// when they are equal.
func Diff(a, b []string, nameA, nameB string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("row %d: %s has\n  %s\n%s has\n  %s", i+1, nameA, a[i], nameB, b[i])
		}
	}
	switch {
	case len(a) > len(b):
		return fmt.Sprintf("%s has %d rows, %s %d; the first extra: %s", nameA, len(a), nameB, len(b), a[len(b)])
	case len(b) > len(a):
		return fmt.Sprintf("%s has %d rows, %s %d; the first extra: %s", nameB, len(b), nameA, len(a), b[len(a)])
	}
	return ""
}
