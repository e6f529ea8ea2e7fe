#!/usr/bin/env bash
# An attribute of the wrong length or type is invalid input (exit 3, one line naming
# the variable and the attribute), never a crash: a _FillValue holding a list used to
# be read into one double and overflowed the stack (SIGSEGV in every tool), in CDF1,
# CDF5 and NETCDF4, from a file or from stdin. ncgen refuses such files, so ncatted
# (NCO) makes them from good ones.
set -u
BIN=${EXSOL_BIN:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
command -v ncgen >/dev/null && command -v ncatted >/dev/null || {
    echo "FAIL: ncgen and ncatted (netcdf-bin, nco) are needed"
    exit 1
}

cat >"$T/good.cdl" <<'CDL'
netcdf good {
dimensions:
  candidate = UNLIMITED ;
variables:
  int candidate(candidate) ;
  double thickness(candidate) ;
    thickness:units = "m" ;
    thickness:_FillValue = 9.969209968386869e+36 ;
    thickness:valid_range = 0., 1. ;
data:
  candidate = 0, 1 ;
  thickness = 3e-08, _ ;
}
CDL
list=$(seq -s, 1 40)
for k in 1 5 nc4; do
    ncgen -k $k -o "$T/good$k.nc" "$T/good.cdl" || { echo "FAIL: ncgen -k $k"; exit 1; }
    cp "$T/good$k.nc" "$T/list$k.nc"
    ncatted -h -O -a _FillValue,thickness,o,d,"$list" "$T/list$k.nc" || {
        echo "FAIL: ncatted on CDF $k"
        exit 1
    }
    cp "$T/good$k.nc" "$T/text$k.nc"
    ncatted -h -O -a _FillValue,thickness,o,c,"x" "$T/text$k.nc" || {
        echo "FAIL: ncatted on CDF $k"
        exit 1
    }
done

# want: exit 3, exactly one line on stderr naming thickness and _FillValue
expect3() { # label, then the command (stdin from $IN if set)
    local label=$1 rc
    shift
    if [ -n "${IN:-}" ]; then "$@" <"$IN" >"$T/out" 2>"$T/err"; else "$@" >"$T/out" 2>"$T/err"; fi
    rc=$?
    if [ $rc -ne 3 ]; then
        echo "FAIL: $label exited $rc, want 3"; cat "$T/err"; fail=1; return
    fi
    if [ "$(wc -l <"$T/err")" -ne 1 ] || ! grep -q "'thickness'" "$T/err" ||
        ! grep -q "'_FillValue'" "$T/err"; then
        echo "FAIL: $label: want one line naming 'thickness' and '_FillValue', got:"
        cat "$T/err"; fail=1
    fi
}

for k in 1 5 nc4; do
    for bad in list text; do
        f=$T/$bad$k.nc
        IN= expect3 "exsol-table $bad$k.nc" "$BIN/exsol-table" -v thickness "$f"
        IN=$f expect3 "exsol-table - <$bad$k.nc" "$BIN/exsol-table" -v thickness -
        IN= expect3 "exsol-cat $bad$k.nc" "$BIN/exsol-cat" -q -o "$T/cat.nc" "$T/good$k.nc" "$f"
        IN= expect3 "exsol-reduce $bad$k.nc" "$BIN/exsol-reduce" -q -o "$T/red.nc" "$f"
        IN=$f expect3 "exsol-transport - <$bad$k.nc" "$BIN/exsol-transport" -q -o "$T/tr.nc" -
    done
    # the good file still reads (a two-value valid_range is fine), the fill as NA
    got=$("$BIN/exsol-table" -v thickness "$T/good$k.nc" 2>"$T/err" | tr '\n' ' ')
    [ "$got" = "thickness 3e-08 NA " ] || {
        echo "FAIL: good CDF $k reads as '$got'"; cat "$T/err"; fail=1
    }
done
[ -e "$T/cat.nc" ] && { echo "FAIL: exsol-cat left an output"; fail=1; }
[ $fail -eq 0 ] && echo "bad attributes: exit 3 with one line, in CDF1, CDF5 and NETCDF4"
exit $fail
