/* Lookups over the generated schema tables (cmake/schema.cmake). */
#include "exsol/schema.h"

#include <string.h>

const struct exsol_schema *exsol_schema_find(const char *stage)
{
    for (size_t i = 0; stage && exsol_schemas[i]; i++)
        if (strcmp(exsol_schemas[i]->stage, stage) == 0)
            return exsol_schemas[i];
    return NULL;
}

int exsol_schema_index(const struct exsol_schema *s, const char *name)
{
    for (size_t i = 0; s && name && i < s->nvars; i++)
        if (strcmp(s->vars[i].name, name) == 0)
            return (int)i;
    return -1;
}
