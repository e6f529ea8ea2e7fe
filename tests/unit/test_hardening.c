/* Inputs that used to be taken silently (issue "Hardening" #9):
 *  - an integer parameter (unit "count") given a fraction: --set n_bins=20.5 was
 *    rounded to 21; now EXSOL_EUSAGE (exit 2) naming it, and the value is unchanged;
 *  - EXSOL_DATADIR naming no folder fell back to the embedded tables; now
 *    EXSOL_EDATASET (exit 1) naming the folder;
 *  - a row with an empty dopant name and dopant_fraction 0.1 was reduced as the bare
 *    host; now reduce_status 2 with a reason. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/params.h"
#include "exsol/reduce.h"
#include "exsol/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_integer_params(void)
{
    char err[256] = "";
    exsol_params *p = NULL;
    CHECK_EQ_INT(exsol_params_load("reduce+defects", &p, err, sizeof err), EXSOL_OK);
    if (!p)
        return;
    CHECK_EQ_INT(exsol_params_set(p, "n_bins=20.5", err, sizeof err), EXSOL_EUSAGE);
    CHECK(strstr(err, "'20.5'") && strstr(err, "'n_bins'") && strstr(err, "whole number"));
    CHECK(strchr(err, '\n') == NULL);
    CHECK_CLOSE(exsol_params_get(p, "n_bins"), 120, 0, 0);
    CHECK_EQ_INT(exsol_params_set(p, "max_steps=1.5e3", err, sizeof err), EXSOL_OK);
    CHECK_CLOSE(exsol_params_get(p, "max_steps"), 1500, 0, 0);
    CHECK_EQ_INT(exsol_params_set(p, "n_bins=21", err, sizeof err), EXSOL_OK);
    CHECK_CLOSE(exsol_params_get(p, "n_bins"), 21, 0, 0);
    /* recorded as before: unit 1 */
    for (size_t i = 0; i < exsol_params_count(p); i++)
        if (strcmp(exsol_params_name(p, i), "n_bins") == 0)
            CHECK_STR(exsol_params_si_unit(p, i), "1");
    /* fractional parameters still take fractions */
    CHECK_EQ_INT(exsol_params_set(p, "a_ref=0.05", err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_exit_code(EXSOL_EUSAGE), 2);
    exsol_params_free(p);
}

static void test_datadir(void)
{
    char err[256] = "";
    exsol_table *t = NULL;
    setenv("EXSOL_DATADIR", "/nonexistent-exsol-datadir", 1);
    CHECK_EQ_INT(exsol_table_load("elements", &t, err, sizeof err), EXSOL_EDATASET);
    CHECK(strstr(err, "EXSOL_DATADIR '/nonexistent-exsol-datadir' is not a folder") != NULL);
    CHECK(t == NULL);
    setenv("EXSOL_DATADIR", "/dev/null", 1);
    CHECK_EQ_INT(exsol_table_load("elements", &t, err, sizeof err), EXSOL_EDATASET);
    CHECK(strstr(err, "'/dev/null' is not a folder") != NULL);
    /* a folder with no table at all is refused (a wrong folder would otherwise go
     * unnoticed); one with another table gives the embedded copy of this one */
    char dir[] = "/tmp/exsol-datadir-XXXXXX", path[64];
    CHECK(mkdtemp(dir) != NULL);
    setenv("EXSOL_DATADIR", dir, 1);
    CHECK_EQ_INT(exsol_table_load("elements", &t, err, sizeof err), EXSOL_EDATASET);
    CHECK(strstr(err, "holds no table") != NULL);
    snprintf(path, sizeof path, "%s/other.csv", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    CHECK_EQ_INT(exsol_table_load("elements", &t, err, sizeof err), EXSOL_OK);
    exsol_table_free(t);
    remove(path);
    rmdir(dir);
    unsetenv("EXSOL_DATADIR");
    CHECK_EQ_INT(exsol_exit_code(EXSOL_EDATASET), 1);
}

static void test_empty_dopant(void)
{
    char err[256] = "";
    exsol_params *p = NULL;
    exsol_ellingham *ell = NULL;
    exsol_kwn_solver *sol = NULL;
    struct exsol_reduce_model m;
    CHECK_EQ_INT(exsol_params_load("reduce+defects", &p, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_ellingham_load(&ell, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_reduce_model_from(p, ell, &m, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_kwn_solver_create(&m.kwn, &sol, err, sizeof err), EXSOL_OK);
    if (sol) {
        const char *names[] = {"", "none"};
        for (int k = 0; k < 2; k++) {
            struct exsol_reduce_input in = {names[k], 0.1,   2,       0.1,     0.2,   0.1,
                                            823.15,   18000, 5066.25, 3039.75, 30e-9, 0.0,
                                            0.0,      0,     0.0,     NULL,    0.0,   0.0};
            struct exsol_reduce_output o;
            CHECK_EQ_INT(exsol_reduce_run(&m, sol, &in, &o), EXSOL_OK);
            CHECK_EQ_INT(o.status, 2);
            CHECK(strstr(o.reason, "dopant_fraction is 0.1 but the dopant name is") != NULL);
            exsol_kwn_result_release(&o.kwn);
        }
        /* z = 0 without a name is the undoped host, as before */
        struct exsol_reduce_input in = {"",     0.0,   0,       0.1,     0.2,   0.1,
                                        823.15, 18000, 5066.25, 3039.75, 30e-9, 0.0,
                                        0.0,    0,     0.0,     NULL,    0.0,   0.0};
        struct exsol_reduce_output o;
        CHECK_EQ_INT(exsol_reduce_run(&m, sol, &in, &o), EXSOL_OK);
        CHECK_EQ_INT(o.status, 0);
        exsol_kwn_result_release(&o.kwn);
    }
    exsol_kwn_solver_destroy(sol);
    exsol_ellingham_free(ell);
    exsol_params_free(p);
}

int main(void)
{
    test_integer_params();
    test_datadir();
    test_empty_dopant();
    return check_report("test_hardening");
}
