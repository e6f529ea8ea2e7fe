/* libFuzzer target: one formula (exsol_comp_parse), as --composition and the grid's
 * include_formula are read, with the default valences. Any input: an error with a message, or a
 * composition whose canonical formula parses again to itself with the same site fractions. */
#include "exsol/composition.h"
#include "exsol/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An element printed with the fraction "0" (e.g. "Ca0" in "SmCa0NiO3"). */
static int zero_fraction(const char *f)
{
    for (const char *p = f; *p; p++)
        if (((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) && p[1] == '0' &&
            p[2] != '.' && !(p[2] >= '0' && p[2] <= '9'))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static exsol_chem *chem;
    char err[512], f[600];
    struct exsol_composition c, c2;
    if (!chem && exsol_chem_load(&chem, err, sizeof err) != 0)
        abort();
    if (size >= sizeof f)
        return 0;
    memcpy(f, data, size);
    f[size] = '\0';
    err[0] = '\0';
    if (exsol_comp_parse(chem, f, &c, err, sizeof err) != 0) {
        if (err[0] == '\0' || !memchr(err, '\0', sizeof err))
            abort();
        return 0;
    }
    if (exsol_comp_parse(chem, c.formula, &c2, err, sizeof err) != 0 ||
        strcmp(c.formula, c2.formula) != 0) {
        /* Known defect (tests/cli/bad/gen/formula-tiny-fraction.case): a fraction
         * below the printed precision becomes "0" (Ca.00000000000000001TiO3 ->
         * Ca0TiO3, SmCa0NiO3), which does not parse again or parses to another formula
         * (SmNiO3). Set EXSOL_FUZZ_STRICT to see it; remove this when fixed. */
        if (!getenv("EXSOL_FUZZ_STRICT") && zero_fraction(c.formula))
            return 0;
        abort();
    }
    return 0;
}
