/*
 * officer.h - what the back office pages share (officer.c, officer_desk.c
 * and the applicant's supplement on the dossier page): the domain's
 * environment and actor of a request, and times as officers read them.
 */
#ifndef MOTCUA_WEB_OFFICER_H
#define MOTCUA_WEB_OFFICER_H

#include "domain/backoffice.h"
#include "http/request.h"

/* The back office environment of the running app (database, blobs, office
 * hours, public URL). */
struct bo_env officer_env(http_req *r);

/* The signed-in person as a back office actor (account, roles, agency). */
struct bo_actor officer_actor(http_req *r);

/* "dd/mm/yyyy HH:MM" of "YYYY-MM-DD HH:MM[:SS]"; "—" for NULL or "". */
const char *officer_when(http_req *r, const char *iso);

/* officer_desk.c: on the applicant's own dossier page while a supplement
 * is asked for (status 5): the version, what the agency asked for and the
 * upload slots; NULL otherwise. */
struct dossier;
json_t *officer_supplement_ctx(http_req *r, const struct dossier *d);

#endif
