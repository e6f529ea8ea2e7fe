#!/bin/bash
# exsol-reduce CLI: byte-identical output for --threads 1 and 2 (--no-history);
# a missing gen variable is exit 3 naming it, with no output; an unphysical row gets
# reduce_status 2 and the batch goes on; a dopant the gas cannot reduce (Fe in wet
# 5 % H2) does not exsolve; usage errors exit 2; --help exits 0.
set -u
BIN=${EXSOL_BIN:?}
X="$BIN/exsol-reduce"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$BIN/exsol-gen" -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 \
    --composition La0.2Sr0.7Fe0.1Ti0.9O3 --temperature 500C,650C --time 1h,5h \
    >"$T/gen.nc" || { echo "FAIL: exsol-gen"; exit 1; }

# 1. threads: same bytes
"$X" -q --no-history --threads 1 "$T/gen.nc" >"$T/t1.nc" || bad "threads 1 run"
"$X" -q --no-history --threads 2 <"$T/gen.nc" >"$T/t2.nc" || bad "threads 2 run"
cmp -s "$T/t1.nc" "$T/t2.nc" && ok "--threads 1 and 2 byte-identical" || bad "--threads 1 vs 2 differ"
[ -s "$T/t1.nc" ] && ok "output written" || bad "empty output"

# 2. the rows: status, Ni exsolves at 650 C, Fe does not
"$BIN/exsol-table" -v dopant,T_anneal,reduce_status,exsolved_fraction,A_B_ratio "$T/t1.nc" >"$T/tab" 2>/dev/null
awk -F'\t' 'NR > 1 && $3 != 0 {bad=1} END {exit bad}' "$T/tab" && ok "all rows status 0" || { bad "status"; cat "$T/tab"; }
awk -F'\t' 'NR > 1 && $1 == "Ni" && $2 > 900 && !($4 > 0.85) {bad=1} END {exit bad}' "$T/tab" \
    && ok "Ni at 650 C exsolves (f > 0.85: the A-site vacancies run out smoothly, a'^2 ~ x_eq a_ref)" || { bad "Ni f"; cat "$T/tab"; }
awk -F'\t' 'NR > 1 && $1 == "Fe" && $4 != 0 {bad=1} END {exit bad}' "$T/tab" \
    && ok "Fe in wet 5 % H2 does not exsolve" || { bad "Fe exsolved"; cat "$T/tab"; }
awk -F'\t' 'NR > 1 && ($5 > 1 + 1e-9 || $5 < 0.9) {bad=1} END {exit bad}' "$T/tab" \
    && ok "A/B within [0.9, 1]" || { bad "A/B"; cat "$T/tab"; }
for v in surface_size_distribution buried_size_distribution exsolved_fraction_t delta_t \
         reduce_parameters cvode_steps t_half; do
    ncdump -h "$T/t1.nc" | grep -q "[ \t]$v[( ;]" && ok "has $v" || bad "missing $v in output"
done
# the bin widths are one fixed variable beside the radius_bin coordinate, not a copy per row
ncdump -h "$T/t1.nc" | grep -q "double radius_bin_width(radius_bin) ;" \
    && ok "radius_bin_width on radius_bin alone" || bad "radius_bin_width is not a fixed variable"

# 3. missing gen variables -> exit 3, named, nothing written
for v in thickness dopant T_anneal delta_asgrown; do
    ncks -O -x -v "$v" "$T/gen.nc" "$T/m.nc" 2>/dev/null || { bad "ncks -x $v"; continue; }
    "$X" -o "$T/out.nc" "$T/m.nc" >"$T/stdout" 2>"$T/stderr"
    rc=$?
    [ "$rc" -eq 3 ] && ok "missing $v: exit 3" || bad "missing $v: exit $rc"
    grep -q "'$v'" "$T/stderr" && ok "missing $v: named" || { bad "missing $v not named"; cat "$T/stderr"; }
    [ ! -s "$T/stdout" ] && [ ! -e "$T/out.nc" ] && ok "missing $v: no output" || bad "missing $v: output written"
done

# 4. an unphysical row -> reduce_status 2, the others go on
ncap2 -O -s 'thickness(1)=-3e-8' "$T/gen.nc" "$T/u.nc" 2>/dev/null || bad "ncap2"
"$X" -q --no-history "$T/u.nc" >"$T/u_out.nc"
rc=$?; [ "$rc" -eq 0 ] && ok "unphysical row: exit 0" || bad "unphysical row: exit $rc"
"$BIN/exsol-table" -v reduce_status,exsolved_fraction "$T/u_out.nc" >"$T/utab" 2>/dev/null
[ "$(awk -F'\t' 'NR == 3 {print $1}' "$T/utab")" = 2 ] && ok "row 2 status 2" || { bad "row 2 status"; cat "$T/utab"; }
[ "$(awk -F'\t' 'NR > 1 && $1 == 0' "$T/utab" | wc -l)" -eq 7 ] && ok "other 7 rows status 0" || { bad "other rows"; cat "$T/utab"; }

# 5. solver failures are per row: a step limit of 2 fails every Ni row, exit 0
"$X" -q --no-history --set max_steps=2 "$T/gen.nc" >"$T/f.nc"
rc=$?; [ "$rc" -eq 0 ] && ok "solver failures: exit 0" || bad "solver failures: exit $rc"
"$BIN/exsol-table" -v dopant,reduce_status,exsolved_fraction,reduce_reason "$T/f.nc" >"$T/ftab" 2>/dev/null
awk -F'\t' 'NR > 1 && $1 == "Ni" && !($2 == 1 && $3 == "NA" && $4 ~ /CVODE/) {bad=1} END {exit bad}' "$T/ftab" \
    && ok "Ni rows: status 1, fill, CVODE reason" || { bad "failed rows"; cat "$T/ftab"; }

# 6. usage
"$X" --bogus >/dev/null 2>&1
rc=$?; [ "$rc" -eq 2 ] && ok "unknown option: exit 2" || bad "unknown option: exit $rc"
"$X" --set no_such_parameter=1 -o "$T/o.nc" "$T/gen.nc" >/dev/null 2>"$T/e"
rc=$?; [ "$rc" -ne 0 ] && grep -q no_such_parameter "$T/e" && ok "unknown --set rejected (exit $rc)" || bad "unknown --set: exit $rc"
"$X" --set host_gamma=1e9 -o "$T/o.nc" "$T/gen.nc" >/dev/null 2>&1
rc=$?; [ "$rc" -ne 0 ] && ok "--set out of range rejected (exit $rc)" || bad "--set out of range accepted"
[ ! -e "$T/o.nc" ] && ok "no output after a usage error" || bad "output after usage error"
"$X" --help >"$T/help" 2>/dev/null
rc=$?; [ "$rc" -eq 0 ] && grep -q "^Usage: exsol-reduce" "$T/help" && ok "--help" || bad "--help exit $rc"
exit $fail
