/* Reading the rank parameters from the registry (datasets/rank-parameters.csv).
 * Kept apart from rank.c so the ranking itself links without the registry. */
#include "exsol/error.h"
#include "exsol/rank.h"

#include <stddef.h>

int exsol_rank_params_from(const exsol_params *p, struct exsol_rank_params *rp, char *err,
                           size_t errlen)
{
    static const struct {
        const char *name;
        size_t off;
    } map[] = {
        {"tolerance_factor_min", offsetof(struct exsol_rank_params, tolerance_factor_min)},
        {"tolerance_factor_max", offsetof(struct exsol_rank_params, tolerance_factor_max)},
        {"bartel_tau_max", offsetof(struct exsol_rank_params, bartel_tau_max)},
        {"T_anneal_max", offsetof(struct exsol_rank_params, T_anneal_max_K)},
        {"t_anneal_max", offsetof(struct exsol_rank_params, t_anneal_max_s)},
        {"min_log10_rho_ratio", offsetof(struct exsol_rank_params, min_log10_rho_ratio)},
        {"log10_rho_ratio_ref", offsetof(struct exsol_rank_params, log10_rho_ratio_ref)},
        {"M_ref", offsetof(struct exsol_rank_params, M_ref_A_m)},
        {"weight_rho", offsetof(struct exsol_rank_params, weight_rho)},
        {"weight_mag", offsetof(struct exsol_rank_params, weight_mag)},
        {"penalty", offsetof(struct exsol_rank_params, penalty)},
    };
    if (!p || !rp)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "no rank parameters");
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        double v;
        if (exsol_params_lookup(p, map[i].name, &v) != 0)
            return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "rank parameter '%s' missing",
                                map[i].name);
        *(double *)((char *)rp + map[i].off) = v;
    }
    return exsol_rank_params_check(rp, err, errlen);
}
