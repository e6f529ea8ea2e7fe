/* Host records (datasets/hosts.csv, exsol/host.h): the default host is SrTiO3 with the
 * valences the physics used to write as literals (Ti4+, O2-, O3: 6 e per formula unit),
 * its constants table loads, an unknown host names the known ones, and malformed rows
 * are refused with the column named. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/host.h"
#include "exsol/table.h"

#include <string.h>

static const char head[] = "host,A_host,A_valence,B_host,B_valence,anion,anion_valence,"
                           "anion_count,parameters,source,confidence,note\n";

static int from_text(const char *row, struct exsol_host *h, char *err, size_t n)
{
    char text[1024];
    exsol_table *t = NULL;
    snprintf(text, sizeof text, "%s%s\n", head, row);
    int rc = exsol_table_parse("hosts", text, strlen(text), &t, err, n);
    if (rc == EXSOL_OK)
        rc = exsol_host_from_table(t, NULL, h, err, n);
    exsol_table_free(t);
    return rc;
}

int main(void)
{
    char err[256] = "";
    struct exsol_host h;
    CHECK_EQ_INT(exsol_host_default(&h, err, sizeof err), EXSOL_OK);
    CHECK_STR(h.name, "SrTiO3");
    CHECK_STR(h.A_host, "Sr");
    CHECK_EQ_INT(h.A_valence, 2);
    CHECK_STR(h.B_host, "Ti");
    CHECK_EQ_INT(h.B_valence, 4);
    CHECK_STR(h.anion, "O");
    CHECK_EQ_INT(h.anion_valence, -2);
    CHECK_CLOSE(h.anion_count, 3.0, 0, 0);
    CHECK(exsol_host_anion_charge(&h) == 6.0); /* exactly: the neutrality keeps its bytes */
    CHECK_STR(h.parameters, "host-srtio3");

    struct exsol_host h2;
    CHECK_EQ_INT(exsol_host_find("SrTiO3", &h2, err, sizeof err), EXSOL_OK);
    CHECK(memcmp(&h, &h2, sizeof h) == 0);
    exsol_table *t = NULL;
    CHECK_EQ_INT(exsol_table_load(h.parameters, &t, err, sizeof err), EXSOL_OK);
    CHECK(exsol_table_find(t, "name", "a_lattice", NULL) >= 0);
    exsol_table_free(t);

    CHECK_EQ_INT(exsol_host_find("KTaO3", &h2, err, sizeof err), EXSOL_EUNKNOWN);
    CHECK(strstr(err, "unknown host 'KTaO3'") && strstr(err, "known: SrTiO3"));

    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4,O,-2,3,host-x.csv,s,T,", &h2, err, sizeof err), 0);
    CHECK_STR(h2.parameters, "host-x");
    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4,O,2,3,host-x.csv,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "anion") != NULL);
    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4.5,O,-2,3,host-x.csv,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "B_valence") != NULL);
    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4,O,-2,0,host-x.csv,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "anion_count") != NULL);
    CHECK_EQ_INT(from_text("X,Sr,2,,4,O,-2,3,host-x.csv,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "B_host") != NULL);
    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4,O,-2,3,host-x,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "parameters") != NULL);
    return check_report("test_host");
}
