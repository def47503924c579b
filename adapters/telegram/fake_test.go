package telegram

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

const testToken = "123456:TEST-token"

// fakeAPI is a Bot API server (https://core.telegram.org/bots/api) for the
// methods the transport calls. getUpdates long-polls: it answers at once
// with the updates at or after offset, or waits for one until the request's
// timeout; an offset acknowledges the updates before it, which are then
// dropped, as Telegram does. Every other call is recorded as
// "method k=v&k=v" with the form fields sorted.
type fakeAPI struct {
	t *testing.T

	mu      sync.Mutex
	updates []*models.Update
	wake    chan struct{}
	calls   []string
	deleted map[string]bool
	titles  map[string]string // chat → title, as setChatTitle left it
	nextMsg int
	fail    map[string]int // method → answers of 500 left to give
	seen    chan string    // if not nil, gets every recorded call too
}

func newFakeAPI(t *testing.T) (*fakeAPI, *httptest.Server) {
	f := &fakeAPI{t: t, wake: make(chan struct{}), deleted: map[string]bool{}, titles: map[string]string{}, nextMsg: 1000}
	s := httptest.NewServer(f)
	t.Cleanup(s.Close)
	return f, s
}

// push queues updates for getUpdates.
func (f *fakeAPI) push(us ...*models.Update) {
	f.mu.Lock()
	f.updates = append(f.updates, us...)
	close(f.wake)
	f.wake = make(chan struct{})
	f.mu.Unlock()
}

func (f *fakeAPI) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+testToken+"/")
	if !ok {
		reply(w, 401, `"Unauthorized"`, "")
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil && method != "getUpdates" { // a poll is cut short at Close
		f.t.Errorf("fake telegram: %s: %v", method, err)
	}
	form := url.Values{}
	if r.MultipartForm != nil {
		form = url.Values(r.MultipartForm.Value)
	}
	if method == "getUpdates" {
		f.getUpdates(w, r, form)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, method+" "+form.Encode())
	if f.seen != nil {
		f.seen <- method + " " + form.Encode()
	}
	f.nextMsg++
	n := f.nextMsg
	failing := f.fail[method] > 0
	if failing {
		f.fail[method]--
	}
	f.mu.Unlock()
	if failing {
		reply(w, 500, "", "Internal Server Error")
		return
	}
	switch method {
	case "sendMessage":
		reply(w, 200, fmt.Sprintf(`{"message_id":%d,"date":1,"chat":{"id":%s,"type":"supergroup"}}`, n, form.Get("chat_id")), "")
	case "deleteMessage":
		key := form.Get("chat_id") + ":" + form.Get("message_id")
		f.mu.Lock()
		gone := f.deleted[key]
		f.deleted[key] = true
		f.mu.Unlock()
		if gone {
			reply(w, 400, "", "Bad Request: message to delete not found")
			return
		}
		reply(w, 200, "true", "")
	case "setChatTitle":
		// Telegram refuses a title that changes nothing with a 400.
		f.mu.Lock()
		same := f.titles[form.Get("chat_id")] == form.Get("title")
		f.titles[form.Get("chat_id")] = form.Get("title")
		f.mu.Unlock()
		if same {
			reply(w, 400, "", "Bad Request: chat title is not modified")
			return
		}
		reply(w, 200, "true", "")
	case "banChatMember", "unbanChatMember":
		reply(w, 200, "true", "")
	default:
		reply(w, 404, "", "Not Found: method not found")
	}
}

func (f *fakeAPI) getUpdates(w http.ResponseWriter, r *http.Request, form url.Values) {
	offset, _ := strconv.ParseInt(form.Get("offset"), 10, 64)
	timeout, _ := strconv.Atoi(form.Get("timeout"))
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		f.mu.Lock()
		f.updates = slices.DeleteFunc(f.updates, func(u *models.Update) bool { return u.ID < offset })
		out, wake := slices.Clone(f.updates), f.wake
		f.mu.Unlock()
		if len(out) > 0 {
			b, _ := json.Marshal(out)
			reply(w, 200, string(b), "")
			return
		}
		select {
		case <-wake:
		case <-deadline:
			reply(w, 200, "[]", "")
			return
		case <-r.Context().Done():
			return
		}
	}
}

func reply(w http.ResponseWriter, code int, result, description string) {
	w.Header().Set("Content-Type", "application/json")
	if code != 200 {
		fmt.Fprintf(w, `{"ok":false,"error_code":%d,"description":%q}`, code, description)
		return
	}
	fmt.Fprintf(w, `{"ok":true,"result":%s}`, result)
}
