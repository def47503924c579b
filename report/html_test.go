package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/sample"
	"github.com/qunops/qunops/tiering"
)

// node is an element of a page read by encoding/xml: enough of a DOM to
// check the page's structure without an HTML parser in the core module.
type node struct {
	name     string
	attr     map[string]string
	children []*node
	text     string // the text directly inside, unescaped
}

func parsePage(t *testing.T, page []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	root := &node{name: "#document"}
	stack := []*node{root}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the page is not well-formed XML: %v", err)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(tok)
		}
	}
	if len(stack) != 1 {
		t.Fatalf("%d elements left open", len(stack)-1)
	}
	return root
}

// all returns the elements under n (n included) for which keep is true,
// in document order.
func (n *node) all(keep func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		if keep(m) {
			out = append(out, m)
		}
		for _, c := range m.children {
			walk(c)
		}
	}
	walk(n)
	return out
}

func withAttr(key, value string) func(*node) bool {
	return func(m *node) bool { v, ok := m.attr[key]; return ok && (value == "" || v == value) }
}

func named(name string) func(*node) bool { return func(m *node) bool { return m.name == name } }

// textOf is the text of n and everything under it.
func (n *node) textOf() string {
	s := n.text
	for _, c := range n.children {
		s += c.textOf()
	}
	return s
}

func sampleReport(t *testing.T) *Report {
	t.Helper()
	b := mustNew(t, Options{Groups: sampleGroups()})
	addAll(t, b, sample.Events())
	rep, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestHTMLSampleStructure reads the page of the sample month as XML and
// checks, per group of the report, that every chart and section is there
// with the report's figures: the verdicts with their statuses, an alert
// band per F30 alert, the tiers in the tier order, the terms in order.
func TestHTMLSampleStructure(t *testing.T) {
	rep := sampleReport(t)
	var buf bytes.Buffer
	if err := rep.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, banned := range []string{"http://", "https://", "<script", "<link", "@import", "url("} {
		if strings.Contains(page, banned) {
			t.Errorf("the page contains %q: it must not reach outside the file", banned)
		}
	}
	root := parsePage(t, buf.Bytes())
	if vp := root.all(withAttr("name", "viewport")); len(vp) != 1 || !strings.Contains(vp[0].attr["content"], "width=device-width") {
		t.Error("no viewport meta tag for phones")
	}
	if css := root.all(named("style")); len(css) != 1 || !strings.Contains(css[0].text, "@media (max-width: 600px)") {
		t.Error("no inline stylesheet with a narrow-screen rule")
	}
	sections := root.all(withAttr("data-group", ""))
	if len(sections) != len(rep.Groups) || len(rep.Groups) != 3 {
		t.Fatalf("%d group sections for %d groups (the sample has 3)", len(sections), len(rep.Groups))
	}
	alerts := 0
	for i, g := range rep.Groups {
		sec := sections[i]
		if sec.attr["data-group"] != g.Group {
			t.Errorf("section %d is group %q, want %q", i, sec.attr["data-group"], g.Group)
			continue
		}
		for _, c := range []string{"activity", "members", "retention", "tiers"} {
			charts := sec.all(withAttr("data-chart", c))
			if len(charts) != 1 {
				t.Errorf("%s: %d data-chart=%q, want 1", g.Group, len(charts), c)
				continue
			}
			if c == "tiers" {
				continue
			}
			svgs := charts[0].all(named("svg"))
			if len(svgs) != 1 || !strings.HasPrefix(svgs[0].attr["viewBox"], "0 0 ") {
				t.Errorf("%s: chart %q has no SVG with a viewBox", g.Group, c)
			}
		}
		for _, s := range []string{"verdicts", "alerts", "terms", "days", "cohorts"} {
			if n := len(sec.all(withAttr("data-section", s))); n != 1 {
				t.Errorf("%s: %d data-section=%q, want 1", g.Group, n, s)
			}
		}
		var want, got []string
		for _, v := range g.Verdicts {
			want = append(want, v.Status.String())
		}
		for _, s := range sec.all(withAttr("data-status", "")) {
			got = append(got, s.attr["data-status"]+"/"+s.textOf())
			if !strings.Contains(s.attr["class"], s.attr["data-status"]) {
				t.Errorf("%s: status %q is not styled as such (class %q)", g.Group, s.attr["data-status"], s.attr["class"])
			}
		}
		for k := range want {
			want[k] += "/" + want[k]
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: verdict statuses %q, want %q", g.Group, got, want)
		}
		bands := sec.all(withAttr("class", "band"))
		if len(bands) != len(g.Alerts) {
			t.Errorf("%s: %d alert bands in the activity chart, want one per alert (%d)", g.Group, len(bands), len(g.Alerts))
		}
		alerts += len(g.Alerts)
		var tiers []string
		for _, row := range sec.all(withAttr("data-tier", "")) {
			tiers = append(tiers, row.attr["data-tier"]+" "+row.children[1].textOf())
		}
		var wantTiers []string
		for _, tr := range tiering.Tiers() {
			wantTiers = append(wantTiers, fmt.Sprintf("%s %d", tr, g.Tiers.Of(tr)))
		}
		if !slices.Equal(tiers, wantTiers) {
			t.Errorf("%s: tier rows %q, want %q", g.Group, tiers, wantTiers)
		}
		var terms, wantTerms []string
		for _, n := range sec.all(withAttr("class", "term")) {
			terms = append(terms, n.textOf())
		}
		for _, tm := range g.Terms {
			wantTerms = append(wantTerms, tm.Text)
		}
		if !slices.Equal(terms, wantTerms) {
			t.Errorf("%s: terms %q, want %q", g.Group, terms, wantTerms)
		}
		// The retention chart has a point per cohort whose every day N is
		// known (complete, with a rate), the table a row per join day.
		known := 0
		for _, c := range g.Retention["1"] {
			ok := true
			for _, n := range []string{"1", "3", "7"} {
				i := slices.IndexFunc(g.Retention[n], func(o metrics.Cohort) bool { return o.Date.Equal(c.Date) })
				ok = ok && i >= 0 && g.Retention[n][i].Complete && g.Retention[n][i].Rate.Defined()
			}
			if ok {
				known++
			}
		}
		lines := sec.all(withAttr("data-chart", "retention"))[0].all(named("polyline"))
		if len(lines) != 3 {
			t.Errorf("%s: %d retention lines, want days 1, 3 and 7", g.Group, len(lines))
		}
		for _, l := range lines {
			if n := len(strings.Fields(l.attr["points"])); n != known {
				t.Errorf("%s: retention line of %d points, want %d (cohorts with every rate known)", g.Group, n, known)
			}
		}
		if rows := sec.all(withAttr("data-section", "cohorts"))[0].all(named("tr")); len(rows) != len(g.Retention["1"])+1 {
			t.Errorf("%s: %d rows in the cohort table, want a header and %d join days", g.Group, len(rows), len(g.Retention["1"]))
		}
		days := sec.all(withAttr("data-section", "days"))[0].all(named("tr"))
		if len(days) != len(g.Days)+1 {
			t.Errorf("%s: %d rows in the days table, want a header and %d days", g.Group, len(days), len(g.Days))
		}
	}
	if alerts == 0 {
		t.Error("the sample has an F30 alert (group 20003); the test would not see a missing band")
	}
}

// TestHTMLEscapesLogStrings: group IDs and terms come from the log, i.e.
// from anyone in the group; markup in them must come out as text.
func TestHTMLEscapesLogStrings(t *testing.T) {
	const id = `<script>alert("id")</script>@chatroom`
	const term = `<script>alert('term')</script>&amp;`
	loc := qunops.DefaultLocation()
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, loc)
	rep := &Report{V: Version, TZ: loc.String(), Groups: []Group{{
		Group: id, Kind: metrics.Interest,
		Days: []metrics.Day{{Date: day, Members: 3, Speakers: 1, Messages: 2, Activity: qunops.Ratio{Num: 1, Den: 3}},
			{Date: day.AddDate(0, 0, 1), Members: 3, Speakers: 1, Messages: 2, Activity: qunops.Ratio{Num: 1, Den: 3}}},
		Retention: map[string][]metrics.Cohort{}, TiersAt: day.Add(30 * time.Hour),
		Alerts: []metrics.Alert{}, Verdicts: []metrics.Verdict{},
		Terms: []metrics.Term{{Text: term, Count: 2}},
	}}}
	var buf bytes.Buffer
	if err := rep.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, "<script") {
		t.Errorf("a string of the log came out as markup:\n%s", page)
	}
	if !strings.Contains(page, "&lt;script&gt;") {
		t.Error("the escaped form of the log's <script> is missing")
	}
	// Read back, the text is the log's, character for character.
	root := parsePage(t, buf.Bytes())
	secs := root.all(withAttr("data-group", ""))
	if len(secs) != 1 || secs[0].attr["data-group"] != id {
		t.Fatalf("group attribute does not read back as %q", id)
	}
	if h := secs[0].all(named("h2")); len(h) != 1 || h[0].textOf() != id {
		t.Errorf("heading does not read back as %q", id)
	}
	if ts := secs[0].all(withAttr("class", "term")); len(ts) != 1 || ts[0].textOf() != term {
		t.Errorf("term does not read back as %q", term)
	}
}

// TestHTMLEmptyGroupsAndReport: a report without events and a group
// without days (a Report a program made) give a page, with a note where a
// chart cannot be drawn, rather than an error.
func TestHTMLEmptyGroupsAndReport(t *testing.T) {
	for name, rep := range map[string]*Report{
		"no groups": {V: Version, TZ: "Asia/Shanghai", Groups: []Group{}},
		"no days":   {V: Version, TZ: "Asia/Shanghai", Groups: []Group{{Group: "1@chatroom", Kind: metrics.Service}}},
	} {
		var buf bytes.Buffer
		if err := rep.WriteHTML(&buf); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		root := parsePage(t, buf.Bytes())
		if n := len(root.all(named("svg"))); n != 0 {
			t.Errorf("%s: %d charts drawn without days", name, n)
		}
		for _, g := range rep.Groups {
			for _, c := range []string{"activity", "members", "retention", "tiers"} {
				if len(root.all(withAttr("data-chart", c))) != 1 {
					t.Errorf("%s: %s: no placeholder for chart %q", name, g.Group, c)
				}
			}
		}
	}
}
