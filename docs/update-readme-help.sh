#!/usr/bin/env bash
# Refreshes the `--help` blocks in README.md from the built tools, so the manual and
# each tool's --help stay in step (tests/cli/test_readme_help.sh checks that they do).
# A block is the text between "<!-- help:TOOL -->" and "<!-- /help -->".
# Usage: docs/update-readme-help.sh [BIN_DIR]   (default build/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/bin}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
awk -v bin="$BIN" '
  /^<!-- help:[a-z-]+ -->$/ {
    print; tool = $0; sub(/^<!-- help:/, "", tool); sub(/ -->$/, "", tool)
    print "```text"; print "$ " tool " --help"
    cmd = bin "/" tool " --help"
    while ((cmd | getline line) > 0) print line
    if (close(cmd) != 0) { print "help of " tool " failed" > "/dev/stderr"; exit 1 }
    print "```"; skip = 1; next
  }
  /^<!-- \/help -->$/ { skip = 0 }
  !skip { print }
' README.md >"$tmp"
cp "$tmp" README.md
