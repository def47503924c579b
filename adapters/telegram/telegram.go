package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/adapters/internal/steps"
	"github.com/qunops/qunops/bot"
)

var (
	_ bot.Source = (*Transport)(nil)
	_ bot.Sink   = (*Transport)(nil)
)

// Config configures a Transport. Token is required; zero fields mean the
// default documented on them.
type Config struct {
	// Token is the bot's token from @BotFather. It is never logged nor put
	// in an error (the client masks it in its URLs).
	Token string
	// ServerURL is the Bot API server. Default https://api.telegram.org.
	ServerURL string
	// Client performs the requests. Its Timeout must exceed PollTimeout.
	// Default: a client with a timeout of PollTimeout plus 10 s (ours: room
	// for a slow answer after the server's wait).
	Client *http.Client
	// PollTimeout is the long poll of getUpdates: the client asks the
	// server to wait PollTimeout minus 1 s. Default 50 s (ours: one idle
	// request a minute or so, and a prompt Close).
	PollTimeout time.Duration
	// Location is the zone of the events' times. nil means
	// qunops.DefaultLocation().
	Location *time.Location
	// Logger receives the poller's errors (a failed getUpdates). Default
	// slog.Default().
	Logger *slog.Logger
}

// Transport is a Telegram transport. It is safe for concurrent use. Create
// it with New; Close stops its poller.
type Transport struct {
	cfg     Config
	client  *tg.Bot
	updates chan *models.Update
	memo    steps.Memo
	names   names

	start   sync.Once
	stop    context.CancelFunc
	stopped chan struct{}

	mu      sync.Mutex // guards pending
	pending []qunops.Event
}

// New validates cfg and returns a Transport. It makes no request: the first
// Receive starts polling.
func New(cfg Config) (*Transport, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("telegram: config token is empty")
	}
	if cfg.PollTimeout < 0 {
		return nil, fmt.Errorf("telegram: config poll_timeout %v must not be negative", cfg.PollTimeout)
	}
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 50 * time.Second
	}
	if cfg.PollTimeout < 2*time.Second {
		return nil, fmt.Errorf("telegram: config poll_timeout %v must be at least 2s (the client asks the server for poll_timeout minus 1s)", cfg.PollTimeout)
	}
	if cfg.ServerURL == "" {
		cfg.ServerURL = "https://api.telegram.org"
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: cfg.PollTimeout + 10*time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Location = qunops.LocationOr(cfg.Location)
	t := &Transport{cfg: cfg, updates: make(chan *models.Update), stopped: make(chan struct{})}
	logger := cfg.Logger
	c, err := tg.New(cfg.Token,
		tg.WithSkipGetMe(),
		tg.WithServerURL(cfg.ServerURL),
		tg.WithHTTPClient(cfg.PollTimeout, cfg.Client),
		tg.WithAllowedUpdates(tg.AllowedUpdates{"message", "edited_message"}),
		tg.WithUpdatesChannelCap(0),
		tg.WithWorkers(1),
		tg.WithNotAsyncHandlers(),
		tg.WithDefaultHandler(t.hand),
		tg.WithErrorsHandler(func(err error) { logger.Warn("telegram: poll", "err", err) }),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %v", err)
	}
	t.client = c
	return t, nil
}

// SelfID returns the bot's own user id, the number before the colon of the
// token, for Policy.Self; "" if the token has none.
func (t *Transport) SelfID() string {
	if id := t.client.ID(); id != 0 {
		return strconv.FormatInt(id, 10)
	}
	return ""
}

// hand gives an update to Receive, waiting until it is taken.
func (t *Transport) hand(ctx context.Context, _ *tg.Bot, u *models.Update) {
	select {
	case t.updates <- u:
	case <-ctx.Done():
	}
}

// Receive returns the next event, polling for updates as needed. It returns
// ctx.Err() when ctx ends first.
func (t *Transport) Receive(ctx context.Context) (qunops.Event, error) {
	t.start.Do(func() {
		pctx, cancel := context.WithCancel(context.Background())
		t.stop = cancel
		go func() {
			defer close(t.stopped)
			t.client.Start(pctx)
		}()
	})
	for {
		t.mu.Lock()
		if len(t.pending) > 0 {
			ev := t.pending[0]
			t.pending = t.pending[1:]
			t.mu.Unlock()
			return ev, nil
		}
		t.mu.Unlock()
		select {
		case u := <-t.updates:
			t.names.learn(u)
			evs := Events(u, t.cfg.Location)
			t.mu.Lock()
			t.pending = append(t.pending, evs...)
			t.mu.Unlock()
		case <-ctx.Done():
			return qunops.Event{}, ctx.Err()
		}
	}
}

// Close stops the poller and waits for it. Events not yet received are
// dropped; Telegram delivers them again to the next poller.
func (t *Transport) Close() error {
	t.start.Do(func() { close(t.stopped) }) // never started
	if t.stop != nil {
		t.stop()
	}
	<-t.stopped
	return nil
}

// names remembers the username and first name of the users seen, for the
// mentions of Perform. It forgets everything when full.
type names struct {
	mu sync.Mutex
	m  map[int64]models.User
}

// namesMax bounds the users remembered (ours: a large group's active
// members; a mention of a forgotten user falls back to a text_mention).
const namesMax = 100_000

func (n *names) learn(u *models.Update) {
	m := u.Message
	if m == nil {
		m = u.EditedMessage
	}
	if m == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.m == nil || len(n.m) >= namesMax {
		n.m = make(map[int64]models.User)
	}
	if m.From != nil {
		n.m[m.From.ID] = *m.From
	}
	for _, j := range m.NewChatMembers {
		n.m[j.ID] = j
	}
}

func (n *names) get(id int64) (models.User, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	u, ok := n.m[id]
	return u, ok
}
