/* Per-host constants (datasets/host-<name>.csv) onto the defect and transport
 * parameters: see exsol_host_apply in exsol/host.h.
 *
 * Why a fixed list: the host file names its constants as a materials scientist reads
 * them (m_dos_low, band_gap_300K, eps_r_300K, ...); only those that are also model
 * parameters are applied, each to one field, so a host file cannot change a calibrated
 * knob (K_red0, E_comp, ...) by accident. A parameter the user set (--set, --params)
 * wins over the host file: the registry's origin says which. */
#include "exsol/defects.h"
#include "exsol/error.h"
#include "exsol/host.h"
#include "exsol/params.h"
#include "exsol/table.h"
#include "exsol/transport.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* host-file name -> registry name (the --set key that overrides it) */
struct map {
    const char *file, *reg;
    int defects; /* 1: a field of exsol_defect_params, 0: of exsol_transport_params */
    size_t off;
};

#define DP(f) 1, offsetof(struct exsol_defect_params, f)
#define TP(f) 0, offsetof(struct exsol_transport_params, f)
static const struct map maps[] = {
    {"a_lattice", "a_lattice", DP(a_lattice_m)},
    {"Eg0", "Eg0", DP(Eg0_J)},
    {"m_dos_low", "m_dos", DP(m_dos)},
    {"m_dos_high", "m_dos_high", DP(m_dos_high)},
    {"dH_red", "dH_red", DP(dH_red_J)},
    {"barrett_A", "barrett_A", TP(barrett_A)},
    {"barrett_M", "barrett_M", TP(barrett_M_K)},
    {"barrett_T0", "barrett_T0", TP(barrett_T0_K)},
    {"barrett_T1", "barrett_T1", TP(barrett_T1_K)},
    {"m_cond", "m_cond", TP(m_cond)},
    {"g_valley", "g_valley", TP(g_valley)},
    {"mu_LO_0", "mu_LO_0", TP(mu_LO0_m2)},
    {"theta_LO", "theta_LO", TP(theta_LO_K)},
};

const char *exsol_host_constant_name(size_t i)
{
    return i < sizeof maps / sizeof maps[0] ? maps[i].file : NULL;
}

static int user_set(const exsol_params *p, const char *name)
{
    if (!p)
        return 0;
    for (size_t i = 0; i < exsol_params_count(p); i++)
        if (strcmp(exsol_params_name(p, i), name) == 0)
            return strcmp(exsol_params_origin(p, i), "default") != 0;
    return 0;
}

int exsol_host_apply(const struct exsol_host *h, const exsol_params *p,
                     struct exsol_defect_params *dp, struct exsol_transport_params *tp,
                     char *err, size_t errlen)
{
    exsol_table *t = NULL;
    int rc = exsol_table_load(h->parameters, &t, err, errlen);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof maps / sizeof maps[0] && !rc; i++) {
        const struct map *m = &maps[i];
        void *base = m->defects ? (void *)dp : (void *)tp;
        if (!base || user_set(p, m->reg))
            continue;
        double v;
        char msg[256];
        if (exsol_table_value(t, &v, msg, sizeof msg, "name", m->file, NULL) != 0 ||
            !isfinite(v)) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "host %s: %s.csv has no usable %s (%s)", h->name, h->parameters,
                              m->file, msg);
            break;
        }
        *(double *)(void *)((char *)base + m->off) = v;
    }
    exsol_table_free(t);
    if (!rc && dp && !(dp->a_lattice_m > 0 && dp->m_dos > 0))
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                          "host %s: a_lattice and m_dos_low must be > 0", h->name);
    return rc;
}
