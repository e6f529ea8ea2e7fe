/* Epitaxial strain of a (001) film on a substrate (breadth-and-uncertainty.md §5):
 * the substrate's pseudocubic lattice parameter (datasets/substrates.csv), the film's
 * stress-free one from its host (the host's parameters file, row a_lattice), the
 * coherent misfit strain and the elastic term it adds to the exsolution driving force.
 * Plain functions; no printing.
 *
 *   ε = (a_s − a_f)/a_f                      coherent film; ε < 0 compressive, > 0 tensile
 *   M_biax = c11 + c12 − 2 c12²/c11           biaxial modulus of a (001) film
 *   Δμ_el = −2 M_biax V_fu η ε                per exsolved dopant (η: chemical strain,
 *                                             da_f/a_f per exsolved B fraction)
 *   x_eq,strained = x_eq exp((Δμ_el − β M_biax ε² Ω_M)/kT)
 *
 * The β term (stress relief in the socket volume, Ω_M the metal's atomic volume) does not
 * distinguish the sign of ε; the η term does: η < 0 favours compressive films, the
 * direction Han et al. measured (§5, [KM-4]). Relaxation by misfit dislocations above a
 * critical thickness is not modelled: ε is the residual coherent strain at the anneal
 * (give it with --strain when it was measured). */
#ifndef EXSOL_STRAIN_H
#define EXSOL_STRAIN_H

#include "exsol/host.h"

#include <stddef.h>

#define EXSOL_SUBSTRATE_NAME_MAX 24

/* Above this |ε| a coherent film is unlikely (§5: "thick or high-mismatch films relax by
 * misfit dislocations"; MgO at +7.9 % is relaxed): gen warns, it does not relax it. */
#define EXSOL_STRAIN_COHERENT_WARN 0.03

/* Pseudocubic lattice parameter (m) at room temperature of substrate `name`
 * (datasets/substrates.csv, case-sensitive). EXSOL_EUNKNOWN names it and the known ones:
 * "unknown substrate 'X' (known: SrTiO3, ...)". */
int exsol_substrate_lattice(const char *name, double *a_m, char *err, size_t errlen);

/* Stress-free pseudocubic lattice parameter (m) of a film in host h: the a_lattice row
 * of the host's parameters file (host-srtio3.csv: 3.905 Å). The composition's own
 * lattice parameter (Vegard over the A and B sites) is not known to the toolkit yet;
 * the host's stands for it (§5: "LSNT's own a_f0 is [U]; use 3.905 Å until measured"). */
int exsol_film_lattice(const struct exsol_host *h, double *a_m, char *err, size_t errlen);

/* Misfit strain of a coherent film: (a_sub − a_film)/a_film. */
double exsol_misfit_strain(double a_sub_m, double a_film_m);

/* Parses a strain: a bare number (−0.01) or a percentage (−1%); |ε| < 0.2. */
int exsol_strain_parse(const char *s, double *eps, char *err, size_t errlen);

/* Biaxial modulus (Pa) of a (001) cubic film from c11, c12 (Pa). */
double exsol_biaxial_modulus(double c11_Pa, double c12_Pa);

/* Elastic term of a strained film per exsolved dopant (J): Δμ_el − β M ε² Ω_M, the
 * exponent's numerator that multiplies x_eq by exp(·/kT); 0 at ε = 0. */
double exsol_strain_dmu(double M_biax_Pa, double V_fu_m3, double eta, double beta,
                        double Omega_metal_m3, double eps);

#endif
