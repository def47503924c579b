package rules

import (
	"errors"
	"fmt"
	"maps"
	"math/bits"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules/keyword"
)

// Engine applies a Policy to the events of any number of groups. Create it
// with New; the zero Engine is only good as the target of UnmarshalJSON.
//
// An Engine is not safe for concurrent use: see the package documentation
// for sharding by group or wrapping it in a mutex.
type Engine struct {
	policy Policy // defaults filled in; never modified

	// Compiled policy.
	off      [numRuleIDs]bool
	admins   map[string]struct{}
	kw       *keyword.Matcher // nil when there are no keywords
	kwClass  []int32          // per pattern: classProhibited, classWarnable or a reply index
	domains  []string
	nick     *regexp.Regexp
	tx       *texts
	replyIDs []string // Action.Rule per reply
	limit    int
	ttl      int64 // ms; -1 for Never
	floodN   int
	floodW   int64
	repeatN  int
	repeatW  int64
	welcomeW int64
	welcomeM int64
	grace    int64
	cooldown int64
	groupCD  int64
	removeCD int64
	sla      int64
	maxSkew  int64
	dedupeW  int64
	banTTL   int64 // ms; -1 for never
	inviteN  int
	inviteW  int64
	alertCD  int64
	passW    int64
	reviewT  int64

	// State.
	clock       int64 // the newest time seen: accepted events and Ticks (Unix ms)
	clocked     bool  // clock is set
	ids         dedupe
	groups      map[string]*group
	blacklist   map[string]*ban
	disputes    map[pair]*dispute
	audit       []Record
	timers      timerHeap
	reports     reportLog        // disputes opened per reporter within a day
	nextSweep   int64            // when Tick next drops idle members (Unix ms); 0 at the first Tick
	timersBuilt int              // len(timers) after the last rebuild
	reviews     map[pair]*review // held promotions (F6), one per member and group
	lastReview  int              // the id of the newest review opened
	scratch     []keyword.Match
}

const (
	classProhibited = -1
	classWarnable   = -2
	classCompetitor = -3
	classPassphrase = -4
	classPromotion  = -5
)

// Rule ids index Engine.off.
const (
	idLink = iota
	idCard
	idKeyword
	idFlood
	idRepeat
	idProhibited
	idBlacklist
	idManual
	idWelcome
	idNickname
	idReply
	idDispute
	idCompetitor
	idTransfer
	idInvite
	idPassphrase
	idPromotion
	idTitle
	numRuleIDs
)

// pair names a member of a group.
type pair struct{ group, member string }

type group struct {
	members map[string]*member
	welcome *batch
	names   map[string]string // display names learnt from roster, join and rename events
	replied []mark            // per reply (tag): the end of its group cooldown
	postDay int64             // the calendar day of posts (days since 1970-01-01, Asia/Shanghai)
	posts   int               // the bot's own messages on postDay
	title   string            // the group's name as an admin or the bot set it last; "" for unknown
	titleAt int64             // when title was set (Unix ms)
}

// empty reports whether g holds nothing worth keeping.
func (g *group) empty() bool {
	return len(g.members) == 0 && g.welcome == nil && len(g.names) == 0 && len(g.replied) == 0 && g.posts == 0 &&
		g.title == ""
}

// member is the state of one member of one group, 64 bytes. Times are
// Unix milliseconds. The package documentation states its full size.
type member struct {
	flood []uint32 // ms before last of recent messages, within the flood window
	marks []mark   // warnings (oldest first), reply cooldowns, a pending reminder
	last  int64    // the newest message
	// word packs the hash of the last text message (bits 16..63: the top
	// 48 bits of hashText), the identical text messages in a row (bits
	// 3..12; RepeatMessages is at most 1000, and a run that reached it stays
	// there until it breaks) and the flags (bits 0..2).
	word uint64
}

const (
	seen     uint64 = 1 << iota // last is set
	reminded                    // the one reminder went out
	flooding                    // in a flood that was warned: no second warning until it ends

	repeatShift = 3
	repeatMask  = 0x3ff << repeatShift
	hashMask    = ^uint64(0xffff)
)

// A mark is a timed entry of a member: a warning given at at, the cooldown
// of reply tag until at, the nickname reminder due at at, the passphrase
// check due at at, a join the member invited at at, or an alert to the
// admins about the member sent at at.
type mark struct {
	at  int64
	tag int32 // markWarn, markRemind, markPass, markPassLast, markInvite, an alert or a reply index
}

const (
	markWarn     = -1
	markRemind   = -2
	markPass     = -3 // the passphrase is due at at, then the reminder
	markPassLast = -4 // the passphrase is due at at, then the removal
	markInvite   = -5
	// markAlert-id is the last alert about the member for rule id.
	markAlert = -100
)

func isPassMark(tag int32) bool  { return tag == markPass || tag == markPassLast }
func isAlertMark(tag int32) bool { return tag <= markAlert }

func (m *member) repeats() int      { return int(m.word&repeatMask) >> repeatShift }
func (m *member) hash() uint64      { return m.word & hashMask }
func (m *member) has(f uint64) bool { return m.word&f != 0 }

func (m *member) setRepeat(h uint64, n int) {
	m.word = h&hashMask | uint64(n)<<repeatShift&repeatMask | m.word&(seen|reminded|flooding)
}

// remindAt returns the due time of the pending reminder, 0 for none.
func (m *member) remindAt() int64 {
	for _, k := range m.marks {
		if k.tag == markRemind {
			return k.at
		}
	}
	return 0
}

// setRemind sets (at > 0) or clears (at == 0) the pending reminder.
func (m *member) setRemind(at int64) {
	m.dropMarks(func(k mark) bool { return k.tag == markRemind })
	if at != 0 {
		m.marks = append(m.marks, mark{at: at, tag: markRemind})
	}
}

// dropMarks removes the marks drop reports, in place and in order; the
// slice is released when it empties.
func (m *member) dropMarks(drop func(mark) bool) {
	k := 0
	for _, x := range m.marks {
		if !drop(x) {
			m.marks[k] = x
			k++
		}
	}
	if k == 0 {
		m.marks = nil
		return
	}
	m.marks = m.marks[:k]
}

// warnings counts the warnings of m live at t under ttl (-1: never expire).
func (m *member) warnings(t, ttl int64) int {
	n := 0
	for _, k := range m.marks {
		if k.tag == markWarn && (ttl < 0 || k.at+ttl > t) {
			n++
		}
	}
	return n
}

// keepsHistory reports whether m holds warnings, cooldowns, invites or
// alerts, which outlive a membership.
func (m *member) keepsHistory() bool {
	for _, k := range m.marks {
		if k.tag != markRemind && !isPassMark(k.tag) {
			return true
		}
	}
	return false
}

type batch struct {
	first, due int64
	ids        []string // in the order they joined
}

type ban struct {
	at          int64
	group, rule string
	removed     []removal // the last Remove in each group where one was sent
	notified    int64     // the last rejoin Notify, 0 for none
}

// removal is the time of the last Remove of a blacklisted member in a group.
type removal struct {
	group string
	at    int64
}

type dispute struct {
	reporter string
	opened   int64
	next     int64 // when the next step falls due; 0 when the ladder is done
	step     int   // steps taken: 0 after the notify
	reports  int
}

// Record is an admin's act on the state: a pardon, a ban, an unban, or the
// answer to a promotion review.
type Record struct {
	Time time.Time // in UTC, to the millisecond
	// Act is "pardon", "ban", "unban", "lift" (Unban's earlier name),
	// "approve" or "reject" (a promotion review).
	Act    string
	By     string // the admin
	Group  string // the group of a pardon, ban or review; empty for an unban or lift
	Member string
}

// New validates p (see Policy.Validate, whose error it returns), fills its
// zero fields with the defaults and compiles it. Compiling costs time linear
// in the total length of the keywords (see keyword.Compile).
func New(p Policy) (*Engine, error) {
	e, err := compilePolicy(p)
	if err != nil {
		return nil, fmt.Errorf("rules: policy: %v", err)
	}
	e.reset()
	return e, nil
}

func (e *Engine) reset() {
	e.groups = map[string]*group{}
	e.blacklist = map[string]*ban{}
	e.disputes = map[pair]*dispute{}
	e.audit = nil
	e.timers = nil
	e.clock, e.clocked = 0, false
	e.ids = dedupe{}
	e.reports = reportLog{}
	e.reviews = map[pair]*review{}
	e.lastReview = 0
}

func (e *Engine) compile() error {
	p := &e.policy
	for _, name := range p.Off {
		e.off[slices.Index(ruleNames[:], name)] = true
	}
	e.admins = make(map[string]struct{}, len(p.Admins))
	for _, a := range p.Admins {
		e.admins[a] = struct{}{}
	}
	var pats []string
	opts := keyword.Options{Fold: true, SkipNoise: true}
	add := func(list []string, class int32, how KeywordMatch) {
		for _, s := range list {
			if how.WholeWord {
				opts.WholeWord = append(opts.WholeWord, len(pats))
			}
			if how.Literal {
				opts.Literal = append(opts.Literal, len(pats))
			}
			pats = append(pats, s)
			e.kwClass = append(e.kwClass, class)
		}
	}
	add(p.Prohibited, classProhibited, p.ProhibitedMatch)
	add(p.Warnable, classWarnable, p.WarnableMatch)
	add(p.Competitors, classCompetitor, p.CompetitorsMatch)
	add(p.Passphrases, classPassphrase, KeywordMatch{})
	add(p.Promotions, classPromotion, p.PromotionsMatch)
	for i, r := range p.Replies {
		add(r.Keywords, int32(i), r.Match)
		id := RuleReply
		if r.Name != "" {
			id += ":" + r.Name
		}
		e.replyIDs = append(e.replyIDs, id)
	}
	if len(pats) > 0 {
		m, err := keyword.Compile(pats, opts)
		if err != nil {
			return e.keywordError(err)
		}
		e.kw = m
	}
	for _, d := range p.AllowedDomains {
		e.domains = append(e.domains, normDomain(d))
	}
	e.nick = regexp.MustCompile(p.Nickname) // validated
	tx, err := compileTexts(p.Language, p.Texts, p.GroupNames)
	if err != nil {
		return err
	}
	e.tx = tx
	e.limit = p.WarnLimit
	e.ttl = -1
	if p.WarnTTL != Never {
		e.ttl = p.WarnTTL.Milliseconds()
	}
	e.floodN, e.floodW = p.FloodMessages, p.FloodWindow.Milliseconds()
	e.repeatN, e.repeatW = p.RepeatMessages, p.RepeatWindow.Milliseconds()
	e.welcomeW, e.welcomeM = p.WelcomeWindow.Milliseconds(), p.WelcomeMax.Milliseconds()
	e.grace = p.NicknameGrace.Milliseconds()
	e.cooldown = p.ReplyCooldown.Milliseconds()
	e.groupCD = p.GroupReplyCooldown.Milliseconds()
	e.removeCD = p.RemoveCooldown.Milliseconds()
	e.sla = p.DisputeSLA.Milliseconds()
	e.maxSkew = p.MaxSkew.Milliseconds()
	e.dedupeW = p.DedupeWindow.Milliseconds()
	e.banTTL = -1
	if p.BlacklistTTL != 0 && p.BlacklistTTL != Never {
		e.banTTL = p.BlacklistTTL.Milliseconds()
	}
	e.inviteN, e.inviteW = p.InviteMax, p.InviteWindow.Milliseconds()
	e.alertCD = p.AlertCooldown.Milliseconds()
	e.passW = p.PassphraseWindow.Milliseconds()
	e.reviewT = p.ReviewTimeout.Milliseconds()
	return nil
}

// keywordError finds the list that holds the pattern keyword.Compile
// rejected, so that the error names the field.
func (e *Engine) keywordError(err error) error {
	p := &e.policy
	type list struct {
		name string
		v    []string
		how  KeywordMatch
	}
	lists := []list{{"prohibited", p.Prohibited, p.ProhibitedMatch}, {"warnable", p.Warnable, p.WarnableMatch},
		{"competitors", p.Competitors, p.CompetitorsMatch}, {"passphrases", p.Passphrases, KeywordMatch{}},
		{"promotions", p.Promotions, p.PromotionsMatch}}
	for i, r := range p.Replies {
		lists = append(lists, list{fmt.Sprintf("replies[%d].keywords", i), r.Keywords, r.Match})
	}
	for _, l := range lists {
		if len(l.v) == 0 {
			continue
		}
		opts := keyword.Options{Fold: true, SkipNoise: true}
		for i := range l.v {
			if l.how.WholeWord {
				opts.WholeWord = append(opts.WholeWord, i)
			}
			if l.how.Literal {
				opts.Literal = append(opts.Literal, i)
			}
		}
		if _, lerr := keyword.Compile(l.v, opts); lerr != nil {
			return fmt.Errorf("%s: %v", l.name, lerr)
		}
	}
	return fmt.Errorf("keywords: %v", err)
}

func clonePolicy(p Policy) Policy {
	p.Admins = slices.Clone(p.Admins)
	p.Prohibited = slices.Clone(p.Prohibited)
	p.Warnable = slices.Clone(p.Warnable)
	p.AllowedDomains = slices.Clone(p.AllowedDomains)
	p.Off = slices.Clone(p.Off)
	p.Self = slices.Clone(p.Self)
	p.Competitors = slices.Clone(p.Competitors)
	p.Passphrases = slices.Clone(p.Passphrases)
	p.Promotions = slices.Clone(p.Promotions)
	p.GroupNames = maps.Clone(p.GroupNames)
	p.Replies = slices.Clone(p.Replies)
	for i := range p.Replies {
		p.Replies[i].Keywords = slices.Clone(p.Replies[i].Keywords)
	}
	p.Texts.Reasons = maps.Clone(p.Texts.Reasons)
	return p
}

// Policy returns the engine's policy with its defaults filled in.
func (e *Engine) Policy() Policy { return clonePolicy(e.policy) }

func (e *Engine) isAdmin(id string) bool {
	if len(e.policy.Admins) <= 8 { // faster than hashing for the usual few admins
		return slices.Contains(e.policy.Admins, id)
	}
	_, ok := e.admins[id]
	return ok
}

// Handle applies the rules to one event and returns the actions it calls
// for, in the order to perform them; nil when there are none. A clean
// message costs no allocation. It never fires timers: call Tick for those.
//
// Handle rejects with an error, changing nothing, an event that does not
// Validate and one stamped more than Policy.MaxSkew after the newest time
// the engine has seen: of the events it accepted, in any group, and of the
// nows given to Tick. The bound is measured against every group, not only
// the event's own, so that a group that was quiet for an hour is not locked
// out while others speak; a bot that serves one quiet group keeps the bound
// current by calling Tick with its clock, which it does anyway for the
// timers. Without the bound, one message stamped 9999-12-31 would become
// its sender's newest message and switch off the flood and repeat rules for
// them. The first event a new engine sees has nothing to be compared with.
//
// An event whose non-empty ID was handled within Policy.DedupeWindow (a
// redelivery) gives nothing and changes nothing. An event of one of
// Policy.Self (the bot's own post, delivered back) gives nothing and counts
// toward no rule; a message of theirs counts toward the group's daily
// posts (Policy.DailyPostsMax), and a title of theirs (the bot renamed the
// group) becomes the group's recorded title (see Policy.LockTitle).
//
// Every event is judged at its own Time. An event older than the newest
// seen is still handled: its warnings count the warnings recorded so far
// that are live at its time and expire TTL after its time; it joins the
// flood window if it is within the window of the member's newest message;
// the timers it starts fall due relative to its time, and Tick fires those
// already due at its next call.
func (e *Engine) Handle(ev qunops.Event) ([]Action, error) {
	if e.groups == nil {
		return nil, errors.New("rules: the engine was not made by New")
	}
	if err := ev.Validate(); err != nil {
		return nil, fmt.Errorf("rules: invalid event: %w", err)
	}
	t := ev.Time.UnixMilli()
	if e.clocked && t > e.clock+e.maxSkew {
		return nil, fmt.Errorf("rules: event time %s is %s after the newest time seen, %s: more than max_skew %s (call Tick with the current time)",
			ev.Time.Format(time.RFC3339Nano), formatDuration(time.Duration(t-e.clock)*time.Millisecond),
			time.UnixMilli(e.clock).In(ev.Time.Location()).Format(time.RFC3339Nano), formatDuration(e.policy.MaxSkew))
	}
	if ev.ID != "" && !e.ids.add(ev.ID, t, e.clock, e.dedupeW) {
		return nil, nil
	}
	if e.isSelf(ev.Member) {
		switch ev.Type {
		case qunops.Message:
			e.countPost(&ev) // toward the daily cap, and nothing else
		case qunops.Title:
			e.groupOf(ev.Group).setTitle(ev.Text, t) // the bot's own rename: a Retitle done
		}
		return nil, nil
	}
	if !e.clocked || t > e.clock {
		e.clock, e.clocked = t, true
	}
	switch ev.Type {
	case qunops.Message:
		return e.capPosts(e.message(&ev)), nil
	case qunops.Join:
		return e.capPosts(e.join(&ev)), nil
	case qunops.Leave:
		e.leave(&ev)
	case qunops.Rename:
		e.rename(&ev)
	case qunops.Roster:
		if ev.Text != "" {
			e.groupOf(ev.Group).setName(ev.Member, ev.Text)
		}
	case qunops.Report:
		return e.capPosts(e.report(&ev)), nil
	case qunops.Resolve:
		if e.isAdmin(ev.Actor) { // not the reported member, nor anyone else
			delete(e.disputes, pair{ev.Group, ev.Member})
		}
	case qunops.Warn:
		return e.capPosts(e.manualWarn(&ev)), nil
	case qunops.Title:
		return e.capPosts(e.title(&ev)), nil
	}
	return nil, nil
}

func (e *Engine) isSelf(id string) bool { return slices.Contains(e.policy.Self, id) }

func (e *Engine) groupOf(id string) *group {
	g := e.groups[id]
	if g == nil {
		g = &group{members: map[string]*member{}}
		e.groups[strings.Clone(id)] = g
	}
	return g
}

func (g *group) memberOf(id string) *member {
	m := g.members[id]
	if m == nil {
		m = &member{}
		g.members[strings.Clone(id)] = m
	}
	return m
}

// message judges a message: blacklist, then a prohibited keyword (or a
// removing reaction), then one warnable offence, then a promotion to hold
// for review, then the auto replies; a Notify reaction (a transfer, a
// competitor) comes after any of those. A passphrase in the text ends the
// member's passphrase check, whatever else the message gets.
func (e *Engine) message(ev *qunops.Event) []Action {
	if len(e.blacklist) > 0 && !e.off[idBlacklist] {
		if b := e.bannedAt(ev.Member, ev.Time.UnixMilli()); b != nil {
			return e.removeBanned(nil, ev, b, false)
		}
	}
	if e.isAdmin(ev.Member) {
		return nil
	}
	t := ev.Time.UnixMilli()
	m := e.groupOf(ev.Group).memberOf(ev.Member)
	prev, wasSeen := m.last, m.has(seen)
	if !wasSeen || t > m.last {
		m.last = t
	}
	m.word |= seen

	rule := -1
	if !e.off[idFlood] && m.floodHit(t, prev, wasSeen, e.floodW, e.floodN) {
		rule = idFlood
	}
	isText := ev.Kind == "" || ev.Kind == qunops.KindText
	if isText && ev.Text != "" && !e.off[idRepeat] {
		h := hashText(ev.Text) & hashMask
		n := 1
		r := m.repeats()
		if r > 0 && h == m.hash() && wasSeen && t >= prev && t-prev <= e.repeatW {
			n = min(r+1, e.repeatN) // a run that was warned stays warned until it breaks
		}
		if n == e.repeatN && r < e.repeatN && rule < 0 {
			rule = idRepeat
		}
		m.setRepeat(h, n)
	}
	// Kinds and links come before the counting rules in the reason given.
	scan := textBearing(ev.Kind)
	transfer, competitor, promotion, passphrase := false, false, false, false
	switch ev.Kind {
	case qunops.KindLink:
		if !e.off[idLink] && !e.allowedLinkMessage(ev.Text) {
			rule = idLink
		}
	case qunops.KindMiniProgram:
		if !e.off[idLink] {
			rule = idLink
		}
	case qunops.KindCard:
		if !e.off[idCard] {
			rule = idCard
		}
	case qunops.KindTransfer, qunops.KindRedPacket:
		transfer = !e.off[idTransfer]
	default:
		if scan && !e.off[idLink] && e.outsideLink(ev.Text) {
			rule = idLink
		}
	}

	reply := -1
	if scan && e.kw != nil && ev.Text != "" {
		e.scratch = e.kw.AppendAll(e.scratch[:0], ev.Text, keyword.Overlapping)
		for _, mt := range e.scratch {
			switch c := e.kwClass[mt.Pattern]; {
			case c == classProhibited:
				if !e.off[idProhibited] {
					return e.ban(e.recall(nil, ev, RuleProhibited), ev, e.groups[ev.Group], m, idProhibited, 0)
				}
			case c == classWarnable:
				if !e.off[idKeyword] && (rule < 0 || rule == idFlood || rule == idRepeat) {
					rule = idKeyword
				}
			case c == classCompetitor:
				competitor = !e.off[idCompetitor]
			case c == classPassphrase:
				passphrase = true
			case c == classPromotion:
				promotion = !e.off[idPromotion]
			default:
				if reply < 0 || int(c) < reply {
					reply = int(c)
				}
			}
		}
	}
	if passphrase && len(m.marks) > 0 {
		m.setPass(0, 0) // said in time
	}
	var alerts []Action // Notify reactions, after what the message gets
	if transfer || competitor {
		for _, r := range [...]struct {
			on  bool
			id  int
			how Reaction
		}{{transfer, idTransfer, e.policy.TransferReaction}, {competitor, idCompetitor, e.policy.CompetitorReaction}} {
			switch {
			case !r.on:
			case r.how == ReactRemove:
				return e.ban(e.recall(nil, ev, ruleNames[r.id]), ev, e.groups[ev.Group], m, r.id, 0)
			case r.how == ReactWarn && (rule < 0 || rule == idFlood || rule == idRepeat):
				rule = r.id
			case r.how == ReactNotify:
				alerts = e.alert(alerts, ev, m, r.id, t)
			}
		}
	}
	if rule >= 0 {
		return append(e.warn(e.recall(nil, ev, ruleNames[rule]), ev, m, rule, true), alerts...)
	}
	if promotion {
		return append(e.hold(ev, t), alerts...)
	}
	if reply >= 0 && isText && !e.off[idReply] {
		return append(e.autoReply(ev, m, reply, t), alerts...)
	}
	return alerts
}

// textBearing reports whether a message of kind carries text a member
// wrote, which the link and keyword rules scan. The text of other kinds is
// what the transport made of them: an image from a chatlog export is
// "![图片](http://127.0.0.1:5030/image/0123)", a URL that is no link a
// member posted, and a file's text is its name.
func textBearing(kind string) bool {
	switch kind {
	case "", qunops.KindText, qunops.KindLink, qunops.KindQuote, qunops.KindCard, qunops.KindMiniProgram,
		qunops.KindForward, qunops.KindNotice:
		return true
	}
	return false
}

// floodHit records a message at t in the member's flood window and reports
// whether it starts a flood: n messages within w milliseconds, this one
// included, when the member was not flooding already. A flood lasts while
// each new message still has n messages within w before it; it ends at the
// first message that does not, so that one burst of stickers gives one
// warning however long it is, and a second warning takes a second burst.
func (m *member) floodHit(t, prev int64, wasSeen bool, w int64, n int) bool {
	var off uint64 // how long before m.last this message is
	if !wasSeen || t >= prev {
		// Age the window to the new newest message; drop what left it.
		d := uint64(0)
		if wasSeen {
			d = uint64(t - prev)
		}
		k := 0
		for _, a := range m.flood {
			if v := uint64(a) + d; v < uint64(w) {
				m.flood[k] = uint32(v)
				k++
			}
		}
		m.flood = m.flood[:k]
	} else {
		off = uint64(prev - t)
		if off >= uint64(w) {
			return false // too late to share a window with what is kept
		}
	}
	if len(m.flood) >= n { // keep at most n entries: drop the oldest
		oldest := 0
		for i, a := range m.flood {
			if a > m.flood[oldest] {
				oldest = i
			}
		}
		m.flood = slices.Delete(m.flood, oldest, oldest+1)
	}
	if len(m.flood) == cap(m.flood) { // grow by doubling, but never beyond n
		grown := make([]uint32, len(m.flood), min(max(2*cap(m.flood), 1), n))
		copy(grown, m.flood)
		m.flood = grown
	}
	m.flood = append(m.flood, uint32(off))
	// Count the messages in (t-w, t]: off <= a < off+w.
	count := 0
	for _, a := range m.flood {
		if uint64(a) >= off && uint64(a) < off+uint64(w) {
			count++
		}
	}
	if count < n {
		m.word &^= flooding
		return false
	}
	if m.has(flooding) {
		return false
	}
	m.word |= flooding
	return true
}

// hashText hashes a text for the repeat rule, eight bytes at a time: each
// word is folded into the state by a 64x64->128-bit multiply whose halves
// are xored (the mixing step of wyhash-style hashes), with the length mixed
// in first so that texts differing only by trailing zero bytes differ. It
// is several times faster than byte-wise FNV-1a on chat messages, and
// stable across processes, as snapshots need.
func hashText(s string) uint64 {
	const (
		k0 = 0xa0761d6478bd642f
		k1 = 0xe7037ed1a0b428db
		k2 = 0x8ebc6af09c88c6e3
	)
	h := mix(uint64(len(s))^k0, k1)
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = mix(h^w, k1)
		s = s[8:]
	}
	if len(s) > 0 {
		var w uint64
		for i := 0; i < len(s); i++ {
			w |= uint64(s[i]) << (8 * i)
		}
		h = mix(h^w, k2)
	}
	return mix(h, k0^k2)
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// recall appends, when Policy.Recall is on, the Recall of the message ev
// for rule; a message without an ID cannot be recalled, and gets none.
func (e *Engine) recall(acts []Action, ev *qunops.Event, rule string) []Action {
	if !e.policy.Recall || ev.ID == "" {
		return acts
	}
	return append(acts, Action{Type: Recall, Group: ev.Group, Member: ev.Member, MessageID: ev.ID,
		Rule: rule, Time: ev.Time})
}

// warn records a warning of ev.Member for rule and returns the actions: a
// Warn (unless the warning came from an admin), and a Remove and Blacklist
// when it reaches the limit.
func (e *Engine) warn(acts []Action, ev *qunops.Event, m *member, rule int, announce bool) []Action {
	t := ev.Time.UnixMilli()
	if e.ttl >= 0 { // drop the warnings expired at t
		m.dropMarks(func(k mark) bool { return k.tag == markWarn && k.at+e.ttl <= t })
	}
	m.marks = append(m.marks, mark{at: t, tag: markWarn})
	level := m.warnings(t, e.ttl)
	if announce {
		var v [numPh]string
		v[phMember], v[phGroup], v[phReason] = ev.Member, e.tx.groupName(ev.Group), e.tx.reasons[ruleNames[rule]]
		v[phName] = e.nameOf(ev.Group, ev.Member)
		v[phLevel], v[phLimit] = strconv.Itoa(level), strconv.Itoa(e.limit)
		acts = append(acts, Action{Type: Warn, Group: ev.Group, Member: ev.Member, Mentions: []string{ev.Member},
			Text: e.tx.tmpl[tWarn].render(&v), Rule: ruleNames[rule], Level: level, Time: ev.Time})
	}
	if level >= e.limit {
		acts = e.ban(acts, ev, e.groups[ev.Group], m, rule, level)
	}
	return acts
}

// ban removes and blacklists ev.Member.
func (e *Engine) ban(acts []Action, ev *qunops.Event, g *group, m *member, rule, level int) []Action {
	reason := e.tx.reasons[ruleNames[rule]]
	var v [numPh]string
	v[phMember], v[phGroup], v[phReason] = ev.Member, e.tx.groupName(ev.Group), reason
	v[phName] = e.nameOf(ev.Group, ev.Member)
	acts = append(acts,
		Action{Type: Remove, Group: ev.Group, Member: ev.Member, Text: e.tx.tmpl[tRemove].render(&v),
			Rule: ruleNames[rule], Level: level, Time: ev.Time},
		Action{Type: Blacklist, Group: ev.Group, Member: ev.Member, Text: reason,
			Rule: ruleNames[rule], Level: level, Time: ev.Time})
	gid := strings.Clone(ev.Group)
	t := ev.Time.UnixMilli()
	if old := e.blacklist[ev.Member]; old != nil {
		// A member blacklisted again: the entry starts again at the later
		// of the two, with that one's group and rule, so that a ban dated
		// before the entry (an admin's command delivered late) never
		// shortens it; the Removes sent and the last Notify stay known.
		if t >= old.at {
			old.at, old.group, old.rule = t, gid, ruleNames[rule]
		}
		if i := slices.IndexFunc(old.removed, func(r removal) bool { return r.group == ev.Group }); i < 0 {
			old.removed = append(old.removed, removal{group: gid, at: t})
		} else if t > old.removed[i].at {
			old.removed[i].at = t
		}
	} else {
		e.blacklist[strings.Clone(ev.Member)] = &ban{at: t, group: gid, rule: ruleNames[rule],
			removed: []removal{{group: gid, at: t}}}
	}
	if m != nil { // the blacklist entry now says it all
		m.dropMarks(func(k mark) bool { return k.tag == markWarn || k.tag == markRemind || isPassMark(k.tag) })
	}
	if g != nil {
		g.dropWelcome(ev.Member)
	}
	for k := range e.reviews { // a blacklisted member's promotions are void
		if k.member == ev.Member {
			delete(e.reviews, k)
		}
	}
	return acts
}

// removeBanned removes a blacklisted member who joined (notify: tell the
// first admin, at most once per RemoveCooldown for the member, so that 100
// rejoins do not page the admin 100 times) or spoke. A join always gets its Remove; a message gets one
// only if none was sent in its group within RemoveCooldown before it (a
// message older than the last Remove is covered by it), and a Recall
// either way when Recall is on.
func (e *Engine) removeBanned(acts []Action, ev *qunops.Event, b *ban, notify bool) []Action {
	t := ev.Time.UnixMilli()
	i := slices.IndexFunc(b.removed, func(r removal) bool { return r.group == ev.Group })
	if !notify {
		acts = e.recall(acts, ev, RuleBlacklist)
		if i >= 0 && t < b.removed[i].at+e.removeCD {
			return acts // within the cooldown of the last Remove
		}
	}
	if i < 0 {
		b.removed = append(b.removed, removal{group: strings.Clone(ev.Group), at: t})
	} else {
		b.removed[i].at = max(b.removed[i].at, t)
	}
	var v [numPh]string
	v[phMember], v[phGroup], v[phReason] = ev.Member, e.tx.groupName(ev.Group), e.tx.reasons[RuleBlacklist]
	v[phName] = e.nameOf(ev.Group, ev.Member)
	acts = append(acts, Action{Type: Remove, Group: ev.Group, Member: ev.Member,
		Text: e.tx.tmpl[tRemove].render(&v), Rule: RuleBlacklist, Time: ev.Time})
	if notify && len(e.policy.Admins) > 0 && (b.notified == 0 || t >= b.notified+e.removeCD) {
		b.notified = t
		v[phAdmin] = e.policy.Admins[0]
		acts = append(acts, Action{Type: Notify, Group: ev.Group, Member: e.policy.Admins[0],
			Text: e.tx.tmpl[tRejoin].render(&v), Rule: RuleBlacklist, Time: ev.Time})
	}
	return acts
}

// autoReply answers ev with reply unless the reply is cooling down at t
// for the member (ReplyCooldown) or in the group (GroupReplyCooldown).
func (e *Engine) autoReply(ev *qunops.Event, m *member, reply int, t int64) []Action {
	cooling := func(k mark) bool { return k.tag == int32(reply) && k.at > t }
	if slices.ContainsFunc(m.marks, cooling) {
		return nil // still cooling down at t for the member
	}
	g := e.groups[ev.Group]
	if slices.ContainsFunc(g.replied, cooling) {
		return nil // answered in the group a moment ago
	}
	m.dropMarks(func(k mark) bool { return k.tag >= 0 && k.at <= t })
	m.marks = append(m.marks, mark{at: t + e.cooldown, tag: int32(reply)})
	g.replied = slices.DeleteFunc(g.replied, func(k mark) bool { return k.at <= t || k.tag == int32(reply) })
	g.replied = append(g.replied, mark{at: t + e.groupCD, tag: int32(reply)})
	return []Action{{Type: Reply, Group: ev.Group, Member: ev.Member, Mentions: []string{ev.Member}, Text: e.policy.Replies[reply].Text,
		Rule: e.replyIDs[reply], Time: ev.Time}}
}

func (e *Engine) join(ev *qunops.Event) []Action {
	if ev.Text != "" {
		e.groupOf(ev.Group).setName(ev.Member, ev.Text)
	}
	var acts []Action
	if ev.Actor != "" && ev.Actor != ev.Member && invitedIn(ev.Kind) && !e.off[idInvite] && !e.isAdmin(ev.Actor) && !e.isSelf(ev.Actor) {
		acts = e.invited(acts, ev)
	}
	if !e.off[idBlacklist] {
		if b := e.bannedAt(ev.Member, ev.Time.UnixMilli()); b != nil {
			if g := e.groups[ev.Group]; g != nil {
				g.dropWelcome(ev.Member)
			}
			return e.removeBanned(acts, ev, b, true)
		}
	}
	if e.isAdmin(ev.Member) {
		return acts
	}
	t := ev.Time.UnixMilli()
	g := e.groupOf(ev.Group)
	if !e.off[idWelcome] {
		b := g.welcome
		if b == nil {
			b = &batch{first: t, due: t + e.welcomeW}
			g.welcome = b
			e.schedule(timer{at: b.due, kind: timerWelcome, group: ev.Group})
		} else {
			b.first = min(b.first, t)
			due := min(max(b.due, t+e.welcomeW), b.first+e.welcomeM)
			if due != b.due {
				b.due = due
				e.schedule(timer{at: due, kind: timerWelcome, group: ev.Group})
			}
		}
		if !slices.Contains(b.ids, ev.Member) {
			b.ids = append(b.ids, strings.Clone(ev.Member))
		}
	}
	if !e.off[idNickname] && ev.Text != "" {
		fits := e.nick.MatchString(ev.Text)
		m := g.members[ev.Member]
		if m == nil && !fits {
			m = g.memberOf(ev.Member)
		}
		if m != nil { // a new membership: a new grace period and reminder
			m.word &^= reminded
			m.setRemind(0)
			if !fits {
				e.scheduleRemind(ev, m, t)
			}
		}
	}
	if len(e.policy.Passphrases) > 0 && !e.off[idPassphrase] {
		m := g.memberOf(ev.Member) // a new membership: a new check
		m.setPass(markPass, t+e.passW)
		e.schedule(timer{at: t + e.passW, kind: timerPassphrase, group: ev.Group, member: ev.Member})
	}
	return acts
}

func (e *Engine) scheduleRemind(ev *qunops.Event, m *member, t int64) {
	m.setRemind(t + e.grace)
	e.schedule(timer{at: t + e.grace, kind: timerRemind, group: ev.Group, member: ev.Member})
}

func (e *Engine) rename(ev *qunops.Event) {
	if e.isAdmin(ev.Member) {
		return
	}
	g := e.groupOf(ev.Group)
	g.setName(ev.Member, ev.Text)
	if e.off[idNickname] {
		return
	}
	fits := e.nick.MatchString(ev.Text)
	if fits {
		if m := g.members[ev.Member]; m != nil {
			m.setRemind(0)
		}
		return
	}
	m := g.memberOf(ev.Member)
	if m.remindAt() == 0 && !m.has(reminded) {
		e.scheduleRemind(ev, m, ev.Time.UnixMilli())
	}
}

func (e *Engine) leave(ev *qunops.Event) {
	g := e.groups[ev.Group]
	if g == nil {
		return
	}
	g.dropWelcome(ev.Member)
	delete(g.names, ev.Member)
	m := g.members[ev.Member]
	if m == nil {
		if g.empty() {
			delete(e.groups, ev.Group)
		}
		return
	}
	if m.keepsHistory() {
		// Warnings and cooldowns outlive a membership.
		m.setRemind(0)
		m.setPass(0, 0)
		m.flood, m.word = nil, m.word&seen
		return
	}
	delete(g.members, ev.Member)
	if g.empty() {
		delete(e.groups, ev.Group)
	}
}

func (g *group) dropWelcome(id string) {
	if g.welcome == nil {
		return
	}
	if i := slices.Index(g.welcome.ids, id); i >= 0 {
		g.welcome.ids = slices.Delete(g.welcome.ids, i, i+1)
	}
}

func (e *Engine) report(ev *qunops.Event) []Action {
	if e.off[idDispute] {
		return nil
	}
	k := pair{ev.Group, ev.Member}
	if d := e.disputes[k]; d != nil {
		d.reports++
		return nil
	}
	if !e.reports.allow(ev.Actor, ev.Time.UnixMilli(), e.policy.DailyReportsMax) {
		return nil // the reporter opened their day's disputes already
	}
	t := ev.Time.UnixMilli()
	d := &dispute{reporter: strings.Clone(ev.Actor), opened: t, reports: 1}
	e.disputes[pair{strings.Clone(ev.Group), strings.Clone(ev.Member)}] = d
	if len(e.policy.Admins) == 0 {
		return nil
	}
	d.next = t + e.sla
	e.schedule(timer{at: d.next, kind: timerDispute, group: ev.Group, member: ev.Member})
	admin := e.policy.Admins[0]
	var v [numPh]string
	v[phAdmin], v[phMember], v[phReporter] = admin, ev.Member, ev.Actor
	v[phName] = e.nameOf(ev.Group, ev.Member)
	v[phGroup], v[phSLA] = e.tx.groupName(ev.Group), e.tx.duration(e.policy.DisputeSLA)
	return []Action{{Type: Notify, Group: ev.Group, Member: admin, Text: e.tx.tmpl[tNotify].render(&v),
		Rule: RuleDispute, Time: ev.Time}}
}

// manualWarn counts a warning given by an admin (a warn event whose Actor is
// an admin) on the ladder; it asks for a Remove and Blacklist when that
// warning reaches the limit, and for nothing else, since the admin already
// warned. Warn events from others, such as the engine's own actions
// ("rule:NAME") played back, are ignored, and so is a warning of a member
// who is already blacklisted.
func (e *Engine) manualWarn(ev *qunops.Event) []Action {
	if e.off[idManual] || !e.isAdmin(ev.Actor) || e.isAdmin(ev.Member) {
		return nil
	}
	if len(e.blacklist) > 0 && !e.off[idBlacklist] && e.bannedAt(ev.Member, ev.Time.UnixMilli()) != nil {
		// The blacklist says it all: a second ban would replace the first
		// and forget its Removes, and with them RemoveCooldown.
		return nil
	}
	m := e.groupOf(ev.Group).memberOf(ev.Member)
	return e.warn(nil, ev, m, idManual, false)
}

// Tick fires the timers due at or before now (welcome batches, nickname
// reminders, dispute escalations, passphrase checks, promotion reviews
// that timed out) and returns their actions in the order of their due
// times (ties: welcomes, then reminders, disputes, passphrase checks and
// reviews, each by group and member). Call it regularly, say every few seconds, with the
// current time; a Tick with an earlier now than a previous one fires
// nothing new. Each timer costs O(log n) in the number of pending timers.
func (e *Engine) Tick(now time.Time) []Action {
	if e.groups == nil {
		return nil
	}
	n := now.UnixMilli()
	if (!e.clocked || n > e.clock) && n >= minStamp && n <= maxStamp {
		e.clock, e.clocked = n, true
	}
	loc := now.Location()
	var acts []Action
	for len(e.timers) > 0 && e.timers[0].at <= n {
		tm := e.timers.pop()
		at := time.UnixMilli(tm.at).In(loc)
		switch tm.kind {
		case timerWelcome:
			acts = e.fireWelcome(acts, tm, at)
		case timerRemind:
			acts = e.fireRemind(acts, tm, at)
		case timerDispute:
			acts = e.fireDispute(acts, tm, at)
		case timerPassphrase:
			acts = e.firePassphrase(acts, tm, at)
		case timerReview:
			acts = e.expireReview(acts, tm, at)
		}
	}
	if n >= e.nextSweep {
		// Sweep as of MaxSkew ago: an event that arrives up to MaxSkew late
		// still finds the state it would have found on time.
		e.sweep(n - e.maxSkew)
		e.nextSweep = n + e.sweepEvery()
	}
	return e.capPosts(acts)
}

func (e *Engine) fireWelcome(acts []Action, tm timer, at time.Time) []Action {
	g := e.groups[tm.group]
	if g == nil || g.welcome == nil || g.welcome.due != tm.at {
		return acts
	}
	b := g.welcome
	g.welcome = nil
	var ids []string
	for _, id := range b.ids {
		if e.bannedAt(id, tm.at) != nil && !e.off[idBlacklist] {
			continue
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		if g.empty() {
			delete(e.groups, tm.group)
		}
		return acts
	}
	named := ids[:min(len(ids), WelcomeNamesMax)]
	names := make([]string, len(named))
	for i, id := range named {
		names[i] = e.displayName(g, id)
	}
	var v [numPh]string
	v[phNames], v[phGroup] = strings.Join(names, e.tx.sep), e.tx.groupName(tm.group)
	if more := len(ids) - len(named); more > 0 {
		v[phN] = strconv.Itoa(more)
		v[phNames] += e.tx.more.render(&v)
	}
	if g.empty() {
		delete(e.groups, tm.group)
	}
	return append(acts, Action{Type: Welcome, Group: tm.group, Members: ids, Mentions: slices.Clone(named),
		Text: e.tx.tmpl[tWelcome].render(&v), Rule: RuleWelcome, Time: at})
}

func (e *Engine) fireRemind(acts []Action, tm timer, at time.Time) []Action {
	g := e.groups[tm.group]
	if g == nil {
		return acts
	}
	m := g.members[tm.member]
	if m == nil || m.remindAt() != tm.at {
		return acts
	}
	m.setRemind(0)
	m.word |= reminded
	if e.bannedAt(tm.member, tm.at) != nil && !e.off[idBlacklist] {
		return acts
	}
	var v [numPh]string
	v[phMember], v[phGroup] = tm.member, e.tx.groupName(tm.group)
	v[phName] = e.nameOf(tm.group, tm.member)
	return append(acts, Action{Type: Remind, Group: tm.group, Member: tm.member, Mentions: []string{tm.member},
		Text: e.tx.tmpl[tRemind].render(&v), Rule: RuleNickname, Time: at})
}

func (e *Engine) fireDispute(acts []Action, tm timer, at time.Time) []Action {
	d := e.disputes[pair{tm.group, tm.member}]
	admins := e.policy.Admins
	if d == nil || d.next != tm.at || len(admins) == 0 {
		return acts
	}
	d.step++
	var v [numPh]string
	v[phMember], v[phReporter], v[phGroup] = tm.member, d.reporter, e.tx.groupName(tm.group)
	v[phName] = e.nameOf(tm.group, tm.member)
	v[phWaited] = e.tx.duration(time.Duration(tm.at-d.opened) * time.Millisecond)
	to := admins[min(d.step, len(admins)-1):][:1]
	if d.step >= len(admins) {
		to = admins // the last step: everyone
		d.next = 0
	} else {
		d.next = tm.at + e.sla
		e.schedule(timer{at: d.next, kind: timerDispute, group: tm.group, member: tm.member})
	}
	for _, a := range to {
		v[phAdmin] = a
		acts = append(acts, Action{Type: Escalate, Group: tm.group, Member: a,
			Text: e.tx.tmpl[tEscalate].render(&v), Rule: RuleDispute, Level: d.step, Time: at})
	}
	return acts
}

// Pardon clears the warnings of member in group; by must be an admin. The
// pardon is recorded (see Audit).
func (e *Engine) Pardon(by, group, member string, at time.Time) error {
	if !e.isAdmin(by) {
		return fmt.Errorf("rules: pardon by %q: not an admin", by)
	}
	if g := e.groups[group]; g != nil {
		if m := g.members[member]; m != nil {
			m.dropMarks(func(k mark) bool { return k.tag == markWarn })
		}
	}
	e.audit = append(e.audit, Record{Time: time.UnixMilli(at.UnixMilli()).UTC(), Act: "pardon", By: by, Group: group, Member: member})
	return nil
}

// Lift is Unban under its earlier name; it records the act as "lift".
func (e *Engine) Lift(by, member string, at time.Time) error {
	return e.unban("lift", by, member, at)
}

// Audit returns the admins' acts (pardons, bans, unbans, lifts, answers
// to promotion reviews) in the order they were made.
func (e *Engine) Audit() []Record { return slices.Clone(e.audit) }

// Warnings returns the live warnings of member in group at time at.
func (e *Engine) Warnings(group, member string, at time.Time) int {
	g := e.groups[group]
	if g == nil {
		return 0
	}
	m := g.members[member]
	if m == nil {
		return 0
	}
	return m.warnings(at.UnixMilli(), e.ttl)
}

// Blacklisted reports whether member is on the blacklist at the newest
// time the engine has seen (see Policy.BlacklistTTL).
func (e *Engine) Blacklisted(member string) bool {
	return e.bannedAt(member, e.clock) != nil
}
