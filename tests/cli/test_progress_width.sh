#!/bin/bash
# The progress bar fits the terminal: on a pseudo-terminal (util-linux `script`) of 80,
# 60 and 40 columns, every refresh of exsol-reduce's bar is shorter than the width (a
# line that reaches the last column wraps, and each later refresh then starts a new
# line); with no size on the terminal, $COLUMNS decides, and without it 80 columns.
# The width is read from the terminal (TIOCGWINSZ) at each refresh.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
command -v script >/dev/null || { echo "SKIP: no 'script' (util-linux) to make a terminal"; exit 77; }
command -v stty >/dev/null || { echo "SKIP: no stty"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# enough rows that the bar is drawn (it appears after half a second)
"$BIN/exsol-gen" -q --grid "$SRC/recipes/grids/default.cfg" --no-history -o "$T/gen.nc" \
    || { echo "FAIL: exsol-gen"; exit 1; }

check() { # check NAME MAXLEN SETUP: run exsol-reduce on a terminal set up by SETUP
    local name=$1 max=$2 setup=$3
    rm -f "$T/ts" "$T/out.nc"
    script -q -e -c "$setup; exec '$BIN/exsol-reduce' --threads 1 -o '$T/out.nc' '$T/gen.nc'" \
        "$T/ts" >/dev/null 2>&1 </dev/null
    [ -s "$T/out.nc" ] || { bad "$name: exsol-reduce did not finish"; return; }
    /usr/bin/python3 - "$T/ts" "$max" "$name" <<'PYEOF'
import sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
maxlen, name = int(sys.argv[2]), sys.argv[3]
raw = raw.replace("\r\n", "\n")
raw = raw[raw.index("\n") + 1:] if raw.startswith("Script started") else raw
segs = raw.split("\r")
bars = [s for s in segs if s.startswith("exsol-reduce: reduce [")]
if not bars:
    print(f"FAIL: {name}: no progress bar drawn: {raw[:200]!r}"); sys.exit(1)
wrapped = [s for s in bars if "\n" in s.rstrip("\n")]
long = [s for s in bars if len(s.rstrip("\n")) > maxlen]
if long or wrapped:
    print(f"FAIL: {name}: {len(long)} of {len(bars)} refreshes longer than {maxlen} "
          f"columns (longest {max(len(s) for s in bars)}): {long[:1]!r}"); sys.exit(1)
print(f"ok: {name}: {len(bars)} refreshes, longest {max(len(s) for s in bars)} <= {maxlen}")
PYEOF
    [ $? -eq 0 ] || fail=1
}
check "80 columns" 79 "stty cols 80 rows 24"
check "60 columns" 59 "stty cols 60 rows 24"
check "40 columns" 39 "stty cols 40 rows 24"
check "no terminal size, COLUMNS=50" 49 "stty cols 0 rows 0; export COLUMNS=50"
check "no terminal size, no COLUMNS: 80" 79 "stty cols 0 rows 0; unset COLUMNS"
exit $fail
