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

// The group announcement (群公告) of a policy, in the four modules of the
// seed's group rules (F4), in Chinese and in English: what the engine
// will do, with the policy's numbers, and never a keyword, passphrase or
// admin id.
func ExampleAnnouncement() {
	p := rules.Policy{
		GroupNames:     map[string]string{"g1": "上海宝妈群"},
		Admins:         []string{"admin-li", "admin-wang", "admin-zhao"},
		Prohibited:     []string{"赌博"},
		Warnable:       []string{"加微信", "代购"},
		AllowedDomains: []string{"qunops.cn"},
		Passphrases:    []string{"芝麻开门"},
		Promotions:     []string{"推广", "团购"},
		Competitors:    []string{"某某母婴"},
		Replies:        []rules.AutoReply{{Keywords: []string{"几点"}, Text: "营业时间 9:00-21:00"}},
		Version:        "2026.1",
	}
	zh, err := rules.Announcement(p, rules.AnnouncementOptions{Group: "g1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(zh)
	p.Language = "en"
	en, err := rules.Announcement(p, rules.AnnouncementOptions{Group: "g1", Hours: "8pm-9pm, Shanghai time"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(en)
	// Output:
	// 【上海宝妈群公告】(第2026.1版)
	// 一、入群须知
	// 1. 请将群昵称改为【城市-昵称】,如【上海-小李】。
	// 2. 请先阅读本公告,有问题可私信管理员。
	// 3. 入群后请在10分钟内发送入群暗号(见邀请你入群的文章或海报);未发送者将被提醒,再过10分钟移出本群。
	// 二、禁止行为
	// 1. 禁止发布外部链接(qunops.cn 除外)和推送名片。
	// 2. 禁止发布广告;商业推广须经管理员审核:发送后先撤回,管理员批准后由机器人代发,24小时内未获批准视为拒绝。
	// 3. 禁止刷屏和重复发送(10秒内发送10条及以上即为刷屏,连续3条相同内容即为重复)。
	// 4. 禁止争执:分歧请私信解决,多次争执者将被移出群聊。
	// 5. 禁止发布违禁内容(政治、色情等敏感信息)。
	// 6. 禁止讨论竞品。
	// 7. 群内转账和红包会报告管理员,谨防诈骗。
	// 三、发言规范
	// 1. 提问格式:一条消息说清问题和相关信息(如订单号、截图)。
	// 2. 互动时间:20:00-21:00。
	// 3. 常见问题由机器人24小时自动回复。
	// 四、违规处理
	// 1. 每次违规警告一次,累计2次警告将被移出群聊并拉黑(警告30天后失效)。
	// 2. 发布违禁内容者立即移出群聊并拉黑。
	// 3. 被拉黑者无法再次加入本群。
	// 4. 如有争议请举报或私信管理员,管理员将在15分钟内处理。
	// Announcement of 上海宝妈群 (version 2026.1)
	// On joining:
	// 1. Set your group nickname to 【City-Nickname】, e.g. 【Shanghai-Li】.
	// 2. Read this announcement first; ask an admin privately if anything is unclear.
	// 3. Send the join passphrase (see the article or poster that brought you here) within 10 minutes of joining; without it you are reminded, and removed 10 minutes later.
	// Not allowed:
	// 1. No outside links (except qunops.cn) and no name cards.
	// 2. No ads. A commercial promotion needs an admin's approval: it is taken down when sent and posted by the bot once approved; without an answer within 24 hours it is rejected.
	// 3. No flooding or repeating (10 messages within 10 seconds are flooding; 3 identical messages in a row are repeating).
	// 4. No quarrels: settle disagreements privately; repeat quarrellers are removed.
	// 5. No prohibited content (politics, porn and other sensitive matters).
	// 6. No talk of competitors.
	// 7. Transfers and red packets in the group are reported to the admins: beware of scams.
	// How to speak:
	// 1. Asking: one message with the question and what helps answer it (an order number, a screenshot).
	// 2. Interaction hours: 8pm-9pm, Shanghai time.
	// 3. The bot answers common questions around the clock.
	// Violations:
	// 1. Each violation gets a warning; 2 live warnings remove and blacklist the member (a warning lapses after 30 days).
	// 2. Prohibited content removes and blacklists the member at once.
	// 3. A blacklisted member cannot join again.
	// 4. Report a dispute or write to an admin: an admin answers within 15 minutes.
}

// A policy with one admin is legal, but short of the seed's bench of three
// core admins (F41): Findings says so, and the engine keeps its ladder.
func ExamplePolicy_Findings() {
	p := rules.Policy{Admins: []string{"admin-li"}}
	fmt.Println(p.Validate())
	for _, f := range p.Findings() {
		fmt.Println(f)
	}
	// Output:
	// <nil>
	// admins: 1 admin, fewer than the bench of 3 core admins the seed asks for so that the group survives turnover; the dispute ladder has 1 step (F41)
}

// The yearly review of the rules (F41): what changed from last year's
// policy to this year's, by JSON key.
func ExampleDiff() {
	y2025 := rules.Policy{Version: "2025", Admins: []string{"admin-li", "admin-wang"}, Warnable: []string{"代购"}}
	y2026 := rules.Policy{Version: "2026", Admins: []string{"admin-wang", "admin-zhao", "admin-qian"},
		Warnable: []string{"代购", "刷单"}, WarnLimit: 3, Competitors: []string{"某某母婴"}}
	for _, c := range rules.Diff(y2025, y2026) {
		fmt.Println(c)
	}
	// Output:
	// admins: added "admin-zhao", "admin-qian"; removed "admin-li"
	// warnable: added "刷单"
	// warn_limit: 2 → 3
	// competitors: added "某某母婴"
	// version: "2025" → "2026"
}

// A promotion needs an admin's approval (F6): the engine takes it down and
// asks the first admin, who approves it by its review id; the bot then
// posts it.
func ExampleEngine_Approve() {
	shanghai := qunops.DefaultLocation()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	e, err := rules.New(rules.Policy{Admins: []string{"admin-li", "admin-wang", "admin-zhao"}, Promotions: []string{"团购"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	held, err := e.Handle(qunops.Event{Type: qunops.Message, Group: "g1", Member: "amy", ID: "wx:42", Time: at, Text: "本周团购:牛奶八折"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range held {
		what := a.Text
		if a.Type == rules.Recall {
			what = a.MessageID
		}
		fmt.Println(a.Type, a.Member, a.Review, what)
	}
	posted, err := e.Approve("admin-wang", held[1].Review, at.Add(5*time.Minute))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range posted {
		fmt.Println(a.Type, a.Member, a.Review, a.Text)
	}
	// Output:
	// recall amy 0 wx:42
	// post amy 1 @amy 你的推广已提交管理员审核(编号1)
	// notify admin-li 1 本群:amy 申请发布推广(编号1),请批准或拒绝:本周团购:牛奶八折
	// post amy 1 经管理员批准,amy 的推广:本周团购:牛奶八折
}

// The title lock (issue 16): an admin names the group; a member who renames
// it gets a Retitle back to that name and the admins are told; the bot's
// own rename, echoed back by the transport, changes nothing further.
func ExamplePolicy_lockTitle() {
	shanghai := qunops.DefaultLocation()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	e, err := rules.New(rules.Policy{Admins: []string{"admin-li", "admin-wang"}, Self: []string{"bot"}, LockTitle: true,
		Warnable: []string{"加微信"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, ev := range []qunops.Event{
		{Type: qunops.Title, Group: "g1", Member: "admin-li", Text: "上海宝妈群"},
		{Type: qunops.Title, Group: "g1", Member: "amy", Text: "加微信领福利"},
		{Type: qunops.Title, Group: "g1", Member: "bot", Text: "上海宝妈群"}, // the Retitle done, echoed
	} {
		ev.Time = at.Add(time.Duration(i) * time.Minute)
		acts, err := e.Handle(ev)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s renames to %s: %d actions\n", ev.Member, ev.Text, len(acts))
		for _, a := range acts {
			fmt.Println(" ", a.Type, a.Member, a.Rule, a.Text)
		}
	}
	// Output:
	// admin-li renames to 上海宝妈群: 0 actions
	// amy renames to 加微信领福利: 4 actions
	//   retitle amy title 上海宝妈群
	//   notify admin-li title 本群:amy 将群名改为「加微信领福利」;群名已锁定,只有管理员可以修改
	//   notify admin-wang title 本群:amy 将群名改为「加微信领福利」;群名已锁定,只有管理员可以修改
	//   warn amy keyword @amy 第1次警告(满2次将被移出群聊):请勿发布广告
	// bot renames to 上海宝妈群: 0 actions
}
