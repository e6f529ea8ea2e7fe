#!/bin/bash
# A disk that fills up while a NETCDF4 file is written (netCDF's own writes, the
# stored-chunk copy at close, HDF5's last flush): one line naming the reason, exit 1,
# no file and no temporary left, an existing file of that name untouched. Before this
# was fixed, HDF5 crashed in its exit handler over the file it had failed to close
# (exit 139). Needs a small filesystem: a tmpfs mounted in a private mount namespace,
# so root (CI runs as root); skipped otherwise.
set -u
BIN=${EXSOL_BIN:?}
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
    echo "SKIP: needs root and unshare(1) to mount a small tmpfs"; exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 500C:900C:10C \
    --time 1h,5h --h2 5% --h2o 3% --thickness 30nm -o "$T/gen.nc" &&
    "$BIN/exsol-reduce" -q -o "$T/reduce.nc" "$T/gen.nc" || { echo "FAIL: inputs"; exit 1; }
"$BIN/exsol-transport" -q -o "$T/full.nc" "$T/reduce.nc" || { echo "FAIL: transport"; exit 1; }
"$BIN/exsol-cat" -q -o "$T/cat.nc" "$T/reduce.nc" "$T/reduce.nc" || { echo "FAIL: cat"; exit 1; }

# $1: label, $2: tmpfs size in KiB, $3...: the command, writing to $D/out.nc
full_disk() {
    local label=$1 kib=$2
    shift 2
    unshare -m bash -c '
        D=$1; kib=$2; shift 2
        mount -t tmpfs -o size=${kib}k tmpfs "$D" || exit 99
        printf GOOD >"$D/out.nc"
        "$@" 2>"$D.err"; rc=$?
        ls -A "$D" >"$D.ls"
        cat "$D/out.nc" >"$D.kept"
        exit $rc' _ "$T/mnt" "$kib" "$@"
    local rc=$?
    [ "$rc" == 1 ] && ok "$label: exit 1" || bad "$label: exit $rc"
    [ "$(wc -l <"$T/mnt.err")" == 1 ] && grep -q "No space left on device" "$T/mnt.err" &&
        ok "$label: one line naming the reason" || bad "$label: stderr: $(head -c 300 "$T/mnt.err")"
    [ "$(tr '\n' ' ' <"$T/mnt.ls")" == "out.nc " ] && ok "$label: nothing left behind" ||
        bad "$label: left $(tr '\n' ' ' <"$T/mnt.ls")"
    [ "$(cat "$T/mnt.kept")" == GOOD ] && ok "$label: the existing file is untouched" ||
        bad "$label: the existing file changed"
}
mkdir "$T/mnt"
size=$(($(stat -c %s "$T/full.nc") / 1024))
for pct in 20 50 80 95; do
    full_disk "exsol-transport, disk of ${pct}% of the output" $((size * pct / 100)) \
        "$BIN/exsol-transport" -q -o "$T/mnt/out.nc" "$T/reduce.nc"
done
size=$(($(stat -c %s "$T/cat.nc") / 1024))
for pct in 50 95; do
    full_disk "exsol-cat, disk of ${pct}% of the output" $((size * pct / 100)) \
        "$BIN/exsol-cat" -q -o "$T/mnt/out.nc" "$T/reduce.nc" "$T/reduce.nc"
done
exit $fail
