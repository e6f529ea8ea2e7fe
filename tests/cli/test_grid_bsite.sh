#!/bin/bash
# The grid's B-site sweeps (issue #13). B-site donors: B_donor (Nb, Ta, none) x
# B_donor_fraction y
# gives H_(1-x-a) M_z N_y Ti_(1-z-y) O3, the formulas the breadth screen lists as
# include_formula lines; "none" appears once; points with z + y > 1 are skipped and
# counted; a B donor that is not a fixed donor, or one without its fraction, is refused
# with the line named (exit 3). Two-dopant alloys: dopant2 x dopant2_fraction z2 gives
# H M_z M2_z2 Ti_(1-z-z2) O3 for the pairs of datasets/alloys.csv only (Ni-Fe, Ni-Co,
# Co-Fe; other pairs and the same metal twice are skipped and counted), so a grid sweeps
# the alloy ratio.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-table
G="$BIN/exsol-gen"
formulas() { "$G" -q --grid "$1" --temperature 550C --time 5h -o "$T/out.nc" &&
    "$BIN/exsol-table" -v formula "$T/out.nc" | tail -n +2 | sort | tr '\n' ' '; }

cat >"$T/b.cfg" <<'CFG'
A_host           = Sr, Ca
A_vacancy        = 0.1
dopant           = Ni, Co
dopant_fraction  = 0.05, 0.1
B_donor          = Nb, Ta
B_donor_fraction = 0.1
CFG
want=$(printf '%s\n' Sr0.9Ni0.05Nb0.1Ti0.85O3 Sr0.9Ni0.1Nb0.1Ti0.8O3 Sr0.9Co0.05Nb0.1Ti0.85O3 \
    Sr0.9Co0.1Nb0.1Ti0.8O3 Sr0.9Ni0.05Ta0.1Ti0.85O3 Sr0.9Ni0.1Ta0.1Ti0.8O3 \
    Sr0.9Co0.05Ta0.1Ti0.85O3 Sr0.9Co0.1Ta0.1Ti0.8O3 Ca0.9Ni0.05Nb0.1Ti0.85O3 \
    Ca0.9Ni0.1Nb0.1Ti0.8O3 Ca0.9Co0.05Nb0.1Ti0.85O3 Ca0.9Co0.1Nb0.1Ti0.8O3 \
    Ca0.9Ni0.05Ta0.1Ti0.85O3 Ca0.9Ni0.1Ta0.1Ti0.8O3 Ca0.9Co0.05Ta0.1Ti0.85O3 \
    Ca0.9Co0.1Ta0.1Ti0.8O3 | sort | tr '\n' ' ')
check "the sweep gives the breadth screen's B-donor formulas" "$(formulas "$T/b.cfg")" "$want"
"$BIN/exsol-table" -v B_donor_fraction "$T/out.nc" | tail -n +2 | sort -u | tr '\n' ' ' >"$T/y"
check "B_donor_fraction of the rows (charge (5 - 4) x 0.1)" "$(cat "$T/y")" "0.1 "

cat >"$T/n.cfg" <<'CFG'
A_host           = Sr
dopant           = Ni
dopant_fraction  = 0.1
B_donor          = none, Nb
B_donor_fraction = 0.05, 0.95
CFG
check "none once, z + y > 1 skipped" "$(formulas "$T/n.cfg")" "SrNi0.1Nb0.05Ti0.85O3 SrNi0.1Ti0.9O3 "
"$G" --grid "$T/n.cfg" --temperature 550C --time 5h -o "$T/o2.nc" 2>"$T/err"
grep -q 'skipped' "$T/err" && ok "the skipped point is counted on stderr" || bad "no skip note: $(cat "$T/err")"

printf 'A_host = Sr\nB_donor = Ni\nB_donor_fraction = 0.1\n' >"$T/bad1.cfg"
"$G" -q --grid "$T/bad1.cfg" --temperature 550C --time 5h -o "$T/x.nc" 2>"$T/err"
check "B_donor = Ni: exit 3" "$?" 3
grep -q 'bad1.cfg:2: Ni in B_donor is not a fixed B-site donor' "$T/err" && ok "the message names the line" ||
    bad "message: $(cat "$T/err")"
printf 'A_host = Sr\nB_donor = Nb\n' >"$T/bad2.cfg"
"$G" -q --grid "$T/bad2.cfg" --temperature 550C --time 5h -o "$T/x.nc" 2>"$T/err"
check "B_donor without B_donor_fraction: exit 3" "$?" 3
grep -q "'B_donor' needs 'B_donor_fraction'" "$T/err" && ok "names the missing key" || bad "message: $(cat "$T/err")"
[ -e "$T/x.nc" ] && bad "a refused grid left an output" || ok "nothing written on refusal"
cat >"$T/a.cfg" <<'CFG'
A_host           = Sr
A_donor          = La
x_donor          = 0.2
A_vacancy        = 0.1
dopant           = Ni, Cu
dopant_fraction  = 0.05, 0.075
dopant2          = none, Fe, Ni
dopant2_fraction = 0.025, 0.05
CFG
check "alloy ratios: the Ni-Fe pairs at each ratio, Cu-Fe and Ni-Ni skipped" "$(formulas "$T/a.cfg")" \
    "La0.2Sr0.7Cu0.05Ti0.95O3 La0.2Sr0.7Cu0.075Ti0.925O3 La0.2Sr0.7Ni0.05Fe0.025Ti0.925O3 La0.2Sr0.7Ni0.05Fe0.05Ti0.9O3 La0.2Sr0.7Ni0.05Ti0.95O3 La0.2Sr0.7Ni0.075Fe0.025Ti0.9O3 La0.2Sr0.7Ni0.075Fe0.05Ti0.875O3 La0.2Sr0.7Ni0.075Ti0.925O3 "
"$G" --grid "$T/a.cfg" --temperature 550C --time 5h -o "$T/o3.nc" 2>"$T/err"
grep -q 'form no alloy' "$T/err" && ok "the pairs without an alloy are counted" || bad "no note: $(cat "$T/err")"
check "dopant2 of the alloy rows" \
    "$("$BIN/exsol-table" -v dopant2 "$T/o3.nc" | tail -n +2 | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')" \
    "Fe:4 none:4 "
printf 'A_host = Sr\ndopant = Ni\ndopant_fraction = 0.1\ndopant2 = Fe\n' >"$T/bad3.cfg"
"$G" -q --grid "$T/bad3.cfg" --temperature 550C --time 5h -o "$T/x.nc" 2>"$T/err"
check "dopant2 without dopant2_fraction: exit 3" "$?" 3
if [ -n "${EXSOL_SRC:-}" ]; then
    "$G" -q --grid "$EXSOL_SRC/recipes/grids/alloys.cfg" -o "$T/al.nc" || bad "alloys.cfg"
    check "recipes/grids/alloys.cfg: 60 rows, 54 of them alloys" \
        "$("$BIN/exsol-table" -v dopant2 "$T/al.nc" | tail -n +2 | awk '{ n++; a += $1 != "none" } END { print n, a }')" "60 54"
fi
exit $fail
