#!/bin/bash
# Two reducible B-site dopants -> alloy particles through the whole chain (issue #13,
# README Alloys): exsol-gen | exsol-reduce | exsol-transport | exsol-magnet | exsol-rank
# on La0.2Sr0.7Ni0.05Fe0.05Ti0.9O3 and the one-dopant seed in the same screen (800 C, 2 h,
# 5 % H2 + 3 % H2O, 30 nm):
# - gen writes dopant2 (Fe), its fraction and valence; a screen without a two-dopant
#   formula has no dopant2 variables (its files keep their bytes);
# - reduce: both dopants exsolve, the particles' Fe fraction lies strictly in (0, 1),
#   and the seed row in the same file has no alloy composition;
# - magnet: the particle metal is the Ni-Fe alloy at that composition (M_s(0 K) above
#   Ni's 510 kA/m, |K1| below Ni's 5.7 kJ/m3, T_C above Ni's 627 K) and its K_eff at 10
#   nm is below Ni's (the seed row's); rank ranks both rows;
# - --dense-fd switches the alloy rows to CVODE's dense difference quotients too.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-table

val() { "$BIN/exsol-table" -v "$2" "$1" | sed -n "$(($3 + 1))p"; }

"$BIN/exsol-gen" -q -o "$T/one.nc" -c La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 800C --time 2h
if "$BIN/exsol-table" -l "$T/one.nc" | grep -q '^dopant2'; then
    bad "a one-dopant screen has dopant2 variables"
else
    ok "a one-dopant screen has no dopant2 variables"
fi
"$BIN/exsol-gen" -q -o "$T/g.nc" -c La0.2Sr0.7Ni0.05Fe0.05Ti0.9O3 -c La0.2Sr0.7Ni0.1Ti0.9O3 \
    --temperature 800C --time 2h --h2 5% --h2o 3% --thickness 30nm || bad "gen refused the alloy film"
check "dopant" "$(val "$T/g.nc" dopant 1)" Ni
check "dopant2" "$(val "$T/g.nc" dopant2 1)" Fe
check "dopant2_fraction" "$(val "$T/g.nc" dopant2_fraction 1)" 0.05
check "dopant2_valence" "$(val "$T/g.nc" dopant2_valence 1)" 3
check "seed row: dopant2 none" "$(val "$T/g.nc" dopant2 2)" none
check "neutral as grown (delta 0.075)" "$(val "$T/g.nc" delta_asgrown 1)" 0.075
"$BIN/exsol-reduce" -q "$T/g.nc" | "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q >"$T/m.nc" \
    && ok "reduce | transport | magnet" || bad "chain failed"
"$BIN/exsol-rank" -q -o "$T/k.nc" "$T/m.nc" && ok "rank" || bad "rank failed"
for s in reduce_status transport_status magnet_status; do
    check "$s" "$(val "$T/m.nc" $s 1)" 0
done
holds "Ni exsolved" "$(val "$T/m.nc" exsolved_fraction_dopant1 1)" "v > 0.5 && v <= 1"
holds "Fe co-exsolved" "$(val "$T/m.nc" exsolved_fraction_dopant2 1)" "v > 0.01 && v < 1"
x=$(val "$T/m.nc" surface_particle_x2 1)
holds "surface particles Ni-Fe: 0 < X_Fe < 1 ($x)" "$x" "v > 0 && v < 1"
holds "buried particles Ni-Fe" "$(val "$T/m.nc" buried_particle_x2 1)" "v > 0 && v < 1"
check "seed row: no alloy composition" "$(val "$T/m.nc" surface_particle_x2 2)" NA
holds "particle_x2 in (0, 1)" "$(val "$T/m.nc" particle_x2 1)" "v > 0 && v < 1"
holds "alloy M_s(0 K) above Ni's" "$(val "$T/m.nc" particle_Ms_0K 1)" "v > 510e3"
holds "alloy |K1| below Ni's" "$(val "$T/m.nc" particle_K1 1)" "v > -5700 && v < 5700"
holds "alloy T_C above Ni's" "$(val "$T/m.nc" particle_T_C 1)" "v > 627"
check "seed row: pure Ni M_s" "$(val "$T/m.nc" particle_Ms_0K 2)" 510000
ka=$(val "$T/m.nc" particle_Keff_10nm 1) kn=$(val "$T/m.nc" particle_Keff_10nm 2)
holds "K_eff(10 nm) Ni-Fe $ka < Ni $kn" "$ka" "v < $kn"
holds "rank ranked the alloy row" "$(val "$T/k.nc" rank 1)" "v >= 1"
# exsol-window on the alloy film: its limit is the transport verdict, not "no
# exsolution" (an alloy row has no t_half; the window uses the exsolved fraction)
if [ -x "$BIN/exsol-window" ]; then
    "$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.05Fe0.05Ti0.9O3 --temperature 700C \
        --time 2h --h2 5% --h2o 3% --thickness 30nm -o "$T/w.gen.nc"
    TMPDIR=$T "$BIN/exsol-window" -q --T-range 650C:750C --t-range 1h:2h --T-step 40K \
        "$T/w.gen.nc" -o "$T/w.nc" || bad "exsol-window on the alloy film"
    check "alloy window: no window, not metallic" \
        "$("$BIN/exsol-table" -v window_reason "$T/w.nc" | tail -1)" "no window: not metallic"
fi
# --dense-fd reaches the alloy rows too (CVODE's dense difference quotients instead of
# the bordered-band solver, exsol/sunls_bbk.h): another solver (other step counts), the
# same film within 1 %
"$BIN/exsol-reduce" -q --no-history "$T/g.nc" -o "$T/rs.nc" &&
    "$BIN/exsol-reduce" -q --no-history --dense-fd "$T/g.nc" -o "$T/rd.nc" ||
    bad "exsol-reduce --dense-fd on the alloy film"
ss=$(val "$T/rs.nc" cvode_rhs_evals 1) sd=$(val "$T/rd.nc" cvode_rhs_evals 1)
holds "--dense-fd solves the alloy row with another solver (RHS $ss vs $sd)" "$ss" "v != $sd"
ns=$(val "$T/rs.nc" surface_particle_density 1) nd=$(val "$T/rd.nc" surface_particle_density 1)
holds "the two solvers agree on the alloy film's density ($ns vs $nd)" "$ns" \
    "v > 0.99 * $nd && v < 1.01 * $nd"
exit $fail
