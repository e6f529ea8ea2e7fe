# Shared preamble of the shell tests (tests/cli/*.sh, tests/workflow/*.sh), sourced
# right after a test has read its environment (BIN=${EXSOL_BIN:?} ...):
#   T        a fresh temporary folder, removed when the test exits
#   fail     0, set to 1 by bad (the test ends with: exit $fail)
#   ok MSG, bad MSG              one "ok: " / "FAIL: " line each
#   check MSG GOT WANT           ok if the two strings are equal
#   holds MSG VALUE AWK-COND     ok if the awk condition on v holds
#   need_tools TOOL...           skip the test (exit 0) unless each $BIN/TOOL is built
# A test that needs its own cleanup sets its own EXIT trap after sourcing this file.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
check() { if [ "$2" == "$3" ]; then ok "$1"; else bad "$1: got [$2] want [$3]"; fi; }
holds() { awk -v v="$2" "BEGIN { exit !($3) }" && ok "$1" || bad "$1: value $2 fails $3"; }
need_tools() { for t; do [ -x "$BIN/$t" ] || { echo "skip: $t not built"; exit 0; }; done; }
