/* Atomic text outputs: temporary file + checked close + rename (see outfile.h). */
#include "exsol/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exsol/error.h"

struct exsol_outfile {
    FILE *fp;
    char *path; /* NULL for stdout */
    char *tmp;  /* NULL when writing in place (stdout, a device or FIFO) */
};

int exsol_outfile_open(const char *path, exsol_outfile **out, FILE **fp, char *err,
                       size_t errlen)
{
    int rc = EXSOL_OK;
    *out = NULL;
    *fp = NULL;
    exsol_outfile *f = calloc(1, sizeof *f);
    if (!f)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if (!path || strcmp(path, "-") == 0) {
        f->fp = stdout;
        goto done;
    }
    if (!(f->path = strdup(path))) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto fail;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        if (S_ISDIR(sb.st_mode)) {
            rc = exsol_seterr(err, errlen, EXSOL_EUSAGE, "output '%s' is a directory", path);
            goto fail;
        }
        if (!(f->fp = fopen(path, "w"))) {
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot open '%s': %s", path,
                              strerror(errno));
            goto fail;
        }
        goto done;
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t len = strlen(path) + 16;
    if (!(f->tmp = malloc(len))) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto fail;
    }
    snprintf(f->tmp, len, "%.*s.%s.tmpXXXXXX", (int)dirlen, path, path + dirlen);
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot create a file next to '%s': %s",
                          path, strerror(errno));
        free(f->tmp);
        f->tmp = NULL;
        goto fail;
    }
    /* mkstemp makes 0600; a finished output should look like any other file */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        /* not fatal: the file stays private */
    }
    if (!(f->fp = fdopen(fd, "w"))) {
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s': %s", f->tmp,
                          strerror(errno));
        close(fd);
        goto fail;
    }
done:
    *out = f;
    *fp = f->fp;
    return EXSOL_OK;
fail:
    exsol_outfile_abort(f);
    return rc;
}

int exsol_outfile_commit(exsol_outfile *f, char *err, size_t errlen)
{
    int rc = EXSOL_OK;
    const char *name = f->path ? f->path : "stdout";
    if (f->fp == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write to stdout: %s",
                              strerror(errno));
        f->fp = NULL;
    } else {
        int bad = ferror(f->fp);
        int closed = fclose(f->fp);
        f->fp = NULL;
        if (bad || closed != 0)
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s': %s", name,
                              strerror(errno ? errno : EIO));
        else if (f->tmp && rename(f->tmp, f->path) != 0)
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot rename '%s' to '%s': %s",
                              f->tmp, f->path, strerror(errno));
        if (rc == EXSOL_OK) {
            free(f->tmp);
            f->tmp = NULL;
        }
    }
    exsol_outfile_abort(f);
    return rc;
}

void exsol_outfile_abort(exsol_outfile *f)
{
    if (!f)
        return;
    if (f->fp && f->fp != stdout)
        fclose(f->fp);
    if (f->tmp)
        unlink(f->tmp);
    free(f->tmp);
    free(f->path);
    free(f);
}
