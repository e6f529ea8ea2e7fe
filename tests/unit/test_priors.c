/* Unit tests for the machine-readable priors (exsol/params.h: the `prior` column):
 * the parser and its refusals, the inverse CDFs, the registry's checks on a table with
 * the column (a U parameter without a prior, a prior outside [min,max]) and the clone. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[512];

static int parse(const char *t, double lo, double hi, struct exsol_prior *pr)
{
    err[0] = '\0';
    return exsol_prior_parse(t, lo, hi, pr, err, sizeof err);
}

static void test_parse(void)
{
    struct exsol_prior pr;
    CHECK_EQ_INT(parse("fixed", 0, 1, &pr), 0);
    CHECK_EQ_INT(pr.kind, EXSOL_PRIOR_FIXED);
    CHECK_EQ_INT(parse("uniform(0.3,1.5)", 0.05, 3, &pr), 0);
    CHECK_EQ_INT(pr.kind, EXSOL_PRIOR_UNIFORM);
    CHECK_CLOSE(pr.lo, 0.3, 0, 0);
    CHECK_CLOSE(pr.hi, 1.5, 0, 0);
    CHECK_EQ_INT(parse("normal(0,0.2)", -2, 2, &pr), 0);
    CHECK_CLOSE(pr.lo, -2, 0, 0); /* truncated to the bounds by default */
    CHECK_EQ_INT(parse("normal(1.4,0.2) in [1,2]", 0.5, 3, &pr), 0);
    CHECK_CLOSE(pr.lo, 1, 0, 0);
    CHECK_CLOSE(pr.hi, 2, 0, 0);
    CHECK_EQ_INT(parse("log10normal(2.331,1) in [0.02331,233.1]", 1e-4, 1e4, &pr), 0);
    CHECK_EQ_INT(pr.kind, EXSOL_PRIOR_LOG10NORMAL);
    CHECK_EQ_INT(
        parse("loguniform(3.162e-21,3.162e-19) arrhenius(E_a,823.15)", 1e-12, 1e3, &pr), 0);
    CHECK_STR(pr.ref_param, "E_a");
    CHECK_CLOSE(pr.ref_T, 823.15, 0, 0);
    CHECK_EQ_INT(parse("normal(0,0.2)", NAN, NAN, &pr), 0); /* unbounded */
    CHECK(isinf(pr.lo) && isinf(pr.hi));

    /* refusals */
    CHECK_EQ_INT(parse("gauss(0,1)", 0, 1, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("normal(0,0)", -1, 1, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("normal(0)", -1, 1, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("uniform(2,1)", 0, 3, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("uniform(0,4)", 0, 3, &pr), EXSOL_EVALUE); /* leaves [min,max] */
    CHECK(strstr(err, "bounds") != NULL);
    CHECK_EQ_INT(parse("loguniform(0,1)", 0, 3, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("log10normal(-1,1)", 0, 3, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("normal(0,1) in [-5,5]", -2, 2, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("uniform(0,1) in [0,1]", 0, 1, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("uniform(0,1) trailing", 0, 1, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("uniform(0,1) arrhenius(E_a,-3)", 0, 1, &pr), EXSOL_EVALUE);
    CHECK_EQ_INT(parse("normal(nan,1)", 0, 1, &pr), EXSOL_EVALUE);
}

static void test_quantile(void)
{
    struct exsol_prior pr;
    CHECK_EQ_INT(parse("uniform(2,4)", 0, 5, &pr), 0);
    CHECK_CLOSE(exsol_prior_quantile(&pr, 0.25), 2.5, 1e-15, 0);
    CHECK_EQ_INT(parse("loguniform(1e15,1e19)", 0, 1e20, &pr), 0);
    CHECK_CLOSE(exsol_prior_quantile(&pr, 0.5), 1e17, 1e-12, 0);
    CHECK_EQ_INT(parse("normal(1,2)", NAN, NAN, &pr), 0);
    CHECK_CLOSE(exsol_prior_quantile(&pr, 0.5), 1.0, 0, 1e-12);
    CHECK_CLOSE(exsol_prior_quantile(&pr, 0.8413447460685429), 3.0, 0, 1e-9);
    CHECK_EQ_INT(parse("log10normal(2.331,1) in [0.02331,233.1]", 1e-4, 1e4, &pr), 0);
    CHECK_CLOSE(exsol_prior_quantile(&pr, 0.5), 2.331, 1e-9, 0); /* symmetric truncation */
    for (int k = 1; k < 100; k++) {
        double x = exsol_prior_quantile(&pr, k / 100.0);
        CHECK(x >= 0.02331 && x <= 233.1);
    }
    CHECK_EQ_INT(parse("normal(0,0.2)", 0, 2, &pr), 0); /* one-sided truncation */
    CHECK(exsol_prior_quantile(&pr, 1e-6) >= 0);
    CHECK(isnan(exsol_prior_quantile(&pr, 0)) && isnan(exsol_prior_quantile(&pr, 1)));
    CHECK_EQ_INT(parse("fixed", 0, 1, &pr), 0);
    CHECK(isnan(exsol_prior_quantile(&pr, 0.5)));
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

static void test_tables(void)
{
    char dir[] = "/tmp/exsol-test-priors-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    const char *hdr =
        "name,value,unit,min,max,source,confidence,description,prior,prior_source\n";
    const char *names[] = {"good", "noprior", "outside", "nosrc"};
    const char *rows[] = {
        "a,0.5,1,0,1,x,U,d,\"uniform(0.2,0.8)\",s\nb,2,eV,0,5,x,L,d,,\nc,1,1,0,,x,U,d,fixed,\n",
        "a,0.5,1,0,1,x,U,d,,\n", "a,0.5,1,0,1,x,U,d,\"uniform(0.2,1.8)\",s\n",
        "a,0.5,1,0,1,x,U,d,\"uniform(0.2,0.8)\",\n"};
    char path[4][600], text[512];
    for (int k = 0; k < 4; k++) {
        snprintf(path[k], sizeof path[k], "%s/%s-parameters.csv", dir, names[k]);
        snprintf(text, sizeof text, "%s%s", hdr, rows[k]);
        write_file(path[k], text);
    }
    setenv("EXSOL_DATADIR", dir, 1);
    exsol_params *p = NULL;
    CHECK_EQ_INT(exsol_params_load("good", &p, err, sizeof err), 0);
    if (p) {
        const struct exsol_prior *pr = exsol_params_prior(p, 0);
        CHECK(pr && pr->kind == EXSOL_PRIOR_UNIFORM);
        CHECK(exsol_params_prior(p, 1) == NULL);
        CHECK(exsol_params_prior(p, 2) && exsol_params_prior(p, 2)->kind == EXSOL_PRIOR_FIXED);
        CHECK_EQ_INT(exsol_params_confidence(p, 0), 'U');
        CHECK_STR(exsol_params_prior_source(p, 0), "s");
        CHECK_STR(exsol_params_unit(p, 1), "eV");
        CHECK_EQ_INT(exsol_params_set(p, "a=0.7", err, sizeof err), 0);
        exsol_params *c = exsol_params_clone(p);
        CHECK(c != NULL);
        if (c) {
            CHECK_EQ_INT(exsol_params_count(c), 3);
            CHECK_CLOSE(exsol_params_get(c, "a"), 0.7, 0, 0);
            CHECK_STR(exsol_params_origin(c, 0), "--set");
            CHECK(exsol_params_prior(c, 0) && exsol_params_prior(c, 0)->hi == 0.8);
            CHECK_EQ_INT(exsol_params_set(c, "a=0.1", err, sizeof err), 0);
            CHECK_CLOSE(exsol_params_get(p, "a"), 0.7, 0, 0); /* a deep copy */
        }
        exsol_params_free(c);
    }
    exsol_params_free(p);
    p = NULL;
    CHECK_EQ_INT(exsol_params_load("noprior", &p, err, sizeof err), EXSOL_EDATASET);
    CHECK(strstr(err, "no prior") != NULL);
    CHECK_EQ_INT(exsol_params_load("outside", &p, err, sizeof err), EXSOL_EDATASET);
    CHECK(strstr(err, "bounds") != NULL);
    CHECK_EQ_INT(exsol_params_load("nosrc", &p, err, sizeof err), EXSOL_EDATASET);
    CHECK(strstr(err, "prior_source") != NULL);
    unsetenv("EXSOL_DATADIR");
    for (int k = 0; k < 4; k++)
        unlink(path[k]);
    rmdir(dir);
}

int main(void)
{
    test_parse();
    test_quantile();
    test_tables();
    return check_report("test_priors");
}
