#!/bin/bash
# bcftools-style row filters: exsol-table -i/-e EXPR and exsol-rank -i/-e EXPR, one
# check per operator against counts worked out from the grid, and a one-line error
# with exit 2 for each kind of bad expression (libcore/base/expr.c; the operator
# semantics in detail: tests/unit/test_expr.c).
set -uo pipefail
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-table exsol-rank exsol-reduce exsol-transport exsol-magnet

# 2 formulas x T {773.15, 823.15, 873.15 K} x H2 {5 %, 10 %} = 12 rows (ids 0..11)
"$BIN/exsol-gen" -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 \
    --composition La0.2Sr0.7Co0.1Ti0.9O3 --temperature 500C,550C,600C --time 5h \
    --h2 5%,10% -o "$T/g.nc" || bad "gen"
rows() { "$BIN/exsol-table" --no-header -v candidate "$@" "$T/g.nc" | tr '\n' ' '; }
check "==" "$(rows -i 'T_anneal==823.15')" "2 3 8 9 "
check "!=" "$(rows -i 'T_anneal!=823.15 && dopant=="Ni"')" "0 1 4 5 "
check "<" "$(rows -i 'T_anneal<823.15')" "0 1 6 7 "
check "<=" "$(rows -i 'T_anneal<=823.15 && p_H2<=5066.25')" "0 2 6 8 "
check ">" "$(rows -i 'T_anneal>823.15')" "4 5 10 11 "
check ">=" "$(rows -i 'candidate>=10')" "10 11 "
check "&&" "$(rows -i "dopant=='Co' && T_anneal>850")" "10 11 "
check "||" "$(rows -i 'candidate<1 || candidate>10')" "0 11 "
check "!" "$(rows -i '!(candidate>1)')" "0 1 "
check "parentheses" "$(rows -i '(candidate<2 || candidate>9) && p_H2>6000')" "1 11 "
check "&& before ||" "$(rows -i 'candidate<2 || candidate>9 && p_H2>6000')" "0 1 11 "
check "text ==" "$(rows -i 'formula=="La0.2Sr0.7Co0.1Ti0.9O3" && candidate<8')" "6 7 "
check "bare variable" "$(rows -i 'feasible && candidate==3')" "3 "
check "-e excludes" "$(rows -e 'candidate>=2')" "0 1 "
check "-n counts printed rows" "$(rows -n 2 -i 'T_anneal>823.15')" "4 5 "
check "the header stays with no match" "$("$BIN/exsol-table" -v candidate -i 'candidate<0' "$T/g.nc")" "candidate"

# bad expressions: exit 2, one line naming the option, the text and the position
badexpr() { # what EXPR REGEX [tool args...]
    local what=$1 e=$2 re=$3 err rc
    shift 3
    err=$("$BIN/exsol-table" -i "$e" "$T/g.nc" 2>&1 >/dev/null)
    rc=$?
    if [ $rc -eq 2 ] && [ "$(echo "$err" | wc -l)" -eq 1 ] && [[ $err =~ $re ]]; then
        ok "$what: exit 2, one line"
    else
        bad "$what: exit $rc, stderr [$err], want /$re/"
    fi
}
badexpr "unknown variable" 'T_aneal<900' "^exsol-table: error: -i 'T_aneal<900': unknown variable 'T_aneal' at position 1"
badexpr "a curve" 'rho_T_reduced>1' "unknown variable 'rho_T_reduced'"
badexpr "= for ==" 'dopant="Ni"' "syntax error at position 7: '=' is not an operator"
badexpr "missing operand" 'T_anneal<' "syntax error at position 10"
badexpr "unbalanced (" '(T_anneal<900' "expected '\)'"
badexpr "a unit" 'T_anneal<900C' "position 13: a number takes no unit"
badexpr "text with <" 'dopant<"Ni"' "text compares only with == and !="
badexpr "type mismatch" 'dopant==1' "type error"
err=$("$BIN/exsol-table" -i 'candidate<1' -e 'candidate>1' "$T/g.nc" 2>&1 >/dev/null)
check "-i with -e: exit 2" "$?" 2

# exsol-rank: the rows a filter leaves out are not ranked, and say why
"$BIN/exsol-reduce" -q --no-history "$T/g.nc" | "$BIN/exsol-transport" -q --no-history |
    "$BIN/exsol-magnet" -q --no-history -o "$T/m.nc" || bad "chain"
ranked() { "$BIN/exsol-rank" -q "$@" "$T/m.nc" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "candidate") c = i; next } { print $c }' | sort -n | tr '\n' ' '; }
check "rank -i ranks only the selected rows" "$(ranked -i 'T_anneal<800')" "$(rows -i 'T_anneal<800')"
check "rank -e ranks the others" "$(ranked -e 'T_anneal<800 || dopant=="Co"')" \
    "$(rows -i '!(T_anneal<800 || dopant=="Co")')"
reason=$("$BIN/exsol-rank" -q --all -i 'candidate==0' --columns candidate,rank_reason "$T/m.nc" |
    awk -F'\t' '$1 == 5 { print $2 }')
check "rank_reason of a filtered row" "$reason" "excluded: not selected by -i"
"$BIN/exsol-rank" -q -o "$T/r.nc" "$T/m.nc" || bad "rank -o"
n1=$("$BIN/exsol-table" --no-header -v candidate -i 'dual_switch==1' "$T/r.nc" | wc -l)
n0=$("$BIN/exsol-table" --no-header -v candidate -e 'dual_switch==1' "$T/r.nc" | wc -l)
check "-i and -e on dual_switch split the rows" "$((n0 + n1))" 12
err=$("$BIN/exsol-rank" -q -i 'dual_switch==1' "$T/m.nc" 2>&1 >/dev/null)
rc=$?
[ $rc -eq 2 ] && [[ $err == *"computed by this ranking"* ]] && ok "rank -i on its own output: exit 2" ||
    bad "rank -i dual_switch: exit $rc [$err]"
exit $fail
