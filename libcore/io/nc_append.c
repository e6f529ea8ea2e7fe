/* Appending shards (exsol-cat): every candidate row of another input goes after
 * the rows already in the output, for the variables copied from the first shard.
 * The shards must be of one run: the same variables (names, types, dimensions) and
 * identical coordinates and parameters, compared byte for byte. Rows go through the
 * same copy-through as a stage's input (nc_rawcopy.c): stored chunks where they
 * land on whole output chunks. */
#include "dataset_internal.h"
#include "exsol/dataset.h"
#include "exsol/error.h"

#include <netcdf.h>
#include <stdlib.h>
#include <string.h>

/* Same bytes for two attribute lists of a fixed variable (or the parameters). */
static int same_atts(int a_ncid, int a_varid, int b_ncid, int b_varid)
{
    int na, nb;
    if (nc_inq_varnatts(a_ncid, a_varid, &na) || nc_inq_varnatts(b_ncid, b_varid, &nb) ||
        na != nb)
        return 0;
    for (int i = 0; i < na; i++) {
        char name[DS_NAME_MAX];
        nc_type ta, tb;
        size_t la, lb;
        nc_inq_attname(a_ncid, a_varid, i, name);
        if (nc_inq_att(a_ncid, a_varid, name, &ta, &la) ||
            nc_inq_att(b_ncid, b_varid, name, &tb, &lb) || ta != tb || la != lb)
            return 0;
        size_t sz = ds_type_size(ta);
        if (sz == 0)
            continue; /* strings and user types: not compared */
        unsigned char *x = malloc(la * sz + 1), *y = malloc(la * sz + 1);
        int same = x && y && nc_get_att(a_ncid, a_varid, name, x) == NC_NOERR &&
                   nc_get_att(b_ncid, b_varid, name, y) == NC_NOERR &&
                   memcmp(x, y, la * sz) == 0;
        free(x);
        free(y);
        if (!same)
            return 0;
    }
    return 1;
}

static int same_fixed_data(const exsol_ds *a, size_t ia, const exsol_ds *b, size_t ib)
{
    const struct ds_var *v = &a->vars[ia];
    size_t n = v->inner * ds_type_size(v->type);
    unsigned char *x = malloc(n + 1), *y = malloc(n + 1);
    int same = x && y && nc_get_var(a->ncid, (int)ia, x) == NC_NOERR &&
               nc_get_var(b->ncid, (int)ib, y) == NC_NOERR && memcmp(x, y, n) == 0;
    free(x);
    free(y);
    return same;
}

int exsol_ds_out_append(exsol_ds_out *o, const exsol_ds *in, char *err, size_t errlen)
{
    const exsol_ds *ref = o->in;
    int rc;
    if (!ref)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "appending needs an output created with copy_from");
    if (!o->ended && (rc = exsol_ds_out_enddef(o, err, errlen)))
        return rc;
    if (in->nvars != ref->nvars)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "%s has %zu variables, %s has %zu: not shards of one run",
                            exsol_ds_where(in), in->nvars, exsol_ds_where(ref), ref->nvars);
    size_t *idx = malloc((ref->nvars ? ref->nvars : 1) * sizeof *idx);
    if (!idx)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    rc = EXSOL_OK;
    for (size_t i = 0; rc == EXSOL_OK && i < ref->nvars; i++) {
        const struct ds_var *rv = &ref->vars[i];
        const struct ds_var *iv = exsol_ds_find_var(in, rv->name);
        if (!iv) {
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                              "%s has no variable '%s' (it is in %s)", exsol_ds_where(in),
                              rv->name, exsol_ds_where(ref));
            break;
        }
        idx[i] = (size_t)(iv - in->vars);
        int same = iv->type == rv->type && iv->ndims == rv->ndims && iv->rec == rv->rec &&
                   iv->inner == rv->inner;
        for (int d = 0; same && d < rv->ndims; d++) {
            char a[DS_NAME_MAX], b[DS_NAME_MAX];
            nc_inq_dimname(ref->ncid, rv->dimids[d], a);
            nc_inq_dimname(in->ncid, iv->dimids[d], b);
            same = strcmp(a, b) == 0;
        }
        if (!same) {
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                              "variable '%s' has another type or shape in %s than in %s",
                              rv->name, exsol_ds_where(in), exsol_ds_where(ref));
            break;
        }
        if (!rv->rec && (!same_fixed_data(ref, i, in, idx[i]) ||
                         !same_atts(ref->ncid, (int)i, in->ncid, (int)idx[i])))
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                              "variable '%s' differs between %s and %s (coordinates and "
                              "parameters must be identical)",
                              rv->name, exsol_ds_where(in), exsol_ds_where(ref));
    }
    size_t offset = 0;
    if (rc == EXSOL_OK && exsol_out_nrows(o, &offset) != EXSOL_OK)
        rc = exsol_seterr(err, errlen, EXSOL_ENETCDF, "cannot read the output's length");
    for (size_t i = 0; rc == EXSOL_OK && i < ref->nvars; i++)
        if (ref->vars[i].rec)
            rc = exsol_out_copy_var(o, in, idx[i], o->in_map[i], offset, err, errlen);
    free(idx);
    return rc;
}
