#!/usr/bin/python3
"""Splits an exsol dataset into N shards of consecutive candidates (the unit of a
cluster job). Shard i holds rows [b(i), b(i+1)) with b(i) = floor(i n / N), rounded
to a multiple of 4096 (EXSOL_BLOCK, the rows of a chunk) when shards hold at least
that many: exsol-rank then appends whole chunks, not halves; every
variable, attribute and fixed dimension is copied unchanged, so the tools treat a
shard exactly like the whole file and merging the shards in order (exsol-cat, or
NCO's ncrcat, which unlike exsol-cat does not check that the shards were run with the
same parameters) gives the original rows back. A shard may be empty when N > n.

Shards are written as uncompressed CDF5 (what NCO and every tool reads without the
zstd plugin) with a fixed-size candidate dimension, each to a temporary name and
renamed when complete, so a killed run leaves complete shards or none.

usage: split.py INPUT.nc OUT0.nc OUT1.nc ...   (N = number of outputs)
Needs HDF5_PLUGIN_PATH to read zstd-compressed input.
"""
import os
import sys

import numpy as np
from netCDF4 import Dataset

CAND = "candidate"
BLOCK = 4096  # EXSOL_BLOCK


def bounds(n, k):
    b = [(i * n) // k for i in range(k + 1)]
    if n // k >= BLOCK:
        b = [0] + [min(n, (x + BLOCK // 2) // BLOCK * BLOCK) for x in b[1:-1]] + [n]
    return b


def copy_shard(src, path, a, b):
    tmp = path + ".tmp%d" % os.getpid()
    try:
        with Dataset(tmp, "w", format="NETCDF3_64BIT_DATA") as dst:
            dst.setncatts({k: src.getncattr(k) for k in src.ncattrs()})
            for name, dim in src.dimensions.items():
                # candidate fixed-size: CDF5 record variables are interleaved per
                # record, and writing them one by one took 3x as long (117,504 rows:
                # 1.4 -> 0.55 s); the tools' outputs have it unlimited again
                dst.createDimension(name, (b - a) if name == CAND else
                                    None if dim.isunlimited() else len(dim))
            for name, var in src.variables.items():
                var.set_auto_maskandscale(False)
                var.set_auto_chartostring(False)  # text (_Encoding) stays a char array
                if var.dtype == str:
                    raise SystemExit("split.py: variable-length string '%s' cannot go to "
                                     "CDF5" % name)
                atts = {k: var.getncattr(k) for k in var.ncattrs()}
                fill = atts.pop("_FillValue", None)
                out = dst.createVariable(name, var.dtype, var.dimensions, fill_value=fill)
                out.setncatts(atts)
                out.set_auto_maskandscale(False)
                out.set_auto_chartostring(False)
            for name, var in src.variables.items():
                out = dst.variables[name]
                if var.dimensions and var.dimensions[0] == CAND:
                    if b > a:
                        out[0:b - a, ...] = var[a:b, ...]
                elif var.dimensions:
                    out[...] = var[...]
                else:
                    out.assignValue(var.getValue())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    src_path, outs = argv[1], argv[2:]
    with Dataset(src_path) as src:
        if CAND not in src.dimensions:
            sys.stderr.write("split.py: %s has no '%s' dimension\n" % (src_path, CAND))
            return 3
        n = len(src.dimensions[CAND])
        k = len(outs)
        b = bounds(n, k)
        for i, path in enumerate(outs):
            copy_shard(src, path, b[i], b[i + 1])
        sys.stderr.write("split.py: %d candidates into %d shards of %s rows\n" %
                         (n, k, ",".join(str(b[i + 1] - b[i]) for i in range(k))))
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main(sys.argv))
