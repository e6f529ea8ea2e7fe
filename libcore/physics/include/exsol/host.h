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

/* Positive charge the cations of a stoichiometric film carry per formula unit,
 * −anion_valence × anion_count (6 for ABO3). */
double exsol_host_anion_charge(const struct exsol_host *h);

#endif
