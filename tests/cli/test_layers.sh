#!/usr/bin/env bash
# The layer contract (cmake/check_layers.sh) holds on this build, and the check itself
# catches a physics archive that prints, calls netCDF or exits, and an io archive that
# calls SUNDIALS.
set -u
SRC=${EXSOL_SRC:?} BUILD=${EXSOL_BUILD:?}
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
if bash "$SRC/cmake/check_layers.sh" "$BUILD"; then ok "the built libraries keep the layers"; else bad "the built libraries break the layers"; fi

T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mkdir -p "$T/lib"
for l in base data numerics physics io; do cp "$BUILD/lib/libexsol_$l.a" "$T/lib/"; done
inject() { # layer, C source: the archive of that layer gets one more object
    printf '%s\n' "$2" >"$T/x.c"
    cc -c -o "$T/x.o" "$T/x.c" 2>/dev/null || { bad "cannot compile the probe for $1"; return 1; }
    cp "$BUILD/lib/libexsol_$1.a" "$T/lib/libexsol_$1.a" && ar r "$T/lib/libexsol_$1.a" "$T/x.o" 2>/dev/null
}
expect_caught() { # what, layer, source
    inject "$2" "$3" || return
    if bash "$SRC/cmake/check_layers.sh" "$T" 2>"$T/err"; then bad "$1 is not caught"
    elif grep -q "libexsol_$2" "$T/err"; then ok "$1 is caught: $(cat "$T/err")"
    else bad "$1: the check failed without naming libexsol_$2"; fi
    cp "$BUILD/lib/libexsol_$2.a" "$T/lib/"
}
expect_caught "a physics file that prints" physics \
    '#include <stdio.h>
void exsol_probe(double x) { fprintf(stderr, "%g\n", x); }'
expect_caught "a physics file that calls netCDF" physics \
    'int nc_open(const char *, int, int *); int exsol_probe(void) { int id; return nc_open("x", 0, &id); }'
expect_caught "a physics file that exits" physics \
    '#include <stdlib.h>
void exsol_probe(void) { exit(3); }'
expect_caught "an io file that calls SUNDIALS" io \
    'void *N_VNew_Serial(long, void *); void *exsol_probe(void) { return N_VNew_Serial(3, 0); }'
echo "layers: $fails of 5 checks failed"
[ $fails = 0 ]
