package rules_test

import (
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestItem4MediaNotScanned: only text-bearing kinds are scanned for links
// and keywords (issue 15, item 4: an image imported from a chatlog export,
// whose text is a placeholder URL, was warned as an outside link, and two
// images removed and blacklisted the member).
func TestItem4MediaNotScanned(t *testing.T) {
	p := rules.Policy{Warnable: []string{"代购"}, Prohibited: []string{"赌博"}}
	// The placeholder chatlog writes for an image (issue 15, item 4).
	const image = "![图片](http://127.0.0.1:5030/image/0123)"
	run(t, p, []step{
		on(kind("s", 0, qunops.KindImage, image)),
		on(kind("s", sec, qunops.KindImage, image)),
		on(kind("s", 2*sec, qunops.KindImage, image)),
		on(msg("s", 3*sec, "图片不错")),
	})
	hostile := "代购 赌博 t.cn/x www.evil.com"
	var never []step
	for i, k := range []string{qunops.KindImage, qunops.KindSticker, qunops.KindVoice, qunops.KindVideo, qunops.KindFile,
		qunops.KindLocation, qunops.KindPat, qunops.KindTransfer, qunops.KindRedPacket} {
		never = append(never, on(kind("s", time.Duration(i)*mn, k, hostile)))
	}
	run(t, p, never)
	// Text-bearing kinds are scanned: the link of each is the first warning
	// of its own member.
	for _, k := range []string{"", qunops.KindText, qunops.KindQuote, qunops.KindForward, qunops.KindNotice} {
		t.Run("kind="+k, func(t *testing.T) {
			run(t, p, []step{
				on(kind("s", 0, k, "看 t.cn/x"), warn("s", rules.RuleLink, 1)),
				on(kind("s2", 0, k, "正品代购"), warn("s2", rules.RuleKeyword, 1)),
			})
		})
	}
	// A card and a mini program break their rules by kind; their text is
	// scanned for a prohibited keyword too.
	run(t, p, []step{
		on(kind("c", 0, qunops.KindCard, "名片"), warn("c", rules.RuleCard, 1)),
		on(kind("m", 0, qunops.KindMiniProgram, "小程序"), warn("m", rules.RuleLink, 1)),
		on(kind("x", 0, qunops.KindCard, "赌博"), removed("x", rules.RuleProhibited, 0)...),
	})
}
