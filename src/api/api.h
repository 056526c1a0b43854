/*
 * api.h - the JSON API under /api/v1/ (described in docs/openapi.yaml).
 * Handlers reach data only through src/domain/ and answer JSON; errors are
 * {"error": {"status", "reason", "message"}} through http_reply_error.
 */
#ifndef MOTCUA_API_H
#define MOTCUA_API_H

#include "http/request.h"

void api_agencies(http_req *r);
void api_agency(http_req *r);
void api_fields(http_req *r);
void api_procedures(http_req *r);
void api_procedure(http_req *r);

/* dossiers.c: the applicant's dossiers (hồ sơ) */
void api_dossier_create(http_req *r);
void api_dossiers(http_req *r);
void api_dossier(http_req *r);
void api_dossier_withdraw(http_req *r);

/* dossier_status.c: the public status of a dossier by its code */
void api_dossier_status(http_req *r);

#endif
