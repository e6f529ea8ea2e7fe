#!/bin/bash
# ncrcat merges shards run with different parameters without a word (keeping the first
# file's parameter record) while exsol-cat refuses them; every place that offers ncrcat
# as a way to merge shards says so.
set -uo pipefail
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-cat

SAYS="unchecked|without (these|a) (checks|word)|does not check"
"$BIN/exsol-cat" --help | tr '\n' ' ' | tr -s ' ' | grep -Eq "$SAYS" &&
    ok "exsol-cat --help says ncrcat does not check" || bad "exsol-cat --help offers ncrcat as equivalent"
for f in README.md recipes/README.md recipes/scripts/split.py Snakefile HACKING.md; do
    [ -f "$SRC/$f" ] || continue
    grep -q ncrcat "$SRC/$f" || continue
    tr '\n' ' ' <"$SRC/$f" | tr -s ' ' | grep -Eq "$SAYS" &&
        ok "$f says ncrcat does not check the shards" ||
        bad "$f offers ncrcat without saying it merges shards of different runs"
done

"$BIN/exsol-gen" -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C \
    --time 5h >"$T/g.cdf5" || bad gen
"$BIN/exsol-reduce" -q --no-history "$T/g.cdf5" >"$T/a.cdf5" || bad "reduce a"
"$BIN/exsol-reduce" -q --no-history --set gamma_interface=0.6 "$T/g.cdf5" >"$T/b.cdf5" || bad "reduce b"
"$BIN/exsol-cat" -q -o "$T/ab.nc" "$T/a.cdf5" "$T/b.cdf5" 2>"$T/cat.err"
check "exsol-cat refuses shards with other parameters: exit 3" "$?" 3
[ -e "$T/ab.nc" ] && bad "exsol-cat left ab.nc" || ok "exsol-cat left nothing"
if command -v ncrcat >/dev/null; then
    ncrcat -O "$T/a.cdf5" "$T/b.cdf5" "$T/nco.nc" >/dev/null 2>&1
    check "ncrcat merges them anyway (exit 0): the caveat is real" "$?" 0
    check "and keeps one parameter record for both rows" \
        "$(ncdump -h "$T/nco.nc" | grep -c 'reduce_parameters:gamma_interface = ')" 1
fi
exit $fail
