#!/bin/bash
# Hosts and B-site donors through the real chain (exsol-gen | exsol-reduce |
# exsol-transport), issue #13:
# - each host's donor-doped film at 300 K has the mobility and resistivity its sources
#   give: Nb:SrTiO3 5-8 cm2/Vs [T], < 10 [L-33], rho = 1/(n e mu) inside the
#   docs/sources.md#dt §3.4 band; CaTiO3 ~1 cm2/Vs or less, BaTiO3 0.1-1 (bu §3.1, [M]);
# - the A cation picks the host (Sr -> SrTiO3, Ca -> CaTiO3, Ba -> BaTiO3), the grid key
#   `host` forces one, and La0.2Sr0.7Ni0.1Ti0.9O3 vs La0.2Ca0.7Ni0.1Ti0.9O3 differ in
#   what the host record changes (V_fu -> particle density, mobility, resistivity);
# - SrTi0.9Nb0.05Ni0.05O3 is accepted (Nb5+ a fixed B-site donor), is compensated as
#   grown (delta = 0.025, neutrality) and exsolves Ni at 900 C / 20 h (f ~ 0.19; the
#   f > 0.5 once asserted here was particles seeded by the static bin tolerance, see
#   test_reduce_tolerance.sh); the reduced film keeps the Nb electrons: it conducts
#   better than the Nb-free film (by ~1.7x: the Ni left in the lattice still compensates
#   most of the Nb);
# - exsol-rank flags La vs Nd (same x) as physics twins (physics_twin_of).
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-table

run() { # out.nc T t formulas... (GEN_SET: extra gen options)
    local out=$1 T=$2 t=$3; shift 3
    local args=()
    for f; do args+=(--composition "$f"); done
    # shellcheck disable=SC2086
    "$BIN/exsol-gen" -q ${GEN_SET:-} "${args[@]}" --temperature "$T" --time "$t" --h2 5% --h2o 3% \
        --thickness 30nm | "$BIN/exsol-reduce" -q | "$BIN/exsol-transport" -q >"$out"
}
# value of variable $2 in row $3 (1-based) of file $1
val() { "$BIN/exsol-table" -v "$2" "$1" | sed -n "$(($3 + 1))p"; }

# BaTiO3's t = 1.06 is above gen's default t_max = 1.059 (flagged infeasible): widened here
GEN_SET="--set t_max=1.07" run "$T/donor.nc" 550C 5h SrNb0.05Ti0.95O3 La0.05Sr0.95TiO3 CaNb0.05Ti0.95O3 BaNb0.05Ti0.95O3
[ -s "$T/donor.nc" ] && ok "donor-doped hosts run" || bad "donor-doped chain failed"
check "Sr host" "$(val "$T/donor.nc" host 1)" SrTiO3
check "Ca host" "$(val "$T/donor.nc" host 3)" CaTiO3
check "Ba host" "$(val "$T/donor.nc" host 4)" BaTiO3
check "Nb counted as B-site donor" "$(val "$T/donor.nc" B_donor_fraction 1)" 0.05
for r in 1 2; do
    mu=$(val "$T/donor.nc" mu_300K_pristine $r) n=$(val "$T/donor.nc" n_e_pristine $r)
    rho=$(val "$T/donor.nc" rho_300K_pristine $r)
    holds "SrTiO3 row $r: mu(300 K) in 5-8 cm2/Vs [T] (< 10 [L-33])" "$mu" "v * 1e4 >= 5 && v * 1e4 <= 8"
    holds "SrTiO3 row $r: n = donors (5e-2 per f.u. = 8.4e20 cm-3)" "$n" "v > 8.0e26 && v < 8.8e26"
    # rho = 1/(n e mu) for mu 5-8: 0.93-1.5 mOhm cm at 8.4e20 (dt §3.4 table: 0.78-1.25 at 1e21)
    holds "SrTiO3 row $r: rho(300 K) in 0.9-1.6 mOhm cm" "$rho" "v * 100 >= 0.9e-3 && v * 100 <= 1.6e-3"
done
holds "CaTiO3: mu(300 K) <= ~1 cm2/Vs (bu §3.1 [M])" "$(val "$T/donor.nc" mu_300K_pristine 3)" "v * 1e4 >= 0.3 && v * 1e4 <= 1.2"
holds "BaTiO3: mu(300 K) in 0.1-1 cm2/Vs (bu §3.1 [M])" "$(val "$T/donor.nc" mu_300K_pristine 4)" "v * 1e4 >= 0.1 && v * 1e4 <= 1"
holds "CaTiO3: more f.u. per volume, more electrons (V_fu 55.9 vs 59.55 A^3)" \
    "$(val "$T/donor.nc" n_e_pristine 3)" "v > $(val "$T/donor.nc" n_e_pristine 1) * 1.05"

# A-site identity: Sr vs Ca in the seed
run "$T/seed.nc" 550C 5h La0.2Sr0.7Ni0.1Ti0.9O3 La0.2Ca0.7Ni0.1Ti0.9O3
for v in surface_particle_density mu_300K_reduced rho_300K_pristine n_e_reduced; do
    a=$(val "$T/seed.nc" $v 1) b=$(val "$T/seed.nc" $v 2)
    holds "Sr vs Ca differ in $v ($a vs $b)" "$a" "v != $b"
done
holds "seed anchor: > 1100 particles per um2" "$(val "$T/seed.nc" surface_particle_density 1)" "v > 1.1e15"
holds "seed anchor: ~5 nm" "$(val "$T/seed.nc" surface_mean_diameter 1)" "v > 4e-9 && v < 6.5e-9"
holds "seed anchor: switch > 10^3" "$(val "$T/seed.nc" log10_rho_ratio 1)" "v > 3"

# physics twins: La and Nd at the same x give the same physics downstream (only gen's
# tolerance factors see the A-site donor), Sr and Ca do not
if [ -x "$BIN/exsol-magnet" ] && [ -x "$BIN/exsol-rank" ]; then
    "$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --composition Nd0.2Sr0.7Ni0.1Ti0.9O3 \
        --composition La0.2Ca0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h | "$BIN/exsol-reduce" -q |
        "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q | "$BIN/exsol-rank" -q -o "$T/rank.nc"
    check "Nd row flagged as the La row's physics twin" "$(val "$T/rank.nc" physics_twin_of 2)" 0
    check "La row not a twin" "$(val "$T/rank.nc" physics_twin_of 1)" NA
    check "Ca row not a twin" "$(val "$T/rank.nc" physics_twin_of 3)" NA
    holds "CaTiO3: denser Ni2+ ions, larger pristine M (V_fu 55.9 vs 59.5 A^3)" \
        "$(val "$T/rank.nc" M_300K_1T_pristine 3)" "v > 1.05 * $(val "$T/rank.nc" M_300K_1T_pristine 1)"
fi

# mixed A site: Vegard V_fu between the hosts', SrTiO3's other constants
run "$T/mix.nc" 550C 5h La0.2Sr0.7Ni0.1Ti0.9O3 La0.2Sr0.35Ca0.35Ni0.1Ti0.9O3 La0.2Ca0.7Ni0.1Ti0.9O3
check "Sr0.35Ca0.35: the tie goes to SrTiO3" "$(val "$T/mix.nc" host 2)" SrTiO3
holds "Sr0.35Ca0.35: V_fu is the Vegard mean" "$(val "$T/mix.nc" V_fu 2)" \
    "v > 0.4999 * ($(val "$T/mix.nc" V_fu 1) + $(val "$T/mix.nc" V_fu 3)) && v < 0.5001 * ($(val "$T/mix.nc" V_fu 1) + $(val "$T/mix.nc" V_fu 3))"
holds "Sr0.35Ca0.35: particle density between Sr and Ca" "$(val "$T/mix.nc" surface_particle_density 2)" \
    "v > $(val "$T/mix.nc" surface_particle_density 1) && v < $(val "$T/mix.nc" surface_particle_density 3)"

# the grid key forces the host
printf 'include_formula = La0.2Sr0.7Ni0.1Ti0.9O3\nhost = CaTiO3\ntemperature = 550C\ntime = 5h\n' >"$T/g.cfg"
"$BIN/exsol-gen" -q --grid "$T/g.cfg" -o "$T/forced.nc" && ok "grid host key accepted" || bad "grid host key refused"
check "host = CaTiO3 forces the host" "$(val "$T/forced.nc" host 1)" CaTiO3
printf 'include_formula = SrTiO3\nhost = KTaO3\ntemperature = 550C\ntime = 5h\n' >"$T/bad.cfg"
"$BIN/exsol-gen" -q --grid "$T/bad.cfg" -o "$T/bad.nc" 2>"$T/err"
[ $? -ne 0 ] && grep -q "unknown host 'KTaO3'" "$T/err" && ok "unknown host refused, named" || bad "unknown host: $(cat "$T/err")"

# B-site donor with an exsolvable dopant
run "$T/nb.nc" 900C 20h SrTi0.9Nb0.05Ni0.05O3 SrNi0.05Ti0.95O3
check "SrTi0.9Nb0.05Ni0.05O3 accepted (canonical)" "$(val "$T/nb.nc" formula 1)" SrNi0.05Nb0.05Ti0.9O3
check "Ni is the dopant" "$(val "$T/nb.nc" dopant 1)" Ni
check "as-grown delta = (0.10 - 0.05)/2" "$(val "$T/nb.nc" delta_asgrown 1)" 0.025
check "reduce ok" "$(val "$T/nb.nc" reduce_status 1)" 0
holds "Ni exsolves (f > 0.1 at 900 C, 20 h)" "$(val "$T/nb.nc" exsolved_fraction 1)" "v > 0.1"
holds "Nb electrons: reduced film more conducting than without Nb" \
    "$(val "$T/nb.nc" rho_300K_reduced 1)" "v < $(val "$T/nb.nc" rho_300K_reduced 2)"
exit $fail
