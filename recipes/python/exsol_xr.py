"""Read exsol NetCDF files in Python: xarray datasets and pandas tables.

    import sys; sys.path.insert(0, "recipes/python")     # or copy this one file
    import exsol_xr
    ds = exsol_xr.open_dataset("results/ranking.nc")    # xarray.Dataset
    df = exsol_xr.read_table("results/ranking.nc")      # pandas.DataFrame, one row per candidate
    df[df.dual_switch == 1].sort_values("rank")[["formula", "composition", "T_anneal"]]

open_dataset() is xarray.open_dataset with the exsol conventions undone where plain
xarray gets them wrong for this data:
  - text variables (formula, dopant, *_reason: char arrays) come back as str, not bytes;
  - integer variables (the *_status codes with flag_values/flag_meanings, feasible,
    dual_switch, rank, ...) stay integers: xarray would turn them into floats because
    they carry a _FillValue; a missing value is the _FillValue itself (kept in attrs);
  - the zstd filter (HDF5 filter 32015) of the files on disk is found: HDF5_PLUGIN_PATH
    is set, if it is not set already, to the plugin_path argument or the first of
    <repository>/build/hdf5-plugin, /usr/local/lib/hdf5/plugin, /usr/lib/hdf5/plugin
    that holds the plugin.
Floating-point variables are decoded as usual (missing = NaN).

to_table() / read_table() give the per-candidate variables (those on the candidate
dimension only; curves and distributions stay in the dataset) as a DataFrame, plus
  composition          pymatgen Composition of the nominal formula (O3)
  composition_asgrown  the same with O3-delta (delta_asgrown), when gen's delta is there
Needs xarray, pandas, netCDF4 and (for the Composition columns) pymatgen; Debian 12:
python3-xarray python3-netcdf4 python3-pymatgen.
"""
import os

import numpy as np

_HERE = os.path.dirname(os.path.abspath(__file__))
_PLUGIN_DIRS = [
    os.path.join(_HERE, "..", "..", "build", "hdf5-plugin"),
    "/usr/local/lib/hdf5/plugin",
    "/usr/lib/hdf5/plugin",
]
_PLUGIN_FILE = "libH5Zzstd.so"


def _set_plugin_path(plugin_path=None):
    if plugin_path:
        os.environ["HDF5_PLUGIN_PATH"] = str(plugin_path)
        return
    if os.environ.get("HDF5_PLUGIN_PATH"):
        return
    for d in _PLUGIN_DIRS:
        if os.path.exists(os.path.join(d, _PLUGIN_FILE)):
            os.environ["HDF5_PLUGIN_PATH"] = os.path.normpath(d)
            return


def _decode_text(values):
    return np.char.decode(np.asarray(values), "utf-8").astype(object)


def open_dataset(path, plugin_path=None, **kwargs):
    """xarray.Dataset of an exsol file: text as str, integer variables as integers."""
    _set_plugin_path(plugin_path)
    import xarray as xr

    ds = xr.open_dataset(path, **kwargs)
    for name in list(ds.variables):
        var = ds[name]
        enc = var.encoding
        raw = np.dtype(enc["dtype"]) if "dtype" in enc else None
        if var.dtype.kind == "S":
            ds[name] = var.copy(data=_decode_text(var.values))
            ds[name].encoding = enc
        elif raw is not None and raw.kind in "iu" and var.dtype.kind == "f":
            fill = enc.get("_FillValue", var.attrs.get("_FillValue"))
            data = var.values
            if fill is not None:
                data = np.where(np.isnan(data), fill, data)
            ds[name] = var.copy(data=data.astype(raw))
            if fill is not None:
                ds[name].attrs["_FillValue"] = raw.type(fill)
            ds[name].encoding = {k: v for k, v in enc.items() if k != "_FillValue"}
    return ds


def _composition(formula, delta=None):
    from pymatgen.core import Composition

    comp = Composition(formula)
    if delta is None or not np.isfinite(delta):
        return comp
    amounts = comp.get_el_amt_dict()
    amounts["O"] = amounts.get("O", 0.0) - float(delta)
    return Composition(amounts)


def to_table(ds, compositions=True):
    """pandas.DataFrame: one row per candidate, one column per per-candidate variable."""
    import pandas as pd

    cols = {}
    for name, var in ds.data_vars.items():
        if var.dims == ("candidate",):
            cols[name] = var.values
    index = ds["candidate"].values if "candidate" in ds.variables else np.arange(ds.sizes["candidate"])
    df = pd.DataFrame(cols, index=pd.Index(index, name="candidate"))
    if compositions and "formula" in df:
        df["composition"] = [_composition(f) for f in df["formula"]]
        if "delta_asgrown" in df:
            df["composition_asgrown"] = [
                _composition(f, d) for f, d in zip(df["formula"], df["delta_asgrown"])
            ]
    return df


def read_table(path, plugin_path=None, compositions=True):
    """to_table(open_dataset(path)), the file closed afterwards."""
    ds = open_dataset(path, plugin_path=plugin_path)
    try:
        return to_table(ds.load(), compositions=compositions)
    finally:
        ds.close()
