/* Compact pentadiagonal SUNMatrix (exsol/sunmat_penta.h).
 *
 * CVODE's linear-solver interface keeps a saved Jacobian and, at every Newton
 * matrix set-up, copies it and forms I − γJ through the SUNMatrix operations. The
 * generic band matrix stores 7 entries per column (room for pivoting) and its
 * operations dominated the set-up cost; this matrix keeps exactly the 5 bands,
 * row-major (entry (i, j), |i − j| <= 2, at a[5i + j − i + 2]), so zero/copy are
 * one memset/memcpy and I − γJ one pass. Arithmetic is the band matrix's. */
#include "exsol/sunmat_penta.h"

#include <stdlib.h>
#include <string.h>

struct penta {
    size_t n;
    double a[];
};

static struct penta *penta_of(SUNMatrix A)
{
    return A->content;
}

double *exsol_penta_at(SUNMatrix A, size_t i, size_t j)
{
    return &penta_of(A)->a[i * 5 + (j + 2 - i)];
}

double *exsol_penta_data(SUNMatrix A)
{
    return penta_of(A)->a;
}

size_t exsol_penta_size(SUNMatrix A)
{
    return penta_of(A)->n;
}

void exsol_penta_add(SUNMatrix A, size_t i, size_t j, double v)
{
    long d = (long)i - (long)j;
    if (d > 2 || d < -2)
        return;
    *exsol_penta_at(A, i, j) += v;
}

static SUNMatrix_ID penta_getid(SUNMatrix A)
{
    (void)A;
    return SUNMATRIX_CUSTOM;
}

static void penta_destroy(SUNMatrix A)
{
    if (!A)
        return;
    free(A->content);
    A->content = NULL;
    SUNMatFreeEmpty(A);
}

static SUNMatrix penta_clone(SUNMatrix A)
{
    return exsol_penta_create(penta_of(A)->n, A->sunctx);
}

static int penta_zero(SUNMatrix A)
{
    struct penta *m = penta_of(A);
    memset(m->a, 0, 5 * m->n * sizeof(double));
    return SUNMAT_SUCCESS;
}

static int penta_copy(SUNMatrix A, SUNMatrix B)
{
    struct penta *a = penta_of(A), *b = penta_of(B);
    if (a->n != b->n)
        return SUNMAT_ILL_INPUT;
    memcpy(b->a, a->a, 5 * a->n * sizeof(double));
    return SUNMAT_SUCCESS;
}

static int penta_scaleaddi(sunrealtype c, SUNMatrix A)
{
    struct penta *m = penta_of(A);
    size_t n5 = 5 * m->n;
    for (size_t k = 0; k < n5; k++)
        m->a[k] *= c;
    for (size_t i = 0; i < m->n; i++)
        m->a[i * 5 + 2] += 1.0;
    return SUNMAT_SUCCESS;
}

static int penta_space(SUNMatrix A, long *lenrw, long *leniw)
{
    *lenrw = (long)(5 * penta_of(A)->n);
    *leniw = 1;
    return SUNMAT_SUCCESS;
}

SUNMatrix exsol_penta_create(size_t n, SUNContext ctx)
{
    SUNMatrix A = SUNMatNewEmpty(ctx);
    if (!A)
        return NULL;
    struct penta *m = calloc(1, sizeof *m + 5 * n * sizeof(double));
    if (!m) {
        SUNMatFreeEmpty(A);
        return NULL;
    }
    m->n = n;
    A->content = m;
    A->ops->getid = penta_getid;
    A->ops->clone = penta_clone;
    A->ops->destroy = penta_destroy;
    A->ops->zero = penta_zero;
    A->ops->copy = penta_copy;
    A->ops->scaleaddi = penta_scaleaddi;
    A->ops->space = penta_space;
    return A;
}
