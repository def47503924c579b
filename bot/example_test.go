package bot_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/bot"
	"github.com/qunops/qunops/rules"
)

// script is an in-memory Source: it delivers its events, then calls done
// and waits for the end.
type script struct {
	events []qunops.Event
	done   func()
}

func (s *script) Receive(ctx context.Context) (qunops.Event, error) {
	if len(s.events) == 0 {
		s.done()
		<-ctx.Done()
		return qunops.Event{}, ctx.Err()
	}
	ev := s.events[0]
	s.events = s.events[1:]
	return ev, nil
}

// printer is a Sink that prints what it would send.
type printer struct{}

func (printer) Perform(ctx context.Context, a rules.Action) error {
	fmt.Printf("%s %s %s %s\n", a.Time.Format("15:04:05"), a.Type, a.Member, a.Text)
	return nil
}

// A runner on an in-memory transport: a spammer is warned, then removed
// and blacklisted. The state is in a directory, ready for a restart.
func Example() {
	shanghai := qunops.DefaultLocation()
	at := func(h, m, s int) time.Time { return time.Date(2026, 3, 2, h, m, s, 0, shanghai) }
	dir, err := os.MkdirTemp("", "qunops-bot")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	ctx, cancel := context.WithCancel(context.Background())
	src := &script{done: cancel, events: []qunops.Event{
		{Type: qunops.Message, Group: "g1", Member: "spam", Time: at(8, 5, 0), ID: "m1", Text: "加微信领红包"},
		{Type: qunops.Message, Group: "g1", Member: "spam", Time: at(8, 5, 0), ID: "m1", Text: "加微信领红包"}, // redelivered
		{Type: qunops.Message, Group: "g1", Member: "spam", Time: at(8, 6, 0), ID: "m2", Text: "t.cn/abc"},
	}}
	p := rules.Policy{Admins: []string{"admin-li"}, Warnable: []string{"加微信"}}
	r, err := bot.New(p, src, printer{}, bot.Options{
		Dir: dir,
		Now: func() time.Time { return at(8, 0, 0) }, // the example's fixed clock
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := r.Run(ctx); err != nil {
		fmt.Println(err)
		return
	}
	st := r.Stats()
	fmt.Println("events", st.Events, "warn", st.Actions[rules.Warn], "remove", st.Actions[rules.Remove], "snapshots", st.Snapshots)
	// Output:
	// 08:05:00 warn spam @spam 第1次警告(满2次将被移出群聊):请勿发布广告
	// 08:06:00 warn spam @spam 第2次警告(满2次将被移出群聊):请勿发布外部链接
	// 08:06:00 remove spam spam 已被移出本群:请勿发布外部链接
	// 08:06:00 blacklist spam 请勿发布外部链接
	// events 3 warn 2 remove 1 snapshots 2
}
