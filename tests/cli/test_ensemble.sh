#!/bin/bash
# exsol-ensemble (issue #14): probabilities in [0, 1] and dual <= metallic, spm; one
# member at the table's values gives exsol-rank's deterministic verdicts; a film far
# from every threshold (undoped: nothing to exsolve) gets P = 0, and the seed with only
# parameters it does not depend on left uncertain (hole mass and mobility) P = 1; the
# table, the members and the member values are byte-identical for 1 and 2 threads and
# for a replay of the written members; --set holds a parameter out of the draws; the
# member matrix depends on the seed; bad counts and member files are refused.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-table \
    exsol-ensemble
E="$BIN/exsol-ensemble"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"

"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --composition La0.2Sr0.7TiO3 \
    --composition La0.2Sr0.7Co0.1Ti0.9O3 --h2 5% --h2o 3% --thickness 30nm \
    --temperature 550C --time 5h -o "$T/g.nc" || { bad "gen"; exit 1; }
col() { # FILE NAME: the column NAME of a TSV, one value per line
    awk -F'\t' -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
        { print $c }' "$1"
}

# one member at the table's values = the deterministic chain and exsol-rank
printf 'member\n0\n' >"$T/defaults.tsv"
"$E" -q --ensemble "$T/defaults.tsv" "$T/g.nc" >"$T/def.tsv" || bad "defaults member runs"
"$BIN/exsol-reduce" -q "$T/g.nc" | "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q |
    "$BIN/exsol-rank" -q -o "$T/ranked.nc" --tsv /dev/null - || bad "deterministic chain"
want=$("$BIN/exsol-table" -v dual_switch "$T/ranked.nc" | tail -n +2 | tr '\n' ' ')
check "defaults: P_dual = exsol-rank's dual_switch" "$(col "$T/def.tsv" P_dual | tr '\n' ' ')" \
    "$want"
want=$("$BIN/exsol-table" -v spm_300K_reduced "$T/ranked.nc" | tail -n +2 | tr '\n' ' ')
check "defaults: P_spm_300K = spm_300K_reduced" "$(col "$T/def.tsv" P_spm_300K | tr '\n' ' ')" \
    "$want"
check "defaults: the seed is a dual switch" "$(col "$T/def.tsv" P_dual | head -1)" 1

# a drawn ensemble: bounds and inclusions
"$E" -q --members 6 --seed 7 --write-members "$T/m.tsv" --member-values "$T/v1.tsv" \
    --sensitivity "$T/s1.tsv" --threads 1 "$T/g.nc" >"$T/p1.tsv" || bad "6 members run"
awk -F'\t' 'NR > 1 { for (i = 7; i <= 11; i++) if ($i < 0 || $i > 1) exit 1
    if ($9 > $7 || $9 > $8) exit 1 }' "$T/p1.tsv" &&
    ok "P in [0,1], P_dual <= P_metallic, P_spm" || bad "P out of [0,1] or dual > parts"
check "6 members in the table" "$(col "$T/p1.tsv" members | sort -u)" 6
check "member values: 3 rows x 6 members" "$(($(wc -l <"$T/v1.tsv") - 1))" 18
check "undoped film: P_dual 0, P_spm 0" "$(col "$T/p1.tsv" P_dual | sed -n 2p) \
$(col "$T/p1.tsv" P_spm_300K | sed -n 2p)" "0 0"

# the ranking on probability: rank_P a permutation of 1..3; the undoped film (P 0, no
# ratio, no moment) is dominated by the seed, which ranks ahead of it; front 1 holds
# the row with the largest P_dual
check "rank_P is a permutation" "$(col "$T/p1.tsv" rank_P | sort -n | tr '\n' ' ')" "1 2 3 "
read -r fs fu < <(col "$T/p1.tsv" pareto_front_P | head -2 | tr '\n' ' ')
read -r rs ru < <(col "$T/p1.tsv" rank_P | head -2 | tr '\n' ' ')
holds "undoped in a later front than the seed ($fu > $fs)" "$fu" "v > $fs"
holds "seed ranked ahead of the undoped film ($rs < $ru)" "$rs" "v < $ru"
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "P_dual") p = i; if ($i == "pareto_front_P") f = i }; next }
    { if ($p > best) { best = $p; bf = $f } } END { exit bf != 1 }' "$T/p1.tsv" &&
    ok "the largest P_dual is on front 1" || bad "largest P_dual not on front 1"

# sensitivities: one line per row and drawn parameter, rank correlations in [-1, 1] or NA
np=$(($(head -1 "$T/m.tsv" | tr '\t' '\n' | wc -l) - 1))
check "sensitivity: 3 rows x $np parameters" "$(($(wc -l <"$T/s1.tsv") - 1))" $((3 * np))
awk -F'\t' 'NR > 1 { for (i = 3; i <= NF; i++) if ($i != "NA" && ($i < -1 || $i > 1)) exit 1 }' \
    "$T/s1.tsv" && ok "sensitivity: |rho| <= 1" || bad "sensitivity out of [-1, 1]"

# threads: the same bytes
"$E" -q --members 6 --seed 7 --write-members "$T/m2.tsv" --member-values "$T/v2.tsv" \
    --sensitivity "$T/s2.tsv" --threads 2 "$T/g.nc" >"$T/p2.tsv" || bad "2 threads run"
cmp -s "$T/p1.tsv" "$T/p2.tsv" && cmp -s "$T/v1.tsv" "$T/v2.tsv" && cmp -s "$T/m.tsv" "$T/m2.tsv" &&
    cmp -s "$T/s1.tsv" "$T/s2.tsv" &&
    ok "1 and 2 threads: byte-identical outputs" || bad "thread count changes the outputs"
# replay of the written members
"$E" -q --ensemble "$T/m.tsv" "$T/g.nc" >"$T/p3.tsv" || bad "replay runs"
cmp -s "$T/p1.tsv" "$T/p3.tsv" && ok "--ensemble of --write-members replays the table" ||
    bad "replay differs"
# the seed moves the members; --set holds a parameter out of the draws
"$E" -q --members 6 --seed 8 --write-members "$T/m8.tsv" "$T/g.nc" >/dev/null ||
    bad "seed 8 runs"
cmp -s "$T/m.tsv" "$T/m8.tsv" && bad "seed 8 draws the same members" ||
    ok "another seed, other members"
head -1 "$T/m.tsv" | tr '\t' '\n' | grep -qx E_a && ok "E_a is drawn" || bad "E_a not drawn"
"$E" -q --members 2 --set E_a=2.5 --write-members "$T/mset.tsv" "$T/g.nc" >/dev/null ||
    bad "--set run"
head -1 "$T/mset.tsv" | tr '\t' '\n' | grep -qx E_a && bad "--set E_a still drawn" ||
    ok "--set holds E_a fixed"

# far from every threshold: every drawn parameter but the hole mass and mobility held
# at its value; the seed then switches in every member
/usr/bin/python3 - "$SRC/datasets" >"$T/pin.params" <<'PY'
import csv, glob, sys
for f in sorted(glob.glob(sys.argv[1] + "/*-parameters.csv")):
    rows = csv.reader(l for l in open(f) if l.strip() and not l.startswith("#"))
    head = next(rows)
    if "prior" not in head:
        continue
    for r in rows:
        d = dict(zip(head, r))
        if d["confidence"] == "U" and d["prior"] not in ("", "fixed") and \
                d["name"] not in ("mu_hole", "m_dos_h"):
            print("%s = %s" % (d["name"], d["value"]))
PY
"$E" -q --members 6 --params "$T/pin.params" --write-members "$T/mpin.tsv" "$T/g.nc" \
    >"$T/pin.tsv" || bad "pinned run"
check "pinned: only mu_hole and m_dos_h drawn" "$(head -1 "$T/mpin.tsv" | tr '\t' ' ')" \
    "member m_dos_h mu_hole"
check "pinned: seed P_dual 1, undoped 0" "$(col "$T/pin.tsv" P_dual | head -2 | tr '\n' ' ')" \
    "1 0 "

# NetCDF: the same table, with the input's variables; the member dimension only when
# asked; the member-level verdicts average to P_dual; the same bytes for 1 and 2 threads
"$E" -q --no-history --members 6 --seed 7 --threads 1 --netcdf "$T/e1.nc" "$T/g.nc" \
    >"$T/n1.tsv" || bad "--netcdf run"
"$E" -q --no-history --members 6 --seed 7 --threads 2 --netcdf "$T/e2.nc" --keep-members \
    "$T/g.nc" >"$T/n2.tsv" || bad "--netcdf --keep-members run"
cmp -s "$T/n1.tsv" "$T/p1.tsv" && ok "--netcdf leaves the TSV table unchanged" ||
    bad "the TSV table moved with --netcdf"
check "NetCDF P_dual = the table's" \
    "$("$BIN/exsol-table" -v P_dual "$T/e1.nc" | tail -n +2 | awk '{ printf "%.6g ", $1 }')" \
    "$(col "$T/p1.tsv" P_dual | tr '\n' ' ')"
check "NetCDF keeps the input's formula" \
    "$("$BIN/exsol-table" -v formula "$T/e1.nc" | sed -n 2p)" La0.2Sr0.7Ni0.1Ti0.9O3
if command -v ncdump >/dev/null; then
    check "no member dimension by default" "$(ncdump -h "$T/e1.nc" | grep -c 'member = ')" 0
    check "member dimension with --keep-members" "$(ncdump -h "$T/e2.nc" | grep -c 'member = 6 ;')" 1
fi
if /usr/bin/python3 -c 'import xarray' 2>/dev/null; then
    /usr/bin/python3 - "$T/e2.nc" <<'PYEOF' && ok "xarray: member verdicts average to P_dual; rank_P an integer" ||
import sys, numpy as np, xarray as xr
d = xr.open_dataset(sys.argv[1])
assert np.allclose(d.member_dual_switch.mean("member"), d.P_dual), "mean of members"
assert d.rank_P.dtype.kind == "i", d.rank_P.dtype
assert d.param_gamma_interface.sizes["member"] == 6
PYEOF
        bad "xarray checks of the member dimension"
fi
"$E" -q --no-history --members 6 --seed 7 --threads 2 --netcdf "$T/e3.nc" "$T/g.nc" >/dev/null
cmp -s "$T/e1.nc" "$T/e3.nc" && ok "NetCDF: 1 and 2 threads, same bytes" || bad "NetCDF bytes move with threads"

# Sobol indices (Saltelli design, --members 8 the base sample) over two parameters: the
# compensation energy moves the resistivity ratio but cannot touch the particles (its
# total index of the surface density and diameter is exactly 0), the interfacial
# energy decides the particles; 8 x (2 + 2) members
"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --h2 5% --h2o 3% --thickness 30nm \
    --temperature 550C --time 5h -o "$T/seed.nc"
"$E" -q --members 8 --seed 1 --sobol "$T/sobol.tsv" --sobol-params E_comp,gamma_interface \
    "$T/seed.nc" >"$T/sobol_p.tsv" || bad "sobol run"
check "sobol: 32 members" "$(col "$T/sobol_p.tsv" members)" 32
check "sobol: one line per parameter" "$(col "$T/sobol.tsv" parameter | tr '\n' ' ')" \
    "gamma_interface E_comp "
sob() { awk -F'\t' -v p="$1" -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
    $2 == p { print $c }' "$T/sobol.tsv"; }
check "E_comp: ST of the surface density 0" "$(sob E_comp ST_log10_surface_density)" 0
check "E_comp: ST of the diameter 0" "$(sob E_comp ST_surface_mean_diameter)" 0
holds "E_comp moves the ratio (ST $(sob E_comp ST_log10_rho_ratio))" \
    "$(sob E_comp ST_log10_rho_ratio)" "v > 0.01"
holds "gamma_interface decides the density (ST $(sob gamma_interface ST_log10_surface_density))" \
    "$(sob gamma_interface ST_log10_surface_density)" "v > 0.5"

# refusals
"$E" -q --members 0 "$T/g.nc" >/dev/null 2>"$T/err"
check "--members 0: exit 2" "$?" 2
printf 'member\tbogus\n0\t1\n' >"$T/badname.tsv"
"$E" -q --ensemble "$T/badname.tsv" "$T/g.nc" >/dev/null 2>"$T/err"
check "member file with an unknown parameter: exit 3" "$?" 3
printf 'member\tE_a\n0\t99\n' >"$T/badval.tsv"
"$E" -q --ensemble "$T/badval.tsv" "$T/g.nc" >/dev/null 2>"$T/err"
check "member file with E_a above its maximum: exit 3" "$?" 3
grep -q 'member 0: value .99. for parameter .E_a. is above its maximum' "$T/err" &&
    ok "the refusal names the member" || bad "message: $(cat "$T/err")"
check "no member files left in TMPDIR" "$(ls -A "$TMPDIR" | wc -l)" 0
exit $fail
