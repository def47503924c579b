// Command qunops-bot runs the qunops rule engine on a live group through
// Telegram or a OneBot 12 implementation, keeping its state crash-safe in a
// directory (package github.com/qunops/qunops/bot).
//
// Usage:
//
//	qunops-bot -transport telegram|onebot -policy policy.json -state DIR [flags]
//
// Secrets come from the environment (QUNOPS_TELEGRAM_TOKEN,
// QUNOPS_ONEBOT_TOKEN) or from flags; the environment is preferred, since
// flags show in the process list. They are never logged.
//
// The policy file is a rules.Policy in JSON. With "lock_title": true, a
// rename of the group by a member who is not an admin is undone (Telegram
// setChatTitle, OneBot set_group_name) and the admins are told; the bot
// must then be allowed to change the group's info.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/qunops/qunops/adapters/onebot"
	"github.com/qunops/qunops/adapters/telegram"
	"github.com/qunops/qunops/bot"
	"github.com/qunops/qunops/rules"
)

const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr, os.Getenv))
}

// config is the command line after flags and environment.
type config struct {
	transport, policy, state string
	tgToken, tgAPI           string
	obAPI, obToken, listen   string
	obPath                   string
	obTitles                 []string // the -onebot-title-notices list; nil: the adapter's default
}

func parse(args []string, stderr io.Writer, getenv func(string) string) (config, error) {
	var c config
	fs := flag.NewFlagSet("qunops-bot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.transport, "transport", "", "`telegram` or onebot (required)")
	fs.StringVar(&c.policy, "policy", "", "the rules.Policy JSON `file` (required)")
	fs.StringVar(&c.state, "state", "", "the state `dir`ectory: snapshots and journal (required)")
	fs.StringVar(&c.tgToken, "telegram-token", "", "Telegram bot `token` (default $QUNOPS_TELEGRAM_TOKEN; prefer the variable)")
	fs.StringVar(&c.tgAPI, "telegram-api", "", "Bot API server `URL` (default $QUNOPS_TELEGRAM_API, else https://api.telegram.org)")
	fs.StringVar(&c.obAPI, "onebot-api", "", "OneBot 12 HTTP action `URL` (default $QUNOPS_ONEBOT_API)")
	fs.StringVar(&c.obToken, "onebot-token", "", "OneBot access `token`, both ways (default $QUNOPS_ONEBOT_TOKEN; prefer the variable)")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "`address` of the OneBot webhook")
	fs.StringVar(&c.obPath, "webhook-path", "/onebot", "`path` of the OneBot webhook")
	fs.Func("onebot-title-notices", "comma-separated notice detail_`types` that report a group rename (default group_name_update,group_name_change)", func(v string) error {
		c.obTitles = nil
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				c.obTitles = append(c.obTitles, n)
			}
		}
		if len(c.obTitles) == 0 {
			return errors.New("no notice type given")
		}
		return nil
	})
	fs.Usage = func() {
		fmt.Fprint(stderr, "qunops-bot runs the qunops rule engine on a live group, crash-safe.\n\n"+
			"Usage:\n\n\tqunops-bot -transport telegram|onebot -policy policy.json -state DIR [flags]\n\nFlags:\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	// The environment fills the flags left empty after parsing, not as
	// their defaults, which -h would print.
	for _, v := range []struct {
		dst *string
		env string
	}{{&c.tgToken, "QUNOPS_TELEGRAM_TOKEN"}, {&c.tgAPI, "QUNOPS_TELEGRAM_API"}, {&c.obAPI, "QUNOPS_ONEBOT_API"}, {&c.obToken, "QUNOPS_ONEBOT_TOKEN"}} {
		if *v.dst == "" {
			*v.dst = getenv(v.env)
		}
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case c.transport != "telegram" && c.transport != "onebot":
		return c, fmt.Errorf("-transport %q must be telegram or onebot", c.transport)
	case c.policy == "":
		return c, errors.New("-policy is required")
	case c.state == "":
		return c, errors.New("-state is required")
	case c.transport == "telegram" && c.tgToken == "":
		return c, errors.New("telegram needs a token: set QUNOPS_TELEGRAM_TOKEN or -telegram-token")
	case c.transport == "onebot" && c.obAPI == "":
		return c, errors.New("onebot needs the action URL: set QUNOPS_ONEBOT_API or -onebot-api")
	}
	return c, nil
}

func run(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) int {
	c, err := parse(args, stderr, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "qunops-bot: %v\n", err)
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if err := serve(ctx, c, log); err != nil {
		fmt.Fprintf(stderr, "qunops-bot: %v\n", err)
		return exitError
	}
	return exitOK
}

func serve(ctx context.Context, c config, log *slog.Logger) error {
	data, err := os.ReadFile(c.policy)
	if err != nil {
		return err
	}
	var p rules.Policy
	if err := p.UnmarshalJSON(data); err != nil {
		return fmt.Errorf("%s: %v", c.policy, err)
	}
	var (
		src  bot.Source
		sink bot.Sink
		wait func()
	)
	switch c.transport {
	case "telegram":
		tr, err := telegram.New(telegram.Config{Token: c.tgToken, ServerURL: c.tgAPI, Logger: log})
		if err != nil {
			return err
		}
		defer tr.Close()
		if id := tr.SelfID(); id != "" && !slices.Contains(p.Self, id) {
			p.Self = append(p.Self, id)
		}
		src, sink = tr, tr
	case "onebot":
		tr, err := onebot.New(onebot.Config{APIURL: c.obAPI, AccessToken: c.obToken, TitleNotices: c.obTitles})
		if err != nil {
			return err
		}
		mux := http.NewServeMux()
		mux.Handle(c.obPath, tr)
		ln, err := net.Listen("tcp", c.listen)
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		log.Info("qunops-bot: onebot webhook", "addr", ln.Addr().String(), "path", c.obPath)
		wait = func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Shutdown(sctx)
		}
		src, sink = tr, tr
	}
	r, err := bot.New(p, src, sink, bot.Options{Dir: c.state, Logger: log})
	if err != nil {
		return err
	}
	log.Info("qunops-bot: running", "transport", c.transport, "state", c.state)
	err = r.Run(ctx)
	if wait != nil {
		wait()
	}
	return err
}
