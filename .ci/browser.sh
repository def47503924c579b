#!/usr/bin/env bash
# Browser test of `qunops report -html`: renders the sample's report in a
# headless Chromium, checks that the page loads without console errors and
# that every chart of every group is in the DOM, and saves a phone-sized
# screenshot. Installs Debian's chromium when it is missing (as root).
#
# Usage: .ci/browser.sh [PAGE.html]
#   Without PAGE, the page is the report of the bundled sample month.
#   The screenshot goes to $QUNOPS_ARTIFACTS (default: a new temporary
#   directory); its path is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
	echo "browser.sh: $*" >&2
	exit 1
}

chrome=""
for c in chromium google-chrome google-chrome-stable chromium-browser; do
	if command -v "$c" >/dev/null 2>&1; then
		chrome=$(command -v "$c")
		break
	fi
done
if [ -z "$chrome" ]; then
	if [ "$(id -u)" != 0 ]; then
		fail "chromium is not installed and this is not root: run 'apt-get install -y --no-install-recommends chromium' as root, then this script again"
	fi
	echo "== installing Debian's chromium"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y --no-install-recommends chromium >/dev/null ||
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; } ||
		fail "apt-get install chromium failed"
	chrome=$(command -v chromium) || fail "chromium installed but not on PATH"
fi
# The sample's terms are Chinese: without a CJK font the screenshot shows
# boxes (the DOM checks do not depend on it). A small one is enough.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "== installing a CJK font for the screenshot (fonts-wqy-microhei)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-wqy-microhei >/dev/null ||
			echo "browser.sh: warning: no CJK font; Chinese text shows as boxes in the screenshot" >&2
	else
		echo "browser.sh: warning: no CJK font; Chinese text shows as boxes in the screenshot" >&2
	fi
fi
echo "== $("$chrome" --version 2>/dev/null || echo "$chrome")"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${QUNOPS_ARTIFACTS:-$(mktemp -d)}
mkdir -p "$out"

page=${1:-}
if [ -z "$page" ]; then
	page="$tmp/report.html"
	go run ./cmd/qunops report -html "$page" >/dev/null 2>"$tmp/report.err" ||
		{ cat "$tmp/report.err" >&2; fail "qunops report -html failed"; }
fi
[ -s "$page" ] || fail "$page is missing or empty"
page=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")

# The groups the page should show, read from the JSON of the same report.
if [ -z "${1:-}" ]; then
	groups=$(go run ./cmd/qunops report -json 2>/dev/null | grep -o '"group":"[^"]*"' | sed 's/"group":"//; s/"$//')
	[ -n "$groups" ] || fail "the sample's report has no groups"
fi

# chrome runs headless with a new empty profile each time, and nothing
# that calls home; the timeout bounds a hang. Headless chromium on a small
# VM now and then dies of a signal (a segmentation fault, seen once in a
# screenshot on 2026-12-06, after the DOM of the same page was dumped):
# that is the browser's crash, not the page's, so a run killed by a signal
# is tried again, three times at most, and said so. A page that makes it
# crash every time still fails.
run_chrome() {
	local profile status try
	for try in 1 2 3; do
		profile=$(mktemp -d "$tmp/profile.XXXXXX")
		status=0
		timeout 60 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$profile" --enable-logging=stderr --v=0 "$@" || status=$?
		if [ "$status" -le 128 ] || [ "$try" = 3 ]; then
			return "$status"
		fi
		echo "browser.sh: chromium died of signal $((status - 128)), trying again" >&2
	done
}

echo "== rendering $page"
run_chrome --dump-dom "file://$page" >"$tmp/dom.html" 2>"$tmp/console.log" ||
	{ tail -20 "$tmp/console.log" >&2; fail "chromium failed to dump the DOM"; }
[ -s "$tmp/dom.html" ] || fail "empty DOM dump"

# Console errors: chromium logs page console messages as CONSOLE lines
# ("Uncaught ..." for exceptions) with --enable-logging=stderr.
if grep -E 'CONSOLE|Uncaught|console\.error' "$tmp/console.log" >"$tmp/errors.log"; then
	cat "$tmp/errors.log" >&2
	fail "the page logged console messages or errors (above)"
fi

# Every chart of every group is in the rendered DOM, each an SVG where the
# data allow one.
missing=0
if [ -n "${groups:-}" ]; then
	n=$(echo "$groups" | wc -l)
	sections=$(grep -o 'data-group="[^"]*"' "$tmp/dom.html" | wc -l)
	[ "$sections" -eq "$n" ] || { echo "browser.sh: $sections group sections in the DOM, want $n" >&2; missing=1; }
	while read -r g; do
		# The group's section runs from its data-group to the next one.
		awk -v g="data-group=\"$g\"" 'index($0, g) {on=1} on && /data-group=/ && !index($0, g) {on=0} on' \
			"$tmp/dom.html" >"$tmp/section.html"
		for c in activity members retention tiers; do
			if ! grep -q "data-chart=\"$c\"" "$tmp/section.html"; then
				echo "browser.sh: group $g: no data-chart=\"$c\"" >&2
				missing=1
			fi
		done
		svgs=$(grep -o '<svg' "$tmp/section.html" | wc -l)
		if [ "$svgs" -lt 3 ]; then
			echo "browser.sh: group $g: $svgs SVG charts, want 3 (activity, members, retention)" >&2
			missing=1
		fi
		echo "   $g: charts activity, members, retention ($svgs SVG), tiers"
	done <<<"$groups"
fi
[ "$missing" = 0 ] || fail "charts missing from the DOM (above)"

echo "== phone screenshot (390 px wide)"
shot="$out/report-phone.png"
(cd "$tmp" && run_chrome --screenshot="$shot" --window-size=390,2400 --hide-scrollbars "file://$page" \
	>/dev/null 2>"$tmp/shot.log") || { tail -20 "$tmp/shot.log" >&2; fail "screenshot failed"; }
[ -s "$shot" ] || fail "no screenshot written"
echo "screenshot: $shot"
echo "browser test passed"
