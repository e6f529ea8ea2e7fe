/* Dense direct linear solver (SUNLinearSolver) for a SUNDIALS dense matrix
 * (SUNDenseMatrix, column-major): LU with partial pivoting in place, then two
 * triangular sweeps. The same algorithm as SUNLinSol_Dense, compiled with the library's
 * optimisation (the distribution's SUNDIALS is built without: its dense LU took 70 % of
 * an alloy KWN row), with column-contiguous inner loops. Used by the KWN driver for the
 * two-solute (alloy) problems, whose extra states couple every bin.
 *
 * setup returns 1 (recoverable: CVODE retries with a fresh Jacobian or a smaller step)
 * for a zero pivot; solve cannot fail. NULL when out of memory; free with
 * SUNLinSolFree. */
#ifndef EXSOL_SUNLS_DENSE_FAST_H
#define EXSOL_SUNLS_DENSE_FAST_H

#include "exsol/sundials_compat.h"

#include <stddef.h>
#include <sundials/sundials_linearsolver.h>

/* A solver for n × n dense matrices. */
SUNLinearSolver exsol_dense_fast_create(size_t n, SUNContext ctx);

#endif
