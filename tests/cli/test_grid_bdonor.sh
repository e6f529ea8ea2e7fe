#!/bin/bash
# The grid's B-site donor sweep (issue #13): B_donor (Nb, Ta, none) x B_donor_fraction y
# gives H_(1-x-a) M_z N_y Ti_(1-z-y) O3, the formulas the breadth screen lists as
# include_formula lines; "none" appears once; points with z + y > 1 are skipped and
# counted; a B donor that is not a fixed donor, or one without its fraction, is refused
# with the line named (exit 3).
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
exit $fail
