#!/bin/bash
# exsol-transport on a hand-made reduce output (tests/cli/transport/input.cdl): the
# schema variables are present with units, the switching row switches, the failed
# reduce row gets transport_status 3 with a reason and fill values, an invalid row
# gets status 2, parameters are recorded, --set changes results, output is
# byte-identical for 1 and 2 threads, and the tool works on a pipe (CDF5).
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
X="$BIN/exsol-transport"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# awk numeric test on one value: holds VALUE 'EXPR in v'

ncgen -k cdf5 -o "$T/in.nc" "$SRC/tests/cli/transport/input.cdl" || { echo "FAIL: ncgen"; exit 1; }

"$X" --no-history -o "$T/out.nc" "$T/in.nc" 2>"$T/err"
check "exit 0" "$?" 0
grep -q "5 rows, 2 failed" "$T/err" && ok "summary counts failures" || { bad "summary"; cat "$T/err"; }

# 1. every transport variable of docs/schema.md, with units
ncdump -h "$T/out.nc" >"$T/hdr"
for v in transport_status transport_reason n_e_pristine n_e_reduced eta_pristine eta_reduced \
    mu_300K_pristine mu_300K_reduced rho_300K_pristine rho_300K_reduced log10_rho_ratio \
    insulating_pristine metallic_reduced drho_dT_sign_pristine drho_dT_sign_reduced \
    kF_l_reduced n_mott_300K t_switch_transport; do
    grep -qE "[a-z]+ $v\(candidate" "$T/hdr" || bad "variable $v missing"
done
grep -q "double rho_T_pristine(candidate, temperature)" "$T/hdr" && ok "rho_T_pristine on temperature" || bad "rho_T_pristine"
grep -q "double rho_T_reduced(candidate, temperature)" "$T/hdr" && ok "rho_T_reduced on temperature" || bad "rho_T_reduced"
grep -q "temperature = 100 ;" "$T/hdr" && ok "100 temperatures" || bad "temperature dimension"
grep -q 'rho_300K_reduced:units = "ohm m"' "$T/hdr" && ok "units ohm m" || bad "rho units"
grep -q 'n_e_reduced:units = "m-3"' "$T/hdr" && ok "units m-3" || bad "n units"
grep -q "transport_parameters:K_red0" "$T/hdr" && ok "defects parameters recorded" || bad "K_red0 not recorded"
grep -q "transport_parameters:E_comp" "$T/hdr" && ok "transport parameters recorded" || bad "E_comp not recorded"
# the input is copied through
grep -q "double delta_t(candidate, time)" "$T/hdr" && ok "input copied through" || bad "copy-through"

# 2. row values
"$BIN/exsol-table" -v transport_status,metallic_reduced,insulating_pristine,drho_dT_sign_pristine,drho_dT_sign_reduced "$T/out.nc" | tail -n +2 | tr '\t' ' ' >"$T/ints"
cat >"$T/want" <<'EOF2'
0 1 1 -1 1
0 0 1 -1 -1
3 NA NA NA NA
0 0 1 -1 -1
2 NA NA NA NA
EOF2
if cmp -s "$T/ints" "$T/want"; then ok "statuses and regime flags"; else bad "flags"; diff "$T/want" "$T/ints"; fi
row() { "$BIN/exsol-table" -v "$1" "$T/out.nc" | sed -n "$(($2 + 2))p"; }
holds "seed switch > 10^3" "$(row log10_rho_ratio 0)" "v > 3"
holds "seed reduced n = 3.73e21 cm-3" "$(row n_e_reduced 0)" "v > 3.6e27 && v < 3.85e27"
holds "seed reduced rho 0.15-0.45 mOhm cm" "$(row rho_300K_reduced 0)" "v > 1.5e-6 && v < 4.5e-6"
holds "seed degenerate (eta >= 3)" "$(row eta_reduced 0)" "v >= 3"
holds "not exsolved: no switch" "$(row log10_rho_ratio 1)" "v < 0.01 && v > -0.01"
holds "switch time between the 0.3 and 0.6 trajectory points" "$(row t_switch_transport 0)" "v > 5400 && v < 10800"
check "never switched: t_switch fill" "$(row t_switch_transport 1)" "NA"
check "failed reduce: reason" "$(row transport_reason 2)" "reduce failed (reduce_status 1)"
check "failed reduce: fill, not a number" "$(row rho_300K_reduced 2)" "NA"
row transport_reason 4 | grep -q "A_vacancy" && ok "invalid row names the variable" || bad "row 4 reason"
# rho(T) of the metal rises with T; the failed row is fill
ncdump -v rho_T_reduced "$T/out.nc" | sed -n '/rho_T_reduced =/,/;/p' | tr -d ' ;' | sed 1d | tr ',' '\n' | grep -v '^$' >"$T/rhoT"
check "rho_T values (5 x 100)" "$(wc -l <"$T/rhoT")" 500
awk 'NR==1{a=$1} NR==100{b=$1} END{exit !(a<b)}' "$T/rhoT" && ok "metal: rho(2 K) < rho(400 K)" || bad "rho_T order"
sed -n 201,300p "$T/rhoT" | grep -qv '^_$' && bad "failed row has non-fill rho_T" || ok "failed row rho_T all fill"

# 3. --set is applied and recorded
"$X" --no-history --set E_comp=0.35 -o "$T/set.nc" "$T/in.nc" 2>/dev/null
check "--set exit 0" "$?" 0
a=$("$BIN/exsol-table" -v rho_300K_pristine "$T/out.nc" | sed -n 2p)
b=$("$BIN/exsol-table" -v rho_300K_pristine "$T/set.nc" | sed -n 2p)
awk -v a="$a" -v b="$b" 'BEGIN{exit !(b > 10*a)}' && ok "--set E_comp=0.35 raises rho_pristine" || bad "--set: $a -> $b"
ncdump -h "$T/set.nc" | grep -q 'transport_parameters:E_comp_origin = "--set"' && ok "--set origin recorded" || bad "--set origin"

# 4. reproducible across threads; pipe in and out
"$X" --no-history --threads 1 -o "$T/t1.nc" "$T/in.nc" 2>/dev/null
"$X" --no-history --threads 2 -o "$T/t2.nc" "$T/in.nc" 2>/dev/null
cmp -s <(ncdump "$T/t1.nc" | sed 1d) <(ncdump "$T/t2.nc" | sed 1d) && ok "same values for 1 and 2 threads" || bad "threads differ"
"$X" --no-history --threads 1 <"$T/in.nc" >"$T/p1.nc" 2>/dev/null
"$X" --no-history --threads 2 <"$T/in.nc" >"$T/p2.nc" 2>/dev/null
cmp -s "$T/p1.nc" "$T/p2.nc" && ok "pipe output byte-identical for 1 and 2 threads" || bad "pipe bytes differ"
ncdump -k "$T/p1.nc" | grep -q "cdf5" && ok "pipe carries CDF5" || bad "pipe format"

# 5. a second pass refuses to rewrite transport variables
"$X" -q -o "$T/again.nc" "$T/out.nc" 2>"$T/err2"
rc=$?
[ "$rc" -ne 0 ] && ok "second pass refused (exit $rc)" || bad "second pass accepted"
[ ! -e "$T/again.nc" ] && ok "nothing left behind" || bad "partial output left"
exit $fail
