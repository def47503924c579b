package sample

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
)

// Seed is the seed of the bundled sample.
const Seed = 20260301

// Group is one of the sample's groups.
type Group struct {
	ID   string            // the group id, e.g. "20001@chatroom"
	Kind metrics.GroupKind // what the group is for (seed F1)
}

// Groups returns the sample's three groups, one of each kind the seed names
// (F1), in id order. The caller owns the returned slice.
func Groups() []Group {
	return []Group{
		{"20001@chatroom", metrics.Service},
		{"20002@chatroom", metrics.Perks},
		{"20003@chatroom", metrics.Interest},
	}
}

const days = 31

type profile int

const (
	lurker profile = iota
	casual
	active
	core
)

// speakProb is the chance that a member of a profile speaks on a given day.
var speakProb = [...]float64{lurker: 0, casual: 0.06, active: 0.25, core: 0.65}

type member struct {
	id      string
	name    string
	profile profile
	joined  int // day of the month it joined (0: before the log)
	joinAt  time.Time
	left    int // day it left (0: never)
}

type gen struct {
	r      *rand.Rand
	events []qunops.Event
}

func (g *gen) at(day, hour, minute, second int) time.Time {
	return time.Date(2026, time.March, day, hour, minute, second, 0, qunops.DefaultLocation())
}

// hour draws a local hour with the daily rhythm of a chat group: mornings,
// lunch and evenings are busiest.
func (g *gen) hour() int {
	weights := [24]int{1, 0, 0, 0, 0, 0, 1, 3, 8, 6, 4, 4, 7, 6, 3, 3, 3, 4, 5, 7, 10, 10, 7, 3}
	total := 0
	for _, w := range weights {
		total += w
	}
	x := g.r.IntN(total)
	for h, w := range weights {
		if x < w {
			return h
		}
		x -= w
	}
	return 20
}

func (g *gen) add(e qunops.Event) { g.events = append(g.events, e) }

// after moves t to a few minutes after m's join when m joined later than t,
// so that nobody acts in a group before joining it.
func (g *gen) after(m *member, t time.Time) time.Time {
	if !m.joinAt.IsZero() && !t.After(m.joinAt) {
		return m.joinAt.Add(time.Duration(2+g.r.IntN(30)) * time.Minute)
	}
	return t
}

var (
	cities = []string{"上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京"}
	nicks  = []string{"小李", "阿何", "晨晨", "大伟", "小雨", "老王", "Amy", "Leo", "糖糖", "阿杰", "小鹿", "Kiki"}
	chat   = map[string][]string{
		"service": {"请问订单什么时候发货？", "退货流程是怎样的", "收到了，谢谢客服", "发票怎么开？", "这个型号有现货吗",
			"物流好慢啊", "已经解决了，感谢", "会员积分怎么用", "尺码偏大还是偏小？", "客服在吗"},
		"perks": {"抢到了！", "今天的券怎么领", "谢谢群主", "下次什么时候有活动", "优惠券用不了怎么办",
			"已下单", "这个价格很划算", "求拼单", "冲冲冲", "好物推荐一下"},
		"interest": {"今天跑了10公里", "周末有人一起爬山吗", "推荐一双跑鞋", "打卡", "配速怎么提高",
			"膝盖有点疼，怎么办", "明天早上六点集合", "照片拍得真好", "新手求带", "比赛报名了吗"},
	}
	kinds = []string{qunops.KindText, qunops.KindText, qunops.KindText, qunops.KindText, qunops.KindText, qunops.KindText, qunops.KindImage, qunops.KindSticker, qunops.KindVoice, qunops.KindText}
)

// Write writes the sample month to w as JSON Lines, sorted by time.
func Write(w io.Writer) error {
	enc := qunops.NewEncoder(w)
	for _, e := range Events() {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("sample: %w", err)
		}
	}
	return nil
}

// Events returns the sample month, sorted by time, each event with a
// unique ID "sample:N".
func Events() []qunops.Event {
	g := &gen{r: rand.New(rand.NewPCG(Seed, Seed))}
	sizes := []int{90, 160, 60}
	for gi, grp := range Groups() {
		g.group(grp.ID, grp.Kind.String(), sizes[gi], gi)
	}
	slices.SortStableFunc(g.events, func(a, b qunops.Event) int { return a.Time.Compare(b.Time) })
	for i := range g.events {
		g.events[i].ID = fmt.Sprintf("sample:%d", i+1)
	}
	return g.events
}

func (g *gen) newMember(gi, n int, p profile, joined int) *member {
	return &member{
		id:      fmt.Sprintf("wxid_g%d_%03d", gi+1, n),
		name:    cities[g.r.IntN(len(cities))] + "-" + nicks[g.r.IntN(len(nicks))],
		profile: p,
		joined:  joined,
	}
}

func (g *gen) drawProfile() profile {
	switch x := g.r.IntN(100); {
	case x < 8:
		return core
	case x < 25:
		return active
	case x < 60:
		return casual
	}
	return lurker
}

func (g *gen) group(id, kind string, size, gi int) {
	admin := &member{id: fmt.Sprintf("wxid_admin%d", gi+1), name: "群主", profile: core}
	members := []*member{admin}
	for i := 1; i < size; i++ {
		members = append(members, g.newMember(gi, i, g.drawProfile(), 0))
	}
	for _, m := range members {
		g.add(qunops.Event{Type: qunops.Roster, Group: id, Member: m.id, Time: g.at(1, 0, 0, 0)})
	}
	next := size
	present := func(m *member, day int) bool {
		return m.joined <= day && (m.left == 0 || m.left > day)
	}
	for day := 1; day <= days; day++ {
		// Newcomers, invited by present members; a churny cohort on day 10.
		joins := 0
		if g.r.IntN(3) == 0 {
			joins = 1 + g.r.IntN(3)
		}
		churny := day == 10
		if churny {
			joins = 12
		}
		hh, mm := g.hour(), g.r.IntN(60)
		for j := 0; j < joins; j++ {
			p := g.drawProfile()
			if churny {
				p = lurker
			}
			m := g.newMember(gi, next, p, day)
			next++
			inviter := members[g.r.IntN(len(members))]
			for !present(inviter, day) {
				inviter = members[g.r.IntN(len(members))]
			}
			m.joinAt = g.at(day, hh, mm, j)
			g.add(qunops.Event{Type: qunops.Join, Group: id, Member: m.id, Actor: inviter.id, Text: m.name,
				Time: m.joinAt})
			if churny && j < 9 {
				m.left = day + 1 + g.r.IntN(3)
			} else if g.r.IntN(10) == 0 {
				m.left = day + 3 + g.r.IntN(10)
			}
			if m.left > days {
				m.left = 0
			}
			if g.r.IntN(3) == 0 {
				g.add(qunops.Event{Type: qunops.Rename, Group: id, Member: m.id, Text: m.name + "(新)",
					Time: g.at(day, hh, mm, 30+j%30).Add(time.Minute)})
			}
			members = append(members, m)
		}
		// Leaves of the day.
		for _, m := range members {
			if m.left == day {
				g.add(qunops.Event{Type: qunops.Leave, Group: id, Member: m.id,
					Time: g.at(day, g.hour(), g.r.IntN(60), g.r.IntN(60))})
			}
		}
		quiet := kind == "interest" && day >= 18 && day <= 22
		// Ordinary chatter.
		lines := chat[kind]
		for _, m := range members {
			if !present(m, day) || m.left == day {
				continue
			}
			p := speakProb[m.profile]
			if kind == "interest" {
				p *= 2 // a lively club, until its quiet spell
			}
			if quiet {
				p /= 8
			}
			if m == admin && !quiet {
				p = 1
			}
			if g.r.Float64() >= p {
				continue
			}
			n := 1 + g.r.IntN(3)
			if m.profile == core {
				n = 2 + g.r.IntN(6)
			}
			for k := 0; k < n; k++ {
				kd := kinds[g.r.IntN(len(kinds))]
				text := ""
				if kd == qunops.KindText {
					text = lines[g.r.IntN(len(lines))]
				}
				g.add(qunops.Event{Type: qunops.Message, Group: id, Member: m.id, Kind: kd, Text: text,
					Time: g.after(m, g.at(day, g.hour(), g.r.IntN(60), g.r.IntN(60)))})
			}
			if kind == "interest" && g.r.IntN(3) == 0 {
				g.add(qunops.Event{Type: qunops.Checkin, Group: id, Member: m.id, Time: g.after(m, g.at(day, 7, g.r.IntN(60), 0))})
			}
		}
		switch kind {
		case "perks":
			g.broadcasts(id, day, admin, members, present)
		case "service":
			if day == 14 {
				g.flood(id, day, members[5])
			}
			if day == 21 {
				g.spammer(id, day, gi, admin, members)
			}
		}
	}
}

// broadcasts posts the perks group's morning news (read by most members)
// and, on Fridays, a coupon that about a third claim, some late.
func (g *gen) broadcasts(id string, day int, admin *member, members []*member, present func(*member, int) bool) {
	news := fmt.Sprintf("news-03%02d", day)
	t := g.at(day, 8, 0, 0)
	g.add(qunops.Event{Type: qunops.Message, Group: id, Member: admin.id, Kind: qunops.KindText, Item: news,
		Text: "早安！今日好物资讯", Time: t})
	coupon := ""
	ct := g.at(day, 20, 0, 0)
	if ct.Weekday() == time.Friday {
		coupon = fmt.Sprintf("coupon-03%02d", day)
		g.add(qunops.Event{Type: qunops.Message, Group: id, Member: admin.id, Kind: qunops.KindText, Item: coupon,
			Text: "本周福利：满100减20优惠券", Time: ct})
	}
	for _, m := range members {
		if m == admin || !present(m, day) || m.left == day {
			continue
		}
		readP := 0.9
		if m.profile == lurker {
			readP = 0.6
		}
		if g.r.Float64() < readP {
			g.add(qunops.Event{Type: qunops.Read, Group: id, Member: m.id, Item: news,
				Time: g.after(m, t.Add(time.Duration(1+g.r.IntN(600))*time.Minute))})
		}
		if coupon != "" && m.profile != lurker && g.r.IntN(100) < 55 {
			delay := time.Duration(1+g.r.IntN(120)) * time.Minute
			if g.r.IntN(8) == 0 {
				delay = 30 * time.Hour // a late claim, outside the 24-hour window
			}
			g.add(qunops.Event{Type: qunops.Read, Group: id, Member: m.id, Item: coupon, Time: g.after(m, ct.Add(delay/2))})
			g.add(qunops.Event{Type: qunops.Claim, Group: id, Member: m.id, Item: coupon, Time: g.after(m, ct.Add(delay)).Add(time.Second)})
		}
	}
}

// flood: 40 stickers in 20 seconds.
func (g *gen) flood(id string, day int, m *member) {
	t := g.at(day, 21, 13, 0)
	for k := 0; k < 40; k++ {
		g.add(qunops.Event{Type: qunops.Message, Group: id, Member: m.id, Kind: qunops.KindSticker,
			Time: t.Add(time.Duration(k) * 500 * time.Millisecond)})
	}
}

// spammer joins, posts ads with outside links, is warned twice, reported,
// removed and the dispute resolved.
func (g *gen) spammer(id string, day, gi int, admin *member, members []*member) {
	s := fmt.Sprintf("wxid_g%d_spam", gi+1)
	t := g.at(day, 10, 0, 0)
	g.add(qunops.Event{Type: qunops.Join, Group: id, Member: s, Actor: members[7].id, Text: "优惠代购", Time: t})
	g.add(qunops.Event{Type: qunops.Message, Group: id, Member: s, Kind: qunops.KindLink,
		Text: "低价代购，点击 http://spam.example/buy 加微信 vx8888", Time: t.Add(3 * time.Minute)})
	g.add(qunops.Event{Type: qunops.Warn, Group: id, Member: s, Actor: "rule:link", Text: "outside link", Time: t.Add(3 * time.Minute)})
	g.add(qunops.Event{Type: qunops.Message, Group: id, Member: s, Kind: qunops.KindText,
		Text: "加 微 信 领 红 包 vx8888", Time: t.Add(9 * time.Minute)})
	g.add(qunops.Event{Type: qunops.Warn, Group: id, Member: s, Actor: "rule:keyword", Text: "ad keyword", Time: t.Add(9 * time.Minute)})
	g.add(qunops.Event{Type: qunops.Report, Group: id, Member: s, Actor: members[3].id, Text: "发广告", Time: t.Add(10 * time.Minute)})
	g.add(qunops.Event{Type: qunops.Leave, Group: id, Member: s, Actor: admin.id, Time: t.Add(12 * time.Minute)})
	g.add(qunops.Event{Type: qunops.Resolve, Group: id, Member: s, Actor: admin.id, Text: "已移出", Time: t.Add(13 * time.Minute)})
}
