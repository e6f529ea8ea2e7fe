/* The posterior file of exsol-fit: a NETCDF4 file over the dimension `member` (the
 * retained samples), one double variable per fitted parameter in its table's unit
 * (attributes units, long_name, prior, rhat, ess, exsol_role = "parameter"), the
 * per-member log_likelihood, log_posterior, walker and step, and global text
 * attributes of provenance (Conventions, title, exsol_version, history unless
 * no_history, and the caller's). Written through the atomic output of every tool
 * (a temporary renamed into place by exsol_posterior_write only when complete; a
 * failure leaves nothing). exsol_posterior_read gives the parameter variables back,
 * for exsol-ensemble --ensemble. No printing. */
#ifndef EXSOL_POSTERIOR_H
#define EXSOL_POSTERIOR_H

#include <stddef.h>

struct exsol_post_param {
    const char *name, *units, *long_name, *prior;
    const double *values; /* [n] */
    double rhat, ess;
};

struct exsol_post_attr {
    const char *name, *text;
};

struct exsol_posterior_out {
    size_t n; /* members */
    size_t np;
    const struct exsol_post_param *p;
    const double *log_likelihood, *log_posterior; /* [n] */
    const int *walker, *step;                     /* [n] */
    double acceptance;                            /* global attribute acceptance_fraction */
    size_t nattr;
    const struct exsol_post_attr *attr; /* global text attributes */
    int no_history;
    int argc;
    char *const *argv;
};

/* Opens the output first (so a refused path fails before the sampling): EXSOL_EUSAGE
 * for "-" or a target that is not a regular file (a posterior goes to a file). Then
 * exsol_posterior_write (defines, writes, closes and syncs the temporary; EXSOL_ENETCDF
 * or EXSOL_EIO when that fails), exsol_posterior_commit (renames it into place, frees)
 * or exsol_posterior_abort (removes it, frees; accepts NULL). */
typedef struct exsol_posterior_file exsol_posterior_file;
int exsol_posterior_open(const char *path, exsol_posterior_file **out, char *err,
                         size_t errlen);
int exsol_posterior_write(exsol_posterior_file *f, const struct exsol_posterior_out *po,
                          char *err, size_t errlen);
int exsol_posterior_commit(exsol_posterior_file *f, char *err, size_t errlen);
void exsol_posterior_abort(exsol_posterior_file *f);

/* 1 if the file starts with a NetCDF (CDF1/2/5 or HDF5) signature, else 0. */
int exsol_posterior_is_netcdf(const char *path);

/* The parameter variables of a posterior: *names[np] (malloc'd, free each and the
 * array) and *values[n * np] member-major, in the file's units. EXSOL_EFORMAT when the
 * file is no posterior (no `member` dimension or no parameter variable). */
int exsol_posterior_read(const char *path, size_t *n, size_t *np, char ***names, char ***units,
                         double **values, char *err, size_t errlen);

#endif
