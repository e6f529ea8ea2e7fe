/* libc calls that libcore and the tools must not use, turned into compile errors.
 *
 * Force-included into every libcore and tools target (`-include exsol/banned.h`, see
 * libcore/CMakeLists.txt and tools/CMakeLists.txt), so it comes before any system
 * header. It therefore cannot use function-like macros (they would rewrite the
 * declarations in <string.h> and <stdio.h>): each banned name is renamed to a
 * function declared with GCC/Clang's `error` attribute. The libc headers included
 * later declare the renamed function again with the same type, which C allows, and any
 * call that survives to code generation stops the build with the message below.
 * Nothing here includes a header that depends on feature-test macros, so a source file
 * may still define _DEFAULT_SOURCE before its own includes.
 *
 * Why each is banned:
 *   strcpy, strcat     no length: one long input overruns the buffer;
 *   strncpy, strncat   a length, but strncpy leaves no NUL when the source fills the
 *                      buffer and strncat's length is not the buffer size;
 *   sprintf, vsprintf  no length (snprintf/vsnprintf say how much was needed);
 *   gets               cannot be used safely at all (removed in C11).
 * Use snprintf (check the return value where truncation matters) or memcpy of a
 * length checked against the destination.
 *
 * glibc's _FORTIFY_SOURCE wrappers are inline functions and would be inlined before
 * the check fires; the project's builds do not define _FORTIFY_SOURCE. */
#ifndef EXSOL_BANNED_H
#define EXSOL_BANNED_H

#include <stdarg.h> /* va_list; compiler headers, no feature-test macros */
#include <stddef.h> /* size_t */

#if defined(__GNUC__) || defined(__clang__)
#define EXSOL_BANNED_(why) __attribute__((error(why)))
#else
#define EXSOL_BANNED_(why)
#endif

#define strcpy exsol_banned_strcpy
char *exsol_banned_strcpy(char *restrict, const char *restrict)
    EXSOL_BANNED_("strcpy is banned (exsol/banned.h): use snprintf or a checked memcpy");
#define strcat exsol_banned_strcat
char *exsol_banned_strcat(char *restrict, const char *restrict)
    EXSOL_BANNED_("strcat is banned (exsol/banned.h): use snprintf");
#define strncpy exsol_banned_strncpy
char *exsol_banned_strncpy(char *restrict, const char *restrict, size_t)
    EXSOL_BANNED_("strncpy is banned (exsol/banned.h): use snprintf or a checked memcpy");
#define strncat exsol_banned_strncat
char *exsol_banned_strncat(char *restrict, const char *restrict, size_t)
    EXSOL_BANNED_("strncat is banned (exsol/banned.h): use snprintf");
#define sprintf exsol_banned_sprintf
int exsol_banned_sprintf(char *restrict, const char *restrict, ...)
    EXSOL_BANNED_("sprintf is banned (exsol/banned.h): use snprintf");
#define vsprintf exsol_banned_vsprintf
int exsol_banned_vsprintf(char *restrict, const char *restrict, va_list)
    EXSOL_BANNED_("vsprintf is banned (exsol/banned.h): use vsnprintf");
#define gets exsol_banned_gets
char *exsol_banned_gets(char *) EXSOL_BANNED_("gets is banned (exsol/banned.h): use fgets");

#endif
