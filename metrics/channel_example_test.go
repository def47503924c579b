package metrics_test

import (
	"fmt"
	"log"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
)

// Count a group's joins by channel from an imported log, then measure the
// conversion of the Moments poster (seed F15): the poster showed the group
// QR code of the account wxid_poster, seen by 120 of its friends.
func ExampleChannelCounter() {
	shanghai := qunops.DefaultLocation()
	at := time.Date(2026, 3, 2, 20, 0, 0, 0, shanghai)
	var c metrics.ChannelCounter
	for i, j := range []struct{ member, channel, actor string }{
		{"wxid_a", qunops.JoinQR, "wxid_poster"},
		{"wxid_b", qunops.JoinQR, "wxid_poster"},
		{"wxid_c", qunops.JoinQR, "wxid_article"},
		{"wxid_d", qunops.JoinInvite, "wxid_a"},
	} {
		e := qunops.Event{Type: qunops.Join, Group: "g1@chatroom", Member: j.member, Time: at.Add(time.Duration(i) * time.Minute),
			Kind: j.channel, Actor: j.actor, ID: fmt.Sprint("log:", i)}
		if err := c.Add(e); err != nil {
			log.Fatal(err)
		}
	}
	poster := 0
	for _, j := range c.Joins("g1@chatroom") {
		fmt.Printf("%-6s by %-12s %d\n", j.Channel, j.Actor, j.Joins)
		if j.Channel == qunops.JoinQR && j.Actor == "wxid_poster" {
			poster = j.Joins
		}
	}
	conv, err := metrics.Convert(metrics.Poster, poster, 120)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conv)
	// Output:
	// invite by wxid_a       1
	// qr     by wxid_article 1
	// qr     by wxid_poster  2
	// F15 poster: 2 of 120 joined (1.7%), within the seed's 0.0%-15.0%
}
