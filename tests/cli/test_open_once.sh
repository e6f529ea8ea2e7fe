#!/usr/bin/env bash
# An input file is opened by name once; netCDF and HDF5 then read that descriptor
# (libcore/io/nc_open.c, /proc/self/fd/N), so a file replaced under its name between
# the format check and the reads cannot mix two files. (1) exsol-magnet reads a
# NETCDF4 file from a FIFO and from /dev/stdin and gives the values it gives from the
# file; (2) with strace present, each stage's input path appears in exactly one open
# call (it was four: exsol's check, netCDF twice, HDF5).
set -u
BIN=${EXSOL_BIN:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-$(dirname "$BIN")/hdf5-plugin}
fail=0
cd "$T" || exit 1
C="-q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C,600C --time 5h"
"$BIN/exsol-gen" $C -o gen.nc && "$BIN/exsol-reduce" -q --no-history -o red.nc gen.nc &&
    "$BIN/exsol-transport" -q --no-history -o tr.nc red.nc || { echo "FAIL: chain"; exit 1; }
V=magnet_status,M_300K_1T_reduced,T_B_p90,spm_300K_reduced
"$BIN/exsol-magnet" -q --no-history -o m-file.nc tr.nc && "$BIN/exsol-table" -v $V m-file.nc >want.tsv ||
    { echo "FAIL: magnet on the file"; exit 1; }

# (1) a FIFO and /dev/stdin carrying the NETCDF4 file
mkfifo fifo
(cat tr.nc >fifo &)
if timeout 20 "$BIN/exsol-magnet" -q --no-history -o m-fifo.nc fifo 2>err; then
    "$BIN/exsol-table" -v $V m-fifo.nc | cmp -s - want.tsv && echo "ok magnet from a FIFO" ||
        { echo "FAIL: magnet from a FIFO: other values"; fail=1; }
else
    echo "FAIL: magnet from a FIFO: $(cat err)"; fail=1
fi
if timeout 20 "$BIN/exsol-magnet" -q --no-history -o m-stdin.nc /dev/stdin <tr.nc 2>err; then
    "$BIN/exsol-table" -v $V m-stdin.nc | cmp -s - want.tsv && echo "ok magnet from /dev/stdin" ||
        { echo "FAIL: magnet from /dev/stdin: other values"; fail=1; }
else
    echo "FAIL: magnet from /dev/stdin: $(cat err)"; fail=1
fi

# (2) one open of the input by name (strace optional)
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
    for t in reduce:gen.nc transport:red.nc magnet:tr.nc; do
        tool=${t%%:*} in=${t#*:}
        n=$(strace -f -e trace=open,openat -o trace "$BIN/exsol-$tool" -q --no-history -o o.nc "$in" 2>/dev/null;
            grep -c "\"$in\"" trace)
        [ "$n" -eq 1 ] && echo "ok exsol-$tool opens $in by name once" ||
            { echo "FAIL: exsol-$tool opens $in by name $n times"; fail=1; }
    done
else
    echo "note: no strace: the open count is not checked"
fi
exit $fail
