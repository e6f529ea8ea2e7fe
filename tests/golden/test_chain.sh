#!/usr/bin/env bash
# Golden chain: runs gen -> reduce -> transport -> magnet -> rank (and exsol-table) on the
# default screen's grid and the test grids, through pipes (CDF5) and through files
# (NETCDF4, stored-chunk copy), with --threads 1 and 2 and --no-history, and compares the
# SHA-256 of every output with tests/golden/SHA256SUMS.
#
#   bash tests/golden/test_chain.sh            compare (ctest golden/test_chain)
#   bash tests/golden/test_chain.sh --update   write SHA256SUMS from this build
#   KEEP=DIR bash tests/golden/test_chain.sh   keep the outputs in DIR (to diff with ncdump)
#
# The sums were made from the build of the commit named in the first line of SHA256SUMS.
# A change that is meant to move results regenerates them (--update) in the same commit
# and says why in its message; a change that is not (a reorganisation) must leave them.
set -euo pipefail
SRC=${EXSOL_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${EXSOL_BIN:-$SRC/build/bin}
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-$SRC/build/hdf5-plugin}
export LC_ALL=C
SUMS=$SRC/tests/golden/SHA256SUMS
update=0
[ "${1:-}" = --update ] && update=1
if [ -n "${KEEP:-}" ]; then W=$KEEP; mkdir -p "$W"; else W=$(mktemp -d); fi

# name | gen arguments (the default screen: recipes/grids/default.cfg, whose temperatures
# the flag repeats, so these sums also hold for the grid file alone)
cases=(
  "default|--grid $SRC/recipes/grids/default.cfg --temperature 550C,700C,850C"
  "lsnt|--grid $SRC/recipes/grids/lsnt.cfg"
  "small|--grid $SRC/tests/workflow/small.cfg"
)
exec 3>&2 2>"$W/stderr.log"   # the stages' summaries; shown if a stage fails
trap 'rc=$?; [ $rc = 0 ] || cat "$W/stderr.log" >&3; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
for c in "${cases[@]}"; do
  name=${c%%|*}; args=${c#*|}
  # shellcheck disable=SC2086
  "$BIN/exsol-gen" $args --no-history -o "$W/$name.gen.nc"
  for t in 1 2; do
    d=$W/$name.t$t; mkdir -p "$d"
    # pipes: CDF5 between the stages
    "$BIN/exsol-reduce" --threads $t --no-history "$W/$name.gen.nc" >"$d/reduce.cdf5"
    "$BIN/exsol-transport" --threads $t --no-history "$d/reduce.cdf5" >"$d/transport.cdf5"
    "$BIN/exsol-magnet" --threads $t --no-history "$d/transport.cdf5" >"$d/magnet.cdf5"
    "$BIN/exsol-rank" --no-history --tsv "$d/rank.tsv" "$d/magnet.cdf5" >"$d/rank.cdf5"
    # files: NETCDF4 with zstd, each stage copying its input's chunks
    "$BIN/exsol-reduce" --threads $t --no-history -o "$d/reduce.nc" "$W/$name.gen.nc"
    "$BIN/exsol-transport" --threads $t --no-history -o "$d/transport.nc" "$d/reduce.nc"
    "$BIN/exsol-magnet" --threads $t --no-history -o "$d/magnet.nc" "$d/transport.nc"
    "$BIN/exsol-rank" --no-history -o "$d/rank.nc" "$d/magnet.nc"
    "$BIN/exsol-table" -v formula,T_anneal,t_anneal,exsolved_fraction,surface_particle_density,log10_rho_ratio,M_300K_1T_reduced,T_B_median "$d/magnet.nc" >"$d/table.tsv"
  done
done
exec 2>&3
cd "$W"
if [ $update = 1 ]; then
  { echo "# made by tests/golden/test_chain.sh --update from $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    find . -type f ! -name stderr.log | sort | xargs sha256sum; } >"$SUMS"
  echo "chain: wrote $(grep -vc '^#' "$SUMS") sums to $SUMS"
  exit 0
fi
if grep -v '^#' "$SUMS" | sha256sum --quiet -c - ; then
  echo "chain: $(grep -vc '^#' "$SUMS") outputs byte-identical to $(head -1 "$SUMS" | awk '{print $NF}')"
else
  echo "chain: outputs differ from the golden sums (rerun with KEEP=DIR and compare with ncdump)" >&2
  exit 1
fi
