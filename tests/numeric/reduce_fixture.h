/* Shared set-up for the reduce tests: the shipped parameters ("reduce+defects", the
 * embedded datasets, so the tests check what exsol-reduce uses), the oxide lines, the
 * reduce model made from them and one KWN solver. */
#ifndef EXSOL_TEST_REDUCE_FIXTURE_H
#define EXSOL_TEST_REDUCE_FIXTURE_H

#include "check.h"
#include "exsol/error.h"
#include "exsol/params.h"
#include "exsol/reduce.h"

#include <stdio.h>
#include <string.h>

struct reduce_fx {
    exsol_params *par;
    exsol_ellingham *ell;
    exsol_kwn_solver *sol;
    struct exsol_reduce_model m;
    char err[256];
};

/* 1 when everything is made; otherwise 0 with the failed step CHECKed and the error
 * printed (the caller returns check_report). */
static inline int reduce_fx_open(struct reduce_fx *f)
{
    memset(f, 0, sizeof *f);
    CHECK(exsol_params_load("reduce+defects", &f->par, f->err, sizeof f->err) == EXSOL_OK);
    CHECK(f->par && exsol_ellingham_load(&f->ell, f->err, sizeof f->err) == EXSOL_OK);
    CHECK(f->ell &&
          exsol_reduce_model_from(f->par, f->ell, &f->m, f->err, sizeof f->err) == EXSOL_OK);
    CHECK(f->ell &&
          exsol_kwn_solver_create(&f->m.kwn, &f->sol, f->err, sizeof f->err) == EXSOL_OK);
    if (!f->sol)
        fprintf(stderr, "%s\n", f->err);
    return f->sol != NULL;
}

static inline void reduce_fx_close(struct reduce_fx *f)
{
    exsol_kwn_solver_destroy(f->sol);
    exsol_ellingham_free(f->ell);
    exsol_params_free(f->par);
}

#endif
