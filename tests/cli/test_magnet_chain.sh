#!/bin/bash
# exsol-gen | exsol-reduce | exsol-magnet for the seed film (LSNT, 550 C, 5 h, 5 % H2 +
# 3 % H2O, 30 nm) and its Cu analogue: the magnet stage accepts the real reduce
# output, the Ni film switches from a Curie paramagnet to a room-temperature
# superparamagnet, Cu gives no particle moment. Skips while a stage is not built.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-magnet exsol-table

"$BIN/exsol-gen" -q -c La0.2Sr0.7Ni0.1Ti0.9O3 -c La0.2Sr0.7Cu0.1Ti0.9O3 --temperature 550C \
    --time 5h --h2 5% --h2o 3% --thickness 30nm | "$BIN/exsol-reduce" -q |
    "$BIN/exsol-magnet" -q --no-history >"$T/out.nc"
check "chain exit" "${PIPESTATUS[*]}" "0 0 0"
v() { "$BIN/exsol-table" -q --no-header -v "$1" --row "$2" "$T/out.nc" | cut -f2; }
check "statuses" "$(v magnet_status 0) $(v magnet_status 1)" "0 0"

# Ni: pristine = Curie (Ni2+, 3.2 muB) + host, hand value 102.3 A/m (0.1 % here)
awk -v p="$(v M_300K_1T_pristine 0)" 'BEGIN { exit !(p > 102.2 && p < 102.4) }' \
    && ok "pristine Ni film 102.3 A/m" || bad "pristine Ni film $(v M_300K_1T_pristine 0)"
# Ni reduced: unblocked at 300 K, no coercivity, clearly above the pristine film,
# below the saturated ceiling (1.84 vol % x 485 kA/m); blocked with remanence at 5 K
awk -v tb="$(v T_B_p90 0)" -v hc="$(v Hc_300K 0)" -v mr="$(v M_300K_1T_reduced 0)" \
    -v mp="$(v M_300K_1T_pristine 0)" -v hc5="$(v Hc_5K 0)" \
    'BEGIN { exit !(tb > 5 && tb < 300 && hc == 0 && mr > 5 * mp && mr < 8925 && hc5 > 0) }' \
    && ok "reduced Ni film: superparamagnetic at 300 K, blocked at 5 K" \
    || bad "reduced Ni film: T_B_p90 $(v T_B_p90 0), Hc_300K $(v Hc_300K 0), M $(v M_300K_1T_reduced 0)"
echo "info: seed verdict spm_300K_reduced = $(v spm_300K_reduced 0)," \
    "contrast $(awk -v a="$(v M_300K_1T_reduced 0)" -v b="$(v M_300K_1T_pristine 0)" 'BEGIN { printf "%.2f", a / b }')" \
    "(criterion spm_contrast_min = 10)"
# Cu: no particle moment, no verdict
check "Cu: no particle moment" "$(v Ms_particles_0K 1) $(v spm_300K_reduced 1)" "0 0"
exit $fail
