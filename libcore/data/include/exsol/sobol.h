/* Variance-based global sensitivity (Sobol indices) by Saltelli's sampling scheme, for
 * exsol-ensemble --sobol: which uncertain parameter decides which verdict.
 *
 * Design (exsol_members_saltelli, exsol/members.h): two independent Latin-hypercube
 * samples A and B of N members over the k varied parameters' priors, and for each
 * parameter i the matrix A_B^(i) (A with column i taken from B): N (k + 2) members in
 * the order A, B, A_B^(1), ..., A_B^(k). The inputs are the priors' independent
 * variables (for D0, whose prior is D at a reference temperature, that D: column E_a
 * moves E_a alone).
 *
 * Estimators (Saltelli et al. 2010, Comput. Phys. Commun. 181, 259, table 2: the first
 * order after Saltelli 2002 / Sobol 2007, the total after Jansen 1999), with V the
 * variance of the pooled f(A), f(B):
 *   S_i  = mean_j f(B)_j (f(A_B^(i))_j - f(A)_j) / V
 *   ST_i = mean_j (f(A)_j - f(A_B^(i))_j)^2 / (2 V)
 * with f centred on the pooled mean first (the same limits; less variance when the mean
 * is large against the spread). Members where any of the three values is NaN (a failed stage)
 * are left out of that index's means. No physics here. */
#ifndef EXSOL_SOBOL_H
#define EXSOL_SOBOL_H

#include <stddef.h>

/* f: N (k + 2) values in the design's order (stride: f[m * stride]); S1[i], ST[i] for
 * i < k (NaN when V = 0 or fewer than 2 usable members). */
void exsol_sobol_indices(size_t n, size_t k, const double *f, size_t stride, double *S1,
                         double *ST);

/* Family-level values (exsol-ensemble --sobol-families): a family's verdict and
 * objectives per member are the mean (the fraction of its anneals that switch) or the
 * median over the family's rows, and the estimators above then run on those values as
 * on one row's. f is member-major (f[m * stride + row]); out[m] for m < nm is the mean
 * or median of the finite f[m * stride + rows[r]], r < nrows (NaN when none is: every
 * row failed under that member), so a family of one row, or of identical copies of
 * one row, has that row's values. buf: nrows doubles of scratch. */
enum exsol_sobol_agg { EXSOL_SOBOL_MEAN, EXSOL_SOBOL_MEDIAN };
void exsol_sobol_family_values(size_t nm, const double *f, size_t stride, const size_t *rows,
                               size_t nrows, enum exsol_sobol_agg agg, double *out,
                               double *buf);

#endif
