/* Grid files for `exsol-gen --grid FILE`: a small "key = value" format that a
 * materials scientist can write by hand.
 *
 *   # recipes/grids/lsnt.cfg -- '#' starts a comment (whole line or after a value)
 *   A_donor         = La            # trivalent A-site species (list: La, Nd)
 *   A_host          = Sr, Ca        # divalent A-site species, each swept
 *   x_donor         = 0.1:0.3:0.1   # donor fraction x (list a,b,c or range start:stop:step)
 *   A_vacancy       = 0.05, 0.1     # A-site vacancies a
 *   dopant          = Ni, Co        # B-site dopant M ("none" = bare Ti host)
 *   dopant_fraction = 0.05, 0.1     # z
 *   B_donor         = none, Nb      # fixed B-site co-donor N (Nb, Ta; "none")
 *   B_donor_fraction = 0.1          # y
 *   dopant2         = none, Fe      # second exsolvable dopant M2, an alloy with M
 *   dopant2_fraction = 0.05         # z2 (pairs of datasets/alloys.csv only)
 *   include_formula = La0.2Sr0.7Ni0.1Ti0.9O3   # an explicit formula (repeatable)
 *   valence         = Ni=2, Co=2    # oxidation-state overrides (as --valence)
 *   host            = CaTiO3        # force the host of every formula (default auto: the
 *                                   # host whose A cation is the largest A fraction)
 *   temperature     = 500C:900C:100C   # process keys: same syntax and units as the
 *   time            = 1h, 5h, 20h      # exsol-gen flags (--temperature ...); a flag on
 *   h2              = 5%               # the command line overrides the file
 *   h2o             = 3%
 *   thickness       = 30nm
 *   substrate       = LaAlO3, DyScO3   # or strain = -1%, 0, 1% (not both; as --substrate
 *                                      # and --strain, which override the file)
 *
 * Rules:
 * - Keys are case-sensitive; spaces around '=' and ',' are ignored; each key at most
 *   once except include_formula (and valence, applied in order). An unknown key, a
 *   repeated key, a line without '=' or an unparsable value is an error reported as
 *   "FILE:LINE: ...".
 * - Sweep: when A_host is given, every combination of A_donor × A_host × x_donor ×
 *   A_vacancy × dopant × dopant_fraction × B_donor × B_donor_fraction × dopant2 ×
 *   dopant2_fraction gives the composition
 *       D_x H_(1−x−a) M_z M2_z2 N_y Ti_(1−z−z2−y) O3
 *   (each symbol key optional together with its fraction: without A_donor x = 0,
 *   without dopant the host is undoped, without B_donor or dopant2 none; A_vacancy
 *   defaults to 0). Combinations with a negative site fraction are skipped and counted
 *   (n_skipped), and so are M–M2 pairs without an alloy of datasets/alloys.csv
 *   (n_no_alloy).
 * - Fractions (x_donor, A_vacancy, dopant_fraction) are bare numbers or percentages,
 *   within [0, 1].
 * - Compositions are written canonically (see composition.h), explicit formulas after
 *   the sweep; a formula that occurs twice is kept once (first occurrence).
 * - Process keys are kept as text (validated here with the default 1 atm total
 *   pressure) and parsed by the tool with exsol_parse_list so that --set p_total
 *   applies.
 *
 * The parser does not print; errors go to the caller's buffer. */
#ifndef EXSOL_GRID_H
#define EXSOL_GRID_H

#include "exsol/composition.h"

#include <stddef.h>

enum exsol_grid_proc {
    EXSOL_GRID_TEMPERATURE = 0,
    EXSOL_GRID_TIME,
    EXSOL_GRID_H2,
    EXSOL_GRID_H2O,
    EXSOL_GRID_THICKNESS,
    EXSOL_GRID_NPROC
};

struct exsol_grid {
    char **formulas; /* canonical formulas, in grid order */
    size_t n_formulas;
    size_t n_skipped;             /* sweep combinations with negative site fractions */
    size_t n_no_alloy;            /* dopant2 points without an alloy of dopant and dopant2 */
    size_t n_duplicates;          /* formulas dropped because they occurred before */
    char *proc[EXSOL_GRID_NPROC]; /* process values as written, NULL if absent */
    int proc_line[EXSOL_GRID_NPROC];
    char *substrate, *strain; /* substrate / strain keys as written, NULL if absent */
    int substrate_line, strain_line;
    char **valence; /* "Ni=3" assignments in file order */
    size_t n_valence;
};

/* Key name of a process entry ("temperature", "time", "h2", "h2o", "thickness"). */
const char *exsol_grid_proc_key(enum exsol_grid_proc k);

/* Parses grid text; `name` (the file name) prefixes error messages "name:line: ...".
 * chem (required) checks and canonicalises the formulas; the grid's valence lines are
 * applied to chem before the formulas are parsed (so chem is modified).
 * On error *g is left empty (released). */
int exsol_grid_parse(const char *name, const char *text, size_t len, exsol_chem *chem,
                     struct exsol_grid *g, char *err, size_t errlen);
/* Reads and parses a file. EXSOL_EIO if it cannot be read. */
int exsol_grid_read(const char *path, exsol_chem *chem, struct exsol_grid *g, char *err,
                    size_t errlen);
void exsol_grid_release(struct exsol_grid *g); /* accepts NULL and empty grids */

#endif
