/* Reading an open input: the inventory (names, kinds, shapes) and typed reads of
 * per-candidate rows, fixed variables and attributes. A _FillValue reads as NaN
 * (doubles) or NC_FILL_INT (ints); every read checks the variable's type and shape
 * first and names the variable and the input when it fails. */
#include "dataset_internal.h"
#include "exsol/dataset.h"
#include "exsol/error.h"

#include <math.h>
#include <netcdf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *exsol_ds_path(const exsol_ds *ds)
{
    return ds->path;
}
size_t exsol_ds_ncandidates(const exsol_ds *ds)
{
    return ds->ncand;
}
size_t exsol_ds_nvars(const exsol_ds *ds)
{
    return ds->nvars;
}

const char *exsol_ds_var_name(const exsol_ds *ds, size_t i)
{
    return i < ds->nvars ? ds->vars[i].name : NULL;
}

const struct ds_var *exsol_ds_find_var(const exsol_ds *ds, const char *name)
{
    int varid;
    if (!name || nc_inq_varid(ds->ncid, name, &varid) != NC_NOERR || varid < 0 ||
        (size_t)varid >= ds->nvars)
        return NULL;
    return &ds->vars[varid];
}

enum exsol_vkind exsol_ds_var_kind(const exsol_ds *ds, const char *name)
{
    const struct ds_var *v = exsol_ds_find_var(ds, name);
    return v ? v->kind : EXSOL_VK_NONE;
}

int exsol_ds_var_inner(const exsol_ds *ds, const char *name, size_t *inner, char *err,
                       size_t errlen)
{
    const struct ds_var *v = exsol_ds_find_var(ds, name);
    if (!v)
        return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR, "no variable '%s' in %s", name,
                            strcmp(ds->path, "-") ? ds->path : "stdin");
    *inner = v->inner;
    return EXSOL_OK;
}

const char *exsol_ds_var_dim(const exsol_ds *ds, const char *name)
{
    const struct ds_var *v = exsol_ds_find_var(ds, name);
    return v && v->kind == EXSOL_VK_CURVE ? v->inner_dim : NULL;
}

int exsol_ds_dim_len(const exsol_ds *ds, const char *dim, size_t *len)
{
    int dimid;
    if (!dim || nc_inq_dimid(ds->ncid, dim, &dimid) != NC_NOERR)
        return EXSOL_EMISSINGVAR;
    return nc_inq_dimlen(ds->ncid, dimid, len) == NC_NOERR ? EXSOL_OK : EXSOL_ENETCDF;
}

const char *exsol_ds_filter_hint(int st)
{
    if (st != NC_ENOFILTER && st != NC_EFILTER)
        return "";
    return " (an HDF5 filter this program cannot load: set HDF5_PLUGIN_PATH to the folder "
           "of its plugin; exsol's zstd plugin is in build/hdf5-plugin, and make install "
           "puts it in HDF5's default folder " EXSOL_HDF5_PLUGIN_DIR ")";
}

const char *exsol_ds_where(const exsol_ds *ds)
{
    return strcmp(ds->path, "-") ? ds->path : "stdin";
}

/* Common checks for per-candidate reads; fills start/count for nc_get_vara. */
static int ds_rows(const exsol_ds *ds, const char *name, size_t start, size_t count,
                   int want_text, const struct ds_var **vout, size_t *st, size_t *ct, char *err,
                   size_t errlen)
{
    const struct ds_var *v = exsol_ds_find_var(ds, name);
    if (!v)
        return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR, "no variable '%s' in %s", name,
                            exsol_ds_where(ds));
    if (!v->rec)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "variable '%s' in %s is not per-candidate", name,
                            exsol_ds_where(ds));
    if (want_text ? v->type != NC_CHAR : !ds_is_numeric(v->type))
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "variable '%s' in %s is %s", name,
                            exsol_ds_where(ds), want_text ? "not text" : "not numeric");
    if (v->ndims > NC_MAX_VAR_DIMS)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "variable '%s' has too many dimensions",
                            name);
    if (start > ds->ncand || count > ds->ncand - start)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "rows %zu..%zu of '%s' are beyond the %zu candidates of %s", start,
                            start + count, name, ds->ncand, exsol_ds_where(ds));
    st[0] = start;
    ct[0] = count;
    for (int d = 1; d < v->ndims; d++) {
        st[d] = 0;
        nc_inq_dimlen(ds->ncid, v->dimids[d], &ct[d]);
    }
    *vout = v;
    return EXSOL_OK;
}

int exsol_ds_read_double(const exsol_ds *ds, const char *name, size_t start, size_t count,
                         double *buf, char *err, size_t errlen)
{
    size_t st[NC_MAX_VAR_DIMS], ct[NC_MAX_VAR_DIMS];
    const struct ds_var *v = NULL;
    int rc = ds_rows(ds, name, start, count, 0, &v, st, ct, err, errlen);
    if (rc)
        return rc;
    if (count == 0 || v->inner == 0)
        return EXSOL_OK;
    int s = nc_get_vara_double(ds->ncid, (int)(v - ds->vars), st, ct, buf);
    if (s != NC_NOERR)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s%s", name,
                            exsol_ds_where(ds), nc_strerror(s), exsol_ds_filter_hint(s));
    size_t n = count * v->inner;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == v->fill)
            buf[i] = NAN;
    return EXSOL_OK;
}

int exsol_ds_read_int(const exsol_ds *ds, const char *name, size_t start, size_t count,
                      int *buf, char *err, size_t errlen)
{
    size_t st[NC_MAX_VAR_DIMS], ct[NC_MAX_VAR_DIMS];
    const struct ds_var *v = NULL;
    int rc = ds_rows(ds, name, start, count, 0, &v, st, ct, err, errlen);
    if (rc)
        return rc;
    size_t n = count * v->inner;
    if (n == 0)
        return EXSOL_OK;
    if (v->type == NC_FLOAT || v->type == NC_DOUBLE || v->type == NC_INT64 ||
        v->type == NC_UINT64 || v->type == NC_UINT) {
        /* read as double, then demand integral values in range */
        for (size_t done = 0; done < count;) {
            size_t rows = count - done;
            size_t maxrows = v->inner ? (size_t)65536 / v->inner : rows;
            if (maxrows == 0)
                maxrows = 1;
            if (rows > maxrows)
                rows = maxrows;
            double *tmp = malloc(rows * v->inner * sizeof *tmp);
            if (!tmp)
                return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
            rc = exsol_ds_read_double(ds, name, start + done, rows, tmp, err, errlen);
            for (size_t i = 0; rc == EXSOL_OK && i < rows * v->inner; i++) {
                double x = tmp[i];
                if (isnan(x))
                    buf[done * v->inner + i] = NC_FILL_INT;
                else if (x != floor(x) || x <= (double)INT32_MIN || x > (double)INT32_MAX)
                    rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                                      "variable '%s' in %s holds %g, not an int", name,
                                      exsol_ds_where(ds), x);
                else
                    buf[done * v->inner + i] = (int)x;
            }
            free(tmp);
            if (rc)
                return rc;
            done += rows;
        }
        return EXSOL_OK;
    }
    int s = nc_get_vara_int(ds->ncid, (int)(v - ds->vars), st, ct, buf);
    if (s != NC_NOERR)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s%s", name,
                            exsol_ds_where(ds), nc_strerror(s), exsol_ds_filter_hint(s));
    if (v->fill != (double)NC_FILL_INT)
        for (size_t i = 0; i < n; i++)
            if ((double)buf[i] == v->fill)
                buf[i] = NC_FILL_INT;
    return EXSOL_OK;
}

int exsol_ds_read_text(const exsol_ds *ds, const char *name, size_t start, size_t count,
                       char *buf, size_t width, char *err, size_t errlen)
{
    size_t st[NC_MAX_VAR_DIMS], ct[NC_MAX_VAR_DIMS];
    const struct ds_var *v = NULL;
    int rc = ds_rows(ds, name, start, count, 1, &v, st, ct, err, errlen);
    if (rc)
        return rc;
    if (width == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "zero text width for '%s'", name);
    if (count == 0)
        return EXSOL_OK;
    size_t w = v->inner;
    char *tmp = malloc(count * w + 1);
    if (!tmp)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    int s = w ? nc_get_vara_text(ds->ncid, (int)(v - ds->vars), st, ct, tmp) : NC_NOERR;
    if (s != NC_NOERR) {
        free(tmp);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s%s", name,
                            exsol_ds_where(ds), nc_strerror(s), exsol_ds_filter_hint(s));
    }
    for (size_t r = 0; r < count; r++) {
        const char *src = tmp + r * w;
        char *dst = buf + r * width;
        size_t k = 0;
        while (k < w && k + 1 < width && src[k] != '\0') {
            dst[k] = src[k];
            k++;
        }
        while (k > 0 && (dst[k - 1] == ' ' || dst[k - 1] == '\t'))
            k--;
        dst[k] = '\0';
    }
    free(tmp);
    return EXSOL_OK;
}

int exsol_ds_read_fixed(const exsol_ds *ds, const char *name, double *buf, size_t n, char *err,
                        size_t errlen)
{
    const struct ds_var *v = exsol_ds_find_var(ds, name);
    if (!v)
        return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR, "no variable '%s' in %s", name,
                            exsol_ds_where(ds));
    if (v->rec || !ds_is_numeric(v->type))
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "variable '%s' in %s is not a fixed numeric variable", name,
                            exsol_ds_where(ds));
    for (int d = 0; d < v->ndims; d++)
        if (v->dimids[d] == ds->cand_dimid)
            return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                                "variable '%s' in %s is not a fixed numeric variable", name,
                                exsol_ds_where(ds));
    if (n != v->inner)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "variable '%s' in %s has %zu values, expected %zu", name,
                            exsol_ds_where(ds), v->inner, n);
    if (n == 0)
        return EXSOL_OK;
    int s = nc_get_var_double(ds->ncid, (int)(v - ds->vars), buf);
    if (s != NC_NOERR)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s%s", name,
                            exsol_ds_where(ds), nc_strerror(s), exsol_ds_filter_hint(s));
    for (size_t i = 0; i < n; i++)
        if (buf[i] == v->fill)
            buf[i] = NAN;
    return EXSOL_OK;
}

static int ds_att_varid(int ncid, const char *var, int *varid)
{
    if (!var) {
        *varid = NC_GLOBAL;
        return EXSOL_OK;
    }
    return nc_inq_varid(ncid, var, varid) == NC_NOERR ? EXSOL_OK : EXSOL_EMISSINGVAR;
}

int exsol_ds_get_att_text(const exsol_ds *ds, const char *var, const char *att, char *buf,
                          size_t buflen)
{
    int varid;
    nc_type t;
    size_t len;
    if (ds_att_varid(ds->ncid, var, &varid) != EXSOL_OK)
        return EXSOL_EMISSINGVAR;
    if (nc_inq_att(ds->ncid, varid, att, &t, &len) != NC_NOERR)
        return EXSOL_EMISSINGVAR;
    if (buflen == 0)
        return EXSOL_EVALUE;
    if (t == NC_STRING) {
        char *s[1] = {NULL};
        if (len != 1 || nc_get_att_string(ds->ncid, varid, att, s) != NC_NOERR)
            return EXSOL_EFORMAT;
        snprintf(buf, buflen, "%s", s[0] ? s[0] : "");
        nc_free_string(1, s);
        return EXSOL_OK;
    }
    if (t != NC_CHAR)
        return EXSOL_EFORMAT;
    char *tmp = malloc(len + 1);
    if (!tmp)
        return EXSOL_ENOMEM;
    if (len && nc_get_att_text(ds->ncid, varid, att, tmp) != NC_NOERR) {
        free(tmp);
        return EXSOL_EFORMAT;
    }
    tmp[len] = '\0';
    snprintf(buf, buflen, "%s", tmp);
    free(tmp);
    return EXSOL_OK;
}

int exsol_ds_get_att_double(const exsol_ds *ds, const char *var, const char *att, double *v)
{
    int varid;
    nc_type t;
    size_t len;
    if (ds_att_varid(ds->ncid, var, &varid) != EXSOL_OK)
        return EXSOL_EMISSINGVAR;
    if (nc_inq_att(ds->ncid, varid, att, &t, &len) != NC_NOERR)
        return EXSOL_EMISSINGVAR;
    /* one number, as the caller has room for */
    if (!ds_is_numeric(t) || len != 1)
        return EXSOL_EFORMAT;
    double tmp;
    int s = nc_get_att_double(ds->ncid, varid, att, &tmp);
    if (s == NC_NOERR)
        *v = tmp;
    return s == NC_NOERR ? EXSOL_OK : EXSOL_EFORMAT;
}
