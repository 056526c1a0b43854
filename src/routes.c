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

/* Dossier submission streams files to disk once the upload module is in. */
/* Who may open a dossier: its applicant, or officers of its agency (the
 * domain checks which one). */
#define DOSSIER_VIEWERS                                                                            \
	(ROLE_CITIZEN | ROLE_BUSINESS | ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER |                \
	 ROLE_AGENCY_ADMIN)
#if __has_include("http/upload.h")
#define DOSSIER_POST_FLAGS (RT_WORKER | RT_UPLOAD)
#else
#define DOSSIER_POST_FLAGS RT_WORKER
#endif

const struct route motcua_routes[] = {
	/* portal pages (Cổng dịch vụ công) */
	{"GET", "/", web_home, ROLE_PUBLIC, RT_INLINE, 0}, /* cached; defers when cold */
	{"GET", "/thu-tuc", web_procedures, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/thu-tuc/{code}", web_procedure, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/co-quan", web_agencies, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/co-quan/{code}", web_agency, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/linh-vuc", web_fields, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/linh-vuc/{code}", web_field, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/gop-y", web_feedback_form, ROLE_PUBLIC, RT_INLINE, 0},
	{"POST", "/gop-y", web_feedback_submit, ROLE_PUBLIC, RT_WORKER, 16 * 1024},
	{"GET", "/gop-y/{ref}", web_feedback_done, ROLE_PUBLIC, RT_WORKER, 0},

	/* administration (quản trị) */
	{"GET", "/quan-tri/thu-tuc", web_admin_procedures, ROLE_AGENCY_ADMIN | ROLE_SYSADMIN,
	 RT_WORKER, 0},
	{"GET", "/quan-tri/thu-tuc/{code}", web_admin_procedure, ROLE_AGENCY_ADMIN | ROLE_SYSADMIN,
	 RT_WORKER, 0},
	{"POST", "/quan-tri/thu-tuc/{code}", web_admin_procedure_save,
	 ROLE_AGENCY_ADMIN | ROLE_SYSADMIN, RT_WORKER, 2 * 1024 * 1024},

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

	/* dossiers (hồ sơ): online submission, drafts, my dossiers, withdrawal */
	{"GET", "/thu-tuc/{code}/nop", web_dossier_form, ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER,
	 0},
	{"POST", "/thu-tuc/{code}/nop", web_dossier_post, ROLE_CITIZEN | ROLE_BUSINESS,
	 DOSSIER_POST_FLAGS, 100u * 1024 * 1024},
	{"GET", "/ho-so-cua-toi", web_my_dossiers, ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER, 0},
	{"GET", "/ho-so-cua-toi/nhap/{id}", web_dossier_draft, ROLE_CITIZEN | ROLE_BUSINESS,
	 RT_WORKER, 0},
	{"GET", "/ho-so/{code}", web_dossier, DOSSIER_VIEWERS, RT_WORKER, 0},
	{"GET", "/ho-so/{code}/tep/{file}", web_dossier_file, DOSSIER_VIEWERS, RT_WORKER, 0},
	{"POST", "/ho-so/{code}/rut", web_dossier_withdraw, ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER,
	 16 * 1024},
	{"POST", "/api/v1/dossiers", api_dossier_create, ROLE_CITIZEN | ROLE_BUSINESS,
	 DOSSIER_POST_FLAGS, 100u * 1024 * 1024},
	{"GET", "/api/v1/dossiers", api_dossiers, ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER, 0},
	{"GET", "/api/v1/dossiers/{code}", api_dossier, DOSSIER_VIEWERS, RT_WORKER, 0},
	{"POST", "/api/v1/dossiers/{code}/withdraw", api_dossier_withdraw,
	 ROLE_CITIZEN | ROLE_BUSINESS, RT_WORKER, 16 * 1024},

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
