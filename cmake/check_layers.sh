#!/usr/bin/env bash
# The layer contract of libcore (DESIGN.md §1), checked on the built static libraries:
# the undefined symbols of each archive are what its code calls outside itself.
#   physics, numerics, data, base: no netCDF, HDF5 or zstd (physics is free of files)
#   io, data, base:                no SUNDIALS
#   schema: plain tables (no netCDF, no SUNDIALS)
#   every layer below tools/common (stages included): never prints to the terminal, never exits
# Usage: cmake/check_layers.sh BUILD_DIR        (ctest: layers/check)
set -u
lib=${1:?usage: check_layers.sh BUILD_DIR}/lib
fail=0
check() { # archive, description, regex of forbidden symbols
    local a=$lib/libexsol_$1.a hits
    if [ ! -f "$a" ]; then echo "layers: missing $a" >&2; fail=1; return; fi
    hits=$(nm -u "$a" | awk '{print $NF}' | grep -E "$3" | sort -u | tr '\n' ' ')
    if [ -n "$hits" ]; then
        echo "layers: libexsol_$1 $2: $hits" >&2
        fail=1
    fi
}
NETCDF='^(nc_|H5|ZSTD_)'
SUNDIALS='^(CVode|N_V|SUN)'
PRINTS='^(printf|fprintf|vfprintf|vprintf|puts|fputs|putchar|fputc|putc|perror|psignal|err|errx|warn|warnx|stderr|exit|_exit|_Exit|abort|quick_exit|__assert_fail)$'
for l in base data numerics physics schema; do check $l "calls netCDF/HDF5/zstd" "$NETCDF"; done
for l in base data io schema; do check $l "calls SUNDIALS" "$SUNDIALS"; done
for l in base data numerics physics io schema stages; do check $l "prints or exits (only tools/common may)" "$PRINTS"; done
if [ $fail = 0 ]; then echo "layers: base, data, numerics, physics, io, schema and stages keep their contracts"; fi
exit $fail
