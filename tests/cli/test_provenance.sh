#!/bin/bash
# The provenance a file carries (parameter <name>_source attributes, variable comments)
# cites only files that are in the repository: no DESIGN.md, no reference/*.md notes of
# the steering repository; every cited docs/sources.md#key section exists there.
set -uo pipefail
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank
command -v ncdump >/dev/null || { echo "skip: ncdump not installed"; exit 77; }

"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h |
    "$BIN/exsol-reduce" -q | "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q |
    "$BIN/exsol-rank" -q -o "$T/r.nc" || bad "chain"
ncdump -h "$T/r.nc" >"$T/h.cdl"
for pat in 'DESIGN\.md' 'reference/' 'reference §' 'defects-and-transport\.md' \
    'kinetics-and-magnetism\.md' 'breadth-and-uncertainty\.md'; do
    n=$(grep -cE "$pat" "$T/h.cdl")
    check "no attribute cites $pat" "$n" 0
done
missing=0 cited=0
for f in $(grep -oE '[A-Za-z0-9_./-]+\.(md|csv|h|c)\b' "$T/h.cdl" | sort -u); do
    cited=$((cited + 1))
    [ -f "$SRC/$f" ] || [ -f "$SRC/datasets/$f" ] || [ -f "$SRC/libcore/base/include/exsol/$f" ] ||
        { echo "cited but not in the repository: $f"; missing=$((missing + 1)); }
done
check "every cited file ($cited) is in the repository" "$missing" 0
for key in $(grep -oE 'docs/sources\.md#[a-z]+' "$T/h.cdl" | sort -u | sed 's/.*#//'); do
    grep -q "<a id=\"$key\"></a>" "$SRC/docs/sources.md" && ok "docs/sources.md has #$key" ||
        bad "docs/sources.md lacks #$key"
done
# and a cited section number exists under its key
grep -oE 'docs/sources\.md#(dt|km|bu) §[0-9]+(\.[0-9]+)?[a-z]?' "$T/h.cdl" | sort -u |
    while read -r ref; do
        key=${ref#*#}; key=${key%% *}; sec=${ref##*§}
        awk -v k="$key" -v s="§$sec" '/^## / { in_k = ($2 == k ":") } in_k && $1 == "-" && $2 == s { f = 1 } END { exit !f }' \
            "$SRC/docs/sources.md" || echo "FAIL: $ref: no such section in docs/sources.md"
    done | grep FAIL && fail=1 || ok "every cited section is listed"
exit $fail
