#!/bin/bash
# NCO writes exsol files back when they are deflate-compressed (what every netCDF
# build can write): ncks -O -v, ncap2 -O -s, ncrcat, with no HDF5_PLUGIN_PATH. A zstd
# file fails to be rewritten by a netCDF without zstd (Debian's), which is why
# --compression deflate exists. Skipped (77) without ncks.
set -uo pipefail
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank
command -v ncks >/dev/null || { echo "skip: ncks (nco) not installed"; exit 77; }
unset HDF5_PLUGIN_PATH

"$BIN/exsol-gen" -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C,600C \
    --time 5h | "$BIN/exsol-reduce" -q | "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q |
    "$BIN/exsol-rank" -q --compression deflate -o "$T/ranking.nc" || bad "chain"
ncks -O -v log10_rho_ratio,candidate "$T/ranking.nc" "$T/o.nc" >"$T/ncks.log" 2>&1 &&
    ok "ncks -O -v on a deflate file: exit 0" || { bad "ncks -O -v: $(head -3 "$T/ncks.log")"; }
check "ncks kept the values" "$(ncks -H -C -v log10_rho_ratio "$T/o.nc" | grep -c 'log10_rho_ratio')" 2
if command -v ncap2 >/dev/null; then
    ncap2 -O -s 'ratio2=log10_rho_ratio*2' "$T/ranking.nc" "$T/p.nc" >"$T/ncap2.log" 2>&1 &&
        ok "ncap2 -O -s on a deflate file: exit 0" || bad "ncap2: $(head -3 "$T/ncap2.log")"
fi
ncrcat -O "$T/ranking.nc" "$T/ranking.nc" "$T/two.nc" >"$T/ncrcat.log" 2>&1 &&
    ok "ncrcat of deflate files: exit 0" || bad "ncrcat: $(head -3 "$T/ncrcat.log")"
"$BIN/exsol-table" -n 1 "$T/o.nc" >/dev/null && ok "exsol-table reads NCO's output" ||
    bad "exsol-table on NCO's output"
exit $fail
