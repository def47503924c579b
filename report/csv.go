package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/tiering"
)

// The header rows of the CSV tables of a report. The package
// documentation says what each column holds.
var (
	daysHeader      = []string{"group", "date", "members", "speakers", "messages", "joins", "leaves", "activity"}
	retentionHeader = []string{"group", "day", "date", "joined", "retained", "rate", "complete"}
	tiersHeader     = []string{"group", "at", "violator", "core", "active", "new", "lurker", "casual", "total"}
	termsHeader     = []string{"group", "rank", "term", "count"}
)

// WriteCSV writes the report's tables as CSV files in dir, which must
// exist: days.csv, retention.csv, tiers.csv and terms.csv, each with a
// header row. A file of that name is replaced.
func (r *Report) WriteCSV(dir string) error {
	for _, table := range []struct {
		name  string
		write func(io.Writer) error
	}{{"days.csv", r.DaysCSV}, {"retention.csv", r.RetentionCSV}, {"tiers.csv", r.TiersCSV}, {"terms.csv", r.TermsCSV}} {
		path := filepath.Join(dir, table.name)
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		err = table.write(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("report: %s: %w", path, err)
		}
	}
	return nil
}

// DaysCSV writes days.csv: one row per group and calendar day.
func (r *Report) DaysCSV(w io.Writer) error {
	return writeCSV(w, daysHeader, func(emit func(...string)) {
		for _, g := range r.Groups {
			for _, d := range g.Days {
				emit(g.Group, date(d.Date), itoa(d.Members), itoa(d.Speakers), itoa(d.Messages),
					itoa(d.Joins), itoa(d.Leaves), share(d.Activity))
			}
		}
	})
}

// RetentionCSV writes retention.csv: one row per group, day N and cohort,
// N in the order of Options.RetentionDays.
func (r *Report) RetentionCSV(w io.Writer) error {
	return writeCSV(w, retentionHeader, func(emit func(...string)) {
		for _, g := range r.Groups {
			for _, n := range retentionKeys(g) {
				for _, c := range g.Retention[n] {
					emit(g.Group, n, date(c.Date), itoa(c.Joined), itoa(c.Retained), share(c.Rate),
						strconv.FormatBool(c.Complete))
				}
			}
		}
	})
}

// TiersCSV writes tiers.csv: one row per group.
func (r *Report) TiersCSV(w io.Writer) error {
	return writeCSV(w, tiersHeader, func(emit func(...string)) {
		for _, g := range r.Groups {
			row := []string{g.Group, g.TiersAt.Format(time.RFC3339Nano)}
			for _, t := range tiering.Tiers() {
				row = append(row, itoa(g.Tiers.Of(t)))
			}
			emit(append(row, itoa(g.Tiers.Total()))...)
		}
	})
}

// TermsCSV writes terms.csv: one row per group and frequent term, most
// frequent first.
func (r *Report) TermsCSV(w io.Writer) error {
	return writeCSV(w, termsHeader, func(emit func(...string)) {
		for _, g := range r.Groups {
			for i, t := range g.Terms {
				emit(g.Group, itoa(i+1), t.Text, itoa(t.Count))
			}
		}
	})
}

func writeCSV(w io.Writer, header []string, rows func(emit func(...string))) error {
	cw := csv.NewWriter(w)
	var err error
	emit := func(row ...string) {
		if err == nil {
			err = cw.Write(row)
		}
	}
	emit(header...)
	rows(emit)
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return err
}

// retentionKeys returns the day numbers of g's cohorts, in increasing
// order.
func retentionKeys(g Group) []string {
	ns := make([]int, 0, len(g.Retention))
	for k := range g.Retention {
		if n, err := strconv.Atoi(k); err == nil {
			ns = append(ns, n)
		}
	}
	slices.Sort(ns)
	keys := make([]string, len(ns))
	for i, n := range ns {
		keys[i] = strconv.Itoa(n)
	}
	return keys
}

// date writes a day's local midnight as its calendar date.
func date(t time.Time) string { return t.Format(time.DateOnly) }

func itoa(n int) string { return strconv.Itoa(n) }

// share writes a ratio as a decimal fraction with the shortest exact form
// of its float64 ("0.0666..." for 6/90), or "" when it is undefined, which
// spreadsheets and pandas read as a missing value.
func share(r qunops.Ratio) string {
	v, ok := r.Float()
	if !ok {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
