package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"
)

// TestDefaultsCiteTheirSource (issue 19, "Citations that claim figures
// they do not give"): the doc comment of every Default constant of
// policy.go either cites the seed figure that gives its number or says the
// number is ours, and the ones the seed has no number for say "ours" and
// cite no figure as their source. The lists below are read from
// shared/seed/FIGURES.md: F34 gives 2 warnings, F9 15 minutes, F18 the 24
// hours of the welcome, F23 50 messages a day; the rest have no number in
// the seed.
func TestDefaultsCiteTheirSource(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "policy.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		prev := ""
		for _, spec := range g.Specs {
			v := spec.(*ast.ValueSpec)
			doc := prev // a spec without a doc shares the one above ("X and Y define...")
			if v.Doc != nil {
				doc = v.Doc.Text()
			} else if g.Doc != nil && len(g.Specs) == 1 {
				doc = g.Doc.Text()
			}
			prev = doc
			for _, n := range v.Names {
				if strings.HasPrefix(n.Name, "Default") {
					docs[n.Name] = strings.Join(strings.Fields(doc), " ")
				}
			}
		}
	}
	seed := map[string]string{
		"DefaultWarnLimit": "F34", "DefaultDisputeSLA": "F9", "DefaultWelcomeMax": "F18", "DefaultDailyPostsMax": "F23",
		"DefaultNickname": "F5",
	}
	ours := []string{"DefaultWarnTTL", "DefaultFloodMessages", "DefaultFloodWindow", "DefaultRepeatMessages",
		"DefaultRepeatWindow", "DefaultWelcomeWindow", "DefaultNicknameGrace", "DefaultReplyCooldown",
		"DefaultGroupReplyCooldown", "DefaultDailyReportsMax", "DefaultRemoveCooldown", "DefaultMaxSkew",
		"DefaultDedupeWindow", "DefaultInviteMax", "DefaultInviteWindow", "DefaultAlertCooldown",
		"DefaultPassphraseWindow", "DefaultReviewTimeout"}
	cites := regexp.MustCompile(`seeds? F\d+`)
	saysOurs := regexp.MustCompile(`(?i)\bours\b`)
	for name, doc := range docs {
		if name == "DefaultLanguage" {
			continue // a language, not a number
		}
		if !cites.MatchString(doc) && !saysOurs.MatchString(doc) {
			t.Errorf("%s cites no figure and does not say ours: %q", name, doc)
		}
	}
	for name, fig := range seed {
		if !strings.Contains(docs[name], "seed "+fig) {
			t.Errorf("%s should cite seed %s: %q", name, fig, docs[name])
		}
	}
	for _, name := range ours {
		doc, ok := docs[name]
		switch {
		case !ok:
			t.Errorf("%s: no such constant in policy.go", name)
		case !saysOurs.MatchString(doc):
			t.Errorf("%s has no seed number but does not say ours: %q", name, doc)
		case regexp.MustCompile(`\(seeds? F\d+(, F\d+)*\)\.?$`).MatchString(doc):
			t.Errorf("%s ends citing a figure as its source: %q", name, doc)
		}
	}
}
