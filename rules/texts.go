package rules

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Texts overrides the templates of the messages the bot sends. An empty
// field keeps the template of the policy's language. A template is plain
// text with placeholders in braces; each template accepts only the
// placeholders listed on its field, and New rejects any other.
//
// {member} is the member's id; {name} their display name, as the last
// roster, join or rename event gave it, or the id when none did or the
// name is not safe to repeat (it holds a prohibited or warnable keyword or
// an outside link, control characters, or more than 32 characters: a
// member chooses their name). {names} are the display names of the
// welcomed, at most WelcomeNamesMax, then "and N more".
type Texts struct {
	// Welcome greets a batch of newcomers: {names} {group}.
	Welcome string
	// Warn warns a member: {name} {member} {group} {level} {limit} {reason}.
	Warn string
	// Remove announces a removal: {name} {member} {group} {reason}.
	Remove string
	// Remind asks a member for a nickname that fits: {name} {member} {group}.
	Remind string
	// Notify tells the first admin of a new dispute:
	// {admin} {name} {member} {reporter} {group} {sla}.
	Notify string
	// Escalate tells the next admin of an unanswered dispute:
	// {admin} {name} {member} {reporter} {group} {waited}.
	Escalate string
	// Rejoin tells the first admin that a blacklisted member tried to join:
	// {admin} {name} {member} {group}.
	Rejoin string
	// Passphrase reminds a newcomer to send the join passphrase:
	// {name} {member} {group} {window}.
	Passphrase string
	// Invite alerts the first admin to a member adding people too fast:
	// {admin} {name} {member} {group} {n} {window}.
	Invite string
	// Alert tells the first admin of a transfer or a competitor's name:
	// {admin} {name} {member} {group} {reason}.
	Alert string
	// Hold tells a member that their promotion awaits an admin:
	// {name} {member} {group} {review}.
	Hold string
	// Review asks the first admin to approve or reject a promotion:
	// {admin} {name} {member} {group} {review} {text}.
	Review string
	// Approved posts an approved promotion: {name} {member} {group} {text}.
	Approved string
	// Rejected tells a member that their promotion was turned down, or
	// that no admin answered in time: {name} {member} {group} {review}.
	Rejected string
	// Title tells each admin that a member who is not one renamed the
	// group while Policy.LockTitle is on; {text} is the name they tried:
	// {admin} {name} {member} {group} {text}.
	Title string
	// Reasons maps a rule name (RuleLink...) to the {reason} of its warnings
	// and removals. It takes no placeholders.
	Reasons map[string]string
}

func (t Texts) isZero() bool {
	return t.Welcome == "" && t.Warn == "" && t.Remove == "" && t.Remind == "" && t.Notify == "" &&
		t.Escalate == "" && t.Rejoin == "" && t.Passphrase == "" && t.Invite == "" && t.Alert == "" &&
		t.Hold == "" && t.Review == "" && t.Approved == "" && t.Rejected == "" && t.Title == "" && len(t.Reasons) == 0
}

type textsJSON struct {
	Welcome    string            `json:"welcome,omitempty"`
	Warn       string            `json:"warn,omitempty"`
	Remove     string            `json:"remove,omitempty"`
	Remind     string            `json:"remind,omitempty"`
	Notify     string            `json:"notify,omitempty"`
	Escalate   string            `json:"escalate,omitempty"`
	Rejoin     string            `json:"rejoin,omitempty"`
	Passphrase string            `json:"passphrase,omitempty"`
	Invite     string            `json:"invite,omitempty"`
	Alert      string            `json:"alert,omitempty"`
	Hold       string            `json:"hold,omitempty"`
	Review     string            `json:"review,omitempty"`
	Approved   string            `json:"approved,omitempty"`
	Rejected   string            `json:"rejected,omitempty"`
	Title      string            `json:"title,omitempty"`
	Reasons    map[string]string `json:"reasons,omitempty"`
}

func (t Texts) toJSON() textsJSON   { return textsJSON(t) }
func (j textsJSON) fromJSON() Texts { return Texts(j) }

// Placeholder ids.
const (
	phNames = iota
	phGroup
	phMember
	phLevel
	phLimit
	phReason
	phAdmin
	phReporter
	phSLA
	phWaited
	phN
	phName
	phWindow
	phReview
	phText
	numPh
)

var phNamesTable = [numPh]string{"names", "group", "member", "level", "limit", "reason", "admin", "reporter", "sla", "waited", "n", "name",
	"window", "review", "text"}

// Template keys, in the catalog and in the compiled table.
const (
	tWelcome = iota
	tWarn
	tRemove
	tRemind
	tNotify
	tEscalate
	tRejoin
	tPassphrase
	tInvite
	tAlert
	tHold
	tReview
	tApproved
	tRejected
	tTitle
	numT
)

type textField struct {
	key   string // catalog key, and JSON key in errors
	v     *string
	allow []int
}

// fields lists the templates of t, indexed by template key.
func (t *Texts) fields() []textField {
	return []textField{
		tWelcome:    {"welcome", &t.Welcome, []int{phNames, phGroup}},
		tWarn:       {"warn", &t.Warn, []int{phName, phMember, phGroup, phLevel, phLimit, phReason}},
		tRemove:     {"remove", &t.Remove, []int{phName, phMember, phGroup, phReason}},
		tRemind:     {"remind", &t.Remind, []int{phName, phMember, phGroup}},
		tNotify:     {"notify", &t.Notify, []int{phAdmin, phName, phMember, phReporter, phGroup, phSLA}},
		tEscalate:   {"escalate", &t.Escalate, []int{phAdmin, phName, phMember, phReporter, phGroup, phWaited}},
		tRejoin:     {"rejoin", &t.Rejoin, []int{phAdmin, phName, phMember, phGroup}},
		tPassphrase: {"passphrase", &t.Passphrase, []int{phName, phMember, phGroup, phWindow}},
		tInvite:     {"invite", &t.Invite, []int{phAdmin, phName, phMember, phGroup, phN, phWindow}},
		tAlert:      {"alert", &t.Alert, []int{phAdmin, phName, phMember, phGroup, phReason}},
		tHold:       {"hold", &t.Hold, []int{phName, phMember, phGroup, phReview}},
		tReview:     {"review", &t.Review, []int{phAdmin, phName, phMember, phGroup, phReview, phText}},
		tApproved:   {"approved", &t.Approved, []int{phName, phMember, phGroup, phText}},
		tRejected:   {"rejected", &t.Rejected, []int{phName, phMember, phGroup, phReview}},
		tTitle:      {"title", &t.Title, []int{phAdmin, phName, phMember, phGroup, phText}},
	}
}

// reasonRules are the rules whose name can be a {reason}.
var reasonRules = [...]string{RuleLink, RuleCard, RuleKeyword, RuleFlood, RuleRepeat, RuleProhibited, RuleBlacklist, RuleManual,
	RuleCompetitor, RuleTransfer, RulePassphrase}

func (t Texts) validate() error {
	for _, f := range t.fields() {
		if *f.v == "" {
			continue
		}
		if _, err := compileTemplate(*f.v, f.allow); err != nil {
			return fmt.Errorf("texts.%s: %v", f.key, err)
		}
	}
	for _, rule := range slices.Sorted(maps.Keys(t.Reasons)) {
		if !slices.Contains(reasonRules[:], rule) {
			return fmt.Errorf("texts.reasons[%q]: not a rule with a reason (want one of %s)", rule, strings.Join(reasonRules[:], ", "))
		}
		if strings.ContainsAny(t.Reasons[rule], "{}") {
			return fmt.Errorf("texts.reasons[%q] %q: reasons take no placeholders", rule, t.Reasons[rule])
		}
	}
	return nil
}

// The built-in texts. The Chinese welcome is the seed's own (F5).
var builtin = map[language.Tag]map[string]string{
	language.SimplifiedChinese: {
		"welcome":           "欢迎{names}加入{group}!请阅读群公告→修改昵称为【城市-昵称】",
		"warn":              "@{name} 第{level}次警告(满{limit}次将被移出群聊):{reason}",
		"remove":            "{name} 已被移出{group}:{reason}",
		"remind":            "@{name} 请将群昵称修改为【城市-昵称】",
		"notify":            "{group}有新的争议:{reporter} 举报了 {name},请在{sla}内处理",
		"escalate":          "{group}的争议已等待{waited}无人处理:{reporter} 举报了 {name},请尽快处理",
		"rejoin":            "黑名单成员 {name} 试图加入{group},已将其移出",
		"group":             "本群",
		"sep":               "、",
		"more":              "等{n}人",
		"minutes":           "{n}分钟",
		"reason.link":       "请勿发布外部链接",
		"reason.card":       "请勿推送名片",
		"reason.keyword":    "请勿发布广告",
		"reason.flood":      "请勿刷屏",
		"reason.repeat":     "请勿重复发送相同内容",
		"reason.prohibited": "发布违禁内容",
		"reason.blacklist":  "黑名单成员",
		"reason.manual":     "管理员警告",
		"reason.competitor": "请勿讨论竞品",
		"reason.transfer":   "请勿在群内转账或发红包",
		"reason.passphrase": "未发送入群暗号",
		"passphrase":        "@{name} 请在{window}内发送入群暗号,否则将被移出{group}",
		"invite":            "{group}风险提示:{name} 在{window}内邀请了{n}人入群,请核实是否异常加人",
		"alert":             "{group}风险提示:{name} 的消息触犯「{reason}」,请查看",
		"hold":              "@{name} 你的推广已提交管理员审核(编号{review})",
		"review":            "{group}:{name} 申请发布推广(编号{review}),请批准或拒绝:{text}",
		"approved":          "经管理员批准,{name} 的推广:{text}",
		"rejected":          "@{name} 你的推广(编号{review})未获管理员批准",
		"title":             "{group}:{name} 将群名改为「{text}」;群名已锁定,只有管理员可以修改",
	},
	language.English: {
		"welcome":           "Welcome {names} to {group}! Please read the announcement and rename yourself to 【City-Nickname】.",
		"warn":              "@{name} warning {level} of {limit}: {reason}.",
		"remove":            "{name} was removed from {group}: {reason}.",
		"remind":            "@{name} please set your group nickname to 【City-Nickname】.",
		"notify":            "New dispute in {group}: {reporter} reported {name}. Please answer within {sla}.",
		"escalate":          "A dispute in {group} has waited {waited} for an answer: {reporter} reported {name}. Please answer.",
		"rejoin":            "Blacklisted member {name} tried to join {group} and was removed.",
		"group":             "the group",
		"sep":               ", ",
		"more":              " and {n} more",
		"minutes":           "{n} min",
		"reason.link":       "no outside links",
		"reason.card":       "no name cards",
		"reason.keyword":    "no advertising",
		"reason.flood":      "no flooding",
		"reason.repeat":     "no repeated messages",
		"reason.prohibited": "prohibited content",
		"reason.blacklist":  "blacklisted",
		"reason.manual":     "warned by an admin",
		"reason.competitor": "no talk of competitors",
		"reason.transfer":   "no transfers or red packets in the group",
		"reason.passphrase": "no join passphrase",
		"passphrase":        "@{name} please send the join passphrase within {window}, or you will be removed from {group}.",
		"invite":            "Risk in {group}: {name} invited {n} people within {window}. Please check for unusual adding.",
		"alert":             "Risk in {group}: a message of {name} breaks \"{reason}\". Please check.",
		"hold":              "@{name} your promotion awaits an admin's approval (review {review}).",
		"review":            "{group}: {name} asks to post a promotion (review {review}). Please approve or reject: {text}",
		"approved":          "Approved by an admin, a promotion of {name}: {text}",
		"rejected":          "@{name} your promotion (review {review}) was not approved.",
		"title":             "{name} renamed {group} to \"{text}\", but the group name is locked: only admins may rename it.",
	},
}

// textTags are the languages of builtin, in the order textMatcher returns
// their indices.
var textTags = []language.Tag{language.SimplifiedChinese, language.English}

// textCatalog holds the built-in texts; it is built once and only read.
var textCatalog, textMatcher = buildCatalog()

func buildCatalog() (catalog.Catalog, language.Matcher) {
	b := catalog.NewBuilder(catalog.Fallback(language.SimplifiedChinese))
	for _, tag := range textTags {
		for k, v := range builtin[tag] {
			if err := b.SetString(tag, k, v); err != nil {
				panic("rules: building the text catalog: " + err.Error()) // a bug in the table above
			}
		}
	}
	return b, language.NewMatcher(textTags)
}

// texts is the compiled form of the templates of one engine.
type texts struct {
	tmpl     [numT]template
	group    string // the name of a group without a name
	sep      string // between welcomed names
	minutes  template
	more     template // after the names of a Welcome: "and {n} more"
	reasons  map[string]string
	groupMap map[string]string
}

// compileTexts resolves the templates of the language that best matches
// lang through the catalog, then applies the overrides. It runs once, in New:
// Handle and Tick never touch the catalog.
func compileTexts(lang string, over Texts, groups map[string]string) (*texts, error) {
	want, err := language.Parse(lang)
	if err != nil {
		return nil, fmt.Errorf("language %q: %v", lang, err)
	}
	_, idx, _ := textMatcher.Match(want)
	pr := message.NewPrinter(textTags[idx], message.Catalog(textCatalog))
	get := func(key string) string { return pr.Sprintf(key) }

	t := &texts{group: get("group"), sep: get("sep"), reasons: map[string]string{}, groupMap: groups}
	for i, f := range over.fields() {
		src := *f.v
		if src == "" {
			src = get(f.key)
		}
		tp, err := compileTemplate(src, f.allow)
		if err != nil {
			return nil, fmt.Errorf("texts.%s: %v", f.key, err)
		}
		t.tmpl[i] = tp
	}
	if t.minutes, err = compileTemplate(get("minutes"), []int{phN}); err != nil {
		return nil, err
	}
	if t.more, err = compileTemplate(get("more"), []int{phN}); err != nil {
		return nil, err
	}
	for _, r := range reasonRules {
		t.reasons[r] = get("reason." + r)
		if s, ok := over.Reasons[r]; ok && s != "" {
			t.reasons[r] = s
		}
	}
	return t, nil
}

func (t *texts) groupName(id string) string {
	if n, ok := t.groupMap[id]; ok && n != "" {
		return n
	}
	return t.group
}

// duration renders d in whole minutes when it is one, else in Go's syntax.
func (t *texts) duration(d time.Duration) string {
	if d%time.Minute == 0 {
		var v [numPh]string
		v[phN] = strconv.FormatInt(int64(d/time.Minute), 10)
		return t.minutes.render(&v)
	}
	return formatDuration(d)
}

// template is a compiled text: literal parts and placeholder ids in turn.
type template []segment

type segment struct {
	lit string
	ph  int // -1: literal only
}

// compileTemplate splits s at its {placeholders}, which must be in allow.
func compileTemplate(s string, allow []int) (template, error) {
	var out template
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			if strings.IndexByte(s, '}') >= 0 {
				return nil, fmt.Errorf("unmatched } in %q", s)
			}
			out = append(out, segment{lit: s, ph: -1})
			break
		}
		if strings.IndexByte(s[:i], '}') >= 0 {
			return nil, fmt.Errorf("unmatched } in %q", s)
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed { in %q", s)
		}
		name := s[i+1 : i+j]
		ph := slices.Index(phNamesTable[:], name)
		if ph < 0 || !slices.Contains(allow, ph) {
			names := make([]string, len(allow))
			for k, a := range allow {
				names[k] = "{" + phNamesTable[a] + "}"
			}
			return nil, fmt.Errorf("unknown placeholder {%s} (this text takes %s)", name, strings.Join(names, " "))
		}
		out = append(out, segment{lit: s[:i], ph: ph})
		s = s[i+j+1:]
	}
	return out, nil
}

func (t template) render(v *[numPh]string) string {
	var b strings.Builder
	for _, s := range t {
		b.WriteString(s.lit)
		if s.ph >= 0 {
			b.WriteString(v[s.ph])
		}
	}
	return b.String()
}
