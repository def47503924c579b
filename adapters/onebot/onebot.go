package onebot

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/adapters/internal/steps"
	"github.com/qunops/qunops/bot"
)

// Config configures a Transport. Zero fields mean the default documented on
// them; APIURL is required.
type Config struct {
	// APIURL is the implementation's HTTP action endpoint, e.g.
	// "http://127.0.0.1:5700/" (OneBot Connect - HTTP serves actions at /).
	APIURL string
	// AccessToken, if set, is sent with every action as `Authorization:
	// Bearer <token>` and required of every webhook request. It is never
	// logged nor put in an error.
	AccessToken string
	// KickAction is the action that removes a member from a group. Default
	// "kick_group_member" (see the package documentation).
	KickAction string
	// Client performs the action requests. Default: a client with a 30 s
	// timeout (ours).
	Client *http.Client
	// Location is the zone of the events' times. nil means
	// qunops.DefaultLocation().
	Location *time.Location
	// QueueN bounds the events received but not yet taken by Receive.
	// Default 256 (ours: a burst of joins in a large group).
	QueueN int
	// MaxBody bounds a webhook request's body. Default 1 MiB (ours: a long
	// message is a few KB; 1 MiB leaves room for segments).
	MaxBody int64
	// TitleNotices lists the detail_types of the notice events that report
	// a change of a group's name, which OneBot 12 leaves to extensions; each
	// also matches with a "<prefix>." before it. Default
	// DefaultTitleNotices() (see the package documentation).
	TitleNotices []string
}

// DefaultTitleNotices returns the detail_types of the group name notices
// read when Config.TitleNotices is empty: "group_name_update", which
// Walle-Q sends, and "group_name_change", Lagrange.OneBot's name for it.
// The caller owns the returned slice.
func DefaultTitleNotices() []string { return []string{"group_name_update", "group_name_change"} }

// Transport is a OneBot 12 HTTP transport: a webhook handler for events and
// a client for actions. It is safe for concurrent use. Create it with New.
type Transport struct {
	cfg   Config
	queue chan qunops.Event
	memo  steps.Memo

	mu      sync.Mutex
	dropped map[string]int // events acknowledged but not mapped, by type.detail_type
}

// New validates cfg and returns a Transport.
func New(cfg Config) (*Transport, error) {
	if cfg.APIURL == "" {
		return nil, errors.New("onebot: config api_url is empty")
	}
	if !strings.HasPrefix(cfg.APIURL, "http://") && !strings.HasPrefix(cfg.APIURL, "https://") {
		return nil, fmt.Errorf("onebot: config api_url %q is not an http or https URL", cfg.APIURL)
	}
	if cfg.QueueN < 0 {
		return nil, fmt.Errorf("onebot: config queue_n %d must not be negative", cfg.QueueN)
	}
	if cfg.MaxBody < 0 {
		return nil, fmt.Errorf("onebot: config max_body %d must not be negative", cfg.MaxBody)
	}
	if cfg.KickAction == "" {
		cfg.KickAction = "kick_group_member"
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.QueueN == 0 {
		cfg.QueueN = 256
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	if len(cfg.TitleNotices) == 0 {
		cfg.TitleNotices = DefaultTitleNotices()
	}
	for _, n := range cfg.TitleNotices {
		if !validDetail(n) {
			return nil, fmt.Errorf("onebot: config title_notices: %q is not a detail_type ([_a-z]+, without a prefix)", n)
		}
	}
	cfg.TitleNotices = slices.Clone(cfg.TitleNotices)
	cfg.Location = qunops.LocationOr(cfg.Location)
	return &Transport{cfg: cfg, queue: make(chan qunops.Event, cfg.QueueN), dropped: map[string]int{}}, nil
}

// Receive returns the next event the webhook queued, waiting for one. It
// returns ctx.Err() when ctx ends first.
func (t *Transport) Receive(ctx context.Context) (qunops.Event, error) {
	select {
	case ev := <-t.queue:
		return ev, nil
	case <-ctx.Done():
		return qunops.Event{}, ctx.Err()
	}
}

// Dropped returns how many webhook events were acknowledged without being
// mapped, by "type.detail_type" (e.g. "meta.heartbeat").
func (t *Transport) Dropped() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int, len(t.dropped))
	for k, v := range t.dropped {
		out[k] = v
	}
	return out
}

// ServeHTTP receives one webhook event. It answers 405 to a method other
// than POST, 401 when the access token does not match, 415 to a body that is
// not JSON, 400 to an event it cannot decode (with the reason), 503 when the
// request ends before the queue has room, and 204 once the event's qunops
// events are queued.
func (t *Transport) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "onebot: webhook takes POST", http.StatusMethodNotAllowed)
		return
	}
	if !t.authorized(r) {
		http.Error(w, "onebot: access token does not match", http.StatusUnauthorized)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		http.Error(w, fmt.Sprintf("onebot: content type %q is not application/json", r.Header.Get("Content-Type")), http.StatusUnsupportedMediaType)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, t.cfg.MaxBody+1))
	if err != nil {
		http.Error(w, "onebot: reading the event: "+err.Error(), http.StatusBadRequest)
		return
	}
	if int64(len(body)) > t.cfg.MaxBody {
		http.Error(w, fmt.Sprintf("onebot: event is larger than max_body %d bytes", t.cfg.MaxBody), http.StatusRequestEntityTooLarge)
		return
	}
	evs, key, err := decode(body, t.cfg.Location, t.cfg.TitleNotices)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if len(evs) == 0 {
		t.mu.Lock()
		t.dropped[key]++
		t.mu.Unlock()
	}
	for _, ev := range evs {
		select {
		case t.queue <- ev:
		case <-r.Context().Done():
			http.Error(w, "onebot: the queue stayed full", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// authorized checks the webhook's access token in constant time.
func (t *Transport) authorized(r *http.Request) bool {
	if t.cfg.AccessToken == "" {
		return true
	}
	got := r.URL.Query().Get("access_token")
	if h := r.Header.Get("Authorization"); h != "" {
		got = strings.TrimPrefix(h, "Bearer ")
		if got == h {
			return false
		}
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(t.cfg.AccessToken)) == 1
}

// event is the part of a OneBot 12 event this package reads
// (specs/connect/data-protocol/event.md and the group interface pages).
type event struct {
	ID         string    `json:"id"`
	Time       float64   `json:"time"`
	Type       string    `json:"type"`
	DetailType string    `json:"detail_type"`
	SubType    string    `json:"sub_type"`
	MessageID  string    `json:"message_id"`
	Message    []segment `json:"message"`
	AltMessage string    `json:"alt_message"`
	GroupID    string    `json:"group_id"`
	UserID     string    `json:"user_id"`
	OperatorID string    `json:"operator_id"`
	// The new name of a group name notice: group_name (Walle-Q), else
	// name (Lagrange.OneBot). Raw, so that another event's "name" of
	// another type does not fail the decoding of an event that never reads
	// it.
	GroupName json.RawMessage `json:"group_name"`
	Name      json.RawMessage `json:"name"`
}

// segment is one message segment (specs/interface/message/type.md; the
// standard segments and their data: specs/interface/segment/segment.md at
// 3e33294).
type segment struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

type segmentData struct {
	Text      string `json:"text"`
	UserID    string `json:"user_id"`
	MessageID string `json:"message_id"`
}

// Decode maps one OneBot 12 event to the qunops events it stands for (none
// for the events this package does not map) and returns its
// "type.detail_type". Group name notices are read with the detail_types of
// DefaultTitleNotices (a Transport reads Config.TitleNotices). Times are
// read in loc (nil: qunops.DefaultLocation()). An event of a mapped type
// that lacks a field it needs is an error naming the field; Decode never
// panics. Unknown keys are allowed, unlike in the project's own JSON: the
// spec lets implementations extend events with their own fields
// ("<prefix>.<name>").
func Decode(body []byte, loc *time.Location) ([]qunops.Event, string, error) {
	return decode(body, loc, DefaultTitleNotices())
}

func decode(body []byte, loc *time.Location, titles []string) ([]qunops.Event, string, error) {
	var e event
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&e); err != nil {
		return nil, "", fmt.Errorf("onebot: event: %v", err)
	}
	key := e.Type + "." + e.DetailType
	title := e.Type == "notice" && isTitleNotice(e.DetailType, titles)
	switch key {
	case "message.group", "notice.group_member_increase", "notice.group_member_decrease":
	default:
		if !title {
			return nil, key, nil
		}
	}
	if e.GroupID == "" {
		return nil, key, fmt.Errorf("onebot: %s event %q: group_id is empty", key, e.ID)
	}
	member := e.UserID
	if title && e.OperatorID != "" {
		member = e.OperatorID // Walle-Q sends operator_id and no user_id
	}
	if member == "" {
		if title {
			return nil, key, fmt.Errorf("onebot: %s event %q: operator_id and user_id are empty (who renamed the group)", key, e.ID)
		}
		return nil, key, fmt.Errorf("onebot: %s event %q: user_id is empty", key, e.ID)
	}
	if math.IsNaN(e.Time) || e.Time <= 0 || e.Time >= 253402300800 {
		return nil, key, fmt.Errorf("onebot: %s event %q: time %v is not a Unix time in 1970..9999", key, e.ID, e.Time)
	}
	at := time.UnixMilli(int64(math.Round(e.Time * 1000))).In(qunops.LocationOr(loc))
	ev := qunops.Event{Group: e.GroupID, Member: member, Time: at}
	switch {
	case title:
		field, raw := "group_name", e.GroupName
		if isNull(raw) && !isNull(e.Name) {
			field, raw = "name", e.Name
		}
		if isNull(raw) {
			return nil, key, fmt.Errorf("onebot: %s event %q: group_name and name are missing (the new group name)", key, e.ID)
		}
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return nil, key, fmt.Errorf("onebot: %s event %q: %s %.40s is not a string", key, e.ID, field, raw)
		}
		if name == "" {
			return nil, key, fmt.Errorf("onebot: %s event %q: %s is empty (the new group name)", key, e.ID, field)
		}
		ev.Type, ev.ID, ev.Text = qunops.Title, noticeID(e.ID), name
	case key == "notice.group_member_increase":
		ev.Type, ev.ID = qunops.Join, noticeID(e.ID)
		if e.SubType == "invite" && e.OperatorID != e.UserID {
			ev.Actor = e.OperatorID
		}
	case key == "notice.group_member_decrease":
		ev.Type, ev.ID = qunops.Leave, noticeID(e.ID)
		if e.SubType == "kick" && e.OperatorID != e.UserID {
			ev.Actor = e.OperatorID
		}
	case key == "message.group":
		if e.MessageID == "" {
			return nil, key, fmt.Errorf("onebot: %s event %q: message_id is empty", key, e.ID)
		}
		var err error
		ev, err = message(ev, e)
		if err != nil {
			return nil, key, fmt.Errorf("onebot: %s event %q: %v", key, e.ID, err)
		}
	}
	return []qunops.Event{ev}, key, nil
}

// isNull reports whether a raw field is absent or null.
func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// isTitleNotice reports whether detail is one of titles, bare or after a
// "<prefix>." of [_a-z]+: OneBot 12 recommends the prefix for an extended
// detail_type without requiring it (specs/interface/rules.md at 173d8fe),
// and Walle-Q sends its name notice without one.
func isTitleNotice(detail string, titles []string) bool {
	if prefix, rest, ok := strings.Cut(detail, "."); ok {
		if !validDetail(prefix) {
			return false
		}
		detail = rest
	}
	return slices.Contains(titles, detail)
}

// validDetail reports whether s is a non-empty [_a-z]+, the form of a
// detail_type's name and of its prefix.
func validDetail(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '_' && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// noticeID is a notice's dedupe key: its event id, which a webhook retry
// keeps. A notice without one is not deduplicated.
func noticeID(id string) string {
	if id == "" {
		return ""
	}
	return "onebot:n:" + id
}

// MessageIDPrefix starts the event ID of a message: "onebot:m:" and the
// implementation's message_id, which Recall gives back to delete_message.
const MessageIDPrefix = "onebot:m:"

// segmentKinds maps the standard segment types (segment.md)
// to message kinds; text and mention are the text itself.
var segmentKinds = map[string]string{
	"image":    qunops.KindImage,
	"voice":    qunops.KindVoice,
	"audio":    qunops.KindVoice,
	"video":    qunops.KindVideo,
	"file":     qunops.KindFile,
	"location": qunops.KindLocation,
}

// message fills a message event from the segments: Text is the text
// segments joined, Kind the first segment that is not text, a mention or a
// reply (an extended segment, "wx.link_share", is KindOther).
func message(ev qunops.Event, e event) (qunops.Event, error) {
	ev.Type, ev.ID = qunops.Message, MessageIDPrefix+e.MessageID
	var text strings.Builder
	var replyTo string
	for i, s := range e.Message {
		var d segmentData
		if (s.Type == "text" || s.Type == "reply") && len(s.Data) > 0 { // other segments' data are not read
			if err := json.Unmarshal(s.Data, &d); err != nil {
				return ev, fmt.Errorf("message[%d] %s segment data: %v", i, s.Type, err)
			}
		}
		switch s.Type {
		case "text":
			text.WriteString(d.Text)
		case "mention", "mention_all":
		case "reply":
			replyTo = d.UserID
			if ev.Kind == "" {
				ev.Kind = qunops.KindQuote
			}
		default:
			if k, ok := segmentKinds[s.Type]; ok {
				if ev.Kind == "" || ev.Kind == qunops.KindQuote {
					ev.Kind = k
				}
			} else if ev.Kind == "" || ev.Kind == qunops.KindQuote {
				ev.Kind = qunops.KindOther
			}
		}
	}
	ev.Text = text.String()
	if len(e.Message) == 0 {
		ev.Text = e.AltMessage
	}
	if ev.Kind == qunops.KindQuote && ev.Text != "" {
		ev.Kind = "" // a reply with text is text: the rules read it
	}
	if replyTo != "" && replyTo != e.UserID {
		switch strings.TrimSpace(ev.Text) {
		case "/report":
			return qunops.Event{Type: qunops.Report, Group: ev.Group, Member: replyTo, Actor: e.UserID,
				Time: ev.Time, ID: ev.ID}, nil
		case "/resolve":
			return qunops.Event{Type: qunops.Resolve, Group: ev.Group, Member: replyTo, Actor: e.UserID,
				Time: ev.Time, ID: ev.ID}, nil
		}
	}
	return ev, nil
}

var (
	_ bot.Source = (*Transport)(nil)
	_ bot.Sink   = (*Transport)(nil)
)
