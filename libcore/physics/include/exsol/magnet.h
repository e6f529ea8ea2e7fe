/* Magnetism of an exsolved film: metal nanoparticles (two populations, surface and
 * buried, each a histogram over radius bins) plus the dopant ions left in the
 * lattice and the host's diamagnetism.
 *
 * Model (reference kinetics-and-magnetism.md §4-6; calibration in
 * docs/magnet-calibration.md):
 *   - geometry: a buried particle is a sphere of radius R; a surface particle is the
 *     spherical cap reduce grew (radius of curvature R, volume f·(4π/3)R³ with the
 *     row's cap_volume_factor f, read from the file). Size-dependent terms (K_eff,
 *     T_C, the single-domain check) use the volume-equivalent diameter
 *     D = 2R f^{1/3}; the magnetic core is the similar cap (or sphere) of radius
 *     R − t_dead. No extra shape term for the cap: its oblate shape anisotropy is
 *     easy-plane and adds no barrier to in-plane reversal (docs/magnet-calibration.md);
 *   - moment m = M_s(T, D)·V_m, V_m = f·(4π/3)(R − t_dead)³, t_dead per metal and
 *     handling (as reduced / air exposed, metals.csv) plus dead_layer_offset;
 *   - M_s(T) = M_s(0) [1 − s τ^{3/2} − (1 − s) τ^p]^{1/3}, τ = T/T_C(D) (Kuz'min form),
 *     finite-size T_C(D) = T_C,bulk [1 − (ξ0/D)^λ];
 *   - barrier E_B = K_eff(D)·V with K_eff(D) = K_cryst + s_K K_ref (D_ref/D)^n, K_ref,
 *     D_ref and n per metal (metals.csv, each fitted on that metal's own data; s_K =
 *     keff_scale), K_cryst = |K1|/12 (cubic, K1 < 0), K1/4 (cubic, K1 > 0), K_u
 *     (uniaxial);
 *   - above the metal's single-domain diameter D_sd a particle is multi-domain: no
 *     Stoner–Wohlfarth barrier (excluded from T_B), descending branch
 *     M = M_s clamp(3(H + H_c)/M_s, ±1) (sphere, N_d = 1/3) with
 *     H_c = 0.48 H_K(D_sd)·D_sd/D (reference addendum §6.3);
 *   - Néel–Brown (Vogel–Fulcher with T0 = T*): T_B = T* + E_B/(k_B ln(τ_m/τ0));
 *   - dipolar mean field k_B T* = α μ0 <m0²>/(4π d_nn³), per population, d_nn =
 *     N_s^{-1/2} (surface) or N_b^{-1/3} (buried), moments at 0 K;
 *   - unblocked particles: Langevin m L(μ0 m H/k_B(T + T*));
 *   - blocked particles: Stoner–Wohlfarth, random easy axes, H_K = 2K_eff/(μ0 M_s),
 *     thermally activated switching with Pfeiffer's barrier law
 *     ΔE = E_B (1 − h/h_sw(ψ))^{a + b h_sw(ψ)} reaching k_B (T − T*) ln(τ_m/τ0)
 *     (gives a Kneller-type coercivity decline);
 *   - ZFC/FC: two-state blocking model (blocked ZFC χ = μ0 m²/(3E_B) per particle,
 *     FC directions frozen at T_B);
 *   - ions: Brillouin function with g = μ_eff/√(S(S+1)) (Curie law at low field);
 *     host: M = χ_v H.
 * Within a radius bin the particles' T_B spreads between its values at the bin
 * edges, so curves stay smooth on coarse bins.
 * Loops are the descending branch (from +field_max to −field_max) tabulated on an
 * increasing field grid; the ascending branch is −M(−H).
 *
 * All quantities SI. Magnetisations are A/m of film (moment per film volume; the
 * surface population's areal density is divided by the film thickness). Functions
 * return EXSOL_* codes (exsol/error.h) and never print. */
#ifndef EXSOL_MAGNET_H
#define EXSOL_MAGNET_H

#include "exsol/constants.h"
#include "exsol/params.h"
#include "exsol/table.h"

#include <stddef.h>

enum exsol_mag_aniso {
    EXSOL_MAG_ANISO_NONE = 0,      /* non-magnetic metal                         */
    EXSOL_MAG_ANISO_CUBIC_NEG = 1, /* cubic, K1 < 0, easy <111>: barrier |K1|V/12 */
    EXSOL_MAG_ANISO_CUBIC_POS = 2, /* cubic, K1 > 0, easy <100>: barrier K1 V/4   */
    EXSOL_MAG_ANISO_UNIAXIAL = 3   /* uniaxial K_u: barrier K_u V                */
};

/* Constants of one metal and of its dissolved ion (SI). */
struct exsol_mag_metal {
    char symbol[8];
    int magnetic;          /* 0: no particle moment (Cu, Pd, Ru, Ir, Pt, ...) */
    double Ms_0K_A_m;      /* saturation magnetisation at 0 K                 */
    double K_J_m3;         /* K1 (cubic, signed) or K_u (uniaxial)            */
    int aniso_form;        /* enum exsol_mag_aniso                            */
    double T_C_K;          /* bulk Curie temperature                          */
    double kuzmin_s;       /* Kuz'min shape parameter s                       */
    double kuzmin_p;       /* Kuz'min exponent p                              */
    double ion_mu_eff_muB; /* effective moment of the dissolved ion (µB)      */
    double ion_spin;       /* its spin S (0: no Curie term)                   */
    /* size-dependent anisotropy K_ref (D_ref/D)^n fitted on this metal's data */
    double keff_ref_J_m3, keff_ref_diameter_m, keff_exponent;
    double dead_layer_m[2];          /* [0] as reduced, [1] after air exposure  */
    double single_domain_diameter_m; /* D_sd: multi-domain above               */
};

/* Stage parameters (datasets/magnet-parameters.csv), SI. */
struct exsol_mag_params {
    double tau0_s;              /* attempt time                                   */
    double tau_m_s;             /* measuring time                                 */
    double air_exposed;         /* 0: measured as reduced, 1: after air exposure  */
    double dead_layer_offset_m; /* added to every metal's dead layer (≥ 0 result) */
    double keff_scale;          /* multiplies every metal's fitted K_ref          */
    double tc_xi0_m;            /* finite-size T_C length ξ0                      */
    double tc_lambda;           /* finite-size T_C exponent λ                     */
    double sw_pfeiffer_a;       /* Pfeiffer barrier exponent a + b h_sw           */
    double sw_pfeiffer_b;
    double interaction_alpha;   /* T* = α E_dip/k_B                               */
    double host_chi_v;          /* host volume susceptibility (SI, dimensionless) */
    double host_cell_volume_m3; /* volume per B site (per formula unit)           */
    double field_max_T;         /* loops over ±field_max (μ0H)                    */
    size_t n_field;             /* field points (odd: includes 0)                 */
    double zfc_field_T;         /* ZFC/FC cooling and measuring field             */
    double zfc_T_min_K, zfc_T_max_K;
    size_t n_T_zfc;
    double T_low_K;            /* 5 K loop                                       */
    double T_high_K;           /* 300 K loop                                     */
    double B_report_T;         /* field of M_300K_1T_* (1 T)                     */
    double spm_TB_max_K;       /* verdict: T_B_p90 below this                    */
    double spm_Hc_max_A_m;     /* verdict: Hc_300K below this                    */
    double spm_contrast_min;   /* verdict: M_sat,red ≥ this × |M_sat,pristine| (300 K)  */
    double spm_Mr_ratio_max;   /* verdict: Mr_300K ≤ this × M_sat,red                  */
    double spm_bg_field_min_T; /* linear background fitted for μ0H ≥ this          */
    double spm_moment_min_A;   /* verdict: M_sat,red · L ≥ this (A m² per m² film) */
};

/* One candidate. Bins with zero or NULL counts are skipped. */
struct exsol_mag_input {
    size_t n_bins;
    const double *radius_m;       /* bin centres (> 0)                             */
    const double *width_m;        /* bin widths, or NULL: edges half-way between the
                                   * centres (one bin: zero width). Within a bin the
                                   * blocking temperature spreads linearly in radius
                                   * between its values at the edges. */
    const double *surface_per_m2; /* particles per film area in each bin, or NULL  */
    const double *buried_per_m3;  /* particles per film volume in each bin, or NULL */
    double thickness_m;           /* film thickness (> 0)                          */
    double cap_volume_factor;     /* surface caps: V = f (4π/3) R³, f in (0, 1]; the
                                   * value reduce used for the row                 */
    double ion_fraction_pristine; /* dopant ions per B site before the anneal (z)  */
    double ion_fraction_reduced;  /* dopant ions per B site left in the lattice (z′) */
    /* ion moment and spin of the dopant left in the reduced lattice (its valence at the
     * anneal, frozen in on cooling), or NULL: the metal's own (as-grown) ion */
    const struct exsol_mag_metal *ion_reduced;
    /* volume per B site of this film (gen's V_fu: its host, Vegard-mixed), or <= 0:
     * the parameter host_cell_volume (SrTiO3) */
    double cell_volume_m3;
    /* a second dissolved dopant (alloy films, README Alloys), or NULL: its ion record,
     * amounts per B site before and after the anneal, and its state at the anneal (NULL:
     * ion2's own) */
    const struct exsol_mag_metal *ion2;
    double ion2_fraction_pristine, ion2_fraction_reduced;
    const struct exsol_mag_metal *ion2_reduced;
};

/* Results. The curve pointers are caller-owned arrays of exsol_mag_n_field() or
 * exsol_mag_n_T_zfc() doubles, or NULL to skip that curve. A/m, K. */
struct exsol_mag_result {
    double M_300K_1T_pristine;
    double M_300K_1T_reduced;
    double M_5K_1T_reduced;
    double T_B_median_K; /* moment-weighted (m at 0 K) median of T_B; 0 if no moment */
    double T_B_p90_K;    /* moment-weighted 90th percentile                          */
    double Hc_5K_A_m;    /* coercive field H (not μ0H) of the 5 K descending branch  */
    double Hc_300K_A_m;
    double Mr_5K_A_m;           /* remanence at 5 K                                         */
    double T_interaction_K;     /* largest population T* (0 K moments)                      */
    double Ms_particles_0K_A_m; /* Σ n m0: saturated particle moment per film volume   */
    /* film magnetometry at 300 K: the saturating component (intercept of the linear
     * fit to the descending branch at μ0H ≥ spm_bg_field_min; the Curie, Brillouin
     * and diamagnetic terms are linear there), remanence, moment per film area */
    double M_sat_300K_reduced, M_sat_300K_pristine;
    double Mr_300K_A_m;
    double m_sat_300K_per_area_A; /* M_sat_300K_reduced · L                      */
    double multidomain_fraction;  /* 0 K moment share of multi-domain particles  */
    int spm_300K_reduced;         /* verdict (every criterion, exsol_mag_compute) */
    double *M_H_300K_reduced;
    double *M_H_5K_reduced;
    double *M_H_300K_pristine;
    double *M_ZFC;
    double *M_FC;
};

typedef struct exsol_mag_model exsol_mag_model;

/* Validates the parameters and precomputes the Stoner–Wohlfarth and Kuz'min tables.
 * EXSOL_EVALUE (message in err) for unphysical parameters. */
int exsol_mag_model_create(const struct exsol_mag_params *p, exsol_mag_model **out, char *err,
                           size_t errlen);
void exsol_mag_model_destroy(exsol_mag_model *m); /* accepts NULL */

size_t exsol_mag_n_field(const exsol_mag_model *m);
size_t exsol_mag_n_T_zfc(const exsol_mag_model *m);
/* Fills the coordinate grids: field in T (μ0H, increasing), temperatures in K. */
void exsol_mag_field_grid(const exsol_mag_model *m, double *field_T);
void exsol_mag_zfc_grid(const exsol_mag_model *m, double *T_K);
const struct exsol_mag_params *exsol_mag_model_params(const exsol_mag_model *m);

/* Checks a metal's constants (EXSOL_EVALUE with a message naming the field). */
int exsol_mag_metal_check(const struct exsol_mag_metal *metal, char *err, size_t errlen);

/* Computes one candidate. Thread-safe for a shared model (no hidden state).
 * EXSOL_EVALUE for invalid input (message in err), EXSOL_ENOMEM. On error the
 * result holds NaN everywhere, so a caller that ignores the code still cannot
 * write a plausible number. */
int exsol_mag_compute(const exsol_mag_model *m, const struct exsol_mag_metal *metal,
                      const struct exsol_mag_input *in, struct exsol_mag_result *res, char *err,
                      size_t errlen);

/* The room-temperature superparamagnet verdict from a result (n_moment: particle
 * bins that carry a moment): saturating component M_sat,red > 0, T_B_p90 below
 * spm_TB_max, H_c(300 K) below spm_Hc_max, |M_r(300 K)| ≤ spm_Mr_ratio_max·M_sat,red,
 * M_sat,red ≥ spm_contrast_min·|M_sat,pristine| (the one contrast threshold of the
 * toolkit; exsol-rank takes the magnetic switch from this verdict) and
 * M_sat,red·L ≥ spm_moment_min (magnetometer detection limit per film area). */
int exsol_mag_spm_verdict(const struct exsol_mag_params *p, const struct exsol_mag_result *r,
                          size_t n_moment);

/* ---- single-particle pieces (exposed for tests and the benchmark) -------- */

/* Langevin function L(x) = coth x − 1/x, accurate near 0. */
double exsol_mag_langevin(double x);
/* Brillouin function B_S(x). */
double exsol_mag_brillouin(double S, double x);
/* Finite-size Curie temperature T_C(D) (0 when D ≤ ξ0). */
double exsol_mag_tc_K(const exsol_mag_model *m, const struct exsol_mag_metal *metal,
                      double diameter_m);
/* M_s(T) of a particle of diameter D (0 above its T_C or for a non-magnetic metal). */
double exsol_mag_ms_A_m(const exsol_mag_model *m, const struct exsol_mag_metal *metal,
                        double diameter_m, double T_K);
/* Effective anisotropy energy density K_eff(D) (barrier per physical volume); D is
 * the volume-equivalent diameter. */
double exsol_mag_keff_J_m3(const exsol_mag_model *m, const struct exsol_mag_metal *metal,
                           double diameter_m);
/* Blocking temperature of an isolated sphere: E_B/(k_B ln(τ_m/τ0)); 0 above the
 * single-domain diameter (no single-domain barrier). */
double exsol_mag_tb_K(const exsol_mag_model *m, const struct exsol_mag_metal *metal,
                      double diameter_m);
/* Dead-layer thickness of the metal under the model's handling (air_exposed) and
 * offset, ≥ 0. */
double exsol_mag_dead_layer_m(const exsol_mag_model *m, const struct exsol_mag_metal *metal);
/* Coercive field H (A/m) of a multi-domain sphere of diameter D > D_sd at T:
 * 0.48 H_K(D_sd, T) D_sd/D; 0 for D ≤ D_sd (single domain: see the SW branch). */
double exsol_mag_multidomain_hc_A_m(const exsol_mag_model *m,
                                    const struct exsol_mag_metal *metal, double diameter_m,
                                    double T_K);
/* Random-axis Stoner–Wohlfarth descending branch, M/M_s at reduced field
 * h = H/H_K and reduced temperature t = (T − T*)/(T_B − T*) in [0, 1]. */
double exsol_mag_sw_descending(const exsol_mag_model *m, double h, double t);

/* ---- loading from the datasets ------------------------------------------ */

/* Fills p from a "magnet" parameter registry. */
int exsol_mag_params_from_registry(const exsol_params *reg, struct exsol_mag_params *p,
                                   char *err, size_t errlen);
/* Fills metal from datasets/metals.csv rows of `symbol` (properties Ms_0K, K,
 * anisotropy_form, T_C, kuzmin_s, kuzmin_p, keff_ref, keff_ref_diameter,
 * keff_exponent, dead_layer_as_reduced, dead_layer_air_exposed,
 * single_domain_diameter, magnetic) and of the ion
 * "<symbol><valence>+" (mu_eff, spin). valence <= 0 uses the element's
 * default_valence in datasets/elements.csv. EXSOL_EUNKNOWN if the metal or ion has no
 * rows or no default valence is known. */
int exsol_mag_metal_from_table(const exsol_table *t, const char *symbol, int valence,
                               struct exsol_mag_metal *metal, char *err, size_t errlen);

/* The particle record of a binary alloy of m1 and m2 with mole fraction X of m2
 * (datasets/alloys.csv, exsol/alloy.h): M_s(0 K), K1 (its sign sets the cubic form) and
 * T_C at X; the Kuz'min shape, the size-dependent K_ref (D_ref/D)^n term, dead layers and
 * single-domain diameter of the majority metal (no alloy data; the size term is the
 * surface and shape part of K_eff, README Alloys); the ion fields of m1. Symbol "m1m2".
 * EXSOL_EUNKNOWN (message in err) if the pair has no magnetic rows. */
struct exsol_alloys;
int exsol_mag_alloy_metal(const struct exsol_alloys *al, const struct exsol_mag_metal *m1,
                          const struct exsol_mag_metal *m2, double X,
                          struct exsol_mag_metal *out, char *err, size_t errlen);

#endif
