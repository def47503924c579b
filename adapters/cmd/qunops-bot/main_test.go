package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
