#!/bin/bash
# Man pages: the build makes one per tool in build/bin (help2man, from --help and
# --version, cmake/manpages.cmake), each renders (man -l, else groff/nroff) with its
# NAME and SYNOPSIS and every long option of the tool's --help, and `cmake --install`
# puts them in share/man/man1. Skipped (77) only when help2man is not installed.
set -u
BIN=${EXSOL_BIN:?}
BUILD=${EXSOL_BUILD:-$BIN/..}
export LC_ALL=C.UTF-8
if ! command -v help2man >/dev/null; then
    echo "SKIP: help2man is not installed (Debian: apt-get install help2man; make deps)"; exit 77
fi
render() {
    if command -v man >/dev/null && command -v nroff >/dev/null; then MANWIDTH=200 man -l "$1" 2>/dev/null
    elif command -v groff >/dev/null; then groff -man -Tutf8 -rLL=200n "$1" 2>/dev/null
    else return 2; fi
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
n=0
for exe in "$BIN"/exsol "$BIN"/exsol-*; do
    [ -x "$exe" ] || continue
    tool=$(basename "$exe"); n=$((n + 1))
    page=$BUILD/man/man1/$tool.1
    if [ ! -s "$page" ]; then bad "$tool: no man page $page"; continue; fi
    render "$page" >"$T/$tool.txt"
    if [ $? -eq 2 ]; then echo "SKIP: neither man nor groff to render a page"; exit 77; fi
    grep -q "^NAME" "$T/$tool.txt" && grep -q "^SYNOPSIS\|^DESCRIPTION" "$T/$tool.txt" \
        && grep -q "$tool - " "$T/$tool.txt" \
        && ok "$tool.1 renders (NAME, SYNOPSIS/DESCRIPTION)" || bad "$tool.1 does not render"
    missing=""
    for o in $("$exe" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
        grep -q -- "$o" "$T/$tool.txt" || missing="$missing $o"
    done
    [ -z "$missing" ] && ok "$tool.1 has every option of --help" || bad "$tool.1 lacks$missing"
done
[ "$n" -ge 8 ] && ok "$n tools" || bad "only $n tools in $BIN"
cmake --install "$BUILD" --prefix "$T/inst" >"$T/install.log" 2>&1 || { bad "cmake --install"; tail -3 "$T/install.log"; }
for exe in "$BIN"/exsol "$BIN"/exsol-*; do
    tool=$(basename "$exe")
    [ -s "$T/inst/share/man/man1/$tool.1" ] || bad "install: no share/man/man1/$tool.1"
done
[ $fail = 0 ] && ok "installed to share/man/man1"
exit $fail
