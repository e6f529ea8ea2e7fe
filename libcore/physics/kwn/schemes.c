/* The KWN scheme table: the built-in schemes, then those registered at run time
 * (exsol_kwn_scheme_register). A new scheme is one file scheme_<name>.c defining a
 * const struct exsol_kwn_scheme_type, plus its line in each list below. */
#include "exsol/error.h"
#include "scheme.h"

#include <string.h>

extern const struct exsol_kwn_scheme_type exsol_kwn_scheme_fixedbin;
extern const struct exsol_kwn_scheme_type exsol_kwn_scheme_movingbin;

static const struct exsol_kwn_scheme_type *const builtin[] = {
    &exsol_kwn_scheme_fixedbin, /* the default: first in the table */
    &exsol_kwn_scheme_movingbin,
};

#define NBUILTIN (sizeof builtin / sizeof builtin[0])
#define NEXTRA_MAX 8

static const struct exsol_kwn_scheme_type *extra[NEXTRA_MAX];
static size_t nextra;

static const struct exsol_kwn_scheme_type *scheme_at(size_t i)
{
    return i < NBUILTIN ? builtin[i] : (i - NBUILTIN < nextra ? extra[i - NBUILTIN] : NULL);
}

size_t exsol_kwn_scheme_count(void)
{
    return NBUILTIN + nextra;
}

const char *exsol_kwn_scheme_name(size_t i)
{
    const struct exsol_kwn_scheme_type *t = scheme_at(i);
    return t ? t->name : NULL;
}

const struct exsol_kwn_scheme_type *exsol_kwn_scheme_find(const char *name)
{
    if (!name || !name[0])
        return builtin[0];
    for (size_t i = 0; i < NBUILTIN + nextra; i++)
        if (strcmp(scheme_at(i)->name, name) == 0)
            return scheme_at(i);
    return NULL;
}

int exsol_kwn_scheme_register(const struct exsol_kwn_scheme_type *t, char *err, size_t errlen)
{
    if (!t || !t->name || !t->name[0])
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "KWN scheme without a name");
    if (!t->alloc || !t->init || !t->initial || !t->phi || !t->rhs || !t->remap || !t->free ||
        !t->linsol != !t->jac || !t->roots != !t->event || !t->roots != !t->nroots)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "KWN scheme '%s' lacks a hook", t->name);
    if (exsol_kwn_scheme_find(t->name))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "KWN scheme '%s' exists already",
                            t->name);
    if (nextra == NEXTRA_MAX)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "KWN scheme table full ('%s')", t->name);
    extra[nextra++] = t;
    return EXSOL_OK;
}
