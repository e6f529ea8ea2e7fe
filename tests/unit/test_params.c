/* Unit tests for exsol/params.h against the fixture datasets/test-parameters.csv
 * (E_a 1.2 eV in [0,5]; D0 1e-4 cm2/s, >= 0; thickness 30 nm in [1,1000];
 * fraction 0.5 in [0,1]), plus merged and broken tables through EXSOL_DATADIR. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/params.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EV 1.602176634e-19

static char err[1024];

static long index_of(const exsol_params *p, const char *name)
{
    for (size_t i = 0; i < exsol_params_count(p); i++)
        if (strcmp(exsol_params_name(p, i), name) == 0)
            return (long)i;
    return -1;
}

static int set(exsol_params *p, const char *a)
{
    err[0] = '\0';
    return exsol_params_set(p, a, err, sizeof err);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

static void test_defaults_and_set(void)
{
    exsol_params *p = NULL;
    unsetenv("EXSOL_DATADIR");
    CHECK_EQ_INT(exsol_params_load("test", &p, err, sizeof err), 0);
    if (!p) {
        fprintf(stderr, "load failed: %s\n", err);
        CHECK(!"load");
        return;
    }
    CHECK_STR(exsol_params_stage(p), "test");
    CHECK_EQ_INT(exsol_params_count(p), 4);
    CHECK_CLOSE(exsol_params_get(p, "E_a"), 1.2 * EV, 1e-14, 0);
    CHECK_CLOSE(exsol_params_get(p, "D0"), 1e-8, 1e-14, 0);
    CHECK_CLOSE(exsol_params_get(p, "thickness"), 30e-9, 1e-14, 0);
    CHECK(isnan(exsol_params_get(p, "nope")));
    double v = 0;
    CHECK_EQ_INT(exsol_params_lookup(p, "nope", &v), EXSOL_EUNKNOWN);
    CHECK_EQ_INT(exsol_params_lookup(p, "fraction", &v), 0);
    CHECK(v == 0.5);
    long ie = index_of(p, "E_a");
    CHECK(ie >= 0);
    CHECK_STR(exsol_params_si_unit(p, (size_t)ie), "J");
    CHECK_STR(exsol_params_source(p, (size_t)ie), "test fixture");
    CHECK_STR(exsol_params_origin(p, (size_t)ie), "default");
    CHECK_STR(exsol_params_description(p, (size_t)ie),
              "activation energy, bounded to [0, 5] eV");
    CHECK_STR(exsol_params_si_unit(p, (size_t)index_of(p, "D0")), "m2 s-1");
    CHECK_STR(exsol_params_si_unit(p, (size_t)index_of(p, "fraction")), "1");
    CHECK(exsol_params_name(p, 99) == NULL);

    /* bare number: the table's unit */
    CHECK_EQ_INT(set(p, "E_a=2"), 0);
    CHECK_CLOSE(exsol_params_get(p, "E_a"), 2 * EV, 1e-14, 0);
    CHECK_STR(exsol_params_origin(p, (size_t)ie), "--set");
    /* suffix of the same dimension, blanks tolerated */
    CHECK_EQ_INT(set(p, " E_a = 96.485 kJ/mol"), EXSOL_EVALUE); /* J/mol is not J */
    CHECK_STR(err, "unit 'kJ/mol' in '96.485 kJ/mol' does not match parameter 'E_a' (unit eV)");
    CHECK_EQ_INT(set(p, "E_a=3.2e-19J"), 0);
    CHECK_CLOSE(exsol_params_get(p, "E_a"), 3.2e-19, 1e-14, 0);
    CHECK_EQ_INT(set(p, "E_a = 500meV"), 0);
    CHECK_CLOSE(exsol_params_get(p, "E_a"), 0.5 * EV, 1e-14, 0);
    CHECK_EQ_INT(set(p, "thickness=0.1um"), 0);
    CHECK_CLOSE(exsol_params_get(p, "thickness"), 1e-7, 1e-14, 0);
    CHECK_EQ_INT(set(p, "D0=2e-9 m2/s"), 0);
    CHECK_CLOSE(exsol_params_get(p, "D0"), 2e-9, 1e-14, 0);
    CHECK_EQ_INT(set(p, "fraction=25%"), 0);
    CHECK_CLOSE(exsol_params_get(p, "fraction"), 0.25, 1e-14, 0);
    /* bounds are inclusive, including when reached through another unit */
    CHECK_EQ_INT(set(p, "thickness=1um"), 0);
    CHECK_EQ_INT(set(p, "E_a=5"), 0);
    CHECK_EQ_INT(set(p, "E_a=0"), 0);

    /* failures leave the value and origin alone */
    double before = exsol_params_get(p, "thickness");
    CHECK_EQ_INT(set(p, "thickness=2um"), EXSOL_EVALUE);
    CHECK_STR(err, "value '2um' for parameter 'thickness' is above its maximum 1000 nm");
    CHECK_EQ_INT(set(p, "thickness=0.5"), EXSOL_EVALUE);
    CHECK_STR(err, "value '0.5' for parameter 'thickness' is below its minimum 1 nm");
    CHECK(exsol_params_get(p, "thickness") == before);
    CHECK_EQ_INT(set(p, "D0=-1"), EXSOL_EVALUE);
    CHECK_EQ_INT(set(p, "fraction=1.5"), EXSOL_EVALUE);
    CHECK_STR(err, "value '1.5' for parameter 'fraction' is above its maximum 1");
    CHECK_EQ_INT(set(p, "E_a=5.0001"), EXSOL_EVALUE);
    CHECK_EQ_INT(set(p, "E_a=nan"), EXSOL_EVALUE);
    CHECK_EQ_INT(set(p, "E_a=inf"), EXSOL_EVALUE);
    CHECK_EQ_INT(set(p, "E_a=1e999"), EXSOL_EVALUE);
    CHECK_EQ_INT(set(p, "E_a=1,5"), EXSOL_EVALUE);
    CHECK_EQ_INT(set(p, "E_a="), EXSOL_EVALUE);
    CHECK_EQ_INT(set(p, "E_a=1 furlong"), EXSOL_EVALUE);
    CHECK_STR(err, "unknown unit 'furlong' in '1 furlong' for parameter 'E_a' (unit eV)");
    CHECK_EQ_INT(set(p, "thickness=30 K"), EXSOL_EVALUE);
    CHECK_EQ_INT(set(p, "E_a"), EXSOL_EUSAGE);
    CHECK_EQ_INT(set(p, "=3"), EXSOL_EUSAGE);
    CHECK_EQ_INT(set(p, "Ea=1"), EXSOL_EUNKNOWN);
    CHECK_STR(err,
              "unknown parameter 'Ea' for exsol-test (known: E_a, D0, thickness, fraction)");
    CHECK_EQ_INT(set(p, "e_a=1"), EXSOL_EUNKNOWN); /* names are case-sensitive */
    exsol_params_free(p);
    exsol_params_free(NULL);
}

static void test_file(void)
{
    exsol_params *p = NULL;
    CHECK_EQ_INT(exsol_params_load("test", &p, err, sizeof err), 0);
    if (!p)
        return;
    char path[] = "/tmp/exsol-test-params-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) {
        exsol_params_free(p);
        return;
    }
    close(fd);
    write_file(path, "# overrides for a test\r\n"
                     "\n"
                     "E_a = 0.8   # eV\r\n"
                     "   thickness=50nm\n"
                     "fraction = 10%");
    CHECK_EQ_INT(exsol_params_read_file(p, path, err, sizeof err), 0);
    CHECK_CLOSE(exsol_params_get(p, "E_a"), 0.8 * EV, 1e-14, 0);
    CHECK_CLOSE(exsol_params_get(p, "thickness"), 50e-9, 1e-14, 0);
    CHECK_CLOSE(exsol_params_get(p, "fraction"), 0.1, 1e-14, 0);
    CHECK_STR(exsol_params_origin(p, (size_t)index_of(p, "E_a")), "file");
    CHECK_STR(exsol_params_origin(p, (size_t)index_of(p, "D0")), "default");
    /* a later --set wins over the file (command-line order) */
    CHECK_EQ_INT(set(p, "E_a=1"), 0);
    CHECK_STR(exsol_params_origin(p, (size_t)index_of(p, "E_a")), "--set");

    char want[1200];
    write_file(path, "E_a = 1\n# fine\nbogus = 3\n");
    CHECK_EQ_INT(exsol_params_read_file(p, path, err, sizeof err), EXSOL_EUNKNOWN);
    snprintf(want, sizeof want,
             "%s:3: unknown parameter 'bogus' for exsol-test (known: E_a, D0, thickness, "
             "fraction)",
             path);
    CHECK_STR(err, want);
    write_file(path, "\n\nthickness = 5000 nm\n");
    CHECK_EQ_INT(exsol_params_read_file(p, path, err, sizeof err), EXSOL_EVALUE);
    snprintf(want, sizeof want,
             "%s:3: value '5000 nm' for parameter 'thickness' is above its maximum 1000 nm",
             path);
    CHECK_STR(err, want);
    write_file(path, "E_a 1\n");
    CHECK_EQ_INT(exsol_params_read_file(p, path, err, sizeof err), EXSOL_EVALUE);
    snprintf(want, sizeof want, "%s:1: expected NAME = VALUE, got 'E_a 1'", path);
    CHECK_STR(err, want);
    write_file(path, "= 1\n");
    CHECK_EQ_INT(exsol_params_read_file(p, path, err, sizeof err), EXSOL_EVALUE);
    unlink(path);
    CHECK_EQ_INT(exsol_params_read_file(p, path, err, sizeof err), EXSOL_EIO);
    exsol_params_free(p);
}

static void test_tables(void)
{
    char dir[] = "/tmp/exsol-test-params-dir-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char a[600], b[600], c[600], d[600];
    snprintf(a, sizeof a, "%s/other-parameters.csv", dir);
    snprintf(b, sizeof b, "%s/dup-parameters.csv", dir);
    snprintf(c, sizeof c, "%s/nosource-parameters.csv", dir);
    snprintf(d, sizeof d, "%s/badunit-parameters.csv", dir);
    const char *hdr = "name,value,unit,min,max,source,confidence,description\n";
    char text[512];
    snprintf(text, sizeof text, "%sT_ref,1000,K,,,x,D,ref\nk_s,1e-7,m/s,0,,y,U,rate\n", hdr);
    write_file(a, text);
    snprintf(text, sizeof text, "%sfraction,0.2,1,0,1,x,T,dup\n", hdr);
    write_file(b, text);
    snprintf(text, sizeof text, "%sq,1,1,,,,T,no source\n", hdr);
    write_file(c, text);
    snprintf(text, sizeof text, "%sq,1,furlong,,,x,T,bad unit\n", hdr);
    write_file(d, text);
    setenv("EXSOL_DATADIR", dir, 1);

    exsol_params *p = NULL;
    CHECK_EQ_INT(exsol_params_load("test+other", &p, err, sizeof err), 0);
    if (p) {
        CHECK_STR(exsol_params_stage(p), "test");
        CHECK_EQ_INT(exsol_params_count(p), 6);
        CHECK_CLOSE(exsol_params_get(p, "T_ref"), 1000.0, 0, 0);
        CHECK_EQ_INT(set(p, "T_ref=550C"), 0);
        CHECK_CLOSE(exsol_params_get(p, "T_ref"), 823.15, 1e-14, 0);
        CHECK_EQ_INT(set(p, "T_ref=-300C"), EXSOL_EVALUE);
        CHECK_EQ_INT(set(p, "k_s=1e-5 cm/s"), 0);
        CHECK_CLOSE(exsol_params_get(p, "k_s"), 1e-7, 1e-14, 0);
    }
    exsol_params_free(p);
    p = NULL;
    CHECK_EQ_INT(exsol_params_load("test+dup", &p, err, sizeof err), EXSOL_EDATASET);
    CHECK(p == NULL);
    CHECK(strstr(err, "'fraction'") != NULL);
    CHECK_EQ_INT(exsol_params_load("nosource", &p, err, sizeof err), EXSOL_EDATASET);
    CHECK_EQ_INT(exsol_params_load("badunit", &p, err, sizeof err), EXSOL_EDATASET);
    CHECK_EQ_INT(exsol_params_load("absent", &p, err, sizeof err), EXSOL_EDATASET);
    CHECK_EQ_INT(exsol_params_load("", &p, err, sizeof err), EXSOL_EDATASET);
    CHECK_EQ_INT(exsol_params_load("+", &p, err, sizeof err), EXSOL_EDATASET);
    unsetenv("EXSOL_DATADIR");
    unlink(a);
    unlink(b);
    unlink(c);
    unlink(d);
    rmdir(dir);
}

int main(void)
{
    test_defaults_and_set();
    test_file();
    test_tables();
    return check_report("test_params");
}
