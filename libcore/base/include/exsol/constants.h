/* Physical constants, SI, CODATA 2018 (exact where the 2019 SI defines them). One
 * place for every module; model parameters live in datasets/, not here. */
#ifndef EXSOL_CONSTANTS_H
#define EXSOL_CONSTANTS_H

#define EXSOL_PI 3.14159265358979323846
#define EXSOL_KB 1.380649e-23       /* Boltzmann constant, J/K (exact) */
#define EXSOL_E 1.602176634e-19     /* elementary charge, C (exact); also J per eV */
#define EXSOL_H 6.62607015e-34      /* Planck constant, J s (exact) */
#define EXSOL_HBAR 1.054571817e-34  /* reduced Planck constant, J s */
#define EXSOL_NA 6.02214076e23      /* Avogadro constant, 1/mol (exact) */
#define EXSOL_RGAS 8.31446261815324 /* molar gas constant N_A k_B, J/(mol K) (exact) */
#define EXSOL_M0 9.1093837015e-31   /* electron mass, kg */
#define EXSOL_EPS0 8.8541878128e-12 /* vacuum permittivity, F/m */
#define EXSOL_MU0 1.25663706212e-6  /* vacuum permeability, T m/A */
#define EXSOL_MUB 9.2740100783e-24  /* Bohr magneton, J/T */
#define EXSOL_A0 5.29177210903e-11  /* Bohr radius, m */
#define EXSOL_ATM_PA 101325.0       /* standard atmosphere, Pa (exact) */

#endif
