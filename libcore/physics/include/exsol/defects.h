/* Frozen-cation defect chemistry of doped titanate films (defects-and-transport.md
 * §2.1–2.4): La_Sr•, V_Sr″ and the dissolved B-site dopant are fixed; V_O••, e′
 * and h• follow mass action and neutrality. Electrons obey Fermi–Dirac statistics
 * (n = N_c F_1/2(η)) and the mass-action laws are written with the electron
 * activity N_c e^η, so they hold where electrons are degenerate. One module serves
 * exsol-reduce (equilibrium δ at the anneal) and exsol-transport (carriers at a
 * measurement temperature with δ frozen).
 *
 * Concentrations: per formula unit of the perovskite normalised to one B site
 * (x, a, z, δ, n, p below); converted to m⁻³ with the host formula-unit density. */
#ifndef EXSOL_DEFECTS_H
#define EXSOL_DEFECTS_H

#include "exsol/params.h"

/* Cation sublattice, per formula unit (one B site). */
struct exsol_lattice {
    double x_donor;   /* trivalent A-site cations (La_Sr•) */
    double a_vac;     /* A-site vacancies, counted as V_Sr″ */
    double z_dopant;  /* dopant dissolved on the B site */
    double v_dopant;  /* its valence; acceptor charge (B_valence - v), 4 - v on Ti */
    double y_donor_B; /* fixed B-site donors (Nb_Ti•, Ta_Ti•), weighted by v − B_valence;
                         never reduced: they count in neutrality like x_donor */
};

struct exsol_defect_params {
    double a_lattice_m; /* pseudo-cubic lattice parameter (formula-unit volume a³) */
    double m_dos;       /* density-of-states mass / m0 for electrons (dilute limit) */
    double m_dos_h;     /* density-of-states mass / m0 for holes */
    double Eg0_J;       /* band gap at 0 K (E_g(T) = Eg0 - beta T) */
    double Eg_beta_J_K;
    double dH_red_J;     /* reduction enthalpy (per O, producing 2e′ + V_O••) */
    double K_red0;       /* prefactor, site-fraction units, pO2 in atm */
    double n_background; /* background compensating acceptors, per f.u. */
    /* Added by the transport helper (zero-initialised users get the old meaning:
     * m_dos_high <= 0 means a constant mass m_dos; delta_max <= 0 means no cap). */
    double m_dos_high;    /* DOS mass / m0 above n_dos_high_m3 (log-log interpolation) */
    double n_dos_low_m3;  /* below this density the DOS mass is m_dos */
    double n_dos_high_m3; /* above this density it is m_dos_high */
    double delta_max;     /* site-exclusion cap on δ (per f.u.) */
    /* The host's cation valences (datasets/hosts.csv, default host), set by
     * exsol_defect_params_from: an A-site vacancy carries −A_valence, a dopant of
     * valence v carries v − B_valence. Both must be > 0 (EXSOL_EVALUE otherwise). */
    double A_valence; /* 2 for Sr in SrTiO3 */
    double B_valence; /* 4 for Ti */
};

struct exsol_defect_state {
    double delta;    /* oxygen vacancies per formula unit */
    double n;        /* free electrons per formula unit */
    double p;        /* holes per formula unit */
    double eta;      /* (E_F - E_c)/kT */
    double n_m3;     /* free electrons, m⁻³ */
    double p_m3;     /* holes, m⁻³ */
    double residual; /* relative neutrality residual of the solution */
};

/* Fills *dp from a registry holding the "defects" parameters and the default host
 * record (datasets/hosts.csv). */
int exsol_defect_params_from(const exsol_params *p, struct exsol_defect_params *dp, char *err,
                             size_t errlen);

/* Equilibrium with the gas at T (anneal): solves δ, n, p together. pO2 in Pa. */
int exsol_defect_equilibrium(const struct exsol_defect_params *dp,
                             const struct exsol_lattice *lat, double T_K, double pO2_Pa,
                             struct exsol_defect_state *out);

/* Oxygen frozen at `delta`: electrons and holes at measurement temperature T from
 * neutrality only (n - p = x + y - A_valence a - (B_valence - v) z + 2δ - background,
 * i.e. x - 2a - (4 - v)z + 2δ - background in SrTiO3). */
int exsol_defect_frozen(const struct exsol_defect_params *dp, const struct exsol_lattice *lat,
                        double delta, double T_K, struct exsol_defect_state *out);

/* Density-of-states mass / m0 at electron density n_m3 (m⁻³): m_dos below
 * n_dos_low, m_dos_high above n_dos_high, a power law in between. */
double exsol_defect_mdos(const struct exsol_defect_params *dp, double n_m3);

/* Free electrons (m⁻³) at reduced Fermi level eta and temperature T, with the
 * density-dependent DOS mass solved consistently (n = N_c(m(n)) F_1/2(η)). */
double exsol_defect_n_of_eta(const struct exsol_defect_params *dp, double eta, double T_K);

/* The host after a fraction f of its B-site dopant has exsolved (defects-and-transport.md
 * §2.4), renormalised to one B site: with s = 1 − f z,
 *   x′ = x/s,  a′ = max(1 − (1 − a)/s, 0),  z′ = z(1 − f)/s,  v′ = v.
 * a′ is floored at 0: fz > a would leave more A than B cations, and the excess forms
 * neutral AO (Ruddlesden–Popper) layers, not donors. A NaN a′ stays NaN. The one
 * definition used by reduce (δ_eq of the current cations), transport (the reduced
 * film) and magnet (dopant ions left in the lattice). */
void exsol_lattice_after_exsolution(double x, double a, double z, double v, double f,
                                    struct exsol_lattice *out);
/* The same with fixed B-site donors y (gen's B_donor_fraction), which stay: y′ = y/s.
 * exsol_lattice_after_exsolution is this with y = 0. */
void exsol_lattice_after_exsolution_y(double x, double y, double a, double z, double v,
                                      double f, struct exsol_lattice *out);

/* Band gap E_g(T) = Eg0 − βT (J), floored at 0.1 eV. */
double exsol_defect_Eg_J(const struct exsol_defect_params *dp, double T_K);

#endif
