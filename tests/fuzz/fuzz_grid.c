/* libFuzzer target for the grid-file parser and the formula parser behind it
 * (configure with -DEXSOL_FUZZ=ON and clang). Any input must give either a parsed
 * grid of canonical formulas that parse again to themselves, or an error code with
 * a message -- never a crash, leak or undefined behaviour. */
#include "exsol/composition.h"
#include "exsol/error.h"
#include "exsol/grid.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int contains(const uint8_t *data, size_t size, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, word, n) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static exsol_chem *chem;
    char err[512];
    struct exsol_grid g;

    if (!chem && exsol_chem_load(&chem, err, sizeof err) != 0)
        abort();
    if (size > 4096) /* sweeps multiply: keep each run short */
        return 0;
    int rc = exsol_grid_parse("fuzz.cfg", (const char *)data, size, chem, &g, err, sizeof err);
    if (rc == 0) {
        if (g.n_formulas == 0)
            abort();
        for (size_t i = 0; i < g.n_formulas && i < 64; i++) {
            struct exsol_composition c;
            if (exsol_comp_parse(chem, g.formulas[i], &c, err, sizeof err) != 0 ||
                strcmp(c.formula, g.formulas[i]) != 0)
                abort();
        }
    } else if (g.n_formulas != 0 || g.formulas != NULL || err[0] == '\0') {
        abort();
    }
    exsol_grid_release(&g);
    /* the raw bytes as a formula, too */
    if (size < 256) {
        char f[256];
        struct exsol_composition c;
        memcpy(f, data, size);
        f[size] = '\0';
        if (exsol_comp_parse(chem, f, &c, err, sizeof err) == 0) {
            struct exsol_composition c2;
            if (exsol_comp_parse(chem, c.formula, &c2, err, sizeof err) != 0 ||
                strcmp(c.formula, c2.formula) != 0)
                abort();
        }
    }
    /* a grid's "valence =" and "host =" lines change the tables process-wide: reload
     * them after any input that could hold such a key (the key is matched exactly, so an
     * input without these bytes left them alone; loading every run cost 95 % of it) */
    if (contains(data, size, "valence") || contains(data, size, "host")) {
        exsol_chem_free(chem);
        chem = NULL;
    }
    return 0;
}
