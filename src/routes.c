/*
 * routes.c - every URL of motcua, in one table to read top to bottom.
 *
 * Columns: method, path pattern, handler, roles allowed (ROLE_PUBLIC for
 * everyone), flags (RT_WORKER when the handler touches the database or does
 * other slow work, so it runs off the I/O threads), body limit (0: default).
 */
#include "app.h"
#include "api/api.h"
#include "web/web.h"

/* Who may open a dossier: its applicant, or officers of its agency (the
 * domain checks which one). */
#define DOSSIER_VIEWERS                                                                            \
	(ROLE_CITIZEN | ROLE_BUSINESS | ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER |                \
	 ROLE_AGENCY_ADMIN)

const struct route motcua_routes[] = {
	/* portal pages (Cổng dịch vụ công) */
	{"GET", "/", web_home, ROLE_PUBLIC, RT_INLINE, 0}, /* cached; defers when cold */
	{"GET", "/thu-tuc", web_procedures, ROLE_PUBLIC, RT_WORKER | RT_CACHE, 0},
	{"GET", "/thu-tuc/{code}", web_procedure, ROLE_PUBLIC, RT_WORKER | RT_CACHE, 0},
	{"GET", "/co-quan", web_agencies, ROLE_PUBLIC, RT_WORKER | RT_CACHE, 0},
	{"GET", "/co-quan/{code}", web_agency, ROLE_PUBLIC, RT_WORKER | RT_CACHE, 0},
	{"GET", "/linh-vuc", web_fields, ROLE_PUBLIC, RT_WORKER | RT_CACHE, 0},
	{"GET", "/linh-vuc/{code}", web_field, ROLE_PUBLIC, RT_WORKER | RT_CACHE, 0},
	{"GET", "/gop-y", web_feedback_form, ROLE_PUBLIC, RT_INLINE, 0},
	{"POST", "/gop-y", web_feedback_submit, ROLE_PUBLIC, RT_WORKER, 16 * 1024},
	{"GET", "/gop-y/{ref}", web_feedback_done, ROLE_PUBLIC, RT_WORKER, 0},

/* accounts (tài khoản): sign-in, registration, my account, officers */
#define ROLE_SIGNED_IN                                                                             \
	(ROLE_CITIZEN | ROLE_BUSINESS | ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER |                \
	 ROLE_AGENCY_ADMIN | ROLE_SYSADMIN)
	{"GET", "/dang-ky", web_register_form, ROLE_PUBLIC, RT_WORKER, 0},
	{"POST", "/dang-ky", web_register_submit, ROLE_PUBLIC, RT_WORKER, 16 * 1024},
	{"GET", "/dang-nhap", web_login_form, ROLE_PUBLIC, RT_WORKER, 0},
	{"POST", "/dang-nhap", web_login_submit, ROLE_PUBLIC, RT_WORKER, 8 * 1024},
	{"POST", "/dang-xuat", web_logout, ROLE_PUBLIC, RT_WORKER, 4 * 1024},
	{"GET", "/quen-mat-khau", web_forgot_form, ROLE_PUBLIC, RT_WORKER, 0},
	{"POST", "/quen-mat-khau", web_forgot_submit, ROLE_PUBLIC, RT_WORKER, 4 * 1024},
	{"GET", "/dat-lai-mat-khau", web_reset_form, ROLE_PUBLIC, RT_WORKER, 0},
	{"POST", "/dat-lai-mat-khau", web_reset_submit, ROLE_PUBLIC, RT_WORKER, 4 * 1024},
	{"GET", "/tai-khoan", web_account, ROLE_SIGNED_IN, RT_WORKER, 0},
	{"POST", "/tai-khoan/mat-khau", web_account_password, ROLE_SIGNED_IN, RT_WORKER, 8 * 1024},
	{"POST", "/tai-khoan/dang-xuat-tat-ca", web_account_signout_all, ROLE_SIGNED_IN, RT_WORKER,
	 4 * 1024},
	{"POST", "/tai-khoan/api-token/{id}/thu-hoi", web_account_token_revoke, ROLE_SIGNED_IN,
	 RT_WORKER, 4 * 1024},
	{"GET", "/tai-khoan/du-lieu", web_account_data, ROLE_SIGNED_IN, RT_WORKER, 0},
	{"POST", "/tai-khoan/dong", web_account_close, ROLE_SIGNED_IN, RT_WORKER, 4 * 1024},
	{"GET", "/quan-tri/tai-khoan", web_admin_accounts, ROLE_SYSADMIN | ROLE_AGENCY_ADMIN,
	 RT_WORKER, 0},
	{"POST", "/quan-tri/tai-khoan", web_admin_account_create, ROLE_SYSADMIN | ROLE_AGENCY_ADMIN,
	 RT_WORKER, 8 * 1024},
	{"POST", "/quan-tri/tai-khoan/{id}/trang-thai", web_admin_account_status,
	 ROLE_SYSADMIN | ROLE_AGENCY_ADMIN, RT_WORKER, 4 * 1024},
	{"POST", "/quan-tri/tai-khoan/{id}/sua", web_admin_account_update,
	 ROLE_SYSADMIN | ROLE_AGENCY_ADMIN, RT_WORKER, 4 * 1024},
	{"POST", "/api/v1/tokens", api_token_create, ROLE_PUBLIC, RT_WORKER, 8 * 1024},
	{"GET", "/api/v1/tokens", api_tokens, ROLE_SIGNED_IN, RT_WORKER, 0},
	{"DELETE", "/api/v1/tokens/{id}", api_token_revoke, ROLE_SIGNED_IN, RT_WORKER, 0},
	{"GET", "/api/v1/me", api_me, ROLE_SIGNED_IN, RT_WORKER, 0},
	{"GET", "/api/v1/me/data", api_me_data, ROLE_SIGNED_IN, RT_WORKER, 0},
	{"POST", "/api/v1/me/password", api_me_password, ROLE_SIGNED_IN, RT_WORKER, 8 * 1024},
	{"POST", "/api/v1/me/close", api_me_close, ROLE_SIGNED_IN, RT_WORKER, 8 * 1024},
	{"DELETE", "/api/v1/sessions", api_sessions_delete, ROLE_SIGNED_IN, RT_WORKER, 0},
	{"POST", "/api/v1/accounts", api_account_register, ROLE_PUBLIC, RT_WORKER, 16 * 1024},
	{"POST", "/api/v1/password-resets", api_reset_request, ROLE_PUBLIC, RT_WORKER, 4 * 1024},
	{"POST", "/api/v1/password-resets/apply", api_reset_apply, ROLE_PUBLIC, RT_WORKER,
	 4 * 1024},
	{"GET", "/api/v1/officers", api_officers, ROLE_SYSADMIN | ROLE_AGENCY_ADMIN, RT_WORKER, 0},
	{"POST", "/api/v1/officers", api_officer_create, ROLE_SYSADMIN | ROLE_AGENCY_ADMIN,
	 RT_WORKER, 8 * 1024},
	{"POST", "/api/v1/officers/{id}/enabled", api_officer_enabled,
	 ROLE_SYSADMIN | ROLE_AGENCY_ADMIN, RT_WORKER, 4 * 1024},
#undef ROLE_SIGNED_IN

	/* administration (quản trị) */
	{"GET", "/quan-tri/thu-tuc", web_admin_procedures, ROLE_AGENCY_ADMIN | ROLE_SYSADMIN,
	 RT_WORKER, 0},
	{"GET", "/quan-tri/thu-tuc/{code}", web_admin_procedure, ROLE_AGENCY_ADMIN | ROLE_SYSADMIN,
	 RT_WORKER, 0},
	{"POST", "/quan-tri/thu-tuc/{code}", web_admin_procedure_save,
	 ROLE_AGENCY_ADMIN | ROLE_SYSADMIN, RT_WORKER, 2 * 1024 * 1024},
	/* the official schedule (lịch làm việc): agency admins read, the system
	 * admin edits; the year is public in the API */
	{"GET", "/quan-tri/lich", web_admin_calendar, ROLE_AGENCY_ADMIN | ROLE_SYSADMIN, RT_WORKER,
	 0},
	{"POST", "/quan-tri/lich", web_admin_calendar_save, ROLE_SYSADMIN, RT_WORKER, 8 * 1024},
	{"POST", "/quan-tri/lich/xoa", web_admin_calendar_delete, ROLE_SYSADMIN, RT_WORKER,
	 4 * 1024},
	{"GET", "/api/v1/calendar/{year}", api_calendar_year, ROLE_PUBLIC, RT_WORKER, 0},
	{"PUT", "/api/v1/calendar/days/{date}", api_calendar_day_put, ROLE_SYSADMIN, RT_WORKER,
	 4 * 1024},
	{"DELETE", "/api/v1/calendar/days/{date}", api_calendar_day_delete, ROLE_SYSADMIN,
	 RT_WORKER, 0},
	{"GET", "/api/v1/audit/{hash}", api_audit_entry, ROLE_PUBLIC, RT_WORKER, 0},

	/* dossier lookup (tra cứu) and receipts (form 01): public lookups are
	 * throttled per address in domain/lookup.c */
	{"GET", "/tra-cuu", web_lookup, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/dossiers/{code}/status", api_dossier_status, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/ho-so/{code}/bien-nhan.pdf", web_receipt_pdf,
	 ROLE_CITIZEN | ROLE_BUSINESS | ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER |
		 ROLE_AGENCY_ADMIN,
	 RT_WORKER, 0},

	/* JSON API (docs/openapi.yaml) */
	{"GET", "/api/v1/agencies", api_agencies, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/agencies/{code}", api_agency, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/fields", api_fields, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/procedures", api_procedures, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/procedures/{code}", api_procedure, ROLE_PUBLIC, RT_WORKER, 0},
	/* Uploads: multipart streamed to temporary files, checked by content.
	 * max_body 0: the upload_max_dossier setting (100 MiB). */
	{"POST", "/api/v1/uploads/check", api_uploads_check,
	 ROLE_CITIZEN | ROLE_BUSINESS | ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER |
		 ROLE_AGENCY_ADMIN | ROLE_SYSADMIN,
	 RT_WORKER | RT_UPLOAD, 0},

	/* dossiers (hồ sơ): online submission, drafts, my dossiers, withdrawal */
	{"GET", "/thu-tuc/{code}/nop", web_dossier_form, ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER,
	 0},
	{"POST", "/thu-tuc/{code}/nop", web_dossier_post, ROLE_CITIZEN | ROLE_BUSINESS,
	 RT_WORKER | RT_UPLOAD, 100u * 1024 * 1024},
	{"GET", "/ho-so-cua-toi", web_my_dossiers, ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER, 0},
	{"GET", "/ho-so-cua-toi/nhap/{id}", web_dossier_draft, ROLE_CITIZEN | ROLE_BUSINESS,
	 RT_WORKER, 0},
	{"GET", "/ho-so/{code}", web_dossier, DOSSIER_VIEWERS, RT_WORKER, 0},
	{"GET", "/ho-so/{code}/tep/{file}", web_dossier_file, DOSSIER_VIEWERS, RT_WORKER, 0},
	{"POST", "/ho-so/{code}/rut", web_dossier_withdraw, ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER,
	 16 * 1024},
	{"POST", "/api/v1/dossiers", api_dossier_create, ROLE_CITIZEN | ROLE_BUSINESS,
	 RT_WORKER | RT_UPLOAD, 100u * 1024 * 1024},
	{"GET", "/api/v1/dossiers", api_dossiers, ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER, 0},
	{"GET", "/api/v1/dossiers/{code}", api_dossier, DOSSIER_VIEWERS, RT_WORKER, 0},
	{"POST", "/api/v1/dossiers/{code}/withdraw", api_dossier_withdraw,
	 ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER, 16 * 1024},

	/* back office (một cửa): queues, dossiers and actions of the officer's
	 * agency; the applicant's supplement (docs/backoffice.md) */
	{"GET", "/api/v1/officer/queues", api_officer_queues,
	 ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER, RT_WORKER, 0},
	{"GET", "/api/v1/officer/dossiers", api_officer_dossiers,
	 ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER, RT_WORKER, 0},
	{"POST", "/api/v1/officer/dossiers", api_officer_desk_entry, ROLE_DESK,
	 RT_WORKER | RT_UPLOAD, 100u * 1024 * 1024},
	{"GET", "/api/v1/officer/dossiers/{code}", api_officer_dossier,
	 ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER, RT_WORKER, 0},
	{"GET", "/api/v1/officer/dossiers/{code}/forms/{file}", api_officer_form,
	 ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER, RT_WORKER, 0},
	{"POST", "/api/v1/officer/dossiers/{code}/actions", api_officer_action,
	 ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER, RT_WORKER, 64 * 1024},
	{"POST", "/api/v1/dossiers/{code}/supplement", api_dossier_supplement,
	 ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER | RT_UPLOAD, 100u * 1024 * 1024},

/* the one-stop back office (hệ thống một cửa điện tử): queues, one
	 * dossier and its actions, forms, desk entry; the applicant's
	 * supplement */
#define OFFICERS (ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER)
	{"GET", "/can-bo", web_officer_home, OFFICERS, RT_WORKER, 0},
	{"GET", "/can-bo/ho-so", web_officer_list, OFFICERS, RT_WORKER, 0},
	{"GET", "/can-bo/ho-so/{code}", web_officer_dossier, OFFICERS, RT_WORKER, 0},
	{"POST", "/can-bo/ho-so/{code}/xu-ly", web_officer_act, OFFICERS, RT_WORKER, 32 * 1024},
	{"GET", "/can-bo/ho-so/{code}/mau/{file}", web_officer_form_pdf, OFFICERS, RT_WORKER, 0},
	{"GET", "/can-bo/tiep-nhan", web_officer_desk_form, ROLE_DESK, RT_WORKER, 0},
	{"POST", "/can-bo/tiep-nhan", web_officer_desk_submit, ROLE_DESK, RT_WORKER | RT_UPLOAD,
	 100u * 1024 * 1024},
	{"POST", "/ho-so/{code}/bo-sung", web_dossier_supplement, ROLE_CITIZEN | ROLE_BUSINESS,
	 RT_WORKER | RT_UPLOAD, 100u * 1024 * 1024},
#undef OFFICERS
	/* fees and payments (phí, lệ phí, thanh toán; docs/payments.md) */
	{"GET", "/ho-so/{code}/bien-lai/{no}", web_payment_receipt, DOSSIER_VIEWERS, RT_WORKER, 0},
	/* public verification of a receipt (payverify.h): keyed tag, lookup budget */
	{"GET", "/bien-lai/xac-thuc", web_payverify, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/receipts/verify", api_payverify, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/dossiers/{code}/payment", api_dossier_payment, DOSSIER_VIEWERS, RT_WORKER,
	 0},
	{"POST", "/api/v1/officer/dossiers/{code}/fee", api_officer_fee, ROLE_DESK | ROLE_LEADER,
	 RT_WORKER, 4 * 1024},
	{"POST", "/api/v1/officer/dossiers/{code}/payments", api_officer_payment,
	 ROLE_DESK | ROLE_LEADER, RT_WORKER, 4 * 1024},
	{"POST", "/api/v1/payments/callback", api_payment_callback, ROLE_PUBLIC, RT_WORKER,
	 8 * 1024},
	/* public statistics (thống kê) and the Decision 766 index */
	{"GET", "/thong-ke", web_stats, ROLE_PUBLIC, RT_WORKER | RT_CACHE, 0},
	{"GET", "/thong-ke.csv", web_stats_csv, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/thong-ke.xlsx", web_stats_xlsx, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/stats", api_stats, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/quan-tri/chi-tieu", web_admin_targets, ROLE_SYSADMIN, RT_WORKER, 0},
	{"POST", "/quan-tri/chi-tieu", web_admin_target_save, ROLE_SYSADMIN, RT_WORKER, 4 * 1024},
	/* satisfaction ratings (đánh giá mức độ hài lòng, api/rating.c) */
	{"GET", "/api/v1/dossiers/{code}/rating", api_rating, DOSSIER_VIEWERS, RT_WORKER, 0},
	{"POST", "/api/v1/dossiers/{code}/rating", api_rating_create, ROLE_CITIZEN | ROLE_BUSINESS,
	 RT_WORKER, 16 * 1024},
	{"POST", "/api/v1/dossiers/{code}/rating/answer", api_rating_answer,
	 ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER | ROLE_AGENCY_ADMIN, RT_WORKER, 16 * 1024},
	{"POST", "/ho-so/{code}/danh-gia", web_rating_submit, ROLE_CITIZEN | ROLE_BUSINESS,
	 RT_WORKER, 16 * 1024},
	{"POST", "/ho-so/{code}/danh-gia/tra-loi", web_rating_answer,
	 ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER | ROLE_AGENCY_ADMIN, RT_WORKER, 16 * 1024},
	/* national sync export (đồng bộ, api/sync.c) */
	{"GET", "/api/v1/sync/dossiers", api_sync_dossiers, ROLE_SYSADMIN, RT_WORKER, 0},

	/* static files, compiled into the binary */
	{"GET", "/static/*", web_static, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/favicon.ico", web_static, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/robots.txt", web_static, ROLE_PUBLIC, RT_INLINE, 0},

	/* operations */
	{"GET", "/healthz", web_healthz, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/metrics", web_metrics, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/health", web_healthz, ROLE_PUBLIC, RT_INLINE, 0},
};

const size_t motcua_nroutes = sizeof(motcua_routes) / sizeof(motcua_routes[0]);
