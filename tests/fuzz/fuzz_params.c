/* libFuzzer target: exsol_table_parse on arbitrary CSV text, then
 * exsol_params_set with arbitrary assignments against the fixture table
 * datasets/test-parameters.csv. Built with -DEXSOL_FUZZ=ON and clang. */
#include "exsol/params.h"
#include "exsol/table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static exsol_params *fixture;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    if (size > 65536)
        return 0;
    exsol_table *t = NULL;
    if (exsol_table_parse("fuzz", (const char *)data, size, &t, err, sizeof err) == 0) {
        size_t nr = exsol_table_nrows(t), nc = exsol_table_ncols(t);
        for (size_t r = 0; r < nr; r++)
            for (size_t c = 0; c < nc; c++)
                if (!exsol_table_cell(t, r, (int)c))
                    abort();
        if (nc > 0 && nr > 0) {
            const char *h = exsol_table_cell(t, 0, 0);
            (void)exsol_table_find(t, "value", h, NULL);
            double si;
            (void)exsol_table_value(t, &si, err, sizeof err, "name", h, NULL);
        }
        exsol_table_free(t);
    }
    if (!fixture && exsol_params_load("test", &fixture, err, sizeof err) != 0)
        abort();
    /* the same bytes as one NAME=VALUE assignment */
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    (void)exsol_params_set(fixture, s, err, sizeof err);
    for (size_t i = 0; i < exsol_params_count(fixture); i++) {
        double v = exsol_params_value(fixture, i);
        if (v != v)
            abort();
    }
    free(s);
    return 0;
}
