/* Perovskite compositions: formula parsing, site assignment, charge-neutrality
 * bookkeeping and structural descriptors (defects-and-transport.md §2.4 and §5).
 *
 * A formula such as "La0.2Sr0.7Ni0.1Ti0.9O3" (also "...O3-d", "...O3-δ", "...O2.9")
 * lists element symbols (case-sensitive) each followed by an optional amount
 * (digits with an optional decimal point; a missing amount is 1). Each element is
 * put on its site from datasets/elements.csv; the A-site fractions may sum to less
 * than 1 (the rest is A-site vacancy a) but not more; the B-site fractions must sum
 * to 1 within 1e-6; besides the B-site host (Ti) and fixed co-donors (elements.csv role
 * donor_B: Nb5+, Ta5+, never reduced) at most one B-site dopant is allowed, or two
 * that form an alloy of datasets/alloys.csv (Ni-Fe, Ni-Co, Co-Fe; exsol_chem_load only;
 * the first in elements.csv order is `dopant`, the other `dopant2`). The
 * oxygen amount written in the formula is kept (O_formula) but not used: the
 * as-grown oxygen deficiency follows from neutrality.
 *
 * Physics, per formula unit (one B site):
 *   cation charge        q = Σ v_i c_i (fixed B-site donors included)
 *   as-grown δ           δ = (Q − q)/2 if q ≤ Q, else δ = 0 and
 *   net donor            net_donor = q − Q (e⁻ per f.u. the oxygen cannot take up)
 * with Q = 6 the charge of the host's anions (exsol_host_anion_charge: 2 × 3 for O3)
 * and 2 the charge of one oxygen vacancy; the host (Ti, O3) is the default row of
 * datasets/hosts.csv.
 *   Goldschmidt          t = (r_A + r_O)/(√2 (r_B + r_O))
 *   Bartel               τ = r_O/r_B − n_A (n_A − (r_A/r_B)/ln(r_A/r_B))
 * with r_A (CN XII, or the tabulated CN closest to 12) and n_A averaged over the
 * OCCUPIED A sites (the default convention: tolerance_factor's a_vacancy_convention in
 * libcore/schema/gen.csv); the alternative t with vacancies counted as r = 0 is
 * tolerance_factor_vacancy_zero.
 * r_B is the fraction-weighted CN VI radius, r_O the CN VI radius of O2−.
 *
 * This module does not print, exit or touch NetCDF. Radii are in metres. */
#ifndef EXSOL_COMPOSITION_H
#define EXSOL_COMPOSITION_H

#include "exsol/alloy.h"
#include "exsol/host.h"
#include "exsol/table.h"

#include <stddef.h>

#define EXSOL_COMP_MAX_SPECIES 12 /* cations in one formula */
#define EXSOL_FORMULA_MAX 96      /* canonical formula text incl. NUL */
#define EXSOL_SYMBOL_MAX 4
#define EXSOL_REASON_MAX 160

/* Element and radius data (elements.csv + shannon-radii.csv), with per-element
 * oxidation-state overrides. Opaque; read-only once set up, so one handle may be
 * shared by threads. */
typedef struct exsol_chem exsol_chem;

/* Loads the tables "elements" and "shannon-radii" (embedded or EXSOL_DATADIR), and
 * with "oxides" and "metals" runs exsol_chem_require_data, so the handle exsol-gen uses
 * refuses dopants the later stages cannot handle. */
int exsol_chem_load(exsol_chem **out, char *err, size_t errlen);
/* Records, for every B-site dopant of the element table, whether oxides.csv has its
 * oxide line (dfG_1300, dfS_298, O_per_oxide) and metals.csv its record (magnetic,
 * molar_volume, the magnetic constants if magnetic, and the ions mu_eff/spin of each
 * allowed valence). exsol_comp_parse then refuses a dopant with missing data,
 * EXSOL_EVALUE naming what is missing. Without this call (exsol_chem_from_tables alone)
 * only the bookkeeping is done. */
int exsol_chem_require_data(exsol_chem *c, const exsol_table *oxides, const exsol_table *metals,
                            char *err, size_t errlen);
/* Builds the handle from tables already loaded (tests). The tables are copied from;
 * the caller still owns them. */
int exsol_chem_from_tables(const exsol_table *elements, const exsol_table *radii,
                           exsol_chem **out, char *err, size_t errlen);
void exsol_chem_free(exsol_chem *c); /* accepts NULL */

/* Sets the oxidation state used for an element. It must be one of the element's
 * allowed states (elements.csv). EXSOL_EUNKNOWN for an unknown element,
 * EXSOL_EVALUE for a state that is not allowed. */
int exsol_chem_set_valence(exsol_chem *c, const char *element, int valence, char *err,
                           size_t errlen);
/* Same from text "Ni=3" (also "Ni=+3", "Ni=3+"); several separated by commas. */
int exsol_chem_set_valence_str(exsol_chem *c, const char *assignment, char *err, size_t errlen);
/* Current oxidation state of an element; EXSOL_EUNKNOWN if unknown. */
int exsol_chem_valence(const exsol_chem *c, const char *element, int *valence);
/* The host the compositions are written in (the default row of hosts.csv). */
const struct exsol_host *exsol_chem_host(const exsol_chem *c);
/* Forces the host of the formulas parsed after it (a row of hosts.csv); NULL, "" or
 * "auto" restores the choice from the A site (the host whose A_host cation has the
 * largest A-site fraction, ties to the earlier row; none of them: the default host).
 * EXSOL_EUNKNOWN naming the known hosts. */
int exsol_chem_set_host(exsol_chem *c, const char *name, char *err, size_t errlen);
/* 1 if the element is a fixed B-site co-donor (elements.csv role donor_B: Nb, Ta). */
int exsol_chem_fixed_donor(const exsol_chem *c, const char *element);
/* 1 when the two reducible dopants form an alloy of datasets/alloys.csv (either order),
 * 0 otherwise (also for a chem made without the alloys table). */
int exsol_chem_alloy_pair(const exsol_chem *c, const char *m1, const char *m2);
/* Site letter ('A', 'B', 'X') of an element, or 0 if unknown. */
char exsol_chem_site(const exsol_chem *c, const char *element);

struct exsol_species {
    char symbol[EXSOL_SYMBOL_MAX];
    char site;       /* 'A' or 'B' */
    double fraction; /* per formula unit (one B site) */
    int valence;
    double radius_m; /* Shannon radius used (A: CN used below, B: CN VI) */
    int cn;          /* coordination number of that radius */
};

struct exsol_composition {
    char formula[EXSOL_FORMULA_MAX]; /* canonical: elements.csv order, O3 */
    char host[EXSOL_HOST_NAME_MAX];  /* the host it is written in (hosts.csv): "SrTiO3" */
    size_t n_species;
    struct exsol_species sp[EXSOL_COMP_MAX_SPECIES];
    double O_formula; /* oxygen amount written in the input (3 for O3-d) */

    double A_occupied;          /* Σ A-site fractions */
    double A_vacancy;           /* a = 1 − A_occupied */
    double A_donor_fraction;    /* x: A-site cations with valence ≥ 3 */
    double A_divalent_fraction; /* A-site cations with valence 2 */
    char dopant[8];             /* B-site dopant, "none" for the bare Ti host */
    double dopant_fraction;     /* z */
    int dopant_valence;         /* v_M (0 if none) */
    char dopant2[8];            /* a second reducible B-site dopant that forms an alloy with
                                   the first (a pair of datasets/alloys.csv), "none" if none */
    double dopant2_fraction;    /* z2 (0 if none) */
    int dopant2_valence;        /* v_M2 (0 if none) */
    int A_radius_fallback;      /* 1 if some A cation has no CN XII radius (IX etc. used) */
    double B_donor_fraction;    /* fixed B-site co-donors (Nb5+, Ta5+), weighted by their
                                   charge v - B_valence: y for Nb5+ on Ti4+ */
    double B_fixed_fraction;    /* their amount per B site (unweighted) */
    double V_fu_m3;             /* volume per formula unit: Vegard mix of the host volumes
                                   (a_lattice³) by the A-site fractions of the host cations
                                   (Sr, Ca, Ba); the host's own volume if it is alone, none
                                   is present, or the host is forced */

    double cation_charge;     /* q, e per formula unit */
    double delta_asgrown;     /* δ ≥ 0 */
    double net_donor_asgrown; /* e⁻ per formula unit, ≥ 0 */

    double r_A_mean_m; /* over occupied A sites */
    double r_B_mean_m;
    double r_O_m;
    double n_A_mean;         /* mean A oxidation state over occupied sites */
    double tolerance_factor; /* occupied-site convention */
    double tolerance_factor_vacancy_zero;
    double bartel_tau;

    int feasible;                  /* set by exsol_comp_check */
    char reason[EXSOL_REASON_MAX]; /* "" if feasible */
};

/* Structural window (gen-parameters.csv: t_min, t_max, tau_max). */
struct exsol_comp_limits {
    double t_min; /* also applied to t with the A-site vacancies counted as r = 0 */
    double t_max;
    double tau_max;
    double a_max;     /* largest A-site vacancy fraction (<= 0 or NaN: no limit) */
    double delta_max; /* largest as-grown oxygen deficiency (<= 0 or NaN: no limit) */
};

/* Parses `formula` and fills *out (bookkeeping and descriptors; feasible = 1 and
 * reason "" until exsol_comp_check). Errors: EXSOL_EUNKNOWN "unknown element 'Xx'
 * in formula '...'", EXSOL_EVALUE for syntax, A-site sum > 1, B-site sum != 1, two
 * dopants, no A cation, no oxygen, missing radius. */
int exsol_comp_parse(const exsol_chem *c, const char *formula, struct exsol_composition *out,
                     char *err, size_t errlen);

/* Flags the structural checks: t outside [t_min, t_max] or τ ≥ tau_max gives
 * feasible = 0 and a reason such as "t = 1.062 > t_max = 1.059". */
void exsol_comp_check(struct exsol_composition *comp, const struct exsol_comp_limits *lim);

/* Formats an amount the way canonical formulas do: up to 9 decimals, trailing
 * zeros trimmed ("0.7", "0.05", "1"). Returns the buffer. */
char *exsol_comp_format_amount(double v, char *buf, size_t n);

#endif
