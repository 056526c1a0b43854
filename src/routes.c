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
	/* Uploads: multipart streamed to temporary files, checked by content.
	 * max_body 0: the upload_max_dossier setting (100 MiB). */
	{"POST", "/api/v1/uploads/check", api_uploads_check,
	 ROLE_CITIZEN | ROLE_BUSINESS | ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER |
		 ROLE_AGENCY_ADMIN | ROLE_SYSADMIN,
	 RT_WORKER | RT_UPLOAD, 0},

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
