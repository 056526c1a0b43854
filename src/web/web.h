/*
 * web.h - handlers of the HTML portal and of the operational endpoints.
 * Pages reach data only through src/domain/ and render through templates.
 */
#ifndef MOTCUA_WEB_H
#define MOTCUA_WEB_H

#include <jansson.h>

#include "http/request.h"

/* page.c: renders template name with ctx (stolen) inside the shared layout
 * data (language, catalogue, site name) and replies with status. */
void page_render(http_req *r, int status, const char *name, json_t *ctx);

/* page.c: the HTML error page, installed as the server's error renderer. */
void page_error(http_req *r, int status, const char *message);

/* page.c: renders into r->out without replying; returns 0 or -1 (logged). */
int page_render_to(http_req *r, const char *name, json_t *ctx);

/* home.c */
void web_home(http_req *r);

/* procedures.c: the catalogue (thủ tục hành chính) */
void web_procedures(http_req *r);
void web_procedure(http_req *r);

/* agencies.c: cơ quan */
void web_agencies(http_req *r);
void web_agency(http_req *r);
void web_fields(http_req *r);
void web_field(http_req *r);
void web_admin_procedures(http_req *r);
void web_admin_procedure(http_req *r);
void web_admin_procedure_save(http_req *r);

/* feedback.c: góp ý, citizens' feedback on the portal */
void web_feedback_form(http_req *r);
void web_feedback_submit(http_req *r);
void web_feedback_done(http_req *r);

/* account.c: tài khoản - registration, sign-in, my account, password reset */
struct account_problem;
struct field_error;
void web_register_form(http_req *r);
void web_register_submit(http_req *r);
void web_login_form(http_req *r);
void web_login_submit(http_req *r);
void web_logout(http_req *r);
void web_account(http_req *r);
void web_account_password(http_req *r);
void web_account_signout_all(http_req *r);
void web_account_token_revoke(http_req *r);
void web_account_data(http_req *r);
void web_account_close(http_req *r);
void web_forgot_form(http_req *r);
void web_forgot_submit(http_req *r);
void web_reset_form(http_req *r);
void web_reset_submit(http_req *r);
/* Form helpers: a field for templates/form_field.mustache (label from
 * "account.field.<name>"), problems into errors {field: message} and list,
 * a trimmed form value (NULL when empty), the "locked" message (sets
 * Retry-After). */
json_t *web_form_field(http_req *r, const char *name, const char *type, const char *autocomplete,
		       int max, const char *value, const json_t *errors, const char *hint_key);
void web_problems(http_req *r, const struct account_problem *p, const struct field_error *fe,
		  json_t *errors, json_t *list);
const char *web_form_value(http_req *r, const char *name, struct field_error **errs);
const char *web_locked_message(http_req *r, int64_t retry_after);
/* admin_accounts.c: officers managed by the system and agency admins */
void web_admin_accounts(http_req *r);
void web_admin_account_create(http_req *r);
void web_admin_account_status(http_req *r);
void web_admin_account_update(http_req *r);
/* admin_calendar.c: the official schedule (lịch làm việc), /quan-tri/lich */
void web_admin_calendar(http_req *r);
void web_admin_calendar_save(http_req *r);
void web_admin_calendar_delete(http_req *r);
/* dossiers.c: hồ sơ, the applicant's online form, drafts, list, details */
void web_dossier_form(http_req *r);
void web_dossier_post(http_req *r);
void web_dossier_draft(http_req *r);
void web_my_dossiers(http_req *r);
void web_dossier(http_req *r);
void web_dossier_file(http_req *r);
void web_dossier_withdraw(http_req *r);
/* rating.c: the satisfaction rating block of a dossier's page (NULL when
 * there is nothing to show the viewer), the applicant's form, the officer's
 * answer */
json_t *web_rating_block(http_req *r, const char *code);
void web_rating_submit(http_req *r);
void web_rating_answer(http_req *r);

/* lookup.c: tra cứu hồ sơ, and the receipt (form 01) as a PDF */
void web_lookup(http_req *r);
void web_receipt_pdf(http_req *r);

/* officer.c, officer_desk.c: the one-stop back office (hệ thống một cửa
 * điện tử) for desk officers, specialists and leaders, and the applicant's
 * supplement (bổ sung hồ sơ) */
void web_officer_home(http_req *r);
void web_officer_list(http_req *r);
void web_officer_dossier(http_req *r);
void web_officer_act(http_req *r);
void web_officer_form_pdf(http_req *r);
void web_officer_desk_form(http_req *r);
void web_officer_desk_submit(http_req *r);
void web_dossier_supplement(http_req *r);

/* static.c */
void web_static(http_req *r);
/* Computes ETags of the embedded static files; call once at start. */
void static_init(void);

/* stats.c: thống kê, the public dashboard and its exports */
struct stats_report;
/* The report of the request's filters (period, from, to, agency, field,
 * procedure, level). false when there is none: the reply is made (400 with
 * the message of a bad filter, else the status's reply). */
bool web_stats_load(http_req *r, struct stats_report *rep);
void web_stats(http_req *r);
void web_stats_csv(http_req *r);
void web_stats_xlsx(http_req *r);
/* admin_targets.c: chỉ tiêu, the province's targets per unit and year */
void web_admin_targets(http_req *r);
void web_admin_target_save(http_req *r);

/* system.c */
void web_healthz(http_req *r);
void web_metrics(http_req *r);

/* payments.c: the fee block of the dossier page (sets ctx "payment" when
 * the dossier owes or paid a fee) and the electronic payment receipt */
void web_payment_block(http_req *r, const char *code, json_t *ctx);
void web_payment_receipt(http_req *r);
/* payverify.c: xác thực biên lai, the public check of a receipt's QR link.
 * web_payverify_load applies the lookup budget and checks (code, no, tag):
 * false when it has replied (429, 5xx); true with out->receipt_no NULL
 * when the receipt is not valid. */
struct payverify_result;
bool web_payverify_load(http_req *r, const char *code, const char *no, const char *tag,
			struct payverify_result *out);
void web_payverify(http_req *r);
/* the agency's collection account for its admins: ctx "bank" (or "bank_missing") */
void web_payment_bank_block(http_req *r, json_t *ctx);

#endif
