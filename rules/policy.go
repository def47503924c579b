package rules

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
	"golang.org/x/text/language"
)

// Never, as Policy.WarnTTL, keeps warnings for ever. It is the only negative
// duration a Policy accepts.
const Never = time.Duration(math.MinInt64)

// The defaults that zero Policy fields stand for.
const (
	// DefaultWarnLimit is the number of live warnings that removes a member
	// (seed F34: "warned 2 or more times").
	DefaultWarnLimit = 2
	// DefaultWarnTTL is how long a warning stays live: 30 days, ours. The
	// seed has no figure; users of moderation bots ask for warnings that
	// decay.
	DefaultWarnTTL = 30 * 24 * time.Hour
	// DefaultDisputeSLA is the time an admin has to resolve a dispute before it
	// escalates: 15 minutes (seed F9).
	DefaultDisputeSLA = 15 * time.Minute
	// DefaultFloodMessages and DefaultFloodWindow define flooding (seed F4
	// names it, without a number; the numbers are ours): 10 messages of one
	// member within 10 seconds, so that 30 messages in 10 seconds are always
	// a flood.
	DefaultFloodMessages = 10
	DefaultFloodWindow   = 10 * time.Second
	// DefaultRepeatMessages and DefaultRepeatWindow define a repeated
	// message: the third identical message in a row within 10 minutes. Ours,
	// not seed figures (seed F4 forbids flooding, 刷屏, without a number).
	DefaultRepeatMessages = 3
	DefaultRepeatWindow   = 10 * time.Minute
	// DefaultWelcomeWindow batches joins: a welcome goes out 1 minute after
	// the last join of a burst. The minute is ours; seed F5 asks for the
	// automatic welcome.
	DefaultWelcomeWindow = time.Minute
	// DefaultWelcomeMax bounds the batching: a welcome goes out at most 24
	// hours after the first join it covers (seed F18).
	DefaultWelcomeMax = 24 * time.Hour
	// DefaultNicknameGrace is the time a member has to take a nickname that
	// fits before the one reminder: 24 hours, ours. Seed F5 asks for the
	// rename but gives no deadline; the day is the one F18 gives for the
	// welcome, not a figure of the rename.
	DefaultNicknameGrace = 24 * time.Hour
	// DefaultReplyCooldown is the minimum time between two answers of the same
	// auto reply to the same member: 1 hour, ours (seed F10 asks for answers
	// around the clock; the cooldown keeps the bot from flooding the group
	// itself).
	DefaultReplyCooldown = time.Hour
	// DefaultGroupReplyCooldown is the minimum time between two answers of
	// the same auto reply in one group, to anyone: 1 minute, ours. Ten
	// members asking the same question within seconds get one answer,
	// which they all see, not ten.
	DefaultGroupReplyCooldown = time.Minute
	// DefaultDailyReportsMax is the most disputes one reporter opens within
	// 24 hours: 10, ours.
	DefaultDailyReportsMax = 10
	// DefaultDailyPostsMax is the most messages the bot posts in a group in
	// a calendar day before it keeps to admin-facing actions: 50 (seed
	// F23: "at most 50 messages a day in total").
	DefaultDailyPostsMax = 50
	// DefaultRemoveCooldown is the quiet time after a Remove of a blacklisted
	// member in a group, the Remove of the ban included: 1 minute, ours, not
	// a seed figure. The messages of a flood that were already on their way
	// get a Recall each but no second Remove, so that the bot does not send
	// the same removal twenty times; once the cooldown is over, a member who
	// still speaks (the removal failed) gets another Remove.
	DefaultRemoveCooldown = time.Minute
	// DefaultMaxSkew is how far past the newest time the engine has seen an
	// event may be stamped: 10 minutes, ours. Transports stamp events with
	// the sender's or the server's clock, which may be a few minutes fast;
	// a message stamped years ahead (9999-12-31) would otherwise become
	// the member's newest message and switch off the flood and repeat
	// rules, which compare each message with the newest.
	DefaultMaxSkew = 10 * time.Minute
	// DefaultDedupeWindow is how long a handled event id is remembered, so
	// that a redelivery (a webhook retry) is not counted twice: 24 hours,
	// ours. Webhook senders retry for minutes to hours; a day covers them
	// with room, and bounds the ids kept to one day of events.
	DefaultDedupeWindow = 24 * time.Hour
	// DefaultInviteMax and DefaultInviteWindow define adding people too
	// fast (seed F38, 频繁加人, a ban risk, without a number): an inviter
	// whose joins within an hour pass 10 alerts the first admin. Ours.
	DefaultInviteMax    = 10
	DefaultInviteWindow = time.Hour
	// DefaultAlertCooldown is the quiet time after an alert to the admins
	// about one member, group and rule (invites, transfers, competitors):
	// 1 hour, ours, so that a member who sends thirty red packets pages the
	// admin once.
	DefaultAlertCooldown = time.Hour
	// DefaultPassphraseWindow is the time a newcomer has to say the join
	// passphrase (seed F14: 入群暗号, without a deadline) before one
	// reminder, and again after the reminder before the removal: 10
	// minutes, ours.
	DefaultPassphraseWindow = 10 * time.Minute
	// DefaultReviewTimeout is how long a held promotion waits for an
	// admin's approval (seed F6: 商业推广需管理员申请, without a deadline)
	// before it is rejected: 24 hours, ours.
	DefaultReviewTimeout = 24 * time.Hour
	// DefaultLanguage is the language of the texts: Simplified Chinese, the
	// seed's.
	DefaultLanguage = "zh-Hans"
)

// DefaultNickname is the default pattern of a display name (seed F5:
// 【城市-昵称】): a city of at least two letters, a dash (ASCII, full-width or
// an em dash), and a nickname, with or without the 【】 brackets.
const DefaultNickname = `^(?:【[\p{L}]{2,}\s*[-－—]\s*[^【】\s][^【】]*】|[\p{L}]{2,}\s*[-－—]\s*[^【】\s][^【】]*)$`

// Rule names, as they appear in Action.Rule and in Policy.Off.
const (
	RuleLink       = "link"       // an outside link: a URL, a link or mini-program message (F6)
	RuleCard       = "card"       // a name card pushed into the group (F6)
	RuleKeyword    = "keyword"    // a Policy.Warnable keyword: ads, spam (F6)
	RuleFlood      = "flood"      // too many messages in the flood window (F4)
	RuleRepeat     = "repeat"     // the same message repeated (F4)
	RuleProhibited = "prohibited" // a Policy.Prohibited keyword: zero tolerance (F38)
	RuleBlacklist  = "blacklist"  // a blacklisted member joined or spoke (F34)
	RuleManual     = "manual"     // a warning given by an admin (a warn event)
	RuleWelcome    = "welcome"    // the welcome of newcomers (F5, F18)
	RuleNickname   = "nickname"   // the nickname reminder (F5)
	RuleReply      = "reply"      // the auto replies (F10)
	RuleDispute    = "dispute"    // the dispute ladder (F9, F41)
	RuleCompetitor = "competitor" // a Policy.Competitors name: no talk of competitors (F39)
	RuleTransfer   = "transfer"   // a transfer or red packet of a member (F38)
	RuleInvite     = "invite"     // a member adding people too fast (F38)
	RulePassphrase = "passphrase" // the join passphrase (F14)
	RulePromotion  = "promotion"  // a promotion held for an admin's approval (F6)
	RuleTitle      = "title"      // a non-admin renamed the group while Policy.LockTitle is on (ours)
)

// ruleNames lists the rules that Policy.Off may name.
var ruleNames = [...]string{RuleLink, RuleCard, RuleKeyword, RuleFlood, RuleRepeat, RuleProhibited,
	RuleBlacklist, RuleManual, RuleWelcome, RuleNickname, RuleReply, RuleDispute,
	RuleCompetitor, RuleTransfer, RuleInvite, RulePassphrase, RulePromotion, RuleTitle}

// Policy configures an Engine. The zero value of every field means the
// default documented on it, so the zero Policy is a working policy: texts in
// Simplified Chinese, no admins, no keywords, every rule on. DefaultPolicy
// returns the same policy with the defaults written out.
//
// A Policy is plain data: it can be compared with cmp and round-trips
// through JSON with snake_case keys (the key of each field is its name in
// snake case: WarnLimit is "warn_limit"), durations written as "15m" and
// Never as "never". Validate reports what New would reject.
type Policy struct {
	// Language is a BCP 47 tag; the texts are in the supported language
	// (zh-Hans or en) that matches it best. Default zh-Hans.
	Language string
	// GroupNames maps a group id to the name the texts use for it. A group
	// without a name is called "本群" ("the group").
	GroupNames map[string]string
	// Self lists the bot's own member ids. WeChat and WeCom hooks deliver
	// the bot's own posts back as events; events whose Member is one of
	// these give no action and count toward no rule (their messages count
	// toward DailyPostsMax, and their titles set the group's recorded title:
	// see LockTitle).
	Self []string
	// Admins are exempt from every rule. In order, they are the dispute
	// ladder (seed F41: at least 3 core admins): the first is notified, the
	// next ones are escalated to.
	Admins []string
	// Prohibited keywords remove and blacklist a member at once (seed F38).
	Prohibited []string
	// Warnable keywords (ads, spam) give a warning (seed F6).
	Warnable []string
	// ProhibitedMatch and WarnableMatch say how the keywords of those
	// lists match (see KeywordMatch); the zero value folds and skips noise.
	ProhibitedMatch KeywordMatch
	WarnableMatch   KeywordMatch
	// AllowedDomains are the domains whose links are not outside links,
	// subdomains included (seed F6), e.g. "example.com".
	AllowedDomains []string
	// WarnLimit is the number of live warnings that removes and blacklists
	// a member. Default 2 (seed F34).
	WarnLimit int
	// WarnTTL is how long a warning stays live. Default 30 days; Never keeps
	// warnings for ever.
	WarnTTL time.Duration
	// Recall asks for a Recall action of every offending message.
	Recall bool
	// FloodMessages messages of one member within FloodWindow are a flood.
	// Defaults 10 and 10 seconds (ours; seed F4 names flooding).
	FloodMessages int
	FloodWindow   time.Duration
	// RepeatMessages identical messages in a row, each within RepeatWindow
	// of the one before, are an offence. Defaults 3 and 10 minutes (ours).
	RepeatMessages int
	RepeatWindow   time.Duration
	// WelcomeWindow batches joins: the welcome waits until no one has joined
	// for this long. Default 1 minute (ours; seed F5 asks for the welcome).
	WelcomeWindow time.Duration
	// WelcomeMax is the longest a welcome waits after the first join it
	// covers. Default 24 hours (seed F18).
	WelcomeMax time.Duration
	// Nickname is the regular expression (package regexp) a display name
	// must match. Default DefaultNickname (seed F5).
	Nickname string
	// NicknameGrace is the time before the reminder. Default 24 hours
	// (ours).
	NicknameGrace time.Duration
	// Replies are the auto replies (seed F10), tried in order: the first
	// whose keyword occurs in a message answers it.
	Replies []AutoReply
	// ReplyCooldown is the minimum time between two answers of one reply to
	// one member. Default 1 hour (ours).
	ReplyCooldown time.Duration
	// GroupReplyCooldown is the minimum time between two answers of one
	// reply in one group, to anyone. Default 1 minute (ours).
	GroupReplyCooldown time.Duration
	// RemoveCooldown is how long after a Remove of a blacklisted member in
	// a group (the Remove of the ban included) further messages of that
	// member in that group get no new Remove, only a Recall when Recall is
	// on. A join always gets its Remove; the admin's Notify of a rejoin
	// comes at most once per RemoveCooldown for the member. Default 1
	// minute (ours).
	RemoveCooldown time.Duration
	// DisputeSLA is the time an admin has to resolve a dispute before it
	// escalates to the next admin. Default 15 minutes (seed F9).
	DisputeSLA time.Duration
	// DailyReportsMax is the most disputes one reporter opens within 24
	// hours; further reports of theirs are ignored (a report about a member
	// whose dispute is open joins it, and always counts). Default 10, ours:
	// one member filing 1,000 reports would otherwise page the admins 1,000
	// times and escalate 5,000.
	DailyReportsMax int
	// DailyPostsMax is the most messages the bot posts in one group in a
	// calendar day (Asia/Shanghai), counted from its own messages as the
	// transport echoes them (events of Policy.Self). Once a group's count
	// reaches it, Handle and Tick emit only what is not a post to the
	// group: Remove, Blacklist, Recall, and the admins' Notify and
	// Escalate; Welcome, Warn, Reply and Remind are dropped for the rest of
	// the day (a warning still counts on the ladder). Default 50 (seed
	// F23). Without Self there is no count and no cap.
	DailyPostsMax int
	// BlacklistTTL is how long a blacklisting lasts; a member blacklisted
	// longer ago is treated as never blacklisted (a new offence starts a
	// new ladder). Zero or Never (the default, as before this field): for
	// ever, until an admin's Unban.
	BlacklistTTL time.Duration
	// MaxSkew is how far past the newest time the engine has seen (of any
	// event it accepted, in any group, or of a Tick) an event's time may
	// be; Handle rejects an event stamped later. Default 10 minutes, ours.
	MaxSkew time.Duration
	// DedupeWindow is how long Handle remembers the ID of an event it
	// handled: an event with the same non-empty ID within the window is a
	// redelivery and gives nothing. Default 24 hours, ours.
	DedupeWindow time.Duration
	// Competitors are the names of competitors, a keyword list of its own
	// (seed F39: 禁止讨论竞品, no talk of competitors): a message of a member
	// that names one gets CompetitorReaction under RuleCompetitor.
	Competitors []string
	// CompetitorsMatch says how Competitors match (see KeywordMatch).
	CompetitorsMatch KeywordMatch
	// CompetitorReaction is what a message naming a competitor gets.
	// Default ReactWarn (ours): a warning on the ladder, as for an ad.
	CompetitorReaction Reaction
	// TransferReaction is what a transfer or a red packet (messages of kind
	// qunops.KindTransfer and qunops.KindRedPacket) of a member who is not
	// an admin gets, under RuleTransfer (seed F38: unusual transfers are a
	// ban risk). Default ReactNotify (ours): the first admin is told, at
	// most once per AlertCooldown for the member; red packets are a habit
	// of many groups, so the default does not warn.
	TransferReaction Reaction
	// InviteMax is the most members one member may invite (join events
	// whose Actor is them, of channel qunops.JoinInvite or of no channel
	// given; a scan of a QR code they shared is not their pull) within
	// InviteWindow; the next one alerts the first admin, under
	// RuleInvite, at most once per AlertCooldown (seed F38: adding people
	// too often). Defaults 10 and 1 hour (ours).
	InviteMax    int
	InviteWindow time.Duration
	// AlertCooldown is the quiet time after an alert to the admins about
	// one member of one group for one rule (invites, transfers,
	// competitors). Default 1 hour (ours).
	AlertCooldown time.Duration
	// Passphrases are the join passphrases (seed F14: 入群暗号, given with
	// the group's QR code in an article): a newcomer must send a message
	// holding one within PassphraseWindow of joining, or gets a Remind
	// under RulePassphrase, and after a second PassphraseWindow a Remove
	// (not a blacklisting). Matched as keywords, folded. Empty: no check.
	Passphrases []string
	// PassphraseWindow is each of the two waits of the passphrase check.
	// Default 10 minutes (ours).
	PassphraseWindow time.Duration
	// Promotions are the keywords that mark a commercial promotion (seed
	// F6: 商业推广需管理员申请, promotion only with an admin's approval): a
	// member's message holding one, and breaking no other rule, is held for
	// review under RulePromotion. The engine asks for a Recall of it (when
	// the event has an ID), a Post telling the member, and a Notify to the
	// first admin; Engine.Approve posts it, Engine.Reject or ReviewTimeout
	// turns it down. Empty: no review.
	Promotions []string
	// PromotionsMatch says how Promotions match (see KeywordMatch).
	PromotionsMatch KeywordMatch
	// ReviewTimeout is how long a held promotion waits for an admin.
	// Default 24 hours (ours).
	ReviewTimeout time.Duration
	// LockTitle keeps the name of each group (its title, from events of
	// type qunops.Title) to the one an admin or the bot set last. Default
	// off (ours; the seed has no figure for it).
	//
	// The engine records each group's title: a Title of one of Self (the
	// bot's own rename, echoed) always sets it, and so does a Title of an
	// admin, or of anyone while LockTitle is off or RuleTitle is in Off;
	// those give no action. While LockTitle is on, a Title of a member who
	// is not an admin, whose Text differs from the recorded title, leaves
	// the recorded title as it was and gives, under RuleTitle, a Retitle
	// back to the recorded title (Member: the renamer) and a Notify to each
	// admin. A group whose title was never recorded has nothing to
	// restore: such a rename gives only the Notify, and records nothing.
	// If the new name holds a prohibited keyword, a warnable keyword or an
	// outside link, the rename is also the member's offence, as a message
	// of that text would be (RuleProhibited: Remove and Blacklist; RuleLink
	// or RuleKeyword: a warning on the ladder), unless that rule is off;
	// as with a message, a blacklisted member's name is not judged. A
	// Title stamped before the recorded title's time was already replaced:
	// it gives nothing and changes nothing.
	LockTitle bool
	// Version names this revision of the rules, free text such as
	// "2026.1" (seed F41: rules reviewed every year). The engine does not
	// read it; Diff reports it.
	Version string
	// Off lists the rules switched off, by name (RuleLink, RuleWelcome...).
	Off []string
	// Texts overrides the templates of the chosen language.
	Texts Texts
}

// KeywordMatch says how the keywords of one list match a message. Every
// keyword is matched with folding (width, case, compatibility forms) and,
// by default, with noise skipped between its characters (rules/keyword's
// Fold and SkipNoise). In JSON: {"whole_word":true,"literal":true}.
type KeywordMatch struct {
	// WholeWord matches a keyword only as a whole word: the characters
	// next to a match are not letters or digits of a space-separated
	// script, so that "class" does not warn on "a classic run" (English
	// and Telegram groups). Han, kana and Hangul always match inside text.
	WholeWord bool `json:"whole_word,omitempty"`
	// Literal keeps the keywords' spaces and symbols and matches them
	// contiguously ("c++", "+v"), still folded.
	Literal bool `json:"literal,omitempty"`
}

// AutoReply is an auto reply: any of Keywords in a message gives a Reply
// action with Text.
type AutoReply struct {
	// Name, if set, is appended to the rule name of the Reply action:
	// "reply:NAME". Otherwise the rule is "reply".
	//
	// The name is also the reply's key, which its cooldowns are kept
	// under in the engine's state and snapshots, so that a new policy
	// (Engine.SetPolicy) that reorders, adds or removes replies keeps the
	// cooldowns of the replies it keeps. A reply without a name is keyed by
	// its keywords: "keywords:" and the keywords joined with "|", as in
	// "keywords:几点|营业时间"; changing them makes it a new reply. Two
	// replies of a policy may not share a key.
	Name     string
	Keywords []string
	Text     string
	// Match says how Keywords match; see KeywordMatch.
	Match KeywordMatch
}

// DefaultPolicy returns the zero Policy with every default written out.
func DefaultPolicy() Policy {
	return Policy{
		Language:           DefaultLanguage,
		WarnLimit:          DefaultWarnLimit,
		WarnTTL:            DefaultWarnTTL,
		FloodMessages:      DefaultFloodMessages,
		FloodWindow:        DefaultFloodWindow,
		RepeatMessages:     DefaultRepeatMessages,
		RepeatWindow:       DefaultRepeatWindow,
		WelcomeWindow:      DefaultWelcomeWindow,
		WelcomeMax:         DefaultWelcomeMax,
		Nickname:           DefaultNickname,
		NicknameGrace:      DefaultNicknameGrace,
		ReplyCooldown:      DefaultReplyCooldown,
		GroupReplyCooldown: DefaultGroupReplyCooldown,
		RemoveCooldown:     DefaultRemoveCooldown,
		DisputeSLA:         DefaultDisputeSLA,
		DailyReportsMax:    DefaultDailyReportsMax,
		DailyPostsMax:      DefaultDailyPostsMax,
		MaxSkew:            DefaultMaxSkew,
		DedupeWindow:       DefaultDedupeWindow,
		CompetitorReaction: ReactWarn,
		TransferReaction:   ReactNotify,
		InviteMax:          DefaultInviteMax,
		InviteWindow:       DefaultInviteWindow,
		AlertCooldown:      DefaultAlertCooldown,
		PassphraseWindow:   DefaultPassphraseWindow,
		ReviewTimeout:      DefaultReviewTimeout,
	}
}

// Limits on Policy values, so that state stays small and times fit.
const (
	maxWarnLimit    = 1000
	maxFloodN       = 1000
	maxRepeatN      = 1000
	maxDailyReports = 1000
	maxDailyPosts   = 100000
	maxInvites      = 1000
	maxFloodWindow  = 24 * time.Hour // flood times are kept as uint32 milliseconds
)

// withDefaults returns p with zero fields replaced by their defaults.
func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	if p.Language == "" {
		p.Language = d.Language
	}
	setInt(&p.WarnLimit, d.WarnLimit)
	setInt(&p.FloodMessages, d.FloodMessages)
	setInt(&p.RepeatMessages, d.RepeatMessages)
	setInt(&p.DailyReportsMax, d.DailyReportsMax)
	setInt(&p.DailyPostsMax, d.DailyPostsMax)
	setDur(&p.WarnTTL, d.WarnTTL)
	setDur(&p.FloodWindow, d.FloodWindow)
	setDur(&p.RepeatWindow, d.RepeatWindow)
	setDur(&p.WelcomeWindow, d.WelcomeWindow)
	setDur(&p.WelcomeMax, d.WelcomeMax)
	setDur(&p.NicknameGrace, d.NicknameGrace)
	setDur(&p.ReplyCooldown, d.ReplyCooldown)
	setDur(&p.GroupReplyCooldown, d.GroupReplyCooldown)
	setDur(&p.RemoveCooldown, d.RemoveCooldown)
	setDur(&p.DisputeSLA, d.DisputeSLA)
	setDur(&p.MaxSkew, d.MaxSkew)
	setDur(&p.DedupeWindow, d.DedupeWindow)
	setInt(&p.InviteMax, d.InviteMax)
	setDur(&p.InviteWindow, d.InviteWindow)
	setDur(&p.AlertCooldown, d.AlertCooldown)
	setDur(&p.PassphraseWindow, d.PassphraseWindow)
	setDur(&p.ReviewTimeout, d.ReviewTimeout)
	if p.CompetitorReaction == ReactDefault {
		p.CompetitorReaction = d.CompetitorReaction
	}
	if p.TransferReaction == ReactDefault {
		p.TransferReaction = d.TransferReaction
	}
	if p.Nickname == "" {
		p.Nickname = d.Nickname
	}
	return p
}

func setInt(v *int, d int) {
	if *v == 0 {
		*v = d
	}
}

func setDur(v *time.Duration, d time.Duration) {
	if *v == 0 {
		*v = d
	}
}

// Validate reports the first problem of p, the one New would report, or nil
// when New(p) would succeed: zero fields stand for their defaults; a
// negative or out-of-range number, a duration below 1ms (Never only as
// WarnTTL), an empty keyword or admin, a keyword that is nothing but noise,
// an unknown rule name or placeholder are errors. The error names the field
// by its JSON key and carries the bad value, as in
// `rules: policy: warn_limit -1 must be in 1..1000` or
// `rules: policy: replies[0].keywords[1] " " is empty`. Validate costs as
// much as New: it compiles the keywords.
func (p Policy) Validate() error {
	if _, err := compilePolicy(p); err != nil {
		return fmt.Errorf("rules: policy: %v", err)
	}
	return nil
}

// compilePolicy fills the defaults of p, checks it and compiles it into an
// engine without state. Its errors lack the "rules: policy: " prefix.
func compilePolicy(p Policy) (*Engine, error) {
	p = clonePolicy(p).withDefaults()
	if err := p.check(); err != nil {
		return nil, err
	}
	e := &Engine{policy: p}
	if err := e.compile(); err != nil {
		return nil, err
	}
	return e, nil
}

// check checks a policy whose defaults are filled in. Keyword lists are
// checked further by the matcher, in compile. The errors name fields by
// their JSON keys, without the package prefix.
func (p *Policy) check() error {
	if _, err := language.Parse(p.Language); err != nil {
		return fmt.Errorf("language %q: %v", p.Language, err)
	}
	for id, name := range p.GroupNames {
		if id == "" {
			return fmt.Errorf("group_names has an empty group id (named %q)", name)
		}
	}
	if err := checkList("self", p.Self, true); err != nil {
		return err
	}
	if err := checkList("admins", p.Admins, true); err != nil {
		return err
	}
	if err := checkList("prohibited", p.Prohibited, false); err != nil {
		return err
	}
	if err := checkList("warnable", p.Warnable, false); err != nil {
		return err
	}
	if err := checkList("competitors", p.Competitors, false); err != nil {
		return err
	}
	if err := checkList("passphrases", p.Passphrases, false); err != nil {
		return err
	}
	if err := checkList("promotions", p.Promotions, false); err != nil {
		return err
	}
	for _, r := range []struct {
		key string
		v   Reaction
	}{{"competitor_reaction", p.CompetitorReaction}, {"transfer_reaction", p.TransferReaction}} {
		if r.v < ReactDefault || r.v > ReactRemove {
			return fmt.Errorf("%s %d is not a reaction (want one of %s)", r.key, int(r.v), strings.Join(reactionWords[1:], ", "))
		}
	}
	for i, d := range p.AllowedDomains {
		if normDomain(d) == "" {
			return fmt.Errorf("allowed_domains[%d] %q is not a domain", i, d)
		}
	}
	ints := []struct {
		key      string
		v, lo, h int
	}{
		{"warn_limit", p.WarnLimit, 1, maxWarnLimit},
		{"flood_messages", p.FloodMessages, 2, maxFloodN},
		{"repeat_messages", p.RepeatMessages, 2, maxRepeatN},
		{"daily_reports_max", p.DailyReportsMax, 1, maxDailyReports},
		{"daily_posts_max", p.DailyPostsMax, 1, maxDailyPosts},
		{"invite_max", p.InviteMax, 1, maxInvites},
	}
	for _, c := range ints {
		if c.v < c.lo || c.v > c.h {
			return fmt.Errorf("%s %d must be in %d..%d", c.key, c.v, c.lo, c.h)
		}
	}
	durs := []struct {
		key string
		v   time.Duration
	}{
		{"warn_ttl", p.WarnTTL}, {"flood_window", p.FloodWindow}, {"repeat_window", p.RepeatWindow},
		{"welcome_window", p.WelcomeWindow}, {"welcome_max", p.WelcomeMax},
		{"nickname_grace", p.NicknameGrace}, {"reply_cooldown", p.ReplyCooldown},
		{"group_reply_cooldown", p.GroupReplyCooldown}, {"remove_cooldown", p.RemoveCooldown},
		{"dispute_sla", p.DisputeSLA}, {"max_skew", p.MaxSkew}, {"dedupe_window", p.DedupeWindow},
		{"invite_window", p.InviteWindow}, {"alert_cooldown", p.AlertCooldown},
		{"passphrase_window", p.PassphraseWindow}, {"review_timeout", p.ReviewTimeout},
	}
	if p.BlacklistTTL != 0 {
		durs = append(durs, struct {
			key string
			v   time.Duration
		}{"blacklist_ttl", p.BlacklistTTL})
	}
	for _, c := range durs {
		switch {
		case c.v == Never && (c.key == "warn_ttl" || c.key == "blacklist_ttl"):
		case c.v == Never:
			return fmt.Errorf("%s is never: only warn_ttl and blacklist_ttl may be never", c.key)
		case c.v < time.Millisecond:
			return fmt.Errorf("%s %s must be at least 1ms", c.key, formatDuration(c.v))
		}
	}
	if p.FloodWindow > maxFloodWindow {
		return fmt.Errorf("flood_window %s must be at most %s", formatDuration(p.FloodWindow), formatDuration(maxFloodWindow))
	}
	if p.WelcomeWindow > p.WelcomeMax {
		return fmt.Errorf("welcome_window %s must not exceed welcome_max %s", formatDuration(p.WelcomeWindow), formatDuration(p.WelcomeMax))
	}
	if _, err := regexp.Compile(p.Nickname); err != nil {
		return fmt.Errorf("nickname %q: %v", p.Nickname, err)
	}
	for i, r := range p.Replies {
		if len(r.Keywords) == 0 {
			return fmt.Errorf("replies[%d].keywords is empty", i)
		}
		if err := checkList(fmt.Sprintf("replies[%d].keywords", i), r.Keywords, false); err != nil {
			return err
		}
		if strings.TrimSpace(r.Text) == "" {
			return fmt.Errorf("replies[%d].text is empty", i)
		}
		key := replyKey(r)
		if j := slices.IndexFunc(p.Replies[:i], func(o AutoReply) bool { return replyKey(o) == key }); j >= 0 {
			return fmt.Errorf("replies[%d] has the key %q of replies[%d] (see AutoReply.Name)", i, key, j)
		}
	}
	for i, name := range p.Off {
		if !slices.Contains(ruleNames[:], name) {
			return fmt.Errorf("off[%d] %q is not a rule (want one of %s)", i, name, strings.Join(ruleNames[:], ", "))
		}
	}
	return p.Texts.validate()
}

// replyKey is the key of r's cooldowns: its name, or its keywords.
func replyKey(r AutoReply) string {
	if r.Name != "" {
		return r.Name
	}
	return "keywords:" + strings.Join(r.Keywords, "|")
}

func checkList(field string, list []string, unique bool) error {
	for i, s := range list {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s[%d] %q is empty", field, i, s)
		}
		if unique && slices.Contains(list[:i], s) {
			return fmt.Errorf("%s[%d] %q is listed twice", field, i, s)
		}
	}
	return nil
}

// normDomain lower-cases a domain and strips a leading "*." or "."; it
// returns "" when d is not made of letters, digits, '-' and '.' labels.
func normDomain(d string) string {
	d = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), "*"), ".")
	if d == "" || strings.HasSuffix(d, ".") || strings.Contains(d, "..") {
		return ""
	}
	for i := 0; i < len(d); i++ {
		if !isHostByte(d[i]) {
			return ""
		}
	}
	return d
}

// policyJSON is the JSON form of a Policy: snake_case keys, durations as
// strings.
type policyJSON struct {
	Language           string            `json:"language,omitempty"`
	GroupNames         map[string]string `json:"group_names,omitempty"`
	Self               []string          `json:"self,omitempty"`
	Admins             []string          `json:"admins,omitempty"`
	Prohibited         []string          `json:"prohibited,omitempty"`
	Warnable           []string          `json:"warnable,omitempty"`
	ProhibitedMatch    KeywordMatch      `json:"prohibited_match,omitzero"`
	WarnableMatch      KeywordMatch      `json:"warnable_match,omitzero"`
	AllowedDomains     []string          `json:"allowed_domains,omitempty"`
	WarnLimit          int               `json:"warn_limit,omitempty"`
	WarnTTL            duration          `json:"warn_ttl,omitempty"`
	Recall             bool              `json:"recall,omitempty"`
	FloodMessages      int               `json:"flood_messages,omitempty"`
	FloodWindow        duration          `json:"flood_window,omitempty"`
	RepeatMessages     int               `json:"repeat_messages,omitempty"`
	RepeatWindow       duration          `json:"repeat_window,omitempty"`
	WelcomeWindow      duration          `json:"welcome_window,omitempty"`
	WelcomeMax         duration          `json:"welcome_max,omitempty"`
	Nickname           string            `json:"nickname,omitempty"`
	NicknameGrace      duration          `json:"nickname_grace,omitempty"`
	Replies            []replyJSON       `json:"replies,omitempty"`
	ReplyCooldown      duration          `json:"reply_cooldown,omitempty"`
	GroupReplyCooldown duration          `json:"group_reply_cooldown,omitempty"`
	RemoveCooldown     duration          `json:"remove_cooldown,omitempty"`
	DisputeSLA         duration          `json:"dispute_sla,omitempty"`
	DailyReportsMax    int               `json:"daily_reports_max,omitempty"`
	DailyPostsMax      int               `json:"daily_posts_max,omitempty"`
	BlacklistTTL       duration          `json:"blacklist_ttl,omitempty"`
	MaxSkew            duration          `json:"max_skew,omitempty"`
	DedupeWindow       duration          `json:"dedupe_window,omitempty"`
	Competitors        []string          `json:"competitors,omitempty"`
	CompetitorsMatch   KeywordMatch      `json:"competitors_match,omitzero"`
	CompetitorReaction Reaction          `json:"competitor_reaction,omitempty"`
	TransferReaction   Reaction          `json:"transfer_reaction,omitempty"`
	InviteMax          int               `json:"invite_max,omitempty"`
	InviteWindow       duration          `json:"invite_window,omitempty"`
	AlertCooldown      duration          `json:"alert_cooldown,omitempty"`
	Passphrases        []string          `json:"passphrases,omitempty"`
	PassphraseWindow   duration          `json:"passphrase_window,omitempty"`
	Promotions         []string          `json:"promotions,omitempty"`
	PromotionsMatch    KeywordMatch      `json:"promotions_match,omitzero"`
	ReviewTimeout      duration          `json:"review_timeout,omitempty"`
	LockTitle          bool              `json:"lock_title,omitempty"`
	Version            string            `json:"version,omitempty"`
	Off                []string          `json:"off,omitempty"`
	Texts              *textsJSON        `json:"texts,omitempty"`
}

type replyJSON struct {
	Name     string       `json:"name,omitempty"`
	Keywords []string     `json:"keywords"`
	Text     string       `json:"text"`
	Match    KeywordMatch `json:"match,omitzero"`
}

// duration is a Policy duration in JSON: a Go duration string written the
// short way ("15m", "720h", "1.5s"), or "never" for Never. Zero fields are
// left out.
type duration time.Duration

// MarshalText implements encoding.TextMarshaler.
func (d duration) MarshalText() ([]byte, error) {
	return []byte(formatDuration(time.Duration(d))), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *duration) UnmarshalText(b []byte) error {
	if string(b) == "never" {
		*d = duration(Never)
		return nil
	}
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like \"15m\", \"168h\" or \"never\"", b)
	}
	*d = duration(v)
	return nil
}

// formatDuration writes d as the JSON does: "15m", "1h30m", "720h", "10s",
// "1.5s", and Never as "never".
func formatDuration(d time.Duration) string {
	if d == Never {
		return "never"
	}
	return jsonx.FormatDuration(d)
}

// MarshalJSON writes p with snake_case keys, omitting zero fields, and
// durations as strings such as "15m" or "720h" (Never as "never").
func (p Policy) MarshalJSON() ([]byte, error) {
	j := policyJSON{
		Language: p.Language, GroupNames: p.GroupNames, Admins: p.Admins, Prohibited: p.Prohibited,
		Warnable: p.Warnable, ProhibitedMatch: p.ProhibitedMatch, WarnableMatch: p.WarnableMatch, AllowedDomains: p.AllowedDomains, WarnLimit: p.WarnLimit,
		WarnTTL: duration(p.WarnTTL), Recall: p.Recall, FloodMessages: p.FloodMessages,
		FloodWindow: duration(p.FloodWindow), RepeatMessages: p.RepeatMessages,
		RepeatWindow: duration(p.RepeatWindow), WelcomeWindow: duration(p.WelcomeWindow),
		WelcomeMax: duration(p.WelcomeMax), Nickname: p.Nickname, NicknameGrace: duration(p.NicknameGrace),
		ReplyCooldown: duration(p.ReplyCooldown), RemoveCooldown: duration(p.RemoveCooldown),
		GroupReplyCooldown: duration(p.GroupReplyCooldown), DailyReportsMax: p.DailyReportsMax, DailyPostsMax: p.DailyPostsMax,
		DisputeSLA: duration(p.DisputeSLA), Off: p.Off, Self: p.Self, MaxSkew: duration(p.MaxSkew),
		DedupeWindow: duration(p.DedupeWindow), BlacklistTTL: duration(p.BlacklistTTL),
		Competitors: p.Competitors, CompetitorsMatch: p.CompetitorsMatch, CompetitorReaction: p.CompetitorReaction,
		TransferReaction: p.TransferReaction, InviteMax: p.InviteMax, InviteWindow: duration(p.InviteWindow),
		AlertCooldown: duration(p.AlertCooldown), Passphrases: p.Passphrases, PassphraseWindow: duration(p.PassphraseWindow),
		Promotions: p.Promotions, PromotionsMatch: p.PromotionsMatch, ReviewTimeout: duration(p.ReviewTimeout),
		LockTitle: p.LockTitle, Version: p.Version,
	}
	for _, r := range p.Replies {
		j.Replies = append(j.Replies, replyJSON(r))
	}
	if !p.Texts.isZero() {
		t := p.Texts.toJSON()
		j.Texts = &t
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes, strictly: a key that is
// unknown, given twice or spelled in another case ("WarnLimit",
// "Warn_Limit") and a malformed duration are errors that name the key, as
// in `rules: policy: duplicate key "admins"`. The values themselves are
// checked by Validate and New. On error p is left unchanged.
func (p *Policy) UnmarshalJSON(data []byte) error {
	q, err := decodePolicy(data)
	if err != nil {
		return fmt.Errorf("rules: policy: %v", err)
	}
	*p = q
	return nil
}

// decodePolicy reads a policy; its errors lack the package prefix.
func decodePolicy(data []byte) (Policy, error) {
	var j policyJSON
	if err := jsonx.Unmarshal(data, &j); err != nil {
		return Policy{}, err
	}
	q := Policy{
		Language: j.Language, GroupNames: j.GroupNames, Admins: j.Admins, Prohibited: j.Prohibited,
		Warnable: j.Warnable, ProhibitedMatch: j.ProhibitedMatch, WarnableMatch: j.WarnableMatch, AllowedDomains: j.AllowedDomains, WarnLimit: j.WarnLimit,
		WarnTTL: time.Duration(j.WarnTTL), Recall: j.Recall, FloodMessages: j.FloodMessages,
		FloodWindow: time.Duration(j.FloodWindow), RepeatMessages: j.RepeatMessages,
		RepeatWindow: time.Duration(j.RepeatWindow), WelcomeWindow: time.Duration(j.WelcomeWindow),
		WelcomeMax: time.Duration(j.WelcomeMax), Nickname: j.Nickname, NicknameGrace: time.Duration(j.NicknameGrace),
		ReplyCooldown: time.Duration(j.ReplyCooldown), RemoveCooldown: time.Duration(j.RemoveCooldown),
		GroupReplyCooldown: time.Duration(j.GroupReplyCooldown), DailyReportsMax: j.DailyReportsMax, DailyPostsMax: j.DailyPostsMax,
		DisputeSLA: time.Duration(j.DisputeSLA), Off: j.Off, Self: j.Self, MaxSkew: time.Duration(j.MaxSkew),
		DedupeWindow: time.Duration(j.DedupeWindow), BlacklistTTL: time.Duration(j.BlacklistTTL),
		Competitors: j.Competitors, CompetitorsMatch: j.CompetitorsMatch, CompetitorReaction: j.CompetitorReaction,
		TransferReaction: j.TransferReaction, InviteMax: j.InviteMax, InviteWindow: time.Duration(j.InviteWindow),
		AlertCooldown: time.Duration(j.AlertCooldown), Passphrases: j.Passphrases, PassphraseWindow: time.Duration(j.PassphraseWindow),
		Promotions: j.Promotions, PromotionsMatch: j.PromotionsMatch, ReviewTimeout: time.Duration(j.ReviewTimeout),
		LockTitle: j.LockTitle, Version: j.Version,
	}
	for _, r := range j.Replies {
		q.Replies = append(q.Replies, AutoReply(r))
	}
	if j.Texts != nil {
		q.Texts = j.Texts.fromJSON()
	}
	// Empty maps are omitted when written: read them as nil, so that a
	// policy round-trips.
	if len(q.GroupNames) == 0 {
		q.GroupNames = nil
	}
	if len(q.Texts.Reasons) == 0 {
		q.Texts.Reasons = nil
	}
	return q, nil
}
