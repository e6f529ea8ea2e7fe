/* Row filter expressions (exsol/expr.h): a recursive-descent parser into a small
 * tree of nodes kept in one array, and its evaluation for one row. */
#include "exsol/expr.h"

#include "exsol/error.h"
#include "exsol/parse.h"
#include "grow.h"
#include "parse_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_NODES 4096
#define NAME_MAX_LEN 256

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
enum node_kind { N_OR, N_AND, N_NOT, N_CMP, N_TRUTH };
enum operand_kind { O_VAR, O_NUM, O_TEXT };

struct operand {
    enum operand_kind kind;
    size_t var; /* O_VAR */
    double num; /* O_NUM */
    char *text; /* O_TEXT */
};

struct node {
    enum node_kind kind;
    size_t a, b; /* children (N_OR, N_AND: a and b; N_NOT: a) */
    enum op op;  /* N_CMP */
    struct operand l, r;
    size_t var; /* N_TRUTH */
};

struct var {
    char *name;
    enum exsol_expr_type type;
};

struct exsol_expr {
    struct node *nodes;
    size_t nnodes, capnodes;
    struct var *vars;
    size_t nvars, capvars;
    size_t root;
};

struct parser {
    const char *src;
    size_t pos;
    int depth;
    exsol_expr *e;
    exsol_expr_lookup lookup;
    void *ctx;
    char *err;
    size_t errlen;
};

static const char *const op_text[] = {"==", "!=", "<", "<=", ">", ">="};

static void skip_ws(struct parser *p)
{
    while (p->src[p->pos] == ' ' || p->src[p->pos] == '\t' || p->src[p->pos] == '\n' ||
           p->src[p->pos] == '\r')
        p->pos++;
}

/* "syntax error at position N: <what> (near '...')" */
static int syntax(struct parser *p, size_t at, const char *what)
{
    const char *near = p->src + at;
    if (!*near)
        return exsol_seterr(p->err, p->errlen, EXSOL_EUSAGE,
                            "syntax error at position %zu: %s (at the end of the expression)",
                            at + 1, what);
    char shown[13]; /* up to 12 characters, printable ones only: one line */
    size_t n = 0;
    while (n < 12 && near[n] >= ' ' && near[n] != 0x7f)
        shown[n] = near[n], n++;
    shown[n] = '\0';
    return exsol_seterr(p->err, p->errlen, EXSOL_EUSAGE,
                        "syntax error at position %zu: %s (near '%s')", at + 1, what, shown);
}

static int new_node(struct parser *p, enum node_kind kind, size_t *out)
{
    exsol_expr *e = p->e;
    if (e->nnodes >= MAX_NODES)
        return exsol_seterr(p->err, p->errlen, EXSOL_EUSAGE,
                            "expression too long (more than %d terms)", MAX_NODES);
    if (exsol_grow((void **)&e->nodes, &e->capnodes, e->nnodes, sizeof *e->nodes))
        return exsol_seterr(p->err, p->errlen, EXSOL_ENOMEM, "out of memory");
    memset(&e->nodes[e->nnodes], 0, sizeof e->nodes[0]);
    e->nodes[e->nnodes].kind = kind;
    *out = e->nnodes++;
    return 0;
}

static int is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

/* The variable's index, adding it (after the caller's lookup) when new. */
static int find_var(struct parser *p, const char *name, size_t at, size_t *out)
{
    exsol_expr *e = p->e;
    for (size_t i = 0; i < e->nvars; i++)
        if (strcmp(e->vars[i].name, name) == 0) {
            *out = i;
            return 0;
        }
    char why[256] = "";
    enum exsol_expr_type t = p->lookup ? p->lookup(p->ctx, name, why, sizeof why) : 0;
    if (t != EXSOL_EXPR_NUMBER && t != EXSOL_EXPR_TEXT)
        return exsol_seterr(p->err, p->errlen, EXSOL_EUSAGE,
                            "unknown variable '%s' at position %zu%s%s", name, at + 1,
                            why[0] ? ": " : "", why);
    if (exsol_grow((void **)&e->vars, &e->capvars, e->nvars, sizeof *e->vars))
        return exsol_seterr(p->err, p->errlen, EXSOL_ENOMEM, "out of memory");
    if (!(e->vars[e->nvars].name = strdup(name)))
        return exsol_seterr(p->err, p->errlen, EXSOL_ENOMEM, "out of memory");
    e->vars[e->nvars].type = t;
    *out = e->nvars++;
    return 0;
}

/* An operand at p->pos: a name, a number or a quoted text. *found = 0 (and nothing
 * consumed) if there is none. */
static int operand(struct parser *p, struct operand *o, int *found)
{
    skip_ws(p);
    const char *s = p->src + p->pos;
    size_t at = p->pos;
    *found = 1;
    if (is_name_start(*s)) {
        size_t n = 1;
        while (is_name_char(s[n]))
            n++;
        if (n >= NAME_MAX_LEN)
            return syntax(p, at, "name too long");
        char name[NAME_MAX_LEN];
        memcpy(name, s, n);
        name[n] = '\0';
        p->pos += n;
        o->kind = O_VAR;
        return find_var(p, name, at, &o->var);
    }
    if (*s == '\'' || *s == '"') {
        const char *q = strchr(s + 1, *s);
        if (!q)
            return syntax(p, at, "unterminated text (no closing quote)");
        size_t n = (size_t)(q - s - 1);
        o->kind = O_TEXT;
        if (!(o->text = malloc(n + 1)))
            return exsol_seterr(p->err, p->errlen, EXSOL_ENOMEM, "out of memory");
        memcpy(o->text, s + 1, n);
        o->text[n] = '\0';
        p->pos += n + 2;
        return 0;
    }
    size_t n = exsol_parse_scan_number(s, strlen(s));
    if (n > 0) {
        char buf[128], msg[256];
        if (n >= sizeof buf)
            return syntax(p, at, "number too long");
        memcpy(buf, s, n);
        buf[n] = '\0';
        if (is_name_char(s[n]) || s[n] == '.')
            return syntax(p, at + n, "a number takes no unit or suffix (values are SI)");
        if (exsol_parse_double(buf, &o->num, msg, sizeof msg) != 0)
            return syntax(p, at, "not a finite number");
        o->kind = O_NUM;
        p->pos += n;
        return 0;
    }
    *found = 0;
    return 0;
}

static int read_cmp(struct parser *p, enum op *op)
{
    const char *s = p->src + p->pos;
    int len = 0;
    if (s[0] == '=' && s[1] == '=')
        *op = OP_EQ, len = 2;
    else if (s[0] == '!' && s[1] == '=')
        *op = OP_NE, len = 2;
    else if (s[0] == '<' && s[1] == '=')
        *op = OP_LE, len = 2;
    else if (s[0] == '>' && s[1] == '=')
        *op = OP_GE, len = 2;
    else if (s[0] == '<')
        *op = OP_LT, len = 1;
    else if (s[0] == '>')
        *op = OP_GT, len = 1;
    p->pos += (size_t)len;
    return len;
}

static enum exsol_expr_type operand_type(const struct parser *p, const struct operand *o)
{
    if (o->kind == O_VAR)
        return p->e->vars[o->var].type;
    return o->kind == O_NUM ? EXSOL_EXPR_NUMBER : EXSOL_EXPR_TEXT;
}

static int parse_or(struct parser *p, size_t *out);

static int parse_unary(struct parser *p, size_t *out)
{
    int rc, found;
    skip_ws(p);
    size_t at = p->pos;
    char c = p->src[at];
    if ((c == '!' && p->src[at + 1] != '=') || c == '(') {
        if (++p->depth > MAX_DEPTH)
            return syntax(p, at, "nested more than 64 deep");
        p->pos++;
        if (c == '!') {
            size_t a;
            if ((rc = parse_unary(p, &a)) || (rc = new_node(p, N_NOT, out)))
                return rc;
            p->e->nodes[*out].a = a;
        } else {
            if ((rc = parse_or(p, out)))
                return rc;
            skip_ws(p);
            if (p->src[p->pos] != ')')
                return syntax(p, p->pos, "expected ')'");
            p->pos++;
        }
        p->depth--;
        return 0;
    }
    struct operand l = {0}, r = {0};
    if ((rc = operand(p, &l, &found)))
        goto fail;
    if (!found) {
        rc = syntax(p, at,
                    c ? "expected a variable, a number, a quoted text, '!' or '('"
                      : "expected a variable, a number or a quoted text");
        goto fail;
    }
    skip_ws(p);
    size_t opat = p->pos;
    enum op op = OP_EQ;
    if (!read_cmp(p, &op)) {
        /* a bare operand: a numeric variable is true when it is neither 0 nor missing */
        if (p->src[opat] == '=') {
            rc = syntax(p, opat, "'=' is not an operator (use ==)");
            goto fail;
        }
        if (l.kind != O_VAR || operand_type(p, &l) != EXSOL_EXPR_NUMBER) {
            rc = syntax(p, opat,
                        l.kind == O_VAR ? "a text variable needs a comparison (== or != 'text')"
                                        : "expected a comparison operator (== != < <= > >=)");
            goto fail;
        }
        if ((rc = new_node(p, N_TRUTH, out)))
            goto fail;
        p->e->nodes[*out].var = l.var;
        return 0;
    }
    size_t rat = p->pos;
    skip_ws(p);
    rat = p->pos;
    if ((rc = operand(p, &r, &found)))
        goto fail;
    if (!found) {
        rc =
            syntax(p, rat, "expected a variable, a number or a quoted text after the operator");
        goto fail;
    }
    enum exsol_expr_type lt = operand_type(p, &l), rt = operand_type(p, &r);
    if (lt != rt) {
        rc = exsol_seterr(p->err, p->errlen, EXSOL_EUSAGE,
                          "type error at position %zu: '%s' compares %s with %s", opat + 1,
                          op_text[op], lt == EXSOL_EXPR_TEXT ? "text" : "a number",
                          rt == EXSOL_EXPR_TEXT ? "text" : "a number");
        goto fail;
    }
    if (lt == EXSOL_EXPR_TEXT && op != OP_EQ && op != OP_NE) {
        rc = exsol_seterr(
            p->err, p->errlen, EXSOL_EUSAGE,
            "type error at position %zu: text compares only with == and !=", opat + 1);
        goto fail;
    }
    if (l.kind != O_VAR && r.kind != O_VAR) {
        rc = syntax(p, at, "a comparison needs a variable on one side");
        goto fail;
    }
    if ((rc = new_node(p, N_CMP, out)))
        goto fail;
    struct node *nd = &p->e->nodes[*out];
    nd->op = op;
    nd->l = l;
    nd->r = r;
    return 0;
fail:
    free(l.text);
    free(r.text);
    return rc;
}

static int parse_and(struct parser *p, size_t *out)
{
    size_t a, b, n;
    int rc = parse_unary(p, &a);
    while (!rc) {
        skip_ws(p);
        if (!(p->src[p->pos] == '&' && p->src[p->pos + 1] == '&'))
            break;
        p->pos += 2;
        if ((rc = parse_unary(p, &b)) || (rc = new_node(p, N_AND, &n)))
            break;
        p->e->nodes[n].a = a;
        p->e->nodes[n].b = b;
        a = n;
    }
    *out = a;
    return rc;
}

static int parse_or(struct parser *p, size_t *out)
{
    size_t a, b, n;
    int rc = parse_and(p, &a);
    while (!rc) {
        skip_ws(p);
        if (!(p->src[p->pos] == '|' && p->src[p->pos + 1] == '|'))
            break;
        p->pos += 2;
        if ((rc = parse_and(p, &b)) || (rc = new_node(p, N_OR, &n)))
            break;
        p->e->nodes[n].a = a;
        p->e->nodes[n].b = b;
        a = n;
    }
    *out = a;
    return rc;
}

void exsol_expr_free(exsol_expr *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nnodes; i++) {
        free(e->nodes[i].l.text);
        free(e->nodes[i].r.text);
    }
    for (size_t i = 0; i < e->nvars; i++)
        free(e->vars[i].name);
    free(e->nodes);
    free(e->vars);
    free(e);
}

int exsol_expr_parse(const char *src, exsol_expr_lookup lookup, void *ctx, exsol_expr **out,
                     char *err, size_t errlen)
{
    *out = NULL;
    if (!src)
        src = "";
    exsol_expr *e = calloc(1, sizeof *e);
    if (!e)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    struct parser p = {src, 0, 0, e, lookup, ctx, err, errlen};
    skip_ws(&p);
    int rc = 0;
    if (!src[p.pos])
        rc = exsol_seterr(err, errlen, EXSOL_EUSAGE, "empty expression");
    if (!rc)
        rc = parse_or(&p, &e->root);
    if (!rc) {
        skip_ws(&p);
        if (src[p.pos])
            rc = syntax(&p, p.pos,
                        src[p.pos] == ')'   ? "unbalanced ')'"
                        : src[p.pos] == '=' ? "'=' is not an operator (use ==)"
                        : src[p.pos] == '&' ? "'&' is not an operator (use &&)"
                        : src[p.pos] == '|' ? "'|' is not an operator (use ||)"
                                            : "expected && or || or the end");
    }
    if (rc) {
        exsol_expr_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

size_t exsol_expr_nvars(const exsol_expr *e)
{
    return e ? e->nvars : 0;
}

const char *exsol_expr_var(const exsol_expr *e, size_t i)
{
    return e && i < e->nvars ? e->vars[i].name : NULL;
}

enum exsol_expr_type exsol_expr_var_type(const exsol_expr *e, size_t i)
{
    return e && i < e->nvars ? e->vars[i].type : EXSOL_EXPR_NONE;
}

static int compare(enum op op, double a, double b)
{
    if (isnan(a) || isnan(b))
        return 0;
    switch (op) {
    case OP_EQ:
        return a == b;
    case OP_NE:
        return a != b;
    case OP_LT:
        return a < b;
    case OP_LE:
        return a <= b;
    case OP_GT:
        return a > b;
    case OP_GE:
        return a >= b;
    }
    return 0;
}

static double num_of(const struct operand *o, const double *num)
{
    return o->kind == O_VAR ? num[o->var] : o->num;
}

static const char *text_of(const struct operand *o, const char *const *text)
{
    return o->kind == O_VAR ? text[o->var] : o->text;
}

static int eval_node(const exsol_expr *e, size_t k, const double *num, const char *const *text)
{
    const struct node *n = &e->nodes[k];
    switch (n->kind) {
    case N_OR:
        return eval_node(e, n->a, num, text) || eval_node(e, n->b, num, text);
    case N_AND:
        return eval_node(e, n->a, num, text) && eval_node(e, n->b, num, text);
    case N_NOT:
        return !eval_node(e, n->a, num, text);
    case N_TRUTH:
        return !isnan(num[n->var]) && num[n->var] != 0.0;
    case N_CMP:
        if ((n->l.kind == O_VAR ? e->vars[n->l.var].type
                                : (n->l.kind == O_NUM ? EXSOL_EXPR_NUMBER : EXSOL_EXPR_TEXT)) ==
            EXSOL_EXPR_TEXT) {
            const char *a = text_of(&n->l, text), *b = text_of(&n->r, text);
            if (!a || !b)
                return 0;
            return (strcmp(a, b) == 0) == (n->op == OP_EQ);
        }
        return compare(n->op, num_of(&n->l, num), num_of(&n->r, num));
    }
    return 0;
}

int exsol_expr_eval(const exsol_expr *e, const double *num, const char *const *text)
{
    if (!e || e->nnodes == 0)
        return 1;
    return eval_node(e, e->root, num, text);
}
