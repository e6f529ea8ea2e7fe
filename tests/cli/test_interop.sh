#!/bin/bash
# Files written by the exsol data layer (through exsol-cat) are ordinary NetCDF:
# on disk NETCDF4 with the zstd filter (id 32015) that ncdump, NCO and Python's
# netCDF4 read with HDF5_PLUGIN_PATH set to our plugin; on a pipe CDF5. Shards
# concatenate along the unlimited `candidate` with exsol-cat and with ncrcat.
set -euo pipefail
BIN=${EXSOL_BIN:?}
BUILD=${EXSOL_BUILD:?}
export HDF5_PLUGIN_PATH=$BUILD/hdf5-plugin
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
die() { echo "FAIL: $*"; fail=1; }

[ -f "$HDF5_PLUGIN_PATH/libH5Zzstd.so" ] || { echo "FAIL: no plugin in $HDF5_PLUGIN_PATH"; exit 1; }

# A sanitizer build (-DEXSOL_SANITIZE=ON) instruments the plugin, which ncdump, NCO
# and python cannot load (preloading the runtimes makes ncrcat hang): there the
# checks through those tools are skipped and the exsol-side checks still run.
EXTERNAL=1
if ldd "$HDF5_PLUGIN_PATH/libH5Zzstd.so" 2>/dev/null | grep -q -e libasan -e libubsan; then
    EXTERNAL=0
    echo "note: sanitizer build: skipping the checks through ncdump, NCO and python"
fi

# a shard of 5000 candidates (more than one EXSOL_BLOCK of 4096 rows) from CDL
{
    echo 'netcdf shard { dimensions: candidate = UNLIMITED ; temperature = 2 ; strlen8 = 8 ;'
    echo 'variables:'
    echo '  double x(candidate) ; x:units = "m" ; x:long_name = "a length" ;'
    echo '    x:_FillValue = 9.969209968386869e+36 ;'
    echo '  int status(candidate) ; status:units = "1" ;'
    echo '  char name(candidate, strlen8) ;'
    echo '  double temperature(temperature) ; temperature:units = "K" ;'
    echo '  double curve(candidate, temperature) ; curve:units = "ohm m" ;'
    echo '  :title = "interop shard" ; :history = "older entry\n" ;'
    echo 'data:'
    echo -n '  x = '; seq -s ', ' 0 4999 | sed 's/^0,/_,/'; echo ' ;'
    echo -n '  status = '; seq -s ', ' 0 4999; echo ' ;'
    echo -n '  name = '; for i in $(seq 0 4999); do printf '"c%d", ' "$i"; done | sed 's/, $//'; echo ' ;'
    echo '  temperature = 2, 300 ;'
    echo -n '  curve = '; seq -s ', ' 0 9999; echo ' ;'
    echo '}'
} >"$T/shard.cdl"
ncgen -5 -o "$T/a.nc" "$T/shard.cdl"

# 1. to disk: NETCDF4, zstd on every per-candidate variable, temp file gone
"$BIN/exsol-cat" -q -o "$T/out.nc" "$T/a.nc"
[ -z "$(ls -A "$T" | grep tmp || true)" ] || die "temporary file left: $(ls -A "$T")"
[ "$(stat -c %a "$T/out.nc")" != 600 ] || die "output left with mkstemp's mode 0600"
if [ "$EXTERNAL" = 1 ]; then
[ "$(ncdump -k "$T/out.nc")" = "netCDF-4" ] || die "exsol-cat -o did not write netCDF-4"
ncdump -hs "$T/out.nc" >"$T/hdr"
for v in x status name curve; do
    grep -q "^		$v:_Filter = \"32015," "$T/hdr" || die "no zstd filter on $v"
done
grep -q 'candidate = UNLIMITED' "$T/hdr" || die "candidate is not unlimited"
grep -q ':Conventions = "CF-1.8"' "$T/hdr" || die "no Conventions"
grep -q ':title = "interop shard"' "$T/hdr" || die "input title not kept"
grep -q ':exsol_version = ' "$T/hdr" || die "no exsol_version"
grep -q ':history = "[0-9-]*T[0-9:]*Z: .*exsol-cat -q -o .*\\nolder entry\\n"' "$T/hdr" ||
    die "history not prepended: $(grep history "$T/hdr")"

# 2. ncdump reads the compressed values through the plugin, same as the input's
ncdump -v x,name,curve "$T/a.nc" | sed -n '/^data:/,$p' >"$T/want"
ncdump -v x,name,curve "$T/out.nc" | sed -n '/^data:/,$p' >"$T/got"
diff -q "$T/want" "$T/got" >/dev/null || die "ncdump of the zstd file differs from the input"
grep -q 'x = _, 1, 2, 3' "$T/got" || die "ncdump values: $(head -c 200 "$T/got")"
# the data really is compressed: far smaller than the uncompressed CDF5 input
[ "$(stat -c %s "$T/out.nc")" -lt "$(stat -c %s "$T/a.nc")" ] || die "not compressed"
fi

# exsol tools need no plugin: the filter is registered in-process (file and stdin)
env -u HDF5_PLUGIN_PATH "$BIN/exsol-table" -v x,name "$T/out.nc" | sed -n 5001p | grep -qx '4999	c4999' ||
    die "exsol-table without HDF5_PLUGIN_PATH"
env -u HDF5_PLUGIN_PATH "$BIN/exsol-table" -v x,name - <"$T/out.nc" | sed -n 5001p | grep -qx '4999	c4999' ||
    die "exsol-table without HDF5_PLUGIN_PATH on stdin"

# 3. Python's netCDF4 (HDF5 through the same plugin)
if [ "$EXTERNAL" = 1 ]; then
/usr/bin/python3 - "$T/out.nc" <<'PY' || die "python netCDF4 could not read the file"
import sys, netCDF4
d = netCDF4.Dataset(sys.argv[1])
assert d.dimensions["candidate"].isunlimited()
x = d.variables["x"][:]
assert len(x) == 5000 and x.mask[0] and x[4999] == 4999, x
assert d.variables["curve"][4999, 1] == 9999
assert d.variables["x"].units == "m"
assert "".join(c.decode() for c in d.variables["name"][4999].compressed()) == "c4999"
PY
# a netCDF-4 file from Python with string attributes (as xarray writes them)
/usr/bin/python3 - "$T/py.nc" <<'PY'
import sys, netCDF4
d = netCDF4.Dataset(sys.argv[1], "w")
d.createDimension("candidate", None)
v = d.createVariable("x", "f8", ("candidate",))
v[:] = [1.0, 2.0]
v.setncattr_string("units", "m")
d.setncattr_string("history", "made by python")
d.close()
PY
"$BIN/exsol-cat" -q "$T/py.nc" >"$T/py5.nc"
ncdump -h "$T/py5.nc" >"$T/py5.cdl"
grep -q '"made by python"' "$T/py5.cdl" || die "string history not kept"
grep -q 'x:units = "m"' "$T/py5.cdl" || die "string attribute not copied as text"
fi

# 4. shards: exsol-cat and ncrcat agree, across block boundaries
"$BIN/exsol-cat" -q --no-history "$T/a.nc" >"$T/p1.nc"
head -c 4 "$T/p1.nc" | od -An -c | grep -q 'C   D   F 005' || die "stdout is not CDF5"
"$BIN/exsol-cat" -q --no-history -o "$T/b.nc" "$T/a.nc" "$T/p1.nc" "$T/out.nc"
"$BIN/exsol-table" -v x,status,name "$T/b.nc" >"$T/cat.tsv"
[ "$(wc -l <"$T/cat.tsv")" -eq 15001 ] || die "exsol-cat rows: $(wc -l <"$T/cat.tsv")"
sed -n '10002p' "$T/cat.tsv" | grep -qx 'NA	0	c0' || die "row 10000 of the merge: $(sed -n 10002p "$T/cat.tsv")"
tail -1 "$T/cat.tsv" | grep -qx '4999	4999	c4999' || die "last row of the merge"
"$BIN/exsol-table" --row 14999 -v curve "$T/b.nc" | tail -1 | grep -qx '300	9999' ||
    die "curve of the last merged row"
# ncrcat on pipe (CDF5) outputs
if [ "$EXTERNAL" = 1 ]; then
ncrcat -O "$T/p1.nc" "$T/p1.nc" "$T/p1.nc" "$T/r5.nc" 2>"$T/nco.err" || die "ncrcat CDF5: $(cat "$T/nco.err")"
"$BIN/exsol-table" -v x,status,name "$T/r5.nc" | cmp -s - "$T/cat.tsv" || die "ncrcat (CDF5) differs from exsol-cat"
# ncrcat on the zstd files: Debian's NCO cannot re-apply zstd itself (its netCDF has
# no zstd API), so the documented forms are --cmp=none (NETCDF4) or -5 (CDF5)
ncrcat -O --cmp=none "$T/out.nc" "$T/out.nc" "$T/out.nc" "$T/r4.nc" 2>"$T/nco.err" ||
    die "ncrcat --cmp=none: $(grep -v WARNING "$T/nco.err")"
"$BIN/exsol-table" -v x,status,name "$T/r4.nc" | cmp -s - "$T/cat.tsv" || die "ncrcat (NETCDF4) differs"
ncrcat -O -5 "$T/out.nc" "$T/p1.nc" "$T/out.nc" "$T/r45.nc" 2>"$T/nco.err" ||
    die "ncrcat -5: $(grep -v WARNING "$T/nco.err")"
"$BIN/exsol-table" -v x,status,name "$T/r45.nc" | cmp -s - "$T/cat.tsv" || die "ncrcat -5 differs"
fi

# empty shards (a split into more shards than rows) merge to nothing
{ sed -n '1,/^data:/p' "$T/shard.cdl"; echo '  temperature = 2, 300 ;'; echo '}'; } >"$T/empty.cdl"
ncgen -5 -o "$T/empty.nc" "$T/empty.cdl"
"$BIN/exsol-cat" -q -o "$T/e.nc" "$T/empty.nc" "$T/a.nc" "$T/empty.nc"
"$BIN/exsol-table" -v x,status,name "$T/e.nc" | cmp -s - <(head -5001 "$T/cat.tsv") ||
    die "merge with empty shards"
"$BIN/exsol-cat" -q "$T/empty.nc" "$T/empty.nc" | "$BIN/exsol-table" -v x >"$T/got"
[ "$(cat "$T/got")" = x ] || die "merge of empty shards: $(cat "$T/got")"

# 5. --no-history output is byte-identical run to run, on a pipe and on disk
"$BIN/exsol-cat" -q --no-history "$T/a.nc" >"$T/p2.nc"
cmp -s "$T/p1.nc" "$T/p2.nc" || die "CDF5 output differs between runs"
sleep 1
"$BIN/exsol-cat" -q --no-history -o "$T/b2.nc" "$T/a.nc" "$T/p1.nc" "$T/out.nc"
cmp -s "$T/b.nc" "$T/b2.nc" || die "NETCDF4 output differs between runs"

# 6. shards that do not match are refused, nothing is left, a good file survives
sed 's/temperature = 2, 300 ;/temperature = 2, 400 ;/' "$T/shard.cdl" >"$T/other.cdl"
ncgen -5 -o "$T/other.nc" "$T/other.cdl"
cp "$T/b.nc" "$T/keep.nc"
rc=0
"$BIN/exsol-cat" -q -o "$T/b.nc" "$T/a.nc" "$T/other.nc" 2>"$T/err" || rc=$?
[ "$rc" -eq 3 ] || die "mismatched shards: exit $rc, want 3"
grep -q "variable 'temperature' differs" "$T/err" || die "message: $(cat "$T/err")"
cmp -s "$T/b.nc" "$T/keep.nc" || die "a failed merge clobbered the existing output"
[ -z "$(ls -A "$T" | grep tmp || true)" ] || die "temporary file left after failure"
rc=0
"$BIN/exsol-cat" -q -o "$T/c.nc" "$T/a.nc" "$T/missing.nc" 2>"$T/err" || rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$T/c.nc" ] || die "missing shard: exit $rc or output left"

# 7. binary output is refused on a terminal (exit 2) and a full disk is an error (exit 1)
if command -v script >/dev/null 2>&1; then
    script -qc "'$BIN/exsol-cat' '$T/a.nc'; echo rc=\$?" /dev/null </dev/null >"$T/tty" 2>&1 || true
    grep -q 'refusing to write binary NetCDF to a terminal' "$T/tty" && grep -q 'rc=2' "$T/tty" ||
        die "terminal not refused: $(cat "$T/tty")"
fi
if [ -w /dev/full ]; then
    rc=0
    "$BIN/exsol-cat" -q "$T/a.nc" >/dev/full 2>"$T/err" || rc=$?
    [ "$rc" -eq 1 ] && grep -q 'cannot write to stdout' "$T/err" || die "/dev/full: exit $rc"
fi

exit $fail
