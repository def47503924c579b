package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// AnnouncementOptions are the parts of a group announcement a Policy does
// not hold. The zero value is valid: every empty field takes the default
// documented on it.
type AnnouncementOptions struct {
	// Group is the id of the group the announcement is for: its name in
	// Policy.GroupNames heads the text. Empty: "本群" ("the group").
	Group string
	// QuestionFormat says how members should ask (seed F4: 提问格式).
	// Default, ours: one message with the question and what helps answer
	// it (an order number, a screenshot).
	QuestionFormat string
	// Hours are the group's interaction hours (seed F4: 互动时间). Default
	// "20:00-21:00", the best hour for interactive posts (seed F20).
	Hours string
}

// Announcement writes the group announcement (群公告) of p in p.Language
// (Simplified Chinese or English, matched as for the engine's texts), in
// the four modules of the seed's group rules (F4): the join notice, the
// prohibited acts, the speaking norms, and how violations are handled. It
// says what the engine will do under p, with p's numbers: the nickname
// pattern (F5) when the nickname rule is on, the passphrase window (F14),
// links outside Policy.AllowedDomains and name cards (F6), the flood and
// repeat limits, the promotion review (F6), prohibited content (F38),
// competitors (F39) and transfers (F38) by their reactions, the locked
// group name (Policy.LockTitle, when on), the warning
// ladder and its decay (F34), and the dispute answer time (F9). Rules
// switched off in Policy.Off are left out. It never quotes a keyword, a
// passphrase or an admin's id: an announcement is public, and a listed
// passphrase is no passphrase.
//
// The text is for people and may change between versions; lines are
// separated by "\n". An invalid p is Validate's error.
func Announcement(p Policy, o AnnouncementOptions) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	p = p.withDefaults()
	want, _ := language.Parse(p.Language) // validated
	_, idx, _ := textMatcher.Match(want)
	zh := textTags[idx] == language.SimplifiedChinese
	on := func(rule string) bool { return !slices.Contains(p.Off, rule) }
	pick := func(z, e string) string {
		if zh {
			return z
		}
		return e
	}
	dur := func(d time.Duration) string { return humanDuration(d, zh) }

	group := pick("本群", "the group")
	if n := p.GroupNames[o.Group]; n != "" {
		group = n
	}
	var b strings.Builder
	title := pick("【%s群公告】", "Announcement of %s")
	if zh && strings.HasSuffix(group, "群") {
		title = "【%s公告】"
	}
	fmt.Fprintf(&b, title, group)
	if p.Version != "" {
		fmt.Fprintf(&b, pick("(第%s版)", " (version %s)"), p.Version)
	}
	b.WriteString("\n")
	section := func(head string, items []string) {
		b.WriteString(head + "\n")
		for i, it := range items {
			fmt.Fprintf(&b, "%d. %s\n", i+1, it)
		}
	}

	var join []string
	if on(RuleNickname) {
		if p.Nickname == DefaultNickname {
			join = append(join, pick("请将群昵称改为【城市-昵称】,如【上海-小李】。", "Set your group nickname to 【City-Nickname】, e.g. 【Shanghai-Li】."))
		} else {
			join = append(join, pick("请按群规修改群昵称。", "Set your group nickname as the rules ask."))
		}
	}
	join = append(join, pick("请先阅读本公告,有问题可私信管理员。", "Read this announcement first; ask an admin privately if anything is unclear."))
	if len(p.Passphrases) > 0 && on(RulePassphrase) {
		w := dur(p.PassphraseWindow)
		join = append(join, fmt.Sprintf(pick("入群后请在%s内发送入群暗号(见邀请你入群的文章或海报);未发送者将被提醒,再过%s移出本群。",
			"Send the join passphrase (see the article or poster that brought you here) within %s of joining; without it you are reminded, and removed %s later."), w, w))
	}
	section(pick("一、入群须知", "On joining:"), join)

	var banned []string
	switch {
	case on(RuleLink) && on(RuleCard) && len(p.AllowedDomains) > 0:
		banned = append(banned, fmt.Sprintf(pick("禁止发布外部链接(%s 除外)和推送名片。", "No outside links (except %s) and no name cards."), strings.Join(p.AllowedDomains, pick("、", ", "))))
	case on(RuleLink) && on(RuleCard):
		banned = append(banned, pick("禁止发布外部链接和推送名片。", "No outside links and no name cards."))
	case on(RuleLink):
		banned = append(banned, pick("禁止发布外部链接。", "No outside links."))
	case on(RuleCard):
		banned = append(banned, pick("禁止推送名片。", "No name cards."))
	}
	switch {
	case len(p.Promotions) > 0 && on(RulePromotion):
		banned = append(banned, fmt.Sprintf(pick("禁止发布广告;商业推广须经管理员审核:发送后先撤回,管理员批准后由机器人代发,%s内未获批准视为拒绝。",
			"No ads. A commercial promotion needs an admin's approval: it is taken down when sent and posted by the bot once approved; without an answer within %s it is rejected."), dur(p.ReviewTimeout)))
	default:
		banned = append(banned, pick("禁止发布广告;商业推广须先向管理员申请。", "No ads. Ask an admin before any commercial promotion."))
	}
	if on(RuleFlood) || on(RuleRepeat) {
		var parts []string
		if on(RuleFlood) {
			parts = append(parts, fmt.Sprintf(pick("%s内发送%d条及以上即为刷屏", "%d messages within %s are flooding"), floodArgs(zh, dur(p.FloodWindow), p.FloodMessages)...))
		}
		if on(RuleRepeat) {
			parts = append(parts, fmt.Sprintf(pick("连续%d条相同内容即为重复", "%d identical messages in a row are repeating"), p.RepeatMessages))
		}
		banned = append(banned, fmt.Sprintf(pick("禁止刷屏和重复发送(%s)。", "No flooding or repeating (%s)."), strings.Join(parts, pick(",", "; "))))
	}
	banned = append(banned, pick("禁止争执:分歧请私信解决,多次争执者将被移出群聊。", "No quarrels: settle disagreements privately; repeat quarrellers are removed."))
	if len(p.Prohibited) > 0 && on(RuleProhibited) {
		banned = append(banned, pick("禁止发布违禁内容(政治、色情等敏感信息)。", "No prohibited content (politics, porn and other sensitive matters)."))
	}
	if len(p.Competitors) > 0 && on(RuleCompetitor) && p.CompetitorReaction != ReactIgnore {
		banned = append(banned, pick("禁止讨论竞品。", "No talk of competitors."))
	}
	if on(RuleTransfer) {
		switch p.TransferReaction {
		case ReactWarn, ReactRemove:
			banned = append(banned, pick("禁止在群内转账和发红包(管理员除外)。", "No transfers or red packets in the group (admins excepted)."))
		case ReactNotify:
			banned = append(banned, pick("群内转账和红包会报告管理员,谨防诈骗。", "Transfers and red packets in the group are reported to the admins: beware of scams."))
		}
	}
	if p.LockTitle && on(RuleTitle) {
		banned = append(banned, pick("禁止修改群名:群名由管理员设置,其他人修改将被改回。", "No renaming the group: admins set its name, and other renames are undone."))
	}
	section(pick("二、禁止行为", "Not allowed:"), banned)

	format := o.QuestionFormat
	if format == "" {
		format = pick("一条消息说清问题和相关信息(如订单号、截图)", "one message with the question and what helps answer it (an order number, a screenshot)")
	}
	hours := o.Hours
	if hours == "" {
		hours = "20:00-21:00"
	}
	norms := []string{
		fmt.Sprintf(pick("提问格式:%s。", "Asking: %s."), strings.TrimRight(format, "。.")),
		fmt.Sprintf(pick("互动时间:%s。", "Interaction hours: %s."), strings.TrimRight(hours, "。.")),
	}
	if len(p.Replies) > 0 && on(RuleReply) {
		norms = append(norms, pick("常见问题由机器人24小时自动回复。", "The bot answers common questions around the clock."))
	}
	section(pick("三、发言规范", "How to speak:"), norms)

	var handling []string
	ttl := pick("警告永久有效", "warnings never expire")
	if p.WarnTTL != Never {
		ttl = fmt.Sprintf(pick("警告%s后失效", "a warning lapses after %s"), dur(p.WarnTTL))
	}
	handling = append(handling, fmt.Sprintf(pick("每次违规警告一次,累计%d次警告将被移出群聊并拉黑(%s)。",
		"Each violation gets a warning; %d live warnings remove and blacklist the member (%s)."), p.WarnLimit, ttl))
	if len(p.Prohibited) > 0 && on(RuleProhibited) {
		handling = append(handling, pick("发布违禁内容者立即移出群聊并拉黑。", "Prohibited content removes and blacklists the member at once."))
	}
	if on(RuleBlacklist) {
		handling = append(handling, pick("被拉黑者无法再次加入本群。", "A blacklisted member cannot join again."))
	}
	if len(p.Admins) > 0 && on(RuleDispute) {
		handling = append(handling, fmt.Sprintf(pick("如有争议请举报或私信管理员,管理员将在%s内处理。", "Report a dispute or write to an admin: an admin answers within %s."), dur(p.DisputeSLA)))
	}
	section(pick("四、违规处理", "Violations:"), handling)
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// floodArgs orders the flood limit's numbers for its sentence.
func floodArgs(zh bool, window string, n int) []any {
	if zh {
		return []any{window, n}
	}
	return []any{n, window}
}

// humanDuration writes d in the largest whole unit: days (from two days
// on: "24 hours" reads better than "1 day" for a deadline), hours,
// minutes, seconds, or Go's syntax.
func humanDuration(d time.Duration, zh bool) string {
	units := []struct {
		d      time.Duration
		zh, en string
	}{{24 * time.Hour, "天", "day"}, {time.Hour, "小时", "hour"}, {time.Minute, "分钟", "minute"}, {time.Second, "秒", "second"}}
	for _, u := range units {
		if d >= u.d && d%u.d == 0 && (u.d != 24*time.Hour || d >= 48*time.Hour) {
			n := int64(d / u.d)
			if zh {
				return fmt.Sprintf("%d%s", n, u.zh)
			}
			if n == 1 {
				return "1 " + u.en
			}
			return fmt.Sprintf("%d %ss", n, u.en)
		}
	}
	return formatDuration(d)
}
