#!/bin/bash
# -v prints more than the default for reduce, transport, magnet and rank: the input
# and threads, every model parameter with its origin, per-block rows/failures/time,
# the status counts (rank: exclusions per stage and front sizes); -q prints nothing.
# exsol-cat, which takes no model parameters, does not list --set/--params.
set -uo pipefail
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-cat

"$BIN/exsol-gen" -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C,600C \
    --time 5h >"$T/g.cdf5" || bad gen
"$BIN/exsol-reduce" -q "$T/g.cdf5" >"$T/r.cdf5" &&
    "$BIN/exsol-transport" -q "$T/r.cdf5" >"$T/t.cdf5" &&
    "$BIN/exsol-magnet" -q "$T/t.cdf5" >"$T/m.cdf5" || bad "chain"
declare -A IN=([reduce]=g [transport]=r [magnet]=t [rank]=m)
declare -A SET=([reduce]=gamma_interface=0.6 [transport]= [magnet]= [rank]=)
for tool in reduce transport magnet rank; do
    in=$T/${IN[$tool]}.cdf5
    "$BIN/exsol-$tool" "$in" >/dev/null 2>"$T/$tool.default" || bad "$tool"
    args=(-v)
    [ -n "${SET[$tool]}" ] && args+=(--set "${SET[$tool]}")
    "$BIN/exsol-$tool" "${args[@]}" "$in" >/dev/null 2>"$T/$tool.v" || bad "$tool -v"
    "$BIN/exsol-$tool" -q "$in" >/dev/null 2>"$T/$tool.q" || bad "$tool -q"
    nd=$(wc -l <"$T/$tool.default") nv=$(wc -l <"$T/$tool.v")
    holds "$tool -v prints more than the default ($nv > $nd lines)" "$nv" "v > $nd"
    check "$tool -q prints nothing" "$(cat "$T/$tool.q")" ""
    grep -q "debug: [0-9]* model parameters, [0-9]* overridden" "$T/$tool.v" &&
        ok "$tool -v: the parameters" || bad "$tool -v lacks the parameter list"
    if [ "$tool" == rank ]; then
        grep -q "debug: magnet_status != 0: 0 rows excluded" "$T/$tool.v" &&
            grep -q "debug: Pareto fronts: " "$T/$tool.v" && ok "rank -v: exclusions and fronts" ||
            bad "rank -v lacks exclusions per stage or front sizes"
    else
        grep -q "debug: rows 0-1: 0 failed, [0-9.]* s computing" "$T/$tool.v" &&
            ok "$tool -v: per-block timing" || bad "$tool -v lacks the block line"
        grep -q "debug: ${tool}_status: 2 ok (0)" "$T/$tool.v" && ok "$tool -v: status counts" ||
            bad "$tool -v lacks the status counts"
    fi
done
grep -Eq "debug: [0-9]+ model parameters, 1 overridden" "$T/reduce.v" &&
    grep -q "debug:   gamma_interface = 0.6 J m-2 (--set)" "$T/reduce.v" &&
    ok "reduce -v --set: the override and its origin" || bad "reduce -v does not show the --set value"

# a tool without model parameters does not offer to set them
h=$("$BIN/exsol-cat" --help)
case "$h" in *--set* | *--params*) bad "exsol-cat --help lists --set/--params" ;;
*) ok "exsol-cat --help has no --set/--params" ;; esac
"$BIN/exsol-cat" --set x=1 "$T/g.cdf5" >/dev/null 2>&1
check "and exsol-cat --set is a usage error" "$?" 2
case "$("$BIN/exsol-reduce" --help)" in *"--set NAME=VALUE"*"--params FILE"*) ok "exsol-reduce --help keeps them" ;;
*) bad "exsol-reduce --help lost --set/--params" ;; esac
for tool in gen reduce transport magnet rank cat; do
    grep -q -- "--compression zstd|deflate|none" <<<"$("$BIN/exsol-$tool" --help)" &&
        ok "exsol-$tool --help: --compression" || bad "exsol-$tool --help lacks --compression"
done
exit $fail
