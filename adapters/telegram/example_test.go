package telegram_test

import (
	"fmt"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/qunops/qunops/adapters/telegram"
)

func ExampleEvents() {
	d := int(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Unix())
	u := &models.Update{ID: 7, Message: &models.Message{
		ID:      42,
		From:    &models.User{ID: 501, FirstName: "Ann"},
		Date:    d,
		Chat:    models.Chat{ID: -1001234, Type: models.ChatTypeSupergroup},
		Caption: "new phones",
		Photo:   []models.PhotoSize{{FileID: "p"}},
	}}
	for _, ev := range telegram.Events(u, nil) {
		fmt.Println(ev.Type, ev.Group, ev.Member, ev.Kind, ev.ID, ev.Time.Format(time.RFC3339), ev.Text)
	}
	// Output:
	// message -1001234 501 image telegram:-1001234:42 2026-03-02T17:00:00+08:00 new phones
}

// A rename of the group: the service message new_chat_title.
func ExampleEvents_newChatTitle() {
	d := int(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Unix())
	u := &models.Update{ID: 8, Message: &models.Message{
		ID:           43,
		From:         &models.User{ID: 502, FirstName: "Bo"},
		Date:         d,
		Chat:         models.Chat{ID: -1001234, Type: models.ChatTypeSupergroup},
		NewChatTitle: "Cheap Phones",
	}}
	for _, ev := range telegram.Events(u, nil) {
		fmt.Println(ev.Type, ev.Group, ev.Member, ev.ID, ev.Time.Format(time.RFC3339), ev.Text)
	}
	// Output:
	// title -1001234 502 telegram:-1001234:43 2026-03-02T17:00:00+08:00 Cheap Phones
}
