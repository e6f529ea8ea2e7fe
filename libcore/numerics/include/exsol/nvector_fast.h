/* Optimised kernels for SUNDIALS serial N_Vectors (NVECTOR_SERIAL content only).
 *
 * exsol_nv_fast_ops(v) replaces the operations of v (linear sums, scalings, norms,
 * constraint tests, ...) with kernels that do the same floating-point operations in
 * the same order as nvector_serial.c, except the weighted sum of squares behind the
 * WRMS norms, which keeps four partial sums (a different rounding, independent of
 * the thread count). Vectors cloned from v afterwards (CVODE's work vectors are
 * clones of the template it is given) inherit the kernels. v must be a serial
 * vector; nothing is allocated and nothing can fail.
 *
 * exsol_nv_minquotient_calls() counts the calls of N_VMinQuotient made through these
 * kernels on the calling thread since it started. CVODE calls it only when a
 * converged corrector breaks the inequality constraints by more than it can project
 * away, so the difference of two readings around an integration is its number of
 * constraint step failures (one integration per thread at a time). */
#ifndef EXSOL_NVECTOR_FAST_H
#define EXSOL_NVECTOR_FAST_H

#include "exsol/sundials_compat.h"

#include <nvector/nvector_serial.h>

void exsol_nv_fast_ops(N_Vector v);

long exsol_nv_minquotient_calls(void);

#endif
