/* SrTi0.9Nb0.05Ni0.05O3 (issue #13, docs/sources.md#bu §3.3): Nb5+ is a fixed B-site
 * donor (y = 0.05) beside the exsolvable Ni2+ (z = 0.05).
 * - As grown it is compensated: δ0 = (2z − y)/2 = 0.025, and the frozen-cation
 *   neutrality n − p = x + y − 2a − (4 − v)z + 2δ holds to 1e-8 with n ≈ p ≈ 0.
 * - 900 °C, 20 h, 5 % H2 + 3 % H2O, 30 nm: Ni exsolves (f > 0.1: few, large particles,
 *   f 0.19 at 0.008 µm⁻²; the f ≈ 0.77 this film used to give was particles seeded by the
 *   static bin tolerance, see atol_pop_rel); the dopant balance z = z′(1 − fz) + fz holds
 *   to 1e-8; Nb stays: y′ = y/(1 − fz); the reduced film's electrons follow neutrality
 *   to 1e-8, n − p exceeds the Nb-free film's by y′ (and n does too: the Ni left in the
 *   lattice still compensates most of the Nb).
 * - Without the Nb term (y = 0) the same film is the A-complete SrNi0.05Ti0.95O3 case:
 *   the Nb changes the defect chemistry, so this test fails if y is dropped. */
#include "check.h"
#include "exsol/defects.h"
#include "exsol/error.h"
#include "exsol/reduce.h"
#include "reduce_fixture.h"

#include <math.h>
#include <stdio.h>

int main(void)
{
    struct reduce_fx fx;
    if (!reduce_fx_open(&fx))
        return check_report("test_b_donor");
    const double z = 0.05, y = 0.05;
    const struct exsol_defect_params *dp = &fx.m.defects;

    /* as grown: compensated */
    struct exsol_lattice L0 = {0.0, 0.0, z, 2.0, y};
    struct exsol_defect_state s0;
    CHECK(exsol_defect_frozen(dp, &L0, 0.025, 300.0, &s0) == EXSOL_OK);
    CHECK_CLOSE(s0.n - s0.p, y - 2.0 * z + 2.0 * 0.025, 0, 1e-8);
    CHECK(s0.n < 1e-6);

    struct exsol_reduce_input in = {0};
    in.dopant = "Ni";
    in.z = z;
    in.valence = 2;
    in.a_vac = 0.0;
    in.x_donor = 0.0;
    in.y_donor_B = y;
    in.delta0 = 0.025;
    in.T_K = 1173.15;
    in.t_s = 20 * 3600.0;
    in.pH2_Pa = 0.05 * 101325;
    in.pH2O_Pa = 0.03 * 101325;
    in.L_m = 30e-9;
    struct exsol_reduce_output o;
    CHECK(exsol_reduce_run(&fx.m, fx.sol, &in, &o) == EXSOL_OK);
    CHECK_EQ_INT(o.status, 0);
    if (o.status)
        fprintf(stderr, "reduce: %s\n", o.reason);
    double f = o.exsolved_fraction, s = 1.0 - f * z;
    printf("SrTi0.9Nb0.05Ni0.05O3 900C 20h: f %.4f delta' %.3g ns %.4g um-2 d %.3g nm\n", f,
           o.delta_reduced, o.surface_density_m2 * 1e-12, o.surface_mean_diameter_m * 1e9);
    CHECK(f > 0.1);
    CHECK_CLOSE(o.z_lattice * s + f * z, z, 0, 1e-8);
    CHECK(o.surface_density_m2 > 0.0);
    exsol_kwn_result_release(&o.kwn);

    /* the reduced film: Nb stays, renormalised */
    struct exsol_lattice L1;
    exsol_lattice_after_exsolution_y(0.0, y, 0.0, z, 2.0, f, &L1);
    CHECK_CLOSE(L1.y_donor_B, y / s, 0, 1e-15);
    CHECK_CLOSE(L1.z_dopant * s + f * z, z, 0, 1e-12);
    struct exsol_defect_state s1, s1_noNb;
    CHECK(exsol_defect_frozen(dp, &L1, o.delta_reduced, 300.0, &s1) == EXSOL_OK);
    CHECK_CLOSE(s1.n - s1.p,
                L1.y_donor_B - 2.0 * L1.a_vac - 2.0 * L1.z_dopant + 2.0 * o.delta_reduced, 0,
                1e-8);
    struct exsol_lattice L1n = L1;
    L1n.y_donor_B = 0.0;
    CHECK(exsol_defect_frozen(dp, &L1n, o.delta_reduced, 300.0, &s1_noNb) == EXSOL_OK);
    CHECK_CLOSE((s1.n - s1.p) - (s1_noNb.n - s1_noNb.p), L1.y_donor_B, 0, 1e-8);
    CHECK(s1.n > s1_noNb.n);

    reduce_fx_close(&fx);
    return check_report("test_b_donor");
}
