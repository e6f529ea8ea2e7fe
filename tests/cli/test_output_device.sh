#!/usr/bin/env bash
# -o onto something that is not a regular file (a FIFO here; /dev/null in real use)
# must write into it, not rename a temporary over it (which, as root, replaces the
# device node with a plain file).
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/got.nc" &
reader=$!
"$BIN/exsol-gen" -q --no-history --grid "$SRC/recipes/grids/lsnt.cfg" -o "$T/fifo"
rc=$?
wait $reader
[ $rc -eq 0 ] || { echo "FAIL: exsol-gen -o FIFO exited $rc"; fail=1; }
[ -p "$T/fifo" ] || { echo "FAIL: the FIFO was replaced by a regular file"; fail=1; }
"$BIN/exsol-gen" -q --no-history --grid "$SRC/recipes/grids/lsnt.cfg" >"$T/want.nc"
cmp -s "$T/want.nc" "$T/got.nc" || { echo "FAIL: FIFO output differs from the stdout stream"; fail=1; }
mkdir "$T/dir"
"$BIN/exsol-gen" -q --grid "$SRC/recipes/grids/lsnt.cfg" -o "$T/dir" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: -o DIRECTORY exited $rc, want 2"; fail=1; }
grep -q "is a directory" "$T/err" || { echo "FAIL: no message for -o DIRECTORY"; cat "$T/err"; fail=1; }
[ $fail -eq 0 ] && echo "device/FIFO outputs are written in place"
exit $fail
