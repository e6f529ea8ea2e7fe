/* Unit tests for exsol/table.h: CSV edge cases, key lookup, unit conversion to SI,
 * the embedded tables and the EXSOL_DATADIR override. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[512];

static exsol_table *parse(const char *text)
{
    exsol_table *t = NULL;
    err[0] = '\0';
    int rc = exsol_table_parse("t", text, strlen(text), &t, err, sizeof err);
    if (rc)
        fprintf(stderr, "parse failed: %s\n", err);
    return t;
}

static int parse_rc(const char *text)
{
    exsol_table *t = NULL;
    err[0] = '\0';
    int rc = exsol_table_parse("t", text, strlen(text), &t, err, sizeof err);
    exsol_table_free(t);
    return rc;
}

static void test_csv(void)
{
    const char *text = "\xef\xbb\xbf# comment line\r\n"
                       "\r\n"
                       "ion, charge ,cn,value,unit,source,confidence\r\n"
                       "  # indented comment\n"
                       "Ni,2,VI,0.69,A,\"Shannon, 1976\",L\r\n"
                       "\n"
                       "Ti,4,VI,0.605,A,\"says \"\"hi\"\"\nand more\",L\n"
                       "La,3,XII,1.36,A,,L";
    exsol_table *t = parse(text);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_STR(exsol_table_name(t), "t");
    CHECK_EQ_INT(exsol_table_nrows(t), 3);
    CHECK_EQ_INT(exsol_table_ncols(t), 7);
    CHECK_EQ_INT(exsol_table_col(t, "ion"), 0);
    CHECK_EQ_INT(exsol_table_col(t, "charge"), 1); /* header names trimmed */
    CHECK_EQ_INT(exsol_table_col(t, "nope"), -1);
    CHECK_STR(exsol_table_cell(t, 0, 5), "Shannon, 1976");
    CHECK_STR(exsol_table_cell(t, 0, 6), "L"); /* no stray \r */
    CHECK_STR(exsol_table_cell(t, 1, 5), "says \"hi\"\nand more");
    CHECK_STR(exsol_table_cell(t, 2, 5), "");
    CHECK_STR(exsol_table_cell(t, 2, 6), "L"); /* last line without newline */
    CHECK(exsol_table_cell(t, 3, 0) == NULL);
    CHECK(exsol_table_cell(t, 0, 7) == NULL);
    CHECK(exsol_table_cell(t, 0, -1) == NULL);

    CHECK_EQ_INT(exsol_table_find(t, "ion", "Ti", NULL), 1);
    CHECK_EQ_INT(exsol_table_find(t, "ion", "Ni", "charge", "2", "cn", "VI", NULL), 0);
    CHECK_EQ_INT(exsol_table_find(t, "ion", "Ni", "charge", "3", NULL), -1);
    CHECK_EQ_INT(exsol_table_find(t, "element", "Ni", NULL), -1);
    CHECK_EQ_INT(exsol_table_find(t, NULL), 0); /* no keys: first row */

    double v = 0;
    CHECK_EQ_INT(exsol_table_value(t, &v, err, sizeof err, "ion", "Ni", "charge", "2", NULL),
                 0);
    CHECK_CLOSE(v, 0.69e-10, 1e-15, 0);
    CHECK_EQ_INT(exsol_table_value(t, &v, err, sizeof err, "ion", "Fe", NULL), EXSOL_EUNKNOWN);
    CHECK_STR(err, "no row with ion=Fe in table 't'");
    exsol_table_free(t);

    /* empty cells, quoted empty cells, quoted field with blanks around the quotes */
    t = parse("a,b,c\n,\"\",  \"x y\"  \n");
    CHECK(t != NULL);
    if (t) {
        CHECK_EQ_INT(exsol_table_nrows(t), 1);
        CHECK_STR(exsol_table_cell(t, 0, 0), "");
        CHECK_STR(exsol_table_cell(t, 0, 1), "");
        CHECK_STR(exsol_table_cell(t, 0, 2), "x y");
    }
    exsol_table_free(t);
    /* header only */
    t = parse("a,b\n# nothing\n");
    CHECK(t != NULL);
    CHECK_EQ_INT(exsol_table_nrows(t), 0);
    exsol_table_free(t);

    /* malformed tables */
    CHECK_EQ_INT(parse_rc(""), EXSOL_EDATASET);
    CHECK_STR(err, "table 't' has no header");
    CHECK_EQ_INT(parse_rc("# only\n\n"), EXSOL_EDATASET);
    CHECK_EQ_INT(parse_rc("a,b\n1,2\n3\n"), EXSOL_EDATASET);
    CHECK_STR(err, "table 't' line 3: 1 fields, the header has 2");
    CHECK_EQ_INT(parse_rc("a,b\n1,2,3\n"), EXSOL_EDATASET);
    CHECK_EQ_INT(parse_rc("a,b\n1,\"2\n"), EXSOL_EDATASET);
    CHECK_STR(err, "table 't' line 2: unterminated quote");
    CHECK_EQ_INT(parse_rc("a,b\n1,\"2\"x\n"), EXSOL_EDATASET);
    CHECK_EQ_INT(parse_rc("a,b\n1,2\"x\n"), EXSOL_EDATASET);
    CHECK_EQ_INT(parse_rc("a,a\n1,2\n"), EXSOL_EDATASET);
    CHECK_STR(err, "table 't': duplicate column 'a'");
    CHECK_EQ_INT(parse_rc("a,,b\n1,2,3\n"), EXSOL_EDATASET);
    {
        const char nul[] = "a,b\n1,\0\n";
        exsol_table *tn = NULL;
        CHECK_EQ_INT(exsol_table_parse("t", nul, sizeof nul - 1, &tn, err, sizeof err),
                     EXSOL_EDATASET);
        CHECK(tn == NULL);
    }

    /* a bad value or unit inside a table is the table's fault */
    t = parse("k,value,unit\nx,abc,K\ny,1,furlong\nz,nan,K\n");
    CHECK(t != NULL);
    if (t) {
        CHECK_EQ_INT(exsol_table_value(t, &v, err, sizeof err, "k", "x", NULL), EXSOL_EDATASET);
        CHECK_STR(err, "table 't' line 2 (k=x): invalid number 'abc'");
        CHECK_EQ_INT(exsol_table_value(t, &v, err, sizeof err, "k", "y", NULL), EXSOL_EDATASET);
        CHECK_STR(err, "table 't' line 3 (k=y): unknown unit 'furlong'");
        CHECK_EQ_INT(exsol_table_value(t, &v, err, sizeof err, "k", "z", NULL), EXSOL_EDATASET);
    }
    exsol_table_free(t);
}

static void unit(const char *u, double value, double want, const char *want_si)
{
    double si = NAN;
    const char *su = NULL;
    int rc = exsol_unit_to_si(u, value, &si, &su);
    if (rc)
        fprintf(stderr, "unit '%s' not known\n", u);
    CHECK_EQ_INT(rc, 0);
    CHECK_CLOSE(si, want, 1e-12, 0);
    if (su)
        CHECK_STR(su, want_si);
}

static void test_units(void)
{
    const double pi = 3.14159265358979323846;
    unit("", 2.0, 2.0, "1");
    unit("1", 2.0, 2.0, "1");
    unit("K", 300.0, 300.0, "K");
    unit("h", 2.0, 7200.0, "s");
    unit("min", 1.0, 60.0, "s");
    unit("A", 3.905, 3.905e-10, "m");
    unit("nm", 5.0, 5e-9, "m");
    unit("cm", 1.0, 1e-2, "m");
    unit("um", 1.0, 1e-6, "m");
    unit("atm", 1.0, 101325.0, "Pa");
    unit("bar", 1.0, 1e5, "Pa");
    unit("eV", 1.0, 1.602176634e-19, "J");
    unit("kJ/mol", -479.0, -479e3, "J mol-1");
    unit("J/mol", 1.0, 1.0, "J mol-1");
    unit("J/K/mol", 1.0, 1.0, "J K-1 mol-1");
    unit("J/mol/K", 1.0, 1.0, "J K-1 mol-1");
    unit("kJ/m3", 1.0, 1e3, "J m-3");
    unit("J/m2", 0.5, 0.5, "J m-2");
    unit("cm2/s", 1.0, 1e-4, "m2 s-1");
    unit("m2/s", 1.0, 1.0, "m2 s-1");
    unit("cm-3", 1e20, 1e26, "m-3");
    unit("m-3", 1.0, 1.0, "m-3");
    unit("um-2", 1.0, 1e12, "m-2");
    unit("cm2/(V s)", 6.0, 6e-4, "m2 V-1 s-1");
    unit("cm2/(V  s)", 6.0, 6e-4, "m2 V-1 s-1"); /* blanks collapsed */
    unit(" m2/(V s) ", 1.0, 1.0, "m2 V-1 s-1");
    unit("A/m", 1.0, 1.0, "A m-1");
    unit("kA/m", 1.0, 1e3, "A m-1");
    unit("emu/cm3", 485.0, 4.85e5, "A m-1"); /* Ni saturation magnetisation */
    unit("g/cm3", 8.9, 8900.0, "kg m-3");
    unit("kg/m3", 1.0, 1.0, "kg m-3");
    unit("g/mol", 58.69, 0.05869, "kg mol-1");
    unit("kg/mol", 1.0, 1.0, "kg mol-1");
    unit("cm3/mol", 1.0, 1e-6, "m3 mol-1");
    unit("m3/mol", 1.0, 1.0, "m3 mol-1");
    unit("A3", 1.0, 1e-30, "m3");
    unit("emu/mol", 1.0, 4 * pi * 1e-6, "m3 mol-1");
    unit("emu K/mol", 1.0, 4 * pi * 1e-6, "m3 K mol-1");
    unit("muB", 0.6, 0.6 * 9.2740100783e-24, "J T-1");
    unit("ohm m", 1.0, 1.0, "ohm m");
    unit("ohm cm", 1.0, 1e-2, "ohm m");
    unit("S/m", 1.0, 1.0, "S m-1");
    double si;
    CHECK_EQ_INT(exsol_unit_to_si("furlong", 1.0, &si, NULL), EXSOL_EUNKNOWN);
    CHECK_EQ_INT(exsol_unit_to_si("C", 1.0, &si, NULL), EXSOL_EUNKNOWN);
    CHECK_EQ_INT(exsol_unit_to_si("ev", 1.0, &si, NULL), EXSOL_EUNKNOWN);
    char longu[200];
    memset(longu, 'm', sizeof longu - 1);
    longu[sizeof longu - 1] = '\0';
    CHECK_EQ_INT(exsol_unit_to_si(longu, 1.0, &si, NULL), EXSOL_EUNKNOWN);
}

static void test_load(void)
{
    exsol_table *t = NULL;
    unsetenv("EXSOL_DATADIR");
    CHECK_EQ_INT(exsol_table_load("test-parameters", &t, err, sizeof err), 0);
    CHECK(t != NULL);
    if (t) {
        CHECK_STR(exsol_table_name(t), "test-parameters");
        CHECK(exsol_table_find(t, "name", "E_a", NULL) >= 0);
        double v = 0;
        CHECK_EQ_INT(exsol_table_value(t, &v, err, sizeof err, "name", "E_a", NULL), 0);
        CHECK_CLOSE(v, 1.2 * 1.602176634e-19, 1e-12, 0);
    }
    exsol_table_free(t);
    t = NULL;
    CHECK_EQ_INT(exsol_table_load("no-such-table", &t, err, sizeof err), EXSOL_EDATASET);
    CHECK(t == NULL);
    CHECK_EQ_INT(exsol_table_load("../etc/passwd", &t, err, sizeof err), EXSOL_EDATASET);
    CHECK_EQ_INT(exsol_table_load("", &t, err, sizeof err), EXSOL_EDATASET);

    /* EXSOL_DATADIR: a user's copy wins, other tables still come from the build */
    char dir[] = "/tmp/exsol-test-table-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp failed");
        return;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/test-parameters.csv", dir);
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (fp) {
        fputs("name,value,unit\nE_a,2.5,eV\n", fp);
        fclose(fp);
    }
    char bad[512];
    snprintf(bad, sizeof bad, "%s/broken.csv", dir);
    fp = fopen(bad, "w");
    if (fp) {
        fputs("a,b\n1\n", fp);
        fclose(fp);
    }
    setenv("EXSOL_DATADIR", dir, 1);
    CHECK_EQ_INT(exsol_table_load("test-parameters", &t, err, sizeof err), 0);
    if (t) {
        CHECK_STR(exsol_table_name(t), "test-parameters");
        CHECK_EQ_INT(exsol_table_ncols(t), 3);
        double v = 0;
        CHECK_EQ_INT(exsol_table_value(t, &v, err, sizeof err, "name", "E_a", NULL), 0);
        CHECK_CLOSE(v, 2.5 * 1.602176634e-19, 1e-12, 0);
    }
    exsol_table_free(t);
    t = NULL;
    CHECK_EQ_INT(exsol_table_load("broken", &t, err, sizeof err), EXSOL_EDATASET);
    CHECK(strstr(err, "broken.csv' line 2") != NULL); /* the message names the user's file */
    CHECK_EQ_INT(exsol_table_load("no-such-table", &t, err, sizeof err), EXSOL_EDATASET);
    unlink(path);
    unlink(bad);
    rmdir(dir);
    unsetenv("EXSOL_DATADIR");
}

int main(void)
{
    test_csv();
    test_units();
    test_load();
    return check_report("test_table");
}
