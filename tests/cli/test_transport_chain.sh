#!/bin/bash
# The seed through the real chain, exsol-gen | exsol-reduce | exsol-transport, on pipes:
# the as-grown LSNT film is a compensated insulator, the annealed film (550 C, 5 h,
# 5 % H2 + 3 % H2O) a degenerate metal, more than 10^3 apart, and the switch happens
# within the anneal. Skipped (exit 0 with a note) until exsol-reduce is built.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-table

"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h \
    --h2 5% --h2o 3% --thickness 30nm | "$BIN/exsol-reduce" -q | "$BIN/exsol-transport" -q >"$T/out.nc"
[ "$?" -eq 0 ] && ok "chain exit 0" || bad "chain failed"
v() { "$BIN/exsol-table" -v "$1" "$T/out.nc" | sed -n 2p; }
holds "transport_status 0" "$(v transport_status)" "v == 0"
holds "pristine insulating" "$(v insulating_pristine)" "v == 1"
holds "reduced degenerate metal" "$(v metallic_reduced)" "v == 1"
holds "switch > 10^3" "$(v log10_rho_ratio)" "v > 3"
holds "reduced n > 1e21 cm-3 (part of the Ni stays dissolved as acceptors: the A-site vacancies run out smoothly)" "$(v n_e_reduced)" "v > 1e27"
holds "dRho/dT < 0 pristine" "$(v drho_dT_sign_pristine)" "v == -1"
holds "dRho/dT > 0 reduced" "$(v drho_dT_sign_reduced)" "v == 1"
holds "switch within the 5 h anneal" "$(v t_switch_transport)" "v > 0 && v <= 18000"
exit $fail
