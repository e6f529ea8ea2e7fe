/* SUNDIALS 6/7 compatibility: every libcore file that includes SUNDIALS headers
 * includes this one first and then uses only the names below, so that moving to
 * SUNDIALS 7 is a change here rather than in every caller.
 *
 * - Types: sunrealtype and sunbooleantype (SUNDIALS 6.4+ has both; 7 removed the
 *   older realtype and booleantype). libcore requires sunrealtype to be double.
 * - exsol_sun_context_create(): SUNContext_Create takes a void * communicator in 6
 *   and a SUNComm (SUN_COMM_NULL for serial) in 7. Returns 0 on success.
 *
 * Only what libcore uses is covered; the build (CMakeLists.txt) asks for SUNDIALS 6,
 * so the version 7 branches compile only when that changes. Known to need more for
 * 7: CVodeSetErrHandlerFn (the KWN driver's silent handler) became
 * SUNContext_PushErrHandler. */
#ifndef EXSOL_SUNDIALS_COMPAT_H
#define EXSOL_SUNDIALS_COMPAT_H

#include <sundials/sundials_config.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_types.h>

#if SUNDIALS_VERSION_MAJOR == 6 && SUNDIALS_VERSION_MINOR < 2
typedef realtype sunrealtype;
#endif
#ifndef sunbooleantype
#define sunbooleantype booleantype
#endif

static inline int exsol_sun_context_create(SUNContext *ctx)
{
#if SUNDIALS_VERSION_MAJOR >= 7
    return SUNContext_Create(SUN_COMM_NULL, ctx);
#else
    return SUNContext_Create(NULL, ctx);
#endif
}

#endif
