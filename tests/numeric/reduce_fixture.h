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

/* The seed La0.2Sr0.7Ni0.1Ti0.9O3 (Ni2+, a = 0.1, x = 0.2, as-grown delta 0.1) in its
 * anchor anneal: 550 C, 5 h, 5 % H2 + 3 % H2O of 1 atm, a 30 nm film, strain-free. */
static inline struct exsol_reduce_input reduce_fx_seed(void)
{
    struct exsol_reduce_input in = {0};
    in.dopant = "Ni";
    in.z = 0.1;
    in.valence = 2;
    in.a_vac = 0.1;
    in.x_donor = 0.2;
    in.delta0 = 0.1;
    in.T_K = 823.15;
    in.t_s = 5 * 3600.0;
    in.pH2_Pa = 0.05 * 101325;
    in.pH2O_Pa = 0.03 * 101325;
    in.L_m = 30e-9;
    return in;
}

static inline void reduce_fx_close(struct reduce_fx *f)
{
    exsol_kwn_solver_destroy(f->sol);
    exsol_ellingham_free(f->ell);
    exsol_params_free(f->par);
}

#endif
