/*
 * dossier.h - dossiers (hồ sơ) filed online: drafts, submission with the
 * dossier code and due date, the applicant's list, one dossier with its
 * files, and the applicant's withdrawal request.
 *
 * A draft (status 0) belongs to one account and has no code. Submission
 * validates everything at once (every problem is returned, by field), then
 * in ONE durable write takes the next daily number of the agency, builds the
 * code <agency identifier>-<YYMMDD>-<NNNN> (Circular 01/2018 art. 19), sets
 * status 1 with its due date, stores the files and records the event. A
 * write that fails rolls the number back with everything else, so the daily
 * sequence has no gaps. This module knows no HTTP and renders nothing: the
 * problems it returns carry i18n keys, and callers translate them.
 */
#ifndef MOTCUA_DOSSIER_H
#define MOTCUA_DOSSIER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/procedure.h"

/* National portal status codes, plus 0 for a draft. */
enum dossier_status {
	DOSSIER_DRAFT = 0,
	DOSSIER_NEW = 1,	  /* Mới */
	DOSSIER_RECEIVED = 2,	  /* Đã tiếp nhận */
	DOSSIER_NOT_RECEIVED = 3, /* Không tiếp nhận */
	DOSSIER_PROCESSING = 4,	  /* Đang xử lý */
	DOSSIER_SUPPLEMENT = 5,	  /* Yêu cầu bổ sung */
	DOSSIER_FINANCIAL = 6,	  /* Yêu cầu thực hiện nghĩa vụ tài chính */
	DOSSIER_WITHDRAWAL = 7,	  /* Công dân yêu cầu rút hồ sơ */
	DOSSIER_STOPPED = 8,	  /* Dừng xử lý */
	DOSSIER_PROCESSED = 9,	  /* Đã xử lý xong */
	DOSSIER_RETURNED = 10,	  /* Đã trả kết quả */
};
#define DOSSIER_STATUS_MAX 10

/* Limits on what an applicant types. */
#define DOSSIER_NAME_MAX    120
#define DOSSIER_ADDRESS_MAX 300
#define DOSSIER_NOTES_MAX   2000
#define DOSSIER_REASON_MAX  1000
#define DOSSIER_MAX_SLOTS   100 /* required-document slots a form may carry */

/* The applicant's data, snapshot into the dossier as JSON. */
struct dossier_applicant {
	const char *name;	/* họ và tên, or the organisation's name */
	const char *id_number;	/* CCCD (citizens) */
	const char *tax_code;	/* mã số thuế (businesses) */
	const char *birth_date; /* "YYYY-MM-DD" once validated */
	const char *phone;	/* normalised once validated */
	const char *email;
	const char *address;
};

struct upload_file; /* src/http/upload.h: a file streamed to a temporary path */

/* One uploaded file for a required-document slot (index in the record). */
struct dossier_upload {
	int slot;
	const char *name; /* the file name the client gave */
	const char *sha256;
	const char *mime;
	uint64_t size;
	const struct upload_file *file; /* stored with blob_put inside the write */
};

/* What a draft or a submission carries. Strings may be NULL (empty). */
struct dossier_input {
	const char *draft_id;	/* resume this draft, or NULL for a new one */
	const char *account_id; /* the applicant's account */
	bool business;		/* the account is an organisation: tax code, no CCCD */
	const char *procedure_code;
	const char *agency_code;
	struct dossier_applicant applicant;
	const char *return_method; /* "online", "desk" or "post" */
	const char *return_address;
	const char *notes;
	const struct dossier_upload *uploads;
	int nuploads;
	bool check_only; /* dossier_submit validates and returns, writing nothing */
	/* Desk entry (backoffice.h): channel 1 (0 means online, 2), entered by
	 * officer_id, and received_hook called inside the submission's write
	 * with the new dossier's id and code (its failure rolls it all back). */
	int channel;
	const char *officer_id;
	mc_status (*received_hook)(db_conn *c, void *arg, const char *id, const char *code);
	void *hook_arg;
	/* Demo data and tests: submitted at this Vietnam time ("YYYY-MM-DD
	 * HH:MM:SS") instead of the clock; NULL: now. */
	const char *now;
	/* Demo data: no receipt notice to the applicant (dossier_notice.h). */
	bool quiet;
};

/* One validation problem: the form field it belongs to ("agency",
 * "doc_2", "phone", ...) and an i18n key; arg (may be NULL) fills {0}. */
struct dossier_problem {
	const char *field;
	const char *key;
	const char *arg;
	struct dossier_problem *next;
};

struct dossier_file {
	const char *id;
	int slot;
	const char *name, *mime, *blob_hash, *uploaded_at;
	int64_t size;
};

struct dossier_event {
	int n;
	const char *at, *action, *note;
	int status_from, status_to;
};

struct dossier {
	const char *id;
	const char *code; /* NULL for a draft */
	const char *procedure_code, *procedure_name;
	const char *agency_code, *agency_name;
	const char *account_id;
	int status;
	int channel;
	struct dossier_applicant applicant;
	const char *return_method, *return_address, *notes;
	const char *created_at, *updated_at;
	const char *submitted_at, *due_at; /* NULL until submitted / when no limit applies */
	struct dossier_file *files;
	int nfiles;
	struct dossier_event *events;
	int nevents;
};

/* Who is looking: the applicant's account, and for officers their agency. */
struct dossier_viewer {
	const char *account_id;
	const char *agency_code; /* NULL unless an officer */
};

/* A competent agency (one that carries out the procedure). */
struct dossier_agency {
	const char *code, *name, *identifier; /* identifier NULL: cannot receive online */
};

/* True when the procedure can be filed online (a "toàn trình" or "một phần"
 * service level, or an online filing method). */
bool dossier_procedure_online(const struct procedure_rec *p);

/* True when a document need not be uploaded: optional or for one case only
 * by its own words, a note (no original, no copy), or shown at the desk
 * (see dossier.c for the rules). */
bool dossier_document_optional(const struct procedure_document *d);

/* Status 0-10 as its i18n key: the national wording shared with the public
 * lookup ("lookup.status.4"), "dossier.status.0" for a draft. */
const char *dossier_status_key(int status);

/* Withdrawal may be requested from statuses 1, 2, 4 and 5 (see dossier.c). */
bool dossier_can_withdraw(int status);

/*
 * The due date-time ("YYYY-MM-DD HH:MM") of a receipt at `from` for the
 * procedure's time limit (its online method's, else the first one given),
 * or NULL when the record states no limit. Working days go through the
 * calendar with the office hours; see dossier.c for the other units.
 */
const char *dossier_due(arena *a, const work_calendar *cal, struct office_hours h,
			const struct procedure_rec *p, struct datetime from);

/* The agencies that carry out procedure code, by name. */
mc_status dossier_agencies(db *d, arena *a, const char *procedure_code, struct dossier_agency **out,
			   int *n);

/* The account's own data, to prefill the form. */
mc_status dossier_applicant_defaults(db *d, arena *a, const char *account_id,
				     struct dossier_applicant *out, bool *business);

/*
 * Saves a draft: creates one (in->draft_id NULL) or updates the caller's
 * own draft; uploads replace the files of their slots. Only lengths and the
 * procedure/agency shape are checked here. *id gets the draft's id.
 * MC_NOT_FOUND for a draft that is not the caller's or no longer a draft.
 */
mc_status dossier_save_draft(db *d, arena *a, const char *data_dir, struct dossier_input *in,
			     struct dossier_problem **problems, const char **id);

/* The outcome of a submission. */
struct dossier_receipt {
	const char *id, *code, *submitted_at, *due_at; /* due_at may be NULL */
};

/*
 * Validates everything (MC_INVALID with every problem in *problems), then
 * submits in one durable write (or, with in->check_only, returns MC_OK
 * without writing, *out untouched: for a caller that already found
 * problems of its own and wants the rest reported with them). MC_CONFLICT when the agency has used all
 * 9999 numbers of the day or the draft changed meanwhile.
 */
mc_status dossier_submit(db *d, arena *a, const char *data_dir, struct office_hours h,
			 struct dossier_input *in, struct dossier_problem **problems,
			 struct dossier_receipt *out);

/* The account's dossiers, drafts included, newest first (no files). */
mc_status dossier_list(db *d, arena *a, const char *account_id, struct dossier **out, int *n);

/* A submitted dossier by code, with files and events, when the viewer may
 * see it (the applicant, or an officer of its agency); MC_NOT_FOUND
 * otherwise, so that nobody learns which codes exist. */
mc_status dossier_get(db *d, arena *a, const struct dossier_viewer *v, const char *code,
		      struct dossier *out);

/* The account's own draft by id, with its files; MC_NOT_FOUND otherwise. */
mc_status dossier_get_draft(db *d, arena *a, const char *account_id, const char *id,
			    struct dossier *out);

/* One file of a dossier the viewer may see; MC_NOT_FOUND otherwise. */
mc_status dossier_file_get(db *d, arena *a, const struct dossier_viewer *v, const char *code,
			   const char *file_id, struct dossier_file *out);

/* The uploads' bytes moved into blob storage before a write (blob.h), and
 * inside the write their blob rows and dossier_file rows (replacing the
 * files of the same slots), shared with the back office's supplements. */
mc_status dossier_prepare_uploads(const char *data_dir, const char *backend,
				  const struct dossier_upload *uploads, int n);
mc_status dossier_store_uploads(db_conn *c, arena *a, const char *backend, const char *id,
				const char *now, const struct dossier_upload *uploads, int n);

/* The text the officers' search matches: the applicant's folded name, ID
 * number and tax code ("nguyen van a 001099012345"). */
const char *dossier_applicant_search(arena *a, const struct dossier_applicant *p);

/*
 * The applicant asks to withdraw (status 7), with a reason, recorded as an
 * event. MC_NOT_FOUND when the dossier is not the account's; MC_CONFLICT
 * when its status does not allow it; MC_INVALID for an empty reason.
 */
mc_status dossier_withdraw(db *d, const char *account_id, const char *code, const char *reason);

#endif
