#!/bin/bash
# make install puts the zstd HDF5 plugin where HDF5 looks when HDF5_PLUGIN_PATH is
# unset (its compiled-in default folder), so ncdump, NCO and xarray read zstd files
# with no environment; checked with a DESTDIR install (nothing outside $T is touched)
# and against the folder named inside the libhdf5 that exsol links.
set -uo pipefail
BUILD=${EXSOL_BUILD:?}
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
dir=$(sed -n 's/^EXSOL_HDF5_PLUGIN_DIR:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
[ "$dir" != OFF ] || { echo "skip: configured with EXSOL_HDF5_PLUGIN_DIR=OFF"; exit 77; }
if [ -z "$dir" ]; then # not configured at all: expect HDF5's own default folder
    h5=$(ldd "$BIN/exsol-table" | awk '/libhdf5/ && !/_hl/ { print $3; exit }')
    dir=$(strings "$h5" 2>/dev/null | grep -m1 -E '^/.*/(hdf5/.*plugins?|lib/plugin)$')
    bad "the build has no EXSOL_HDF5_PLUGIN_DIR (HDF5's default folder: ${dir:-unknown})"
    [ -n "$dir" ] || exit 1
fi
DESTDIR=$T/root cmake --install "$BUILD" --prefix /usr/local >"$T/install.log" 2>&1 ||
    { bad "cmake --install: $(tail -3 "$T/install.log")"; exit 1; }
[ -f "$T/root$dir/libH5Zzstd.so" ] && ok "plugin installed in $dir" || bad "no plugin in $dir"
[ -f "$T/root/usr/local/lib/hdf5/plugin/libH5Zzstd.so" ] && ok "and in PREFIX/lib/hdf5/plugin" ||
    bad "no plugin in PREFIX/lib/hdf5/plugin"
h5=$(ldd "$BIN/exsol-table" | awk '/libhdf5/ && !/_hl/ { print $3; exit }')
if [ -n "$h5" ] && command -v strings >/dev/null; then
    [ "$(strings "$h5" | grep -cxF "$dir")" -gt 0 ] && ok "$dir is libhdf5's default plugin folder" ||
        bad "$dir is not named in $h5 (HDF5's default plugin folder differs)"
fi
exit $fail
