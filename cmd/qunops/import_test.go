package main

import (
	"io"
	"strings"
	"testing"

	"github.com/qunops/qunops"
)

const (
	chatLabWeek  = "../../ingest/testdata/chatlab/week.json"
	weChatMsg2   = "../../ingest/testdata/wechatmsg-v2/week.csv"
	pyWxDumpWeek = "../../ingest/testdata/pywxdump-json/24681357@chatroom_0_33.json"
	pyWxDumpUser = "../../ingest/testdata/pywxdump-json/users.json"
)

// decodeAll decodes the JSON Lines an import wrote, failing on a bad line.
func decodeAll(t *testing.T, out string) []qunops.Event {
	t.Helper()
	var es []qunops.Event
	d := qunops.NewDecoder(strings.NewReader(out))
	for {
		e, err := d.Decode()
		if err == io.EOF {
			return es
		}
		if err != nil {
			t.Fatalf("import wrote a bad line: %v", err)
		}
		es = append(es, e)
	}
}

// TestImportAutoIsTheDefault covers issue 17's "-from auto (the new
// default)": without -from the format is recognised and named on stderr.
func TestImportAutoIsTheDefault(t *testing.T) {
	for _, tc := range []struct{ file, format string }{
		{chatLabWeek, "chatlab"},
		{"../../ingest/testdata/chatlog.json", "chatlog"},
		{"../../ingest/testdata/pywxdump.csv", "pywxdump"},
	} {
		code, out, errOut := runCmd(t, "", "import", tc.file)
		if code != exitOK && code != exitBad {
			t.Fatalf("%s: exit %d: %s", tc.file, code, errOut)
		}
		if want := tc.file + ": read as " + tc.format + " (-from auto)"; !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
		if len(decodeAll(t, out)) == 0 {
			t.Errorf("%s: no events", tc.file)
		}
	}
	// An explicit -from is not announced.
	if _, _, errOut := runCmd(t, "", "import", "-from", "chatlab", chatLabWeek); strings.Contains(errOut, "read as") {
		t.Errorf("-from chatlab announced the format:\n%s", errOut)
	}
}

func TestImportAutoErrors(t *testing.T) {
	// Not a layout auto knows: the error lists the ones it does.
	code, _, errOut := runCmd(t, "date,from,text\n2026-03-02,a,b\n", "import", "-")
	if code != exitBad || !strings.Contains(errOut, "unknown layout") || !strings.Contains(errOut, "wechatmsg-v2: ") {
		t.Errorf("unknown layout: exit %d, stderr %q", code, errOut)
	}
	// A format without a group column, found by auto: the message names the
	// flag, not the library's field.
	code, _, errOut = runCmd(t, "", "import", weChatMsg2)
	if code != exitUsage || !strings.Contains(errOut, "-group") || strings.Contains(errOut, "Options") {
		t.Errorf("wechatmsg-v2 without -group: exit %d, stderr %q", code, errOut)
	}
}

// TestImportStrict checks -strict: the first bad row stops the import (the
// rows after it are not written), and a name left unresolved fails an
// import that has no bad row.
func TestImportStrict(t *testing.T) {
	in := "Time,SenderName,Sender,TalkerName,Talker,Content\n" +
		"2026-03-02 08:00:00,A,wxid_a,G,g@chatroom,one\n" +
		"yesterday,A,wxid_a,G,g@chatroom,bad\n" +
		"2026-03-02 08:02:00,A,wxid_a,G,g@chatroom,three\n"
	code, out, errOut := runCmd(t, in, "import", "-")
	if code != exitBad || len(decodeAll(t, out)) != 2 || !strings.Contains(errOut, "<stdin>:3: time") {
		t.Errorf("without -strict: exit %d, %d events, stderr %q; want exit 1, 2 events and line 3 reported", code, len(decodeAll(t, out)), errOut)
	}
	code, out, errOut = runCmd(t, in, "import", "-strict", "-")
	if code != exitBad || len(decodeAll(t, out)) != 1 || !strings.Contains(errOut, "stopped at the first bad row (-strict)") {
		t.Errorf("-strict: exit %d, %d events, stderr %q; want exit 1 and the one event before the bad row", code, len(decodeAll(t, out)), errOut)
	}

	// The ChatLab week has no bad row, but two members named 张伟: the join
	// of the second stays by name, which -strict refuses.
	code, _, errOut = runCmd(t, "", "import", "-self", "wxid_zhou", chatLabWeek)
	if code != exitOK || !strings.Contains(errOut, "name-ambiguous: 1, e.g. "+chatLabWeek+":") {
		t.Errorf("without -strict: exit %d, stderr %q; want exit 0 and the ambiguous name with its line", code, errOut)
	}
	code, _, errOut = runCmd(t, "", "import", "-self", "wxid_zhou", "-strict", chatLabWeek)
	if code != exitBad || !strings.Contains(errOut, "(-strict)") {
		t.Errorf("-strict: exit %d, stderr %q; want exit 1", code, errOut)
	}
}

// TestImportUsers checks -users: PyWxDump's JSON names members in notices
// by display name only, and its users.json maps them to wxids.
func TestImportUsers(t *testing.T) {
	join := func(args ...string) string {
		code, out, errOut := runCmd(t, "", append([]string{"import"}, args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		for _, e := range decodeAll(t, out) {
			if e.Type == qunops.Join && e.Text == "Kevin" {
				return e.Member
			}
		}
		t.Fatalf("%v: no join of Kevin", args)
		return ""
	}
	if got := join(pyWxDumpWeek); got != "name:Kevin" {
		t.Errorf("without -users Kevin joined as %q, want name:Kevin (the export names no one)", got)
	}
	if got := join("-users", pyWxDumpUser, pyWxDumpWeek); got != "wxid_kevin88" {
		t.Errorf("with -users Kevin joined as %q, want wxid_kevin88", got)
	}
	code, _, errOut := runCmd(t, "", "import", "-users", "../../ingest/testdata/chatlog.csv", pyWxDumpWeek)
	if code != exitUsage || !strings.Contains(errOut, "-users") {
		t.Errorf("a bad users.json: exit %d, stderr %q; want a usage error naming -users", code, errOut)
	}
}
