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

/* accounts.c: API tokens, my account, registration, password reset,
 * officers (the same actions as the account pages) */
void api_token_create(http_req *r);
void api_tokens(http_req *r);
void api_token_revoke(http_req *r);
void api_me(http_req *r);
void api_me_data(http_req *r);
void api_me_password(http_req *r);
void api_me_close(http_req *r);
void api_sessions_delete(http_req *r);
void api_account_register(http_req *r);
void api_reset_request(http_req *r);
void api_reset_apply(http_req *r);
void api_officers(http_req *r);
void api_officer_create(http_req *r);
void api_officer_enabled(http_req *r);
/* dossiers.c: the applicant's dossiers (hồ sơ) */
void api_dossier_create(http_req *r);
void api_dossiers(http_req *r);
void api_dossier(http_req *r);
void api_dossier_withdraw(http_req *r);

/* dossiers.c, shared with backoffice.c: "YYYY-MM-DD HH:MM:SS" (Vietnam
 * time) as RFC 3339 ("...T...+07:00"), null for NULL; a dossier as JSON
 * (summary, applicant, files, events). */
struct dossier;
json_t *api_time_json(http_req *r, const char *s);
json_t *api_dossier_json(http_req *r, const struct dossier *d);
/* backoffice.c: the officers' queues, dossiers and actions, and the
 * applicant's supplement (docs/backoffice.md) */
void api_officer_queues(http_req *r);
void api_officer_dossiers(http_req *r);
void api_officer_dossier(http_req *r);
void api_officer_action(http_req *r);
void api_officer_form(http_req *r);
void api_officer_desk_entry(http_req *r);
void api_dossier_supplement(http_req *r);
/* rating.c: satisfaction ratings of a returned dossier (domain/rating.h) */
void api_rating(http_req *r);
void api_rating_create(http_req *r);
void api_rating_answer(http_req *r);
/* sync.c: the national sync export (domain/sync.h) */
void api_sync_dossiers(http_req *r);

/* dossier_status.c: the public status of a dossier by its code */
void api_dossier_status(http_req *r);
/* POST /api/v1/uploads/check (api/uploads.c): what the portal makes of
 * files before they are attached to a dossier. */
void api_uploads_check(http_req *r);
/* GET /api/v1/stats (api/stats.c): the statistics of /thong-ke as JSON */
void api_stats(http_req *r);

/* calendar.c: the official schedule (lịch làm việc), audit.c: one audit
 * entry's public fields. api_csrf (accounts.c): browser sessions must send
 * X-CSRF-Token on state-changing calls; false after replying 403. */
bool api_csrf(http_req *r);
void api_calendar_year(http_req *r);
void api_calendar_day_put(http_req *r);
void api_calendar_day_delete(http_req *r);
void api_audit_entry(http_req *r);
/* payments.c: fees and payments (the dossier's payment, an officer's fee
 * and hand confirmation, the gateway's signed callback) */
void api_dossier_payment(http_req *r);
void api_officer_fee(http_req *r);
void api_officer_payment(http_req *r);
void api_payment_callback(http_req *r);
/* payverify.c: GET /api/v1/receipts/verify, public */
void api_payverify(http_req *r);

#endif
