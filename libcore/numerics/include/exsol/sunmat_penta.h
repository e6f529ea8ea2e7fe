/* A SUNMatrix that stores exactly the five central bands of an n × n matrix
 * (entries (i, j) with |i − j| <= 2), for CVODE's matrix-based linear-solver
 * interface with a linear solver that knows the layout (exsol/sunls_bband.h).
 *
 * Layout: row-major, 5 doubles per row; entry (i, j) at data[5i + (j − i + 2)], so
 * data[5i + 2] is the diagonal. Slots that fall outside the matrix (j < 0 or
 * j >= n) exist, are zeroed, and mean nothing. The operations provided are those
 * CVODE's interface uses: clone, destroy, zero, copy, scaleaddi (A = cA + I),
 * space; getid is SUNMATRIX_CUSTOM. No matvec: use it with a direct solver.
 *
 * Ownership: exsol_penta_create returns a new zeroed matrix (NULL when out of
 * memory); free it with SUNMatDestroy. The accessors below are valid only on a
 * matrix made here. */
#ifndef EXSOL_SUNMAT_PENTA_H
#define EXSOL_SUNMAT_PENTA_H

#include "exsol/sundials_compat.h"

#include <stddef.h>
#include <sundials/sundials_matrix.h>

SUNMatrix exsol_penta_create(size_t n, SUNContext ctx);

size_t exsol_penta_size(SUNMatrix A);
/* The 5n entries (layout above). */
double *exsol_penta_data(SUNMatrix A);
/* Entry (i, j); requires |i − j| <= 2 and i < n. */
double *exsol_penta_at(SUNMatrix A, size_t i, size_t j);
/* Adds v to entry (i, j); does nothing outside the five bands. */
void exsol_penta_add(SUNMatrix A, size_t i, size_t j, double v);

#endif
