/* Binary alloys of two exsolvable dopants (datasets/alloys.csv; breadth-and-uncertainty.md
 * §4): the Redlich–Kister excess Gibbs energy reduce nucleates and grows alloy particles
 * with, and the composition-dependent magnetic constants magnet gives them.
 *
 * A pair row "A-B" holds x = x_B; the functions take the two metals in the caller's order
 * (m1, m2) and X the mole fraction of m2, and flip the table's pair where needed (the odd
 * Redlich–Kister terms change sign). Magnetic constants are linear in X between the
 * tabulated points (none outside the table's range: the end points). No printing. */
#ifndef EXSOL_ALLOY_H
#define EXSOL_ALLOY_H

#include <stddef.h>

typedef struct exsol_alloys exsol_alloys;

/* Loads datasets/alloys.csv (EXSOL_DATADIR applies). EXSOL_EDATASET naming the row for a
 * malformed one. */
int exsol_alloys_load(exsol_alloys **out, char *err, size_t errlen);
void exsol_alloys_free(exsol_alloys *a); /* accepts NULL */

/* 1 if the table has the pair m1-m2 (either order) with its thermodynamics and all three
 * magnetic tables (Ms_0K, K1, T_C), else 0. */
int exsol_alloys_has_pair(const exsol_alloys *a, const char *m1, const char *m2);

/* L0, L1, L2 (J/mol) at T of G_ex = X(1 − X) Σ L_k (1 − 2X)^k, X = x(m2).
 * EXSOL_EUNKNOWN if the pair has no row. */
int exsol_alloys_rk(const exsol_alloys *a, const char *m1, const char *m2, double T_K,
                    double L_J_mol[3]);

/* M_s at 0 K (A/m), K1 (J/m³, room temperature, signed) and T_C (K) at X = x(m2).
 * EXSOL_EUNKNOWN if the pair has no magnetic rows. */
int exsol_alloys_magnet(const exsol_alloys *a, const char *m1, const char *m2, double X,
                        double *Ms_0K_A_m, double *K1_J_m3, double *T_C_K);

#endif
