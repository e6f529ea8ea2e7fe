/* Row filters, bcftools style: `exsol-table -i 'dual_switch==1 && T_anneal<900'`,
 * `-e EXPR` to exclude, the same language in exsol-rank.
 *
 *   expr     := or
 *   or       := and ('||' and)*
 *   and      := unary ('&&' unary)*
 *   unary    := '!' unary | '(' expr ')' | operand [cmp operand]
 *   cmp      := '==' | '!=' | '<' | '<=' | '>' | '>='
 *   operand  := NAME | NUMBER | 'text' | "text"
 *
 * NAME is a per-candidate variable (numbers in the file's SI units: T_anneal in K,
 * p_H2 in Pa); a NUMBER is a plain decimal (1, -2.5, 1e-3), no units; text compares
 * with text ('Ni', "La0.2Sr0.7Ni0.1Ti0.9O3"), only with == and !=. A bare NAME is
 * true when its number is neither 0 nor missing. A comparison with a missing value
 * (NaN, fill) is false, whatever the operator (so `x!=1` is false where x is NA,
 * `!(x==1)` true). && binds tighter than ||; at most 64 nested '(' or '!'.
 *
 * Parsing checks names (through the caller's lookup) and types before any row is
 * read; errors are EXSOL_EUSAGE with a one-line message that gives the position
 * (1-based character) of the offending text. No I/O here: the caller reads the
 * variables the expression names and hands their values of one row to eval. */
#ifndef EXSOL_EXPR_H
#define EXSOL_EXPR_H

#include <stddef.h>

enum exsol_expr_type { EXSOL_EXPR_NONE = 0, EXSOL_EXPR_NUMBER = 1, EXSOL_EXPR_TEXT = 2 };

typedef struct exsol_expr exsol_expr;

/* The type of variable `name`, or EXSOL_EXPR_NONE if the caller has none by that name.
 * With a message in why (may stay empty) the caller can say why (e.g. "a curve"). */
typedef enum exsol_expr_type (*exsol_expr_lookup)(void *ctx, const char *name, char *why,
                                                  size_t whylen);

/* Parses src. On success *out is the expression (free it with exsol_expr_free). */
int exsol_expr_parse(const char *src, exsol_expr_lookup lookup, void *ctx, exsol_expr **out,
                     char *err, size_t errlen);
void exsol_expr_free(exsol_expr *e); /* accepts NULL */

/* The distinct variables the expression names, in order of first use. */
size_t exsol_expr_nvars(const exsol_expr *e);
const char *exsol_expr_var(const exsol_expr *e, size_t i);
enum exsol_expr_type exsol_expr_var_type(const exsol_expr *e, size_t i);

/* 1 if the row matches, 0 if not. num[i] is variable i's number (NaN: missing) and
 * text[i] its text (NULL: missing), for i < exsol_expr_nvars; the slot of the other
 * type is not read. */
int exsol_expr_eval(const exsol_expr *e, const double *num, const char *const *text);

#endif
