#!/usr/bin/env bash
# Inputs that cannot seek (stdin, pipes, FIFOs, devices) are checked as the bytes
# arrive and read no further than their header says the file goes: /dev/zero and
# /dev/urandom are refused at once (they used to be read forever), a big stream of
# zeros on stdin costs no memory, a good file followed by endless bytes is read and
# the rest left alone, and a stream cut short is exit 3. Every run is bounded by
# `timeout`.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
TO="timeout 20"

want3() { # label, rc, stderr file, message part
    if [ "$2" -ne 3 ]; then
        echo "FAIL: $1 exited $2, want 3 (124: it did not end)"; fail=1
    elif [ "$(wc -l <"$3")" -ne 1 ] || ! grep -q "$4" "$3"; then
        echo "FAIL: $1: want one line with '$4', got:"; cat "$3"; fail=1
    fi
}

for dev in /dev/zero /dev/urandom; do
    t0=$(date +%s%N)
    $TO "$BIN/exsol-table" -v x "$dev" >/dev/null 2>"$T/err"
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    want3 "exsol-table $dev" $rc "$T/err" "not a NetCDF file"
    echo "exsol-table $dev: exit $rc in $ms ms"
done
$TO "$BIN/exsol-reduce" -q -o "$T/r.nc" - </dev/zero 2>"$T/err"
want3 "exsol-reduce </dev/zero" $? "$T/err" "not a NetCDF file"

# 1.5 GB of zeros on stdin: refused after the first MiB, in little memory
if [ -x /usr/bin/time ]; then
    head -c 1500M /dev/zero | $TO /usr/bin/time -o "$T/rss" -f %M "$BIN/exsol-table" -v x - \
        2>"$T/err" >/dev/null
    rc=${PIPESTATUS[1]}
    want3 "1.5 GB of zeros on stdin" $rc "$T/err" "not a NetCDF file"
    rss=$(tail -1 "$T/rss")
    echo "1.5 GB of zeros on stdin: exit $rc, max RSS $rss KB"
    [ "${rss:-999999}" -lt 65536 ] || { echo "FAIL: max RSS $rss KB for a refused stream"; fail=1; }
fi

# a good file followed by endless bytes: read as far as its header says, no further
"$BIN/exsol-gen" -q --no-history --grid "$SRC/recipes/grids/lsnt.cfg" >"$T/g.cdf5"
"$BIN/exsol-gen" -q --no-history --grid "$SRC/recipes/grids/lsnt.cfg" -o "$T/g.nc"
"$BIN/exsol-table" -v formula,T_anneal "$T/g.nc" >"$T/want.tsv"
for f in g.cdf5 g.nc; do
    cat "$T/$f" /dev/zero | $TO "$BIN/exsol-table" -v formula,T_anneal - >"$T/got.tsv" 2>"$T/err"
    rc=${PIPESTATUS[1]}
    [ "$rc" -eq 0 ] || { echo "FAIL: $f then /dev/zero on stdin exited $rc"; cat "$T/err"; fail=1; }
    cmp -s "$T/want.tsv" "$T/got.tsv" || { echo "FAIL: $f then zeros: other rows"; fail=1; }
    # the same through a FIFO given by name
    mkfifo "$T/fifo"
    (cat "$T/$f" /dev/zero >"$T/fifo" 2>/dev/null &)
    $TO "$BIN/exsol-table" -v formula,T_anneal "$T/fifo" >"$T/got.tsv" 2>"$T/err"
    rc=$?
    [ "$rc" -eq 0 ] || { echo "FAIL: $f then zeros through a FIFO exited $rc"; cat "$T/err"; fail=1; }
    cmp -s "$T/want.tsv" "$T/got.tsv" || { echo "FAIL: $f through a FIFO: other rows"; fail=1; }
    rm -f "$T/fifo"
    # cut short: invalid input, whatever the cut
    size=$(stat -c %s "$T/$f")
    for cut in 3 7 100 $((size / 2)) $((size - 1)); do
        head -c $cut "$T/$f" | $TO "$BIN/exsol-table" -v formula - >/dev/null 2>"$T/err"
        want3 "$f cut to $cut bytes on stdin" "${PIPESTATUS[1]}" "$T/err" "stdin"
    done
done

# a classic header without a record count (numrecs 'streaming') cannot bound a pipe
ncgen -k 1 -o "$T/c1.nc" - <<'CDL'
netcdf c1 {
dimensions:
  candidate = UNLIMITED ;
variables:
  double x(candidate) ;
data:
  x = 1, 2 ;
}
CDL
{ head -c 4 "$T/c1.nc"; printf '\377\377\377\377'; tail -c +9 "$T/c1.nc"; } >"$T/stream1.nc"
cat "$T/stream1.nc" /dev/zero | $TO "$BIN/exsol-table" -v x - >/dev/null 2>"$T/err"
want3 "a streaming CDF1 header on stdin" "${PIPESTATUS[1]}" "$T/err" "no record count"
# the good one still goes through a pipe
[ "$(cat "$T/c1.nc" | "$BIN/exsol-table" -v x - | tr '\n' ' ')" = "x 1 2 " ] ||
    { echo "FAIL: CDF1 on stdin"; fail=1; }

[ $fail -eq 0 ] && echo "stream inputs: checked as they arrive, read no further than declared"
exit $fail
