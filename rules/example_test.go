package rules_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// A morning in a customer group: two joins in a burst get one welcome, a
// spammer is warned and then removed and blacklisted, cannot come back, a
// question gets an auto reply, a nickname reminder goes out, and an
// unanswered dispute climbs the admin ladder.
func Example_morning() {
	shanghai := qunops.DefaultLocation()
	at := func(h, m, s int) time.Time { return time.Date(2026, 3, 2, h, m, s, 0, shanghai) }

	p := rules.Policy{
		GroupNames: map[string]string{"g1": "上海宝妈群"},
		Admins:     []string{"admin-li", "admin-wang", "admin-zhao"},
		Prohibited: []string{"赌博"},
		Warnable:   []string{"加微信", "代购"},
		Replies: []rules.AutoReply{
			{Name: "hours", Keywords: []string{"几点", "营业时间"}, Text: "营业时间 9:00-21:00"},
		},
		NicknameGrace: time.Hour, // the default is 24 hours (seed F5)
	}
	e, err := rules.New(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	print := func(acts []rules.Action) {
		for _, a := range acts {
			who := a.Member
			if a.Type == rules.Welcome {
				who = strings.Join(a.Members, ",")
			}
			fmt.Printf("%s %-8s %-10s %-8s L%d %s\n", a.Time.Format("15:04:05"), a.Type, who, a.Rule, a.Level, a.Text)
		}
	}
	script := []qunops.Event{
		{Type: qunops.Join, Group: "g1", Member: "amy", Time: at(8, 0, 0), Text: "【上海-Amy】"},
		{Type: qunops.Join, Group: "g1", Member: "bo", Time: at(8, 0, 30), Text: "波波"},
		{Type: qunops.Message, Group: "g1", Member: "amy", Time: at(8, 3, 0), Text: "大家好"},
		{Type: qunops.Message, Group: "g1", Member: "spam", Time: at(8, 5, 0), Text: "加 微 信 领红包"},
		{Type: qunops.Message, Group: "g1", Member: "spam", Time: at(8, 6, 0), Text: "正品代购 t.cn/abc"},
		{Type: qunops.Join, Group: "g1", Member: "spam", Time: at(8, 20, 0), Text: "spam"},
		{Type: qunops.Message, Group: "g1", Member: "amy", Time: at(8, 30, 0), Text: "请问几点开门?"},
		{Type: qunops.Report, Group: "g1", Member: "bo", Actor: "amy", Time: at(8, 40, 0)},
	}
	for _, ev := range script {
		// The bot's clock: the timers due by now, and the time Handle
		// measures an event's stamp against (max_skew).
		print(e.Tick(ev.Time))
		acts, err := e.Handle(ev)
		if err != nil {
			fmt.Println(err)
			continue
		}
		print(acts)
	}
	print(e.Tick(at(9, 40, 0)))
	// Output:
	// 08:01:30 welcome  amy,bo     welcome  L0 欢迎【上海-Amy】、波波加入上海宝妈群!请阅读群公告→修改昵称为【城市-昵称】
	// 08:05:00 warn     spam       keyword  L1 @spam 第1次警告(满2次将被移出群聊):请勿发布广告
	// 08:06:00 warn     spam       link     L2 @spam 第2次警告(满2次将被移出群聊):请勿发布外部链接
	// 08:06:00 remove   spam       link     L2 spam 已被移出上海宝妈群:请勿发布外部链接
	// 08:06:00 blacklist spam       link     L2 请勿发布外部链接
	// 08:20:00 remove   spam       blacklist L0 spam 已被移出上海宝妈群:黑名单成员
	// 08:20:00 notify   admin-li   blacklist L0 黑名单成员 spam 试图加入上海宝妈群,已将其移出
	// 08:30:00 reply    amy        reply:hours L0 营业时间 9:00-21:00
	// 08:40:00 notify   admin-li   dispute  L0 上海宝妈群有新的争议:amy 举报了 波波,请在15分钟内处理
	// 08:55:00 escalate admin-wang dispute  L1 上海宝妈群的争议已等待15分钟无人处理:amy 举报了 波波,请尽快处理
	// 09:00:30 remind   bo         nickname L0 @波波 请将群昵称修改为【城市-昵称】
	// 09:10:00 escalate admin-zhao dispute  L2 上海宝妈群的争议已等待30分钟无人处理:amy 举报了 波波,请尽快处理
	// 09:25:00 escalate admin-li   dispute  L3 上海宝妈群的争议已等待45分钟无人处理:amy 举报了 波波,请尽快处理
	// 09:25:00 escalate admin-wang dispute  L3 上海宝妈群的争议已等待45分钟无人处理:amy 举报了 波波,请尽快处理
	// 09:25:00 escalate admin-zhao dispute  L3 上海宝妈群的争议已等待45分钟无人处理:amy 举报了 波波,请尽快处理
}

// A policy written as JSON: snake_case keys, zero fields omitted and
// durations read like "15m". Decoding rejects unknown, duplicate and
// wrong-case keys; Validate (which New calls) names any bad value by its
// key.
func ExamplePolicy_MarshalJSON() {
	p := rules.Policy{
		Language:   "en",
		Admins:     []string{"admin-li"},
		Warnable:   []string{"代购"},
		WarnTTL:    rules.Never,
		DisputeSLA: 10 * time.Minute,
	}
	b, _ := json.Marshal(p)
	fmt.Println(string(b))

	var q rules.Policy
	fmt.Println(json.Unmarshal([]byte(`{"warn_limit":2,"WarnLimit":3}`), &q))
	_ = json.Unmarshal([]byte(`{"warn_limit":-1}`), &q)
	fmt.Println(q.Validate())
	// Output:
	// {"language":"en","admins":["admin-li"],"warnable":["代购"],"warn_ttl":"never","dispute_sla":"10m"}
	// rules: policy: unknown key "WarnLimit"
	// rules: policy: warn_limit -1 must be in 1..1000
}

// A bot restarts between two offences of the same member: the snapshot
// keeps the first warning, so the second one removes.
func ExampleEngine_UnmarshalJSON() {
	shanghai := qunops.DefaultLocation()
	e, _ := rules.New(rules.Policy{Language: "en"})
	if _, err := e.Handle(qunops.Event{Type: qunops.Message, Group: "g1", Member: "spam", Text: "t.cn/a",
		Time: time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)}); err != nil {
		fmt.Println(err)
		return
	}
	saved, _ := json.Marshal(e)

	var restarted rules.Engine // no New needed: the snapshot carries its policy
	if err := json.Unmarshal(saved, &restarted); err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	restarted.Tick(now) // the bot's clock, an hour after the snapshot
	acts, err := restarted.Handle(qunops.Event{Type: qunops.Message, Group: "g1", Member: "spam", Text: "t.cn/b", Time: now})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range acts {
		fmt.Println(a.Type, a.Rule, a.Level, a.Text)
	}
	// Output:
	// warn link 2 @spam warning 2 of 2: no outside links.
	// remove link 2 spam was removed from the group: no outside links.
	// blacklist link 2 no outside links
}

// A bot redeploys with a new policy: it restores its snapshot, then applies
// the policy it was deployed with. The warning given before the restart
// counts under the new limit of 3.
func ExampleEngine_SetPolicy() {
	shanghai := qunops.DefaultLocation()
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	e, _ := rules.New(rules.Policy{Language: "en"})
	if _, err := e.Handle(qunops.Event{Type: qunops.Message, Group: "g1", Member: "spam", Text: "t.cn/a", Time: at}); err != nil {
		fmt.Println(err)
		return
	}
	saved, _ := json.Marshal(e)

	var restarted rules.Engine
	if err := json.Unmarshal(saved, &restarted); err != nil {
		fmt.Println(err)
		return
	}
	if err := restarted.SetPolicy(rules.Policy{Language: "en", WarnLimit: 3}); err != nil {
		fmt.Println(err)
		return
	}
	acts, err := restarted.Handle(qunops.Event{Type: qunops.Message, Group: "g1", Member: "spam", Text: "t.cn/b", Time: at.Add(time.Minute)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range acts {
		fmt.Println(a.Type, a.Rule, a.Level, a.Text)
	}
	// Output:
	// warn link 2 @spam warning 2 of 3: no outside links.
}
