package main

import (
	"strings"
	"testing"
)

func TestScriptedMorning(t *testing.T) {
	var b strings.Builder
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	has := func(reason, want string) {
		t.Helper()
		if !strings.Contains(out, want) {
			t.Errorf("%s: output lacks %q:\n%s", reason, want, out)
		}
	}
	// F5, F18: three joins within a minute of each other get one welcome,
	// a minute after the last join.
	has("batched welcome", "03-02 08:01:40  welcome   wxid_li,wxid_chen,wxid_zhou [welcome]")
	if n := strings.Count(out, " welcome "); n != 1 {
		t.Errorf("%d welcomes, want 1", n)
	}
	// F34: the second warning removes and blacklists, through the spaces
	// and symbols of 加 微 信 and 加*微*信 (rules/keyword with SkipNoise).
	has("first warning", "08:05:00  warn      wxid_zhou [keyword]")
	has("second warning", "08:06:00  warn      wxid_zhou [keyword]")
	has("removal", "08:06:00  remove    wxid_zhou [keyword]")
	has("blacklist", "08:06:00  blacklist wxid_zhou [keyword]")
	// The blacklist survives the restart: the rejoin is removed and the
	// first admin told.
	has("restart", "--- restart:")
	has("rejoin removed", "08:30:00  remove    wxid_zhou [blacklist]")
	has("admin told", "08:30:00  notify    wxid_admin1 [blacklist]")
	// F9, F41: the report notifies the first admin, escalates to the second
	// after 15 minutes, and the resolve at 09:20 stops the ladder.
	has("dispute opened", "09:00:00  notify    wxid_admin1 [dispute]")
	has("escalated after 15 minutes", "09:15:00  escalate  wxid_admin2 [dispute]")
	if strings.Contains(out, "wxid_admin3 [dispute]") {
		t.Error("the dispute escalated past its resolve")
	}
	// F5: 阿陈 does not fit 【城市-昵称】 and gets one reminder a day after
	// joining; 上海-小李 fits and gets none.
	has("reminder", "03-03 08:00:20  remind    wxid_chen [nickname]")
	if strings.Contains(out, "remind    wxid_li") {
		t.Error("a fitting nickname got a reminder")
	}
}
