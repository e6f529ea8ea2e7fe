/* Per-metal kinetics (issue #12, defect 10). La0.2Sr0.7M0.1Ti0.9O3, 30 nm, dry 5 % H2
 * (100 ppm H2O), 550 °C, 5 h, each metal in its default valence (Ni2+, Co2+, Fe3+,
 * Cu2+): Fe is the hardest of the four to exsolve (literature ordering; with one
 * parameter set for every metal Fe exsolved 98 %, as completely as Ni); Ni, Co, Cu
 * exsolve nearly fully. Classical nucleation says where it leaves its validity:
 * the Cu row nucleates with a critical radius below the Cu atomic radius, stays
 * computed and carries the reason; the seed anchor (Ni, wet gas) does not. A dopant
 * without kinetic rows is an invalid row naming them. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/reduce.h"
#include "reduce_fixture.h"

#include <math.h>
#include <string.h>

int main(void)
{
    struct reduce_fx fx;
    if (!reduce_fx_open(&fx))
        return check_report("test_reduce_metals");
    const char *metal[4] = {"Ni", "Co", "Fe", "Cu"};
    const double val[4] = {2, 2, 3, 2};
    double f[4];
    const char *flag = "classical nucleation out of validity";
    for (int i = 0; i < 4; i++) {
        struct exsol_reduce_input in = {0};
        in.dopant = metal[i];
        in.z = 0.1;
        in.valence = val[i];
        in.a_vac = 0.1;
        in.x_donor = 0.2;
        in.delta0 = 0.5 * (2 * 0.1 + (4 - val[i]) * 0.1 - 0.2); /* neutral as grown */
        in.T_K = 823.15;
        in.t_s = 5 * 3600.0;
        in.pH2_Pa = 0.05 * 101325;
        in.pH2O_Pa = 1e-4 * 101325;
        in.L_m = 30e-9;
        struct exsol_reduce_output o;
        CHECK(exsol_reduce_run(&fx.m, fx.sol, &in, &o) == EXSOL_OK);
        CHECK_EQ_INT(o.status, 0);
        f[i] = o.exsolved_fraction;
        printf("%s%g+ dry 5%% H2 550C 5h: f %.4g x_eq %.3g D %.3g R*0 %.3g nm ns %.4g um-2 ds "
               "%.3g nm [%s]\n",
               metal[i], val[i], f[i], o.x_eq, o.D_eff_m2_s, o.R_crit0_m * 1e9,
               o.surface_density_m2 * 1e-12, o.surface_mean_diameter_m * 1e9, o.reason);
        if (strcmp(metal[i], "Cu") == 0) {
            CHECK(o.R_crit0_m < 0.1278e-9);
            CHECK(strstr(o.reason, flag) != NULL);
            CHECK(f[i] > 0.9); /* computed all the same */
        }
        exsol_kwn_result_release(&o.kwn);
    }
    for (int i = 0; i < 4; i++) {
        if (i == 2)
            continue;
        CHECK(f[i] > 0.9);
        CHECK(f[2] < 0.5 * f[i]); /* Fe the hardest */
    }

    /* the seed anchor (wet gas) is inside classical nucleation's range */
    struct exsol_reduce_input in = reduce_fx_seed();
    struct exsol_reduce_output o;
    CHECK(exsol_reduce_run(&fx.m, fx.sol, &in, &o) == EXSOL_OK);
    printf("seed: R*0 %.3g nm [%s]\n", o.R_crit0_m * 1e9, o.reason);
    CHECK(o.R_crit0_m > 0.1246e-9);
    CHECK(strstr(o.reason, flag) == NULL);
    exsol_kwn_result_release(&o.kwn);

    /* no kinetic rows for a dopant: an invalid row that names them */
    for (size_t i = 0; i < fx.m.nmetals; i++)
        if (strcmp(fx.m.metal[i].sym, "Co") == 0)
            fx.m.metal[i].r_atom_m = NAN;
    in.dopant = "Co";
    CHECK(exsol_reduce_run(&fx.m, fx.sol, &in, &o) == EXSOL_OK);
    CHECK_EQ_INT(o.status, 2);
    CHECK(strstr(o.reason, "r_atom_Co") != NULL);
    exsol_kwn_result_release(&o.kwn);

    reduce_fx_close(&fx);
    return check_report("test_reduce_metals");
}
