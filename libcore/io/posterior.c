/* The posterior file of exsol-fit (exsol/posterior.h): written with netCDF-C on the
 * atomic output (atomic_file.h), read back for exsol-ensemble. */
#include "exsol/posterior.h"

#include "dataset_internal.h"
#include "exsol/error.h"

#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct exsol_posterior_file {
    struct exsol_af af;
    int written;
};

#define MEMBER_DIM "member"

int exsol_posterior_open(const char *path, exsol_posterior_file **out, char *err, size_t errlen)
{
    *out = NULL;
    exsol_posterior_file *f = calloc(1, sizeof *f);
    if (!f)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    int rc = exsol_af_begin(&f->af, path, err, errlen);
    if (!rc && f->af.mode != EXSOL_AF_TEMP)
        rc = exsol_seterr(err, errlen, EXSOL_EUSAGE,
                          "the posterior goes to a regular file (-o FILE), not '%s'",
                          path ? path : "-");
    if (rc) {
        exsol_af_release(&f->af);
        free(f);
        return rc;
    }
    *out = f;
    return 0;
}

void exsol_posterior_abort(exsol_posterior_file *f)
{
    if (!f)
        return;
    exsol_af_release(&f->af);
    free(f);
}

int exsol_posterior_commit(exsol_posterior_file *f, char *err, size_t errlen)
{
    int rc = f->written ? exsol_af_commit(&f->af, err, errlen)
                        : exsol_seterr(err, errlen, EXSOL_EIO, "the posterior was not written");
    exsol_posterior_abort(f);
    return rc;
}

static int nc_fail(int st, const char *what, const char *path, char *err, size_t errlen)
{
    return exsol_seterr(err, errlen, EXSOL_ENETCDF, "%s '%s': %s", what, path, nc_strerror(st));
}

static int put_text(int ncid, int var, const char *name, const char *text)
{
    return nc_put_att_text(ncid, var, name, strlen(text), text);
}

static int define(int ncid, const struct exsol_posterior_out *po, int *vars, int *dim)
{
    int st;
    if ((st = nc_def_dim(ncid, MEMBER_DIM, po->n, dim)))
        return st;
    for (size_t k = 0; k < po->np; k++) {
        const struct exsol_post_param *p = &po->p[k];
        int v;
        if ((st = nc_def_var(ncid, p->name, NC_DOUBLE, 1, dim, &v)) ||
            (st = put_text(ncid, v, "units", p->units ? p->units : "1")) ||
            (st = put_text(ncid, v, "long_name", p->long_name ? p->long_name : p->name)) ||
            (st = put_text(ncid, v, "prior", p->prior ? p->prior : "")) ||
            (st = put_text(ncid, v, "exsol_role", "parameter")) ||
            (st = nc_put_att_double(ncid, v, "rhat", NC_DOUBLE, 1, &p->rhat)) ||
            (st = nc_put_att_double(ncid, v, "ess", NC_DOUBLE, 1, &p->ess)))
            return st;
        vars[k] = v;
    }
    const char *dn[2] = {"log_likelihood", "log_posterior"};
    const char *dl[2] = {"log likelihood of the fit anchors",
                         "log posterior (log prior + log likelihood, up to a constant)"};
    for (int k = 0; k < 2; k++) {
        int v;
        if ((st = nc_def_var(ncid, dn[k], NC_DOUBLE, 1, dim, &v)) ||
            (st = put_text(ncid, v, "units", "1")) ||
            (st = put_text(ncid, v, "long_name", dl[k])))
            return st;
        vars[po->np + k] = v;
    }
    const char *in[2] = {"walker", "step"};
    const char *il[2] = {"walker of the ensemble sampler the sample comes from",
                         "sampler step of the sample (0 = after the first step)"};
    for (int k = 0; k < 2; k++) {
        int v;
        if ((st = nc_def_var(ncid, in[k], NC_INT, 1, dim, &v)) ||
            (st = put_text(ncid, v, "units", "1")) ||
            (st = put_text(ncid, v, "long_name", il[k])))
            return st;
        vars[po->np + 2 + k] = v;
    }
    if ((st = put_text(ncid, NC_GLOBAL, "Conventions", "CF-1.8")) ||
        (st = put_text(ncid, NC_GLOBAL, "title", "exsol-fit posterior")) ||
        (st = put_text(ncid, NC_GLOBAL, "exsol_version", EXSOL_VERSION)) ||
        (st = nc_put_att_double(ncid, NC_GLOBAL, "acceptance_fraction", NC_DOUBLE, 1,
                                &po->acceptance)))
        return st;
    for (size_t a = 0; a < po->nattr; a++)
        if ((st = put_text(ncid, NC_GLOBAL, po->attr[a].name, po->attr[a].text)))
            return st;
    return NC_NOERR;
}

int exsol_posterior_write(exsol_posterior_file *f, const struct exsol_posterior_out *po,
                          char *err, size_t errlen)
{
    const char *path = f->af.path;
    if (po->n == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "no samples to write");
    close(f->af.fd);
    f->af.fd = -1;
    int ncid, st, dim;
    if ((st = nc_create(f->af.tmp, NC_CLOBBER | NC_NETCDF4, &ncid)))
        return nc_fail(st, "cannot create", path, err, errlen);
    int *vars = malloc((po->np + 4) * sizeof *vars);
    if (!vars) {
        nc_close(ncid);
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    }
    st = define(ncid, po, vars, &dim);
    if (!st && !po->no_history) {
        char *line = exsol_history_line(po->argc, po->argv);
        st = line ? put_text(ncid, NC_GLOBAL, "history", line) : NC_ENOMEM;
        free(line);
    }
    if (!st)
        st = nc_enddef(ncid);
    for (size_t k = 0; k < po->np && !st; k++)
        st = nc_put_var_double(ncid, vars[k], po->p[k].values);
    if (!st)
        st = nc_put_var_double(ncid, vars[po->np], po->log_likelihood);
    if (!st)
        st = nc_put_var_double(ncid, vars[po->np + 1], po->log_posterior);
    if (!st)
        st = nc_put_var_int(ncid, vars[po->np + 2], po->walker);
    if (!st)
        st = nc_put_var_int(ncid, vars[po->np + 3], po->step);
    free(vars);
    int cst = nc_close(ncid);
    if (st || cst)
        return nc_fail(st ? st : cst, "cannot write", path, err, errlen);
    int rc = exsol_af_sync(&f->af, err, errlen);
    f->written = rc == 0;
    return rc;
}

int exsol_posterior_is_netcdf(const char *path)
{
    unsigned char b[4] = {0};
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    size_t got = fread(b, 1, 4, fp);
    fclose(fp);
    return got == 4 && ((b[0] == 'C' && b[1] == 'D' && b[2] == 'F') ||
                        (b[0] == 0x89 && b[1] == 'H' && b[2] == 'D' && b[3] == 'F'));
}

static char *att_text(int ncid, int v, const char *name)
{
    nc_type t;
    size_t len;
    if (nc_inq_att(ncid, v, name, &t, &len) != NC_NOERR || t != NC_CHAR)
        return NULL;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    if (nc_get_att_text(ncid, v, name, s) != NC_NOERR) {
        free(s);
        return NULL;
    }
    s[len] = '\0';
    return s;
}

int exsol_posterior_read(const char *path, size_t *n_out, size_t *np_out, char ***names_out,
                         char ***units_out, double **values_out, char *err, size_t errlen)
{
    int ncid, st, dim, nvars;
    *n_out = *np_out = 0;
    *names_out = *units_out = NULL;
    *values_out = NULL;
    if ((st = nc_open(path, NC_NOWRITE, &ncid)))
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot open posterior '%s': %s", path,
                            nc_strerror(st));
    size_t n = 0, np = 0;
    if (nc_inq_dimid(ncid, MEMBER_DIM, &dim) || nc_inq_dimlen(ncid, dim, &n) || n == 0 ||
        nc_inq_nvars(ncid, &nvars)) {
        nc_close(ncid);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "'%s' is no posterior: no '%s' dimension with members", path,
                            MEMBER_DIM);
    }
    char **names = calloc((size_t)nvars + 1, sizeof *names);
    char **units = calloc((size_t)nvars + 1, sizeof *units);
    double *vals = malloc(n * ((size_t)nvars + 1) * sizeof *vals);
    double *col = malloc(n * sizeof *col);
    int rc = names && units && vals && col ? 0 : EXSOL_ENOMEM;
    for (int v = 0; v < nvars && !rc; v++) {
        char *role = att_text(ncid, v, "exsol_role");
        int ndims, d0;
        int is_param = role && strcmp(role, "parameter") == 0;
        free(role);
        if (!is_param)
            continue;
        char nm[NC_MAX_NAME + 1];
        if (nc_inq_varndims(ncid, v, &ndims) || ndims != 1 || nc_inq_vardimid(ncid, v, &d0) ||
            d0 != dim || nc_inq_varname(ncid, v, nm)) {
            rc =
                exsol_seterr(err, errlen, EXSOL_EFORMAT,
                             "%s: a parameter variable is not on '%s' alone", path, MEMBER_DIM);
            break;
        }
        if ((st = nc_get_var_double(ncid, v, col))) {
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s: cannot read '%s': %s", path, nm,
                              nc_strerror(st));
            break;
        }
        if (!(names[np] = strdup(nm))) {
            rc = EXSOL_ENOMEM;
            break;
        }
        units[np] = att_text(ncid, v, "units");
        for (size_t j = 0; j < n; j++)
            vals[j * ((size_t)nvars + 1) + np] = col[j];
        np++;
    }
    nc_close(ncid);
    free(col);
    if (!rc && np == 0)
        rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                          "'%s' is no posterior: no parameter variable", path);
    if (rc) {
        if (rc == EXSOL_ENOMEM)
            exsol_seterr(err, errlen, rc, "out of memory");
        for (size_t k = 0; names && k < np; k++)
            free(names[k]), free(units[k]);
        free(names), free(units), free(vals);
        return rc;
    }
    /* compact the rows to np columns */
    for (size_t j = 0; j < n; j++)
        memmove(vals + j * np, vals + j * ((size_t)nvars + 1), np * sizeof *vals);
    *n_out = n, *np_out = np;
    *names_out = names, *units_out = units, *values_out = vals;
    return 0;
}
