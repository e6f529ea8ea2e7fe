/* The row filter language (libcore/base/expr.c): every operator on a row, missing
 * values, precedence, and a one-line EXSOL_EUSAGE error with a position for each kind
 * of bad expression. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/expr.h"

#include <math.h>
#include <string.h>

/* The test's "file": T (K), dual (0/1), x (NaN in the row), formula, dopant (text). */
static enum exsol_expr_type lookup(void *ctx, const char *name, char *why, size_t len)
{
    (void)ctx;
    if (!strcmp(name, "T") || !strcmp(name, "dual") || !strcmp(name, "x"))
        return EXSOL_EXPR_NUMBER;
    if (!strcmp(name, "formula") || !strcmp(name, "dopant"))
        return EXSOL_EXPR_TEXT;
    if (!strcmp(name, "rho_T"))
        snprintf(why, len, "a curve");
    return EXSOL_EXPR_NONE;
}

/* Evaluates src on the row T = 823.15, dual = 1, x = NaN, formula = LSNT, dopant = Ni.
 * Returns 0/1, or -1 with the parse error in err. */
static char err[512];
static int eval(const char *src)
{
    exsol_expr *e;
    err[0] = '\0';
    if (exsol_expr_parse(src, lookup, NULL, &e, err, sizeof err) != 0)
        return -1;
    double num[8];
    const char *text[8];
    for (size_t i = 0; i < exsol_expr_nvars(e); i++) {
        const char *n = exsol_expr_var(e, i);
        num[i] = !strcmp(n, "T") ? 823.15 : !strcmp(n, "dual") ? 1.0 : NAN;
        text[i] = !strcmp(n, "formula")  ? "La0.2Sr0.7Ni0.1Ti0.9O3"
                  : !strcmp(n, "dopant") ? "Ni"
                                         : NULL;
    }
    int r = exsol_expr_eval(e, num, text);
    exsol_expr_free(e);
    return r;
}

/* A bad expression: EXSOL_EUSAGE, one line, containing `want`. */
static void bad(const char *src, const char *want)
{
    exsol_expr *e = (exsol_expr *)1;
    int rc = exsol_expr_parse(src, lookup, NULL, &e, err, sizeof err);
    CHECK_EQ_INT(rc, EXSOL_EUSAGE);
    CHECK(e == NULL);
    CHECK(strchr(err, '\n') == NULL);
    if (!strstr(err, want))
        fprintf(stderr, "  '%s': message \"%s\" lacks \"%s\"\n", src, err, want);
    CHECK(strstr(err, want) != NULL);
}

int main(void)
{
    /* each comparison, true and false */
    CHECK_EQ_INT(eval("dual==1"), 1);
    CHECK_EQ_INT(eval("dual==0"), 0);
    CHECK_EQ_INT(eval("dual!=0"), 1);
    CHECK_EQ_INT(eval("dual!=1"), 0);
    CHECK_EQ_INT(eval("T<900"), 1);
    CHECK_EQ_INT(eval("T<823.15"), 0);
    CHECK_EQ_INT(eval("T<=823.15"), 1);
    CHECK_EQ_INT(eval("T<=800"), 0);
    CHECK_EQ_INT(eval("T>800"), 1);
    CHECK_EQ_INT(eval("T>823.15"), 0);
    CHECK_EQ_INT(eval("T>=823.15"), 1);
    CHECK_EQ_INT(eval("T>=900"), 0);
    CHECK_EQ_INT(eval("900>T"), 1); /* the variable on either side */
    CHECK_EQ_INT(eval("T > 8.2315e2 - 0"), -1);
    /* logic */
    CHECK_EQ_INT(eval("dual==1 && T<900"), 1);
    CHECK_EQ_INT(eval("dual==1 && T>900"), 0);
    CHECK_EQ_INT(eval("dual==0 || T<900"), 1);
    CHECK_EQ_INT(eval("dual==0 || T>900"), 0);
    CHECK_EQ_INT(eval("!(T>900)"), 1);
    CHECK_EQ_INT(eval("!dual"), 0);
    CHECK_EQ_INT(eval("!!dual"), 1);
    CHECK_EQ_INT(eval("dual"), 1);
    /* && binds tighter than ||; parentheses change it */
    CHECK_EQ_INT(eval("dual==1 || T>900 && dual==0"), 1);
    CHECK_EQ_INT(eval("(dual==1 || T>900) && dual==0"), 0);
    CHECK_EQ_INT(eval("((((T<900))))"), 1);
    /* text */
    CHECK_EQ_INT(eval("dopant=='Ni'"), 1);
    CHECK_EQ_INT(eval("dopant==\"Co\""), 0);
    CHECK_EQ_INT(eval("dopant!='Co' && formula=='La0.2Sr0.7Ni0.1Ti0.9O3'"), 1);
    CHECK_EQ_INT(eval("'Ni'==dopant"), 1);
    /* missing: every comparison false, a bare missing variable false */
    CHECK_EQ_INT(eval("x==1"), 0);
    CHECK_EQ_INT(eval("x!=1"), 0);
    CHECK_EQ_INT(eval("x<1 || x>=1"), 0);
    CHECK_EQ_INT(eval("!(x==1)"), 1);
    CHECK_EQ_INT(eval("x"), 0);
    /* numbers */
    CHECK_EQ_INT(eval("T>-1"), 1);
    CHECK_EQ_INT(eval("T<1e3"), 1);
    CHECK_EQ_INT(eval("T>.5"), 1);

    /* errors: one line, exit-2 code, the position */
    bad("foo==1", "unknown variable 'foo' at position 1");
    bad("dual==1 && rho_T>1", "unknown variable 'rho_T' at position 12: a curve");
    bad("dual==", "syntax error at position 7");
    bad("dual=1", "position 5: '=' is not an operator (use ==)");
    bad("dopant=\"Ni\"", "position 7: '=' is not an operator");
    bad("dual==1 & T<900", "'&' is not an operator");
    bad("dual==1 | T<900", "'|' is not an operator");
    bad("(dual==1", "expected ')'");
    bad("dual==1)", "unbalanced ')'");
    bad("", "empty expression");
    bad("   ", "empty expression");
    bad("T<900C", "position 6: a number takes no unit");
    bad("dopant=='Ni", "unterminated text");
    bad("dopant<'Ni'", "text compares only with == and !=");
    bad("dopant==1", "type error at position 7");
    bad("T=='x'", "compares a number with text");
    bad("dopant", "a text variable needs a comparison");
    bad("1==1", "a comparison needs a variable");
    bad("T<900 T>1", "position 7: expected && or ||");
    bad("&&", "position 1: expected a variable");
    bad("T<nan", "unknown variable 'nan'");
    {
        char deep[300];
        memset(deep, '(', 100);
        memcpy(deep + 100, "T<1", 4);
        bad(deep, "nested more than 64 deep");
        memset(deep, '!', 200);
        memcpy(deep + 200, "dual", 5);
        bad(deep, "nested more than 64 deep");
    }
    {
        exsol_expr *e;
        CHECK_EQ_INT(exsol_expr_parse("T<1 && dual || T>2 && dopant=='Ni'", lookup, NULL, &e,
                                      err, sizeof err),
                     0);
        CHECK_EQ_INT(exsol_expr_nvars(e), 3); /* T, dual, dopant: each once */
        CHECK_STR(exsol_expr_var(e, 2), "dopant");
        CHECK_EQ_INT(exsol_expr_var_type(e, 2), EXSOL_EXPR_TEXT);
        exsol_expr_free(e);
    }
    return check_report("test_expr");
}
