package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRunFlags(t *testing.T) {
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(policy, []byte(`{"admins":["a1"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"warn_limt":2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		code int
		out  string
	}{
		{"-h prints the usage", []string{"-h"}, nil, exitOK, "-transport telegram|onebot -policy policy.json -state DIR"},
		{"-h does not print a token from the environment", []string{"-h"}, map[string]string{"QUNOPS_TELEGRAM_TOKEN": "42:SECRET"}, exitOK, "$QUNOPS_TELEGRAM_TOKEN"},
		{"no transport", []string{"-policy", policy, "-state", dir}, nil, exitUsage, `-transport "" must be telegram or onebot`},
		{"no policy", []string{"-transport", "onebot", "-state", dir}, nil, exitUsage, "-policy is required"},
		{"telegram without a token", []string{"-transport", "telegram", "-policy", policy, "-state", dir}, nil, exitUsage, "QUNOPS_TELEGRAM_TOKEN"},
		{"onebot without a URL", []string{"-transport", "onebot", "-policy", policy, "-state", dir}, nil, exitUsage, "QUNOPS_ONEBOT_API"},
		{"a policy with a misspelt key", []string{"-transport", "onebot", "-policy", bad, "-state", dir},
			map[string]string{"QUNOPS_ONEBOT_API": "http://127.0.0.1:1/"}, exitError, "warn_limt"},
		{"an empty list of title notices", []string{"-transport", "onebot", "-policy", policy, "-state", dir, "-onebot-title-notices", " , "},
			map[string]string{"QUNOPS_ONEBOT_API": "http://127.0.0.1:1/"}, exitUsage, "no notice type given"},
		{"a title notice with a prefix", []string{"-transport", "onebot", "-policy", policy, "-state", dir, "-onebot-title-notices", "group_name_update,qq.group_name"},
			map[string]string{"QUNOPS_ONEBOT_API": "http://127.0.0.1:1/"}, exitError, `"qq.group_name" is not a detail_type`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			code := run(context.Background(), c.args, &out, env(c.env))
			if strings.Contains(out.String(), "SECRET") {
				t.Errorf("the token is in the output:\n%s", out.String())
			}
			if code != c.code || !strings.Contains(out.String(), c.out) {
				t.Errorf("exit %d, output:\n%s\nwant exit %d and %q", code, out.String(), c.code, c.out)
			}
		})
	}
}

// TestTitleNoticesFlag: the list is split at commas and trimmed; without
// the flag the adapter's default applies.
func TestTitleNoticesFlag(t *testing.T) {
	env := env(map[string]string{"QUNOPS_ONEBOT_API": "http://127.0.0.1:1/"})
	base := []string{"-transport", "onebot", "-policy", "p.json", "-state", "d"}
	c, err := parse(append(base, "-onebot-title-notices", " group_rename , x_title"), io.Discard, env)
	if err != nil || !slices.Equal(c.obTitles, []string{"group_rename", "x_title"}) {
		t.Errorf("parse = %q, %v; want [group_rename x_title]", c.obTitles, err)
	}
	if c, err := parse(base, io.Discard, env); err != nil || c.obTitles != nil {
		t.Errorf("without the flag: %q, %v; want nil (the default)", c.obTitles, err)
	}
}

// TestTokenNotLogged: a bot that starts and stops logs nothing of its token.
func TestTokenNotLogged(t *testing.T) {
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(policy, []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	const token = "42:SECRET-abc"
	code := run(ctx, []string{"-transport", "telegram", "-policy", policy, "-state", filepath.Join(dir, "state")}, &out,
		env(map[string]string{"QUNOPS_TELEGRAM_TOKEN": token, "QUNOPS_TELEGRAM_API": "http://127.0.0.1:1"}))
	if code != exitOK {
		t.Errorf("exit %d, output:\n%s", code, out.String())
	}
	if strings.Contains(out.String(), "SECRET") {
		t.Errorf("the token is in the output:\n%s", out.String())
	}
}
