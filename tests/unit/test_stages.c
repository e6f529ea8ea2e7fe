/* The stage layer's plain pieces: the TSV/CSV formatter (io/tsv.c), the lattice after
 * exsolution (physics/defects.c), the schema tables (schema/) and the row status. */
#include "check.h"
#include "exsol/defects.h"
#include "exsol/error.h"
#include "exsol/schema.h"
#include "exsol/stage.h"
#include "exsol/tsv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void line(struct exsol_tsv *t, char *buf, size_t n)
{
    FILE *fp = fmemopen(buf, n, "w");
    CHECK_EQ_INT(exsol_tsv_write(t, fp), 0);
    fclose(fp);
}

int main(void)
{
    char buf[256];
    struct exsol_tsv t;
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_EXACT);
    exsol_tsv_text(&t, "a\tb");
    exsol_tsv_double(&t, 0.1);
    exsol_tsv_double(&t, NAN);
    exsol_tsv_long(&t, -3);
    exsol_tsv_endl(&t);
    line(&t, buf, sizeof buf);
    CHECK_STR(buf, "a b\t0.1\tNA\t-3\n");
    exsol_tsv_release(&t);

    exsol_tsv_init(&t, EXSOL_CSV, EXSOL_TSV_G6);
    exsol_tsv_text(&t, "x,\"y\"");
    exsol_tsv_double(&t, 1.0 / 3.0);
    exsol_tsv_double(&t, -INFINITY);
    exsol_tsv_endl(&t);
    line(&t, buf, sizeof buf);
    CHECK_STR(buf, "\"x,\"\"y\"\"\",0.333333,-inf\n");
    exsol_tsv_release(&t);

    /* x' = x/(1-fz), a' floored at 0, z' = z(1-f)/(1-fz) */
    struct exsol_lattice lat;
    exsol_lattice_after_exsolution(0.2, 0.1, 0.1, 2.0, 0.5, &lat);
    CHECK_CLOSE(lat.x_donor, 0.2 / 0.95, 1e-15, 0);
    CHECK_CLOSE(lat.a_vac, 1.0 - 0.9 / 0.95, 1e-15, 0);
    CHECK_CLOSE(lat.z_dopant, 0.05 / 0.95, 1e-15, 0);
    exsol_lattice_after_exsolution(0.2, 0.0, 0.1, 2.0, 1.0, &lat);
    CHECK_EQ_INT(lat.a_vac == 0.0, 1);

    const struct exsol_schema *s = exsol_schema_find("transport");
    CHECK_EQ_INT(s != NULL, 1);
    CHECK_EQ_INT(exsol_schema_index(s, "transport_status"),
                 EXSOL_SV_TRANSPORT_transport_status);
    CHECK_STR(s->vars[EXSOL_SV_TRANSPORT_rho_T_reduced].dim, "temperature");
    CHECK_EQ_INT(exsol_schema_find("nonesuch") == NULL, 1);
    CHECK_EQ_INT(exsol_row_status_of(EXSOL_EVALUE), EXSOL_ROW_INVALID);
    CHECK_EQ_INT(exsol_row_status_of(EXSOL_ESOLVER), EXSOL_ROW_SOLVER);
    return check_report("test_stages");
}
