#!/bin/bash
# exsol-magnet on a hand-made reduce output (tests/cli/magnet/input.cdl, ncgen; made
# by tests/cli/magnet/make_input.py): row statuses and reasons, fill values of failed
# rows, the pristine Curie + host value worked by hand, the superparamagnetic verdict,
# --set overrides (AC measuring time, contrast factor), the curves' coordinates and
# symmetry, recorded parameters, byte-identical output for 1 and 2 threads, stdin,
# and the error exits (missing variable, bad parameter, bad option).
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
M="$BIN/exsol-magnet"
TAB="$BIN/exsol-table"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# |a - b| <= tol * |b|
close() {
    if awk -v a="$2" -v b="$3" -v t="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(d <= t * m) }'; then
        ok "$1"
    else bad "$1: got [$2] want [$3] (rtol $4)"; fi
}

ncgen -k cdf5 -o "$T/in.nc" "$SRC/tests/cli/magnet/input.cdl" || { echo "FAIL: ncgen"; exit 1; }

# 1. run; one summary line on stderr
"$M" --no-history -o "$T/out.nc" "$T/in.nc" 2>"$T/err"
check "exit 0" "$?" 0
grep -q "7 rows, 3 failed" "$T/err" && ok "summary line" || { bad "summary line"; cat "$T/err"; }
col() { "$TAB" -q --no-header -v "$1" "$T/out.nc" | tr '\n' ' ' | sed 's/ $//'; }
check "statuses" "$(col magnet_status)" "0 0 3 2 2 0 0"
check "verdicts" "$(col spm_300K_reduced)" "1 0 NA NA NA 0 1"
"$TAB" -q --no-header -v magnet_reason "$T/out.nc" >"$T/reasons"
check "reason: reduce failed" "$(sed -n 3p "$T/reasons")" "reduce failed (reduce_status 1)"
grep -q "buried size distribution bin 10 is negative" "$T/reasons" && ok "reason: negative bin" \
    || bad "reason: negative bin"
grep -q "no data in metals.csv for dopant 'Zn'" "$T/reasons" && ok "reason: unknown dopant" \
    || bad "reason: unknown dopant"
check "failed rows hold fill values" "$("$TAB" -q --no-header -v M_300K_1T_reduced,T_B_p90,Hc_5K --row 3 "$T/out.nc" | cut -f2 | tr '\n' ' ')" "NA NA NA "

# 2. pristine seed film by hand: Curie law of Ni2+ (mu_eff 3.2 muB, n = 0.1/a^3,
#    a = 3.905 A) at 300 K, 1 T, plus chi_v H with chi_v = -2.1e-5
want=$(awk 'BEGIN { muB = 9.2740100783e-24; kB = 1.380649e-23; n = 0.1 / 59.547e-30;
                    printf "%.17g", n * 3.2 * 3.2 * muB * muB / (3 * kB * 300) + (-2.1e-5) / 1.25663706212e-6 }')
got=$("$TAB" -q --no-header -v M_300K_1T_pristine --row 0 "$T/out.nc" | cut -f2)
close "pristine M(300 K, 1 T) = Curie + host" "$got" "$want" 1e-4
# the undoped host is the diamagnet alone; Cu particles add nothing
got=$("$TAB" -q --no-header -v M_300K_1T_reduced --row 5 "$T/out.nc" | cut -f2)
close "undoped host: chi_v H" "$got" "$(awk 'BEGIN { printf "%.17g", -2.1e-5 / 1.25663706212e-6 }')" 1e-9
check "Cu: no particle moment" "$("$TAB" -q --no-header -v Ms_particles_0K,T_B_p90 --row 1 "$T/out.nc" | cut -f2 | tr '\n' ' ')" "0 0 "
# the reduced seed film: well above the pristine one, saturated moment below 1.84 % Ms
mr=$("$TAB" -q --no-header -v M_300K_1T_reduced --row 0 "$T/out.nc" | cut -f2)
awk -v r="$mr" -v p="$want" 'BEGIN { exit !(r > 10 * p && r < 0.0184 * 485e3) }' \
    && ok "reduced seed film: 10x pristine < M < 1.84 % Ms" || bad "reduced seed film M = $mr"

# 3. curves: 201 field points on +-5 T, odd 300 K loop, 100 ZFC temperatures
check "field points" "$("$TAB" -q --no-header --row 0 -v M_H_300K_reduced "$T/out.nc" | wc -l)" 201
"$TAB" -q --no-header --row 0 -v M_H_300K_reduced "$T/out.nc" >"$T/loop"
check "field range" "$(head -1 "$T/loop" | cut -f1) $(tail -1 "$T/loop" | cut -f1)" "-5 5"
check "300 K loop is odd" "$(paste "$T/loop" <(tac "$T/loop") | awk '{ s = $2 + $4; if (s < 0) s = -s; if (s > 1e-9 * ($2 < 0 ? -$2 : $2) + 1e-12) n++ } END { print n + 0 }')" 0
check "ZFC temperatures" "$("$TAB" -q --no-header --row 0 -v M_ZFC,M_FC "$T/out.nc" | wc -l)" 100
ncdump -h "$T/out.nc" | grep -q 'M_H_5K_reduced:units_cgs = "emu cm-3"' && ok "emu/cm3 attribute" \
    || bad "emu/cm3 attribute"
ncdump -h "$T/out.nc" | grep -q 'magnet_parameters:tau_m = 100' && ok "parameters recorded" \
    || bad "parameters recorded"
ncdump -h "$T/out.nc" | grep -q 'double dopant_fraction_lattice(candidate)' && ok "input copied through" \
    || bad "input copied through"

# 4. --set: an AC measuring time (1 ms) raises T_B by ln(100 s/tau0)/ln(1 ms/tau0)
#    for the interaction-free part; a contrast factor of 40 turns the seed verdict off
tb100=$("$TAB" -q --no-header -v T_B_median --row 0 "$T/out.nc" | cut -f2)
"$M" -q --no-history --set tau_m=1e-3 --set interaction_alpha=0 "$T/in.nc" >"$T/ac.nc"
"$M" -q --no-history --set interaction_alpha=0 "$T/in.nc" >"$T/dc.nc"
a=$("$TAB" -q --no-header -v T_B_median --row 0 "$T/ac.nc" | cut -f2)
d=$("$TAB" -q --no-header -v T_B_median --row 0 "$T/dc.nc" | cut -f2)
close "tau_m = 1 ms scales T_B by the log ratio" "$a" \
    "$(awk -v d="$d" 'BEGIN { printf "%.17g", d * log(100 / 5.5e-11) / log(1e-3 / 5.5e-11) }')" 1e-9
awk -v a="$tb100" -v d="$d" 'BEGIN { exit !(a > d) }' && ok "interactions raise T_B" \
    || bad "interactions raise T_B ($tb100 vs $d)"
check "--set spm_moment_min=0.1emu/cm2 (a detection limit the film cannot reach)" \
    "$("$M" -q --no-history --set spm_moment_min=0.1emu/cm2 "$T/in.nc" | "$TAB" -q --no-header -v spm_300K_reduced --row 0 - | cut -f2)" 0
check "--set spm_contrast_min=1e9 (contrast on the saturating components)" \
    "$("$M" -q --no-history --set spm_contrast_min=1e9 "$T/in.nc" | "$TAB" -q --no-header -v spm_300K_reduced --row 0 - | cut -f2)" 0

# an even field grid (no B = 0 point) gives the same remanence and coercivity
hc=$("$TAB" -q --no-header -v Hc_5K,Mr_5K --row 0 "$T/out.nc" | cut -f2 | tr '\n' ' ')
"$M" -q --no-history --set n_field=200 "$T/in.nc" >"$T/even.nc"
he=$("$TAB" -q --no-header -v Hc_5K,Mr_5K --row 0 "$T/even.nc" | cut -f2 | tr '\n' ' ')
close "Hc_5K independent of the field grid" "${he%% *}" "${hc%% *}" 1e-9
close "Mr_5K independent of the field grid" "$(echo $he | cut -d' ' -f2)" "$(echo $hc | cut -d' ' -f2)" 1e-12

# 5. same bytes for 1 and 2 threads (CDF5 on stdout), and stdin input
"$M" -q --no-history --threads 1 "$T/in.nc" >"$T/t1.nc"
"$M" -q --no-history --threads 2 <"$T/in.nc" >"$T/t2.nc"
cmp -s "$T/t1.nc" "$T/t2.nc" && ok "threads 1 = threads 2 (and stdin)" || bad "thread-dependent output"

# 6. errors: missing variable -> 3, out-of-range / unknown parameter -> 3, bad option -> 2
ncks -O -x -v buried_size_distribution "$T/in.nc" "$T/nobur.nc" 2>/dev/null
"$M" -q "$T/nobur.nc" >/dev/null 2>"$T/err"
check "missing variable exit" "$?" 3
grep -q "buried_size_distribution" "$T/err" && ok "missing variable named" || bad "missing variable named"
"$M" --set tau0=1 "$T/in.nc" >/dev/null 2>"$T/err"
check "out-of-range parameter exit" "$?" 3
"$M" --set no_such=1 "$T/in.nc" >/dev/null 2>"$T/err"
check "unknown parameter exit" "$?" 3
grep -q "unknown parameter 'no_such'" "$T/err" && ok "unknown parameter named" || bad "unknown parameter named"
"$M" --bogus >/dev/null 2>&1
check "bad option exit" "$?" 2
"$M" --help >"$T/help" 2>&1
check "--help exit" "$?" 0
grep -q "^Usage: exsol-magnet" "$T/help" && ok "--help on stdout" || bad "--help on stdout"
"$M" -q "$T/out.nc" >/dev/null 2>"$T/err"
check "second run on own output refused" "$?" 3
[ -e "$T/none.nc" ] && bad "no output on failure" || ok "no output on failure"
"$M" -q -o "$T/none.nc" "$T/nobur.nc" 2>/dev/null
[ -e "$T/none.nc" ] && bad "failed run left a file" || ok "failed run leaves nothing"

exit $fail
