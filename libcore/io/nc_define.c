/* What a stage defines in its output before the data: coordinates on fixed
 * dimensions, fixed variables, per-candidate variables (double, int, text; with
 * _FillValue, units, long_name, and chunking plus zstd on NETCDF4), attributes, and
 * the record of the stage's parameters. A name that already exists (copied from the
 * input) is refused: a later tool never rewrites an earlier one's variable. These
 * calls have no err buffer; the message is in exsol_ds_out_errmsg(). */
#include "dataset_internal.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/params.h"
#include "grow.h"

#include <math.h>
#include <netcdf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int exsol_out_put_text(exsol_ds_out *o, int varid, const char *att, const char *value)
{
    int st = nc_put_att_text(o->ncid, varid, att, strlen(value), value);
    return st == NC_NOERR ? EXSOL_OK : exsol_out_nc_err(o, st, "write attribute", att);
}

static int out_require_define(exsol_ds_out *o, const char *what)
{
    if (o->ended)
        return exsol_out_fail(o, EXSOL_EUSAGE, "cannot %s after the definitions have ended",
                              what);
    return EXSOL_OK;
}

static int out_name_free(exsol_ds_out *o, const char *name)
{
    int varid;
    if (!name || !*name)
        return exsol_out_fail(o, EXSOL_EVALUE, "empty variable name");
    if (nc_inq_varid(o->ncid, name, &varid) == NC_NOERR)
        return exsol_out_fail(o, EXSOL_EFORMAT,
                              "variable '%s' already exists (a stage never rewrites an earlier "
                              "one's variables)",
                              name);
    return EXSOL_OK;
}

/* Keeps a copy of a coordinate's or fixed variable's values, written at enddef. */
static int out_keep_values(exsol_ds_out *o, const char *name, int fixed, int dimid, int varid,
                           size_t len, const double *values)
{
    if (exsol_grow((void **)&o->coords, &o->capcoords, o->ncoords, sizeof *o->coords))
        return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
    struct out_coord *c = &o->coords[o->ncoords];
    memset(c, 0, sizeof *c);
    snprintf(c->dim, sizeof c->dim, "%s", name);
    c->fixed = fixed;
    c->dimid = dimid;
    c->varid = varid;
    c->len = len;
    c->values = malloc((len ? len : 1) * sizeof *c->values);
    if (!c->values)
        return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
    if (len)
        memcpy(c->values, values, len * sizeof *values);
    o->ncoords++;
    return EXSOL_OK;
}

int exsol_ds_out_def_coord(exsol_ds_out *o, const char *dim, size_t len, const char *units,
                           const char *long_name, const double *values)
{
    int st, rc, dimid;
    if ((rc = out_require_define(o, "define a dimension")))
        return rc;
    if (!dim || strcmp(dim, EXSOL_CANDIDATE_DIM) == 0)
        return exsol_out_fail(o, EXSOL_EFORMAT, "'%s' cannot be a coordinate dimension",
                              dim ? dim : "(null)");
    for (size_t i = 0; i < o->ncoords; i++) {
        struct out_coord *c = &o->coords[i];
        if (c->fixed || strcmp(c->dim, dim) != 0)
            continue;
        if (c->len != len)
            return exsol_out_fail(o, EXSOL_EFORMAT,
                                  "dimension '%s' already has length %zu, not %zu", dim, c->len,
                                  len);
        for (size_t k = 0; k < len; k++)
            if (!(c->values[k] == values[k] ||
                  fabs(c->values[k] - values[k]) <= 1e-12 * fabs(values[k])))
                return exsol_out_fail(o, EXSOL_EFORMAT,
                                      "coordinate '%s' already exists with other values", dim);
        return EXSOL_OK;
    }
    if (nc_inq_dimid(o->ncid, dim, &dimid) == NC_NOERR) {
        /* copied from the input: same length and, if it has a coordinate, same values */
        size_t have;
        nc_inq_dimlen(o->ncid, dimid, &have);
        if (have != len)
            return exsol_out_fail(o, EXSOL_EFORMAT,
                                  "dimension '%s' of the input has length %zu, not %zu", dim,
                                  have, len);
        if (o->in && exsol_ds_var_kind(o->in, dim) == EXSOL_VK_OTHER) {
            double *cur = malloc((len ? len : 1) * sizeof *cur);
            if (!cur)
                return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
            rc = exsol_ds_read_fixed(o->in, dim, cur, len, o->msg, sizeof o->msg);
            for (size_t k = 0; rc == EXSOL_OK && k < len; k++)
                if (!(cur[k] == values[k] ||
                      fabs(cur[k] - values[k]) <= 1e-12 * fabs(values[k])))
                    rc = exsol_out_fail(o, EXSOL_EFORMAT,
                                        "coordinate '%s' of the input has other values", dim);
            free(cur);
            return rc;
        }
    }
    int varid;
    if ((rc = out_name_free(o, dim)))
        return rc;
    if (nc_inq_dimid(o->ncid, dim, &dimid) != NC_NOERR &&
        (st = nc_def_dim(o->ncid, dim, len, &dimid)) != NC_NOERR)
        return exsol_out_nc_err(o, st, "define dimension", dim);
    if ((st = nc_def_var(o->ncid, dim, NC_DOUBLE, 1, &dimid, &varid)) != NC_NOERR)
        return exsol_out_nc_err(o, st, "define coordinate", dim);
    if ((rc = exsol_out_put_text(o, varid, "units", units ? units : "1")) ||
        (rc = exsol_out_put_text(o, varid, "long_name", long_name ? long_name : dim)))
        return rc;
    return out_keep_values(o, dim, 0, dimid, varid, len, values);
}

int exsol_ds_out_def_fixed(exsol_ds_out *o, const char *name, const char *dim,
                           const char *units, const char *long_name, const double *values)
{
    int st, rc, dimid, varid;
    size_t len = 0;
    if ((rc = out_require_define(o, "define a variable")) || (rc = out_name_free(o, name)))
        return rc;
    if (!dim || strcmp(dim, EXSOL_CANDIDATE_DIM) == 0 ||
        nc_inq_dimid(o->ncid, dim, &dimid) != NC_NOERR)
        return exsol_out_fail(o, EXSOL_EFORMAT,
                              "'%s' needs an existing fixed dimension, not '%s'", name,
                              dim ? dim : "(null)");
    nc_inq_dimlen(o->ncid, dimid, &len);
    if ((st = nc_def_var(o->ncid, name, NC_DOUBLE, 1, &dimid, &varid)) != NC_NOERR)
        return exsol_out_nc_err(o, st, "define variable", name);
    if ((rc = exsol_out_put_text(o, varid, "units", units ? units : "1")) ||
        (rc = exsol_out_put_text(o, varid, "long_name", long_name ? long_name : name)))
        return rc;
    return out_keep_values(o, name, 1, dimid, varid, len, values);
}

static int out_def_var(exsol_ds_out *o, const char *name, nc_type t, const char *inner_dim,
                       size_t width, const char *units, const char *long_name, int fill)
{
    int st, rc, dims[2], nd = 1, varid;
    size_t inner = 1;
    if ((rc = out_require_define(o, "define a variable")) || (rc = out_name_free(o, name)))
        return rc;
    dims[0] = o->cand_dimid;
    if (t == NC_CHAR) {
        char dn[64];
        if (width == 0)
            return exsol_out_fail(o, EXSOL_EVALUE, "text variable '%s' needs a width > 0",
                                  name);
        snprintf(dn, sizeof dn, "strlen%zu", width);
        size_t have = 0;
        if (nc_inq_dimid(o->ncid, dn, &dims[1]) == NC_NOERR) {
            if (nc_inq_dimlen(o->ncid, dims[1], &have) != NC_NOERR || have != width)
                return exsol_out_fail(o, EXSOL_EFORMAT,
                                      "dimension '%s' of the input has length %zu, not %zu", dn,
                                      have, width);
        } else if ((st = nc_def_dim(o->ncid, dn, width, &dims[1])) != NC_NOERR) {
            return exsol_out_nc_err(o, st, "define dimension", dn);
        }
        nd = 2;
        inner = width;
    } else if (inner_dim) {
        if (nc_inq_dimid(o->ncid, inner_dim, &dims[1]) != NC_NOERR || dims[1] == o->cand_dimid)
            return exsol_out_fail(
                o, EXSOL_EUSAGE,
                "variable '%s': dimension '%s' is not defined (def_coord first)", name,
                inner_dim);
        nc_inq_dimlen(o->ncid, dims[1], &inner);
        nd = 2;
    }
    if ((st = nc_def_var(o->ncid, name, t, nd, dims, &varid)) != NC_NOERR)
        return st == NC_EBADNAME
                   ? exsol_out_fail(o, EXSOL_EVALUE, "bad variable name '%s'", name)
                   : exsol_out_nc_err(o, st, "define variable", name);
    if (t == NC_DOUBLE) {
        double f = NC_FILL_DOUBLE;
        st = nc_put_att_double(o->ncid, varid, "_FillValue", NC_DOUBLE, 1, &f);
    } else if (t == NC_INT && fill) {
        int f = NC_FILL_INT;
        st = nc_put_att_int(o->ncid, varid, "_FillValue", NC_INT, 1, &f);
    }
    if (st != NC_NOERR)
        return exsol_out_nc_err(o, st, "set _FillValue of", name);
    /* text is UTF-8 (ASCII in practice): xarray and netCDF4-python decode char
     * arrays with _Encoding to str instead of bytes */
    if (t == NC_CHAR && (rc = exsol_out_put_text(o, varid, "_Encoding", "utf-8")))
        return rc;
    if (units && (rc = exsol_out_put_text(o, varid, "units", units)))
        return rc;
    if ((rc = exsol_out_put_text(o, varid, "long_name", long_name ? long_name : name)))
        return rc;
    if ((rc = exsol_out_storage(o, varid, name, nd, dims, t)))
        return rc;
    if (exsol_grow((void **)&o->vars, &o->capvars, o->nvars, sizeof *o->vars))
        return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
    struct out_var *v = &o->vars[o->nvars++];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", name);
    v->varid = varid;
    v->type = t;
    v->inner = inner;
    v->width = t == NC_CHAR ? width : 0;
    return EXSOL_OK;
}

int exsol_ds_out_def_double(exsol_ds_out *o, const char *name, const char *inner_dim,
                            const char *units, const char *long_name)
{
    return out_def_var(o, name, NC_DOUBLE, inner_dim, 0, units ? units : "1", long_name, 1);
}

int exsol_ds_out_def_int(exsol_ds_out *o, const char *name, const char *units,
                         const char *long_name)
{
    return out_def_var(o, name, NC_INT, NULL, 0, units ? units : "1", long_name, 1);
}

int exsol_ds_out_def_int_set(exsol_ds_out *o, const char *name, const char *units,
                             const char *long_name)
{
    return out_def_var(o, name, NC_INT, NULL, 0, units ? units : "1", long_name, 0);
}

int exsol_ds_out_def_text(exsol_ds_out *o, const char *name, size_t width,
                          const char *long_name)
{
    return out_def_var(o, name, NC_CHAR, NULL, width, NULL, long_name, 1);
}

/* Attributes after enddef: netCDF-4 takes them in data mode, classic needs redef. */
static int out_att_begin(exsol_ds_out *o)
{
    int st;
    if (o->ended && !o->nc4 && (st = nc_redef(o->ncid)) != NC_NOERR)
        return exsol_out_nc_err(o, st, "reopen definitions of", "file");
    return EXSOL_OK;
}

static int out_att_end(exsol_ds_out *o, int rc)
{
    int st;
    if (o->ended && !o->nc4 && (st = nc_enddef(o->ncid)) != NC_NOERR && rc == EXSOL_OK)
        return exsol_out_nc_err(o, st, "end definitions of", "file");
    return rc;
}

static int out_att_varid(exsol_ds_out *o, const char *var, int *varid)
{
    if (!var) {
        *varid = NC_GLOBAL;
        return EXSOL_OK;
    }
    if (nc_inq_varid(o->ncid, var, varid) != NC_NOERR)
        return exsol_out_fail(o, EXSOL_EMISSINGVAR, "no variable '%s' in the output", var);
    return EXSOL_OK;
}

int exsol_ds_out_put_att_text(exsol_ds_out *o, const char *var, const char *att,
                              const char *value)
{
    int varid, rc;
    if ((rc = out_att_varid(o, var, &varid)) || (rc = out_att_begin(o)))
        return rc;
    rc = exsol_out_put_text(o, varid, att, value ? value : "");
    return out_att_end(o, rc);
}

int exsol_ds_out_put_att_double(exsol_ds_out *o, const char *var, const char *att, double value)
{
    int varid, rc, st;
    if ((rc = out_att_varid(o, var, &varid)) || (rc = out_att_begin(o)))
        return rc;
    st = nc_put_att_double(o->ncid, varid, att, NC_DOUBLE, 1, &value);
    rc = st == NC_NOERR ? EXSOL_OK : exsol_out_nc_err(o, st, "write attribute", att);
    return out_att_end(o, rc);
}

int exsol_ds_out_put_att_ints(exsol_ds_out *o, const char *var, const char *att,
                              const int *values, size_t n)
{
    int varid, rc, st;
    if (n == 0)
        return EXSOL_EVALUE;
    if ((rc = out_att_varid(o, var, &varid)) || (rc = out_att_begin(o)))
        return rc;
    st = nc_put_att_int(o->ncid, varid, att, NC_INT, n, values);
    rc = st == NC_NOERR ? EXSOL_OK : exsol_out_nc_err(o, st, "write attribute", att);
    return out_att_end(o, rc);
}

int exsol_ds_out_put_params(exsol_ds_out *o, const exsol_params *p)
{
    int rc, st, varid;
    char name[DS_NAME_MAX], att[DS_NAME_MAX + 16], text[512];
    if ((rc = out_require_define(o, "record parameters")))
        return rc;
    const char *stage = exsol_params_stage(p);
    size_t sl = strcspn(stage ? stage : "", "+");
    snprintf(name, sizeof name, "%.*s_parameters", (int)sl, stage ? stage : "");
    if ((rc = out_name_free(o, name)))
        return rc;
    if ((st = nc_def_var(o->ncid, name, NC_INT, 0, NULL, &varid)) != NC_NOERR)
        return exsol_out_nc_err(o, st, "define variable", name);
    snprintf(text, sizeof text, "model parameters used by the %.*s stage", (int)sl, stage);
    if ((rc = exsol_out_put_text(o, varid, "long_name", text)) ||
        (rc = exsol_out_put_text(o, varid, "units", "1")) ||
        (rc = exsol_out_put_text(
             o, varid, "comment",
             "value: number of parameters; one attribute per parameter (value "
             "in SI) with <name>_units, <name>_origin (default, file or --set) "
             "and <name>_source")))
        return rc;
    size_t n = exsol_params_count(p);
    for (size_t i = 0; i < n; i++) {
        const char *pn = exsol_params_name(p, i);
        double v = exsol_params_value(p, i);
        const char *u = exsol_params_si_unit(p, i);
        const char *org = exsol_params_origin(p, i);
        const char *src = exsol_params_source(p, i);
        if ((st = nc_put_att_double(o->ncid, varid, pn, NC_DOUBLE, 1, &v)) != NC_NOERR)
            return exsol_out_nc_err(o, st, "record parameter", pn);
        snprintf(att, sizeof att, "%s_units", pn);
        if ((rc = exsol_out_put_text(o, varid, att, u ? u : "1")))
            return rc;
        snprintf(att, sizeof att, "%s_origin", pn);
        if ((rc = exsol_out_put_text(o, varid, att, org ? org : "default")))
            return rc;
        snprintf(att, sizeof att, "%s_source", pn);
        if ((rc = exsol_out_put_text(o, varid, att, src ? src : "")))
            return rc;
    }
    if (exsol_grow((void **)&o->scalars, &o->capscalars, o->nscalars, sizeof *o->scalars))
        return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
    o->scalars[o->nscalars].varid = varid;
    o->scalars[o->nscalars].value = n > INT32_MAX ? INT32_MAX : (int)n;
    o->nscalars++;
    return EXSOL_OK;
}
