/* libFuzzer target: one quantity with its unit (exsol_parse_quantity: 900C, 5h,
 * 30nm, 5%, 0.05bar ...) for every kind, as --temperature/--time/--h2/--thickness
 * and --set values are read. Any input: an error with a message, or a finite value
 * that is physical for its kind (T >= 0 K, t >= 0 s, lengths > 0, p >= 0) and that
 * the same text parses to again. */
#include "exsol/parse.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[512], err[512];
    if (size >= sizeof s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    for (int k = 0; k <= EXSOL_QTY_NUMBER; k++) {
        double v = NAN, w = NAN;
        err[0] = '\0';
        int rc = exsol_parse_quantity(s, (enum exsol_qty_kind)k, EXSOL_P_TOTAL_DEFAULT_PA, &v,
                                      err, sizeof err);
        if (rc != 0) {
            if (err[0] == '\0' || !memchr(err, '\0', sizeof err))
                abort();
            continue;
        }
        if (!isfinite(v))
            abort();
        if ((k == EXSOL_QTY_TEMPERATURE || k == EXSOL_QTY_TIME || k == EXSOL_QTY_PRESSURE) &&
            v < 0)
            abort();
        if (k == EXSOL_QTY_LENGTH && !(v > 0))
            abort();
        if (exsol_parse_quantity(s, (enum exsol_qty_kind)k, EXSOL_P_TOTAL_DEFAULT_PA, &w, err,
                                 sizeof err) != 0 ||
            memcmp(&v, &w, sizeof v) != 0)
            abort();
    }
    return 0;
}
