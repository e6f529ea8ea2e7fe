/* Ensemble members: parameter sets drawn from the priors of a registry (exsol/params.h),
 * or read from a file, applied to a copy of the registry one member at a time.
 *
 * Draws are counter-based: member m's value of parameter P is a function of (seed, the
 * name P, m) alone, stratified over the members per parameter (Latin hypercube: each
 * parameter's N draws fall one in each of N equal-probability strata, the strata
 * permuted by a hash), so the matrix depends on neither thread count nor the order or
 * number of the other parameters. Every candidate of a run sees the same members
 * (common random numbers). Parameters with a prior other than `fixed` are drawn, except
 * those set by --set or --params (origin other than "default"), which stay as set.
 *
 * A member file (TSV): a header "member<TAB>NAME<TAB>NAME..." and one line per member,
 * each cell a --set value (a number in the table's unit or with a unit suffix); a
 * header of "member" alone is one member per line at the registry's values. */
#ifndef EXSOL_MEMBERS_H
#define EXSOL_MEMBERS_H

#include "exsol/params.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct exsol_members exsol_members;

int exsol_members_draw(const exsol_params *p, size_t n, uint64_t seed, exsol_members **out,
                       char *err, size_t errlen);
int exsol_members_read(const char *path, const exsol_params *p, exsol_members **out, char *err,
                       size_t errlen);
/* Members from a matrix (exsol-fit's posterior): values[n * np] member-major, column k
 * parameter names[k] in units[k] (NULL or the table's unit: a bare number; another unit
 * becomes the value's suffix), every value checked by the registry as a member file's. */
int exsol_members_from_matrix(const exsol_params *p, size_t n, size_t np, char *const *names,
                              char *const *units, const double *values, exsol_members **out,
                              char *err, size_t errlen);
void exsol_members_free(exsol_members *m); /* accepts NULL */

size_t exsol_members_count(const exsol_members *m);
size_t exsol_members_nparams(const exsol_members *m);
const char *exsol_members_name(const exsol_members *m, size_t k);
const char *exsol_members_cell(const exsol_members *m, size_t member, size_t k);

/* The Saltelli design of exsol/sobol.h: N (k + 2) members (A, B, then A with one
 * column from B per parameter) over the k drawn parameters, or over the listed ones
 * only (nonly > 0; the others stay at the registry's values). A is the Latin
 * hypercube exsol_members_draw gives for (n, seed); B an independent one. EVALUE for a
 * listed name that is unknown or not drawn. */
int exsol_members_saltelli(const exsol_params *p, size_t n, uint64_t seed,
                           const char *const *only, size_t nonly, exsol_members **out,
                           char *err, size_t errlen);

/* Sets member `member`'s values in p (a copy of the registry the members were made
 * for): EXSOL_EVALUE naming the member when a value is refused. */
int exsol_members_apply(const exsol_members *m, size_t member, exsol_params *p, char *err,
                        size_t errlen);
/* The matrix as a member file: exsol_ensemble_write_matrix (exsol/stage.h). */

/* Wilson score interval at 90 % (z = 1.6449) of a probability estimated as k successes
 * of n independent members (exsol-ensemble's P_dual, exsol-fit's ordinal hold-outs);
 * the ends are 0 at k = 0 and 1 at k = n. */
void exsol_wilson90(size_t k, size_t n, double *lo, double *hi);

/* v[0..n) in ascending order (qsort; NaN must be removed first). */
void exsol_sort_doubles(double *v, size_t n);
/* The q-quantile of the sorted v[0..n), linear between order statistics (R type 7);
 * NaN when n = 0. */
double exsol_quantile_sorted(const double *v, size_t n, double q);

/* The counter-based uniform in (0, 1) behind the draws (exposed for tests). */
double exsol_members_u01(uint64_t seed, const char *name, uint64_t member, uint64_t stream);

#endif
