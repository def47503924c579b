package onebot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// fakeImpl is a OneBot 12 implementation's HTTP action endpoint
// (specs/connect/communication/http.md): it checks the token, records every
// action request as "action {params}" (params re-encoded with sorted keys)
// and answers with reply, or ok.
type fakeImpl struct {
	t     *testing.T
	token string
	reply func(action string, params map[string]any) (status string, retcode int64)

	mu    sync.Mutex
	calls []string
	seen  chan string // if not nil, gets every call too
}

func (f *fakeImpl) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.token != "" && r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.Header.Get("Content-Type") != "application/json" {
		w.WriteHeader(http.StatusUnsupportedMediaType)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var req struct {
		Action string         `json:"action"`
		Params map[string]any `json:"params"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		f.t.Errorf("fake onebot: bad action request %s: %v", body, err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	params, _ := json.Marshal(req.Params)
	f.mu.Lock()
	f.calls = append(f.calls, req.Action+" "+string(params))
	f.mu.Unlock()
	if f.seen != nil {
		f.seen <- req.Action + " " + string(params)
	}
	status, code := "ok", int64(0)
	if f.reply != nil {
		status, code = f.reply(req.Action, req.Params)
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"status":%q,"retcode":%d,"data":null,"message":"%s"}`, status, code, map[bool]string{true: "", false: "failed"}[code == 0])
}

// take returns the calls recorded since the last take.
func (f *fakeImpl) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

// startFake starts the fake implementation and a Transport pointed at it,
// with its webhook served on loopback too.
func startFake(t *testing.T, token string) (*fakeImpl, *Transport, *httptest.Server) {
	t.Helper()
	f := &fakeImpl{t: t, token: token}
	impl := httptest.NewServer(f)
	t.Cleanup(impl.Close)
	tr, err := New(Config{APIURL: impl.URL + "/", AccessToken: token, Client: impl.Client()})
	if err != nil {
		t.Fatal(err)
	}
	hook := httptest.NewServer(tr)
	t.Cleanup(hook.Close)
	return f, tr, hook
}

// push posts one event to the webhook as an implementation does
// (specs/connect/communication/http-webhook.md: the headers it must set) and
// returns the status.
func push(t *testing.T, hook *httptest.Server, token, event string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, hook.URL+"/", bytes.NewBufferString(event))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "OneBot/12 (wechat) fake/1")
	req.Header.Set("X-OneBot-Version", "12")
	req.Header.Set("X-Impl", "fake")
	req.Header.Set("X-Platform", "wechat")
	req.Header.Set("X-Self-ID", "bot")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hook.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
