package report

import "html/template"

// htmlTemplate is the page of WriteHTML. It is written as XHTML-compatible
// HTML (every element closed, no named entities beyond XML's) so that
// encoding/xml can read it; the CSS keeps one column on narrow screens
// (phones, where operators read their groups) and lets wide tables scroll
// instead of widening the page.
var htmlTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>qunops report</title>
<style>
body { font-family: system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; margin: 0; padding: 0 12px 24px; color: #222; background: #f6f6f6; line-height: 1.4; }
h1 { font-size: 1.4em; margin: 16px 0 4px; }
h2 { font-size: 1.2em; margin: 0 0 4px; overflow-wrap: anywhere; }
h3 { font-size: 1em; margin: 16px 0 6px; }
nav a { margin-right: 12px; overflow-wrap: anywhere; }
.group { background: white; border-radius: 8px; padding: 12px; margin: 16px 0; box-shadow: 0 1px 3px rgba(0,0,0,0.12); }
.meta { color: #666; margin: 0 0 8px; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 24px; }
.grid .wide { grid-column: 1 / -1; }
figure { margin: 8px 0; }
figure svg { display: block; width: 100%; height: auto; }
figcaption, .note { color: #666; font-size: 0.9em; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
td.check { text-align: left; white-space: normal; }
.status { font-weight: bold; border-radius: 4px; padding: 1px 6px; }
.pass { color: #135e13; background: #dff3df; }
.fail { color: #8a1010; background: #fadddd; }
.excellent { color: #135e13; background: #dff3df; }
.below-excellent { color: #7a5200; background: #fdf0d5; }
.undefined { color: #555; background: #e8e8e8; }
.bar { background: #1f77b4; height: 12px; min-width: 1px; }
td.barcell { width: 60%; }
ol.terms { padding-left: 1.6em; margin: 0; }
ol.terms li { overflow-wrap: anywhere; }
@media (max-width: 600px) {
  .grid { grid-template-columns: minmax(0, 1fr); }
  body { padding: 0 6px 16px; }
  .group { padding: 8px; }
}
</style>
</head>
<body>
<h1>qunops report</h1>
<p class="meta">{{len .Groups}} groups; calendar days in {{.TZ}}; report version {{.V}}. The figures cite the seed (F25 activity, F26 retention, F30 alerts, F31-F34 tiers).</p>
{{- if .Groups}}
<nav>{{range .Groups}}<a href="#{{.Anchor}}">{{.ID}}</a> {{end}}</nav>
{{- else}}
<p>No events.</p>
{{- end}}
{{range .Groups}}
<section class="group" id="{{.Anchor}}" data-group="{{.ID}}">
<h2>{{.ID}}{{with .Name}} {{.}}{{end}}</h2>
<p class="meta">{{.Kind}} group{{if .NDays}}, {{.From}} to {{.To}}, {{.NDays}} days{{end}}{{with .TZ}}; calendar days in {{.}}{{end}}{{with .Excluded}}; left out of every figure but the message volume: {{.}}{{end}}</p>
<div class="grid">
<div data-section="verdicts">
<h3>Health verdicts ({{.Kind}} group, whole period)</h3>
{{- if .Verdicts}}
<div class="scroll"><table>
<tr><th>figure</th><th>check</th><th>status</th></tr>
{{- range .Verdicts}}
<tr><td>{{.Figure}}</td><td class="check">{{.Check}}</td><td><span class="status {{.Status}}" data-status="{{.Status}}">{{.Status}}</span></td></tr>
{{- end}}
</table></div>
{{- else}}
<p class="note">No verdicts: the group has no days.</p>
{{- end}}
</div>
<div data-section="alerts">
<h3>Low-activity alerts (F30)</h3>
{{- if .Alerts}}
<ul>{{range .Alerts}}<li>{{.}}</li>{{end}}</ul>
{{- else}}
<p class="note">None.</p>
{{- end}}
</div>
{{- if .Activity}}
<figure data-chart="activity">{{.Activity}}<figcaption>Share of members who spoke each day; dashed: the F25 threshold of the group's kind (if it has one) and the F30 alert threshold; shaded: alert runs. A day without members is drawn at 0.</figcaption></figure>
<figure data-chart="members">{{.Members}}<figcaption>Members present each day; joins and leaves per day.</figcaption></figure>
{{- else}}
<p class="note" data-chart="activity">No days to draw.</p>
<p class="note" data-chart="members">No days to draw.</p>
{{- end}}
{{- if .Retention}}
<figure data-chart="retention">{{.Retention}}<figcaption>Share of each day's joiners still present N days later, over the cohorts where every N is known; the cohort table below lists all.</figcaption></figure>
{{- else}}
<p class="note" data-chart="retention">No complete retention cohort yet.</p>
{{- end}}
<div data-chart="tiers">
<h3>Tiers{{if .TiersAt}} over the 7 days to {{.TiersAt}}{{end}} (F31-F34)</h3>
<div class="scroll"><table>
<tr><th>tier</th><th>members</th><th>of {{.TiersTotal}}</th></tr>
{{- range .Tiers}}
<tr data-tier="{{.Name}}"><td>{{.Name}}</td><td>{{.Count}}</td><td class="barcell"><div class="bar" style="width: {{printf "%.1f" .Width}}%"></div></td></tr>
{{- end}}
</table></div>
</div>
<div data-section="terms">
<h3>Frequent terms of the last 7 days (F29)</h3>
{{- if .Terms}}
<ol class="terms">{{range .Terms}}<li><span class="term">{{.Text}}</span> {{.Count}}</li>{{end}}</ol>
{{- else}}
<p class="note">None.</p>
{{- end}}
</div>
<div class="wide" data-section="days">
<h3>Days</h3>
<div class="scroll"><table>
<tr><th>date</th><th>members</th><th>speakers</th><th>messages</th><th>joins</th><th>leaves</th><th>activity</th></tr>
{{- range .Days}}
<tr><td>{{.Date}}</td><td>{{.Members}}</td><td>{{.Speakers}}</td><td>{{.Messages}}</td><td>{{.Joins}}</td><td>{{.Leaves}}</td><td>{{.Activity}}</td></tr>
{{- end}}
</table></div>
</div>
<div class="wide" data-section="cohorts">
<h3>Retention by join day (F26; - means not yet observable)</h3>
<div class="scroll"><table>
<tr><th>joined on</th><th>joined</th>{{range .RetentionNs}}<th>day {{.}}</th>{{end}}</tr>
{{- range .Cohorts}}
<tr><td>{{.Date}}</td><td>{{.Joined}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{- else}}
<tr><td>(no joins)</td></tr>
{{- end}}
</table></div>
</div>
</div>
</section>
{{- end}}
</body>
</html>
`))
