/* Host perovskite records (datasets/hosts.csv): which cations and anion make the
 * matrix a dopant dissolves in, and their oxidation states. Physics takes these from
 * the record instead of writing "Ti", 4 − v or O3 as literals (DESIGN.md §1).
 *
 * A record is a plain caller-owned struct: copy it freely, share it between threads.
 * Charges per formula unit (one B site):
 *   B-site dopant of valence v          v − B_valence (acceptor if negative)
 *   A-site vacancy                      −A_valence
 *   anion vacancy                       −anion_valence (+2 for V_O••)
 *   cations of a stoichiometric film    exsol_host_anion_charge() = −anion_valence ×
 *                                       anion_count (6 for ABO3) */
#ifndef EXSOL_HOST_H
#define EXSOL_HOST_H

#include "exsol/params.h"
#include "exsol/table.h"

#include <stddef.h>

#define EXSOL_HOST_NAME_MAX 24

struct exsol_host {
    char name[EXSOL_HOST_NAME_MAX];   /* "SrTiO3" */
    char A_host[EXSOL_HOST_NAME_MAX]; /* A-site host cation(s), ';'-separated: "Sr" */
    int A_valence;                    /* 2 */
    char B_host[8];                   /* "Ti" */
    int B_valence;                    /* 4 */
    char anion[8];                    /* "O" */
    int anion_valence;                /* -2 */
    double anion_count;               /* 3 per formula unit */
    char parameters[64];              /* table of the host constants: "host-srtio3" */
};

/* Fills *h from the row of table `t` (columns as datasets/hosts.csv) whose host is
 * `name`; name NULL picks the first row (the default host). EXSOL_EUNKNOWN if no row
 * has that name ("unknown host 'X' (known: SrTiO3)"), EXSOL_EDATASET for a malformed
 * row. */
int exsol_host_from_table(const exsol_table *t, const char *name, struct exsol_host *h,
                          char *err, size_t errlen);
/* Loads the table "hosts" (embedded or EXSOL_DATADIR) and looks up `name`. */
int exsol_host_find(const char *name, struct exsol_host *h, char *err, size_t errlen);
/* The default host: the first row of datasets/hosts.csv. */
int exsol_host_default(struct exsol_host *h, char *err, size_t errlen);

#define EXSOL_HOST_MAX 8 /* rows of hosts.csv a stage holds models for */

/* Every row of hosts.csv, in table order (out[0] the default); at most max. */
int exsol_host_all(struct exsol_host *out, size_t max, size_t *n, char *err, size_t errlen);
/* Index of the host called `name` in hosts[0..n); NULL or "" gives 0 (the default host,
 * for files written before gen recorded one), an unknown name -1. */
long exsol_host_index(const struct exsol_host *hosts, size_t n, const char *name);

/* Positive charge the cations of a stoichiometric film carry per formula unit,
 * −anion_valence × anion_count (6 for ABO3). */
double exsol_host_anion_charge(const struct exsol_host *h);

/* The lattice parameter of a row whose volume per formula unit is V_fu_m3 (gen's Vegard
 * volume of a mixed A site) in a host of lattice parameter a_host_m: V_fu^(1/3) where it
 * differs from a_host_m by more than 1e-9 relative, otherwise 0 (the row is the host's
 * own; so is a row without a V_fu, NaN). The one rule gen (the misfit strain), reduce
 * and transport use. */
double exsol_host_row_lattice(double V_fu_m3, double a_host_m);

struct exsol_defect_params;
struct exsol_transport_params;

/* Puts the host's constants (its parameters table, datasets/host-<name>.csv) into *dp
 * and *tp (either may be NULL): a_lattice, Eg0, m_dos_low (-> m_dos), m_dos_high,
 * dH_red; barrett_A/M/T0/T1, m_cond, g_valley, mu_LO_0, theta_LO, each in SI from its
 * unit. A value the registry p holds from --set or --params (origin not "default") is
 * kept: the user's choice wins over every host file. EXSOL_EDATASET naming a missing
 * constant. Applying the default host's file reproduces the registry defaults (its
 * values agree with transport-/defects-parameters.csv, tests/unit/test_transport_params.c). */
int exsol_host_apply(const struct exsol_host *h, const exsol_params *p,
                     struct exsol_defect_params *dp, struct exsol_transport_params *tp,
                     char *err, size_t errlen);
/* Name (in the host file) of the i-th constant exsol_host_apply uses; NULL past the end. */
const char *exsol_host_constant_name(size_t i);

#endif
