package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/qunops/qunops/rules"
)

// TestF4Announcement: the announcement has the seed's four modules (F4:
// 入群须知, 禁止行为, 发言规范, 违规处理) and says what the policy does,
// with its numbers; a rule switched off is left out; nothing secret or
// private is quoted.
func TestF4Announcement(t *testing.T) {
	full := rules.Policy{Admins: []string{"admin-li"}, Prohibited: []string{"赌博"}, Warnable: []string{"代购"},
		Passphrases: []string{"芝麻开门"}, Competitors: []string{"某某母婴"}, Promotions: []string{"推广"}}
	cases := []struct {
		name      string
		p         rules.Policy
		o         rules.AnnouncementOptions
		has, lack []string
	}{
		{"F4 the four modules, in order", rules.Policy{}, rules.AnnouncementOptions{},
			[]string{"【本群公告】\n一、入群须知\n", "\n二、禁止行为\n", "\n三、发言规范\n", "\n四、违规处理\n"}, nil},
		{"F4 English modules", rules.Policy{Language: "en-GB"}, rules.AnnouncementOptions{},
			[]string{"Announcement of the group\nOn joining:\n", "\nNot allowed:\n", "\nHow to speak:\n", "\nViolations:\n"}, []string{"禁止"}},
		{"F5 the nickname pattern", rules.Policy{}, rules.AnnouncementOptions{}, []string{"【城市-昵称】"}, nil},
		{"F5 no nickname line when the rule is off", rules.Policy{Off: []string{rules.RuleNickname}}, rules.AnnouncementOptions{}, nil, []string{"昵称"}},
		{"F14 the passphrase window, never the passphrase", full, rules.AnnouncementOptions{},
			[]string{"10分钟内发送入群暗号"}, []string{"芝麻开门", "赌博", "代购", "某某母婴", "admin-li"}},
		{"F14 no passphrases, no passphrase line", rules.Policy{}, rules.AnnouncementOptions{}, nil, []string{"暗号"}},
		{"F6 promotions reviewed with their timeout", rules.Policy{Promotions: []string{"推广"}, ReviewTimeout: 2 * time.Hour}, rules.AnnouncementOptions{},
			[]string{"商业推广须经管理员审核", "2小时内未获批准"}, nil},
		{"F6 promotions without a review queue", rules.Policy{}, rules.AnnouncementOptions{}, []string{"商业推广须先向管理员申请"}, []string{"审核"}},
		{"F6 allowed domains are named", rules.Policy{AllowedDomains: []string{"qunops.cn"}}, rules.AnnouncementOptions{}, []string{"外部链接(qunops.cn 除外)"}, nil},
		{"F6 links off", rules.Policy{Off: []string{rules.RuleLink}}, rules.AnnouncementOptions{}, []string{"禁止推送名片"}, []string{"外部链接"}},
		{"the flood and repeat limits, ours", rules.Policy{FloodMessages: 5, FloodWindow: 3 * time.Second}, rules.AnnouncementOptions{},
			[]string{"3秒内发送5条及以上即为刷屏", "连续3条相同内容"}, nil},
		{"F38 prohibited content only with prohibited keywords", rules.Policy{}, rules.AnnouncementOptions{}, nil, []string{"违禁内容"}},
		{"F39 competitors", full, rules.AnnouncementOptions{}, []string{"禁止讨论竞品"}, nil},
		{"F39 competitors ignored are not announced", rules.Policy{Competitors: []string{"x"}, CompetitorReaction: rules.ReactIgnore}, rules.AnnouncementOptions{}, nil, []string{"竞品"}},
		{"F38 transfers warned", rules.Policy{TransferReaction: rules.ReactWarn}, rules.AnnouncementOptions{}, []string{"禁止在群内转账和发红包"}, nil},
		{"F38 transfers ignored", rules.Policy{TransferReaction: rules.ReactIgnore}, rules.AnnouncementOptions{}, nil, []string{"红包"}},
		{"F4 the question format and hours given", rules.Policy{}, rules.AnnouncementOptions{QuestionFormat: "问题+订单号。", Hours: "19:00-20:00"},
			[]string{"提问格式:问题+订单号。", "互动时间:19:00-20:00。"}, nil},
		{"F20 the default interaction hour", rules.Policy{}, rules.AnnouncementOptions{}, []string{"互动时间:20:00-21:00。"}, nil},
		{"F34 the ladder and its decay", rules.Policy{WarnLimit: 3, WarnTTL: 7 * 24 * time.Hour}, rules.AnnouncementOptions{}, []string{"累计3次警告", "警告7天后失效"}, nil},
		{"F34 warnings that never lapse", rules.Policy{WarnTTL: rules.Never}, rules.AnnouncementOptions{}, []string{"警告永久有效"}, nil},
		{"F9 the dispute time only with admins", rules.Policy{Admins: []string{"a"}, DisputeSLA: 10 * time.Minute}, rules.AnnouncementOptions{}, []string{"10分钟内处理"}, nil},
		{"F9 no admins, no dispute promise", rules.Policy{}, rules.AnnouncementOptions{}, nil, []string{"内处理"}},
		{"the group's name heads it", rules.Policy{GroupNames: map[string]string{"g": "读书会"}}, rules.AnnouncementOptions{Group: "g"}, []string{"【读书会群公告】"}, nil},
		{"a group called 群 is not 群群", rules.Policy{GroupNames: map[string]string{"g": "宝妈群"}}, rules.AnnouncementOptions{Group: "g"}, []string{"【宝妈群公告】"}, []string{"群群"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := rules.Announcement(c.p, c.o)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range c.has {
				if !strings.Contains(got, s) {
					t.Errorf("lacks %q:\n%s", s, got)
				}
			}
			for _, s := range c.lack {
				if strings.Contains(got, s) {
					t.Errorf("holds %q:\n%s", s, got)
				}
			}
		})
	}
	if _, err := rules.Announcement(rules.Policy{WarnLimit: -1}, rules.AnnouncementOptions{}); err == nil || !strings.Contains(err.Error(), "warn_limit -1") {
		t.Errorf("a bad policy: %v", err)
	}
}
