/*
 * backoffice.h - the one-stop back office (hệ thống một cửa điện tử):
 * workflow.h's table applied to real dossiers, the officers' queues and
 * their view of one dossier.
 *
 * Every move of a dossier goes through bo_act: officers (desk, specialist,
 * leader) and applicants alike. It checks, in this order, that the actor
 * may see the dossier (scoped in the query itself: an officer's agency, an
 * applicant's account; anything else is MC_NOT_FOUND so codes do not
 * leak), that the version the actor saw is still current (MC_CONFLICT with
 * what happened meanwhile), that the table has the action for the stage and
 * this actor (wf_check; a specialist acts only on dossiers assigned to
 * them), and the legal rules (reasons, the 3-working-day supplement window,
 * one apology at least a working day ahead). Then ONE db_write updates the
 * dossier (stage, national status, version + 1, assignee, clock), appends
 * the dossier_event, closes the current holder row of the process control
 * slip (form 05) and opens the next, stores the issued form, appends the
 * audit entry ("dossier.<action>", subject "dossier:<code>") and queues the
 * applicant's notice (notify.h) when the table says so. The version is
 * checked again inside the write, so of two officers acting on the same
 * version exactly one wins.
 *
 * Clock rules (enum wf_clock), all in Vietnam time, "YYYY-MM-DD HH:MM:SS":
 *   START   received_at = now; due_at = dossier_due(procedure, now) with
 *           the office hours' 15:00 cut-off; the paused count restarts.
 *   PAUSE   paused_at = now (financial obligation).
 *   RESUME  due_at moves later by the working days the dossier was paused
 *           (working days from paused_at's date up to, not including,
 *           today); paused_days accumulates them; paused_at cleared.
 *   RESTART due_at and received_at cleared (supplement requested): the time
 *           limit starts from zero when the desk receives it again;
 *           supplements + 1 (more than one counts late, Decision 766).
 *   MOVE    due_at = the apology's new date; apology_at = now (once only).
 *   END     finished_at = now.
 *
 * Queues (hàng đợi), all scoped to the officer's agency:
 *   new        chờ tiếp nhận: stage new
 *   processing đang xử lý: received, assigned, financial, supplement,
 *              withdrawal (a specialist: only assigned dossiers of theirs)
 *   approval   chờ phê duyệt: pending_approval
 *   due_soon   sắp đến hạn: running clock (received, assigned,
 *              pending_approval, withdrawal), due within 2 working days
 *   overdue    quá hạn: running clock, due_at before now
 *   return     chờ trả kết quả: done
 */
#ifndef MOTCUA_BACKOFFICE_H
#define MOTCUA_BACKOFFICE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/dossier.h"
#include "domain/workflow.h"

/* What bo_* needs from the running application. */
struct bo_env {
	db *d;
	const char *data_dir;	   /* blobs (uploads, stored forms) */
	struct office_hours hours; /* the 15:00 cut-off of due dates */
	const char *public_url;	   /* "https://dichvucong.example" for lookup links; may be NULL */
	const char *now; /* tests: "YYYY-MM-DD HH:MM:SS" instead of the clock; NULL: now */
	bool quiet;	 /* demo data acted in the past: no applicant notices queued */
};

/* Who acts or looks. */
struct bo_actor {
	const char *account_id;
	unsigned roles;		 /* enum role bits of src/http/router.h */
	const char *agency_code; /* the officer's agency; NULL for applicants */
};

/* Limits of what an officer types. */
#define BO_NOTE_MAX  2000
#define BO_ITEMS_MAX 4000

/* One action and its data; unused fields NULL / 0. */
struct bo_action {
	enum wf_action action;
	int64_t version;      /* the dossier's version the actor saw */
	const char *note;     /* remarks; the reasons of refuse / stop / withdraw_request /
				apology (required there) */
	const char *items;    /* request_supplement: what is missing, one per line (required) */
	const char *assignee; /* assign: the specialist's account id (of the agency) */
	const char *new_due;  /* apology: "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" */
	const char *agency;   /* transfer: the next agency's code (liên thông) */
	int days;	      /* transfer: its share of the time, working days (1-365) */
	int64_t amount;	      /* financial_request: the fee owed in đồng (required, > 0);
				 the applicant then sees it with a VietQR code (payment.h) */
	const struct dossier_upload *uploads; /* supplement_submit: the new files */
	int nuploads;
};

/* What happened meanwhile (MC_CONFLICT): the latest event. */
struct bo_happened {
	const char *action;	/* workflow action name ("receive") */
	const char *actor_name; /* the account's full name, "" when none */
	const char *at;		/* "YYYY-MM-DD HH:MM:SS" */
	int64_t version;	/* the dossier's version now */
};

struct bo_result {
	/* MC_OK: the new state */
	int64_t version;
	enum wf_stage stage;
	int status;	    /* national code 1-10 */
	const char *due_at; /* may be NULL */
	/* MC_INVALID / MC_FORBIDDEN: an i18n key saying why ("workflow.not_now",
	 * "workflow.not_yours", "backoffice.error.reason_required", ...);
	 * field names the input it is about ("note", "items", ...) or NULL */
	const char *why;
	const char *field;
	/* MC_CONFLICT: the latest event */
	struct bo_happened happened;
};

/*
 * Applies one action to the dossier with this code. Returns MC_OK (with
 * the new state), MC_NOT_FOUND (not visible to the actor), MC_CONFLICT (the
 * version is stale: out->happened says what happened), MC_FORBIDDEN (the
 * table has the action now but not for this actor: "workflow.not_yours",
 * also a specialist who is not the assignee), MC_INVALID (out->why: the
 * action is not possible in this stage, or a legal rule or input check
 * failed), or a database error.
 */
mc_status bo_act(const struct bo_env *env, arena *a, const struct bo_actor *who, const char *code,
		 const struct bo_action *act, struct bo_result *out);

/*
 * bo_act inside a write that the caller has open on c (for a move that
 * belongs to another change, e.g. a payment performing WF_FINANCIAL_DONE):
 * the same checks, reading through c, and the same rows, written through
 * c. Any failure is returned and the caller's write must roll back; the
 * caller passes the version it read inside the write.
 */
mc_status bo_act_in(db_conn *c, const struct bo_env *env, arena *a, const struct bo_actor *who,
		    const char *code, const struct bo_action *act, struct bo_result *out);

/* The workflow actor bits (enum wf_actor) this actor has on one dossier:
 * officer roles within its own agency (specialist only when assignee_id is
 * theirs), applicant when account_id is theirs. Pure. */
unsigned bo_actor_bits(const struct bo_actor *who, const char *dossier_agency,
		       const char *dossier_account, const char *assignee_id);

enum bo_queue {
	BO_Q_NEW,
	BO_Q_PROCESSING,
	BO_Q_APPROVAL,
	BO_Q_DUE_SOON,
	BO_Q_OVERDUE,
	BO_Q_RETURN,
	BO_NQUEUES
};

/* "new", "processing", "approval", "due_soon", "overdue", "return"; parse
 * gives -1 for anything else. */
const char *bo_queue_name(enum bo_queue q);
int bo_queue_parse(const char *s);

/* The count of each queue for this officer (MC_FORBIDDEN without an agency
 * and an officer role). One query. */
mc_status bo_queue_counts(const struct bo_env *env, arena *a, const struct bo_actor *who,
			  int64_t counts[BO_NQUEUES]);

#define BO_PAGE_MAX 100

/* One row of a queue page. */
struct bo_row {
	const char *code, *procedure_code, *procedure_name, *applicant_name;
	enum wf_stage stage;
	int status, channel;
	int64_t version;
	const char *submitted_at, *received_at, *due_at; /* may be NULL */
	const char *assignee_id, *assignee_name;	 /* may be NULL */
	bool overdue;
};

struct bo_page {
	struct bo_row *rows;
	int n;
	const char *next_cursor; /* NULL on the last page */
};

/*
 * One page of a queue, oldest deadline first (due_at, then id; dossiers
 * without a due date by submission time): keyset pagination, never OFFSET.
 * q (may be NULL/""): a dossier code (or its start), an ID number / tax
 * code, or words of the applicant's name, diacritics optional ("nguyen van
 * a" finds "Nguyễn Văn A"). cursor: NULL for the first page, else the
 * previous page's next_cursor (MC_INVALID when malformed or from another
 * queue). limit 1..BO_PAGE_MAX (0: 20).
 */
mc_status bo_queue_page(const struct bo_env *env, arena *a, const struct bo_actor *who,
			enum bo_queue q, const char *search, const char *cursor, int limit,
			struct bo_page *out);

/* One row of the process control slip (form 05). */
struct bo_holder {
	int n;
	const char *agency_code, *agency_name;
	const char *account_id, *person; /* may be NULL: the unit as a whole */
	const char *task;		 /* workflow stage name while held */
	const char *from_at, *until_at;	 /* until_at NULL: holding it now */
	const char *due_at;		 /* this holder's deadline, may be NULL */
	bool late;			 /* handed on (or still held now) after due_at */
};

/* A form stored with the dossier. */
struct bo_form {
	int form; /* 1-5 */
	int n;	  /* 1, 2, ... per form */
	const char *blob_hash, *created_at;
};

struct bo_person {
	const char *id, *name;
};

/* One dossier as an officer sees it. */
struct bo_dossier {
	struct dossier d; /* everything of dossier_get: files, events */
	enum wf_stage stage;
	int64_t version;
	const char *assignee_id, *assignee_name;			/* may be NULL */
	const char *received_at, *paused_at, *apology_at, *finished_at; /* may be NULL */
	int paused_days, supplements;
	struct bo_holder *holders;
	int nholders;
	struct bo_form *forms;
	int nforms;
	enum wf_action allowed[WF_NACTIONS]; /* what this actor may do now */
	int nallowed;
	struct bo_person *specialists; /* the agency's specialists (for assign) */
	int nspecialists;
};

/* The dossier by code for an officer of its agency or its applicant;
 * MC_NOT_FOUND otherwise. */
mc_status bo_get(const struct bo_env *env, arena *a, const struct bo_actor *who, const char *code,
		 struct bo_dossier *out);

/* A stored form (02-04, the n-th of its number) of a dossier the actor may
 * see, as a file to send ("mau-02-1.pdf"); MC_NOT_FOUND otherwise. */
mc_status bo_form_file(const struct bo_env *env, arena *a, const struct bo_actor *who,
		       const char *code, int form, int n, struct dossier_file *out);

/* Form 05 (phiếu kiểm soát quá trình giải quyết hồ sơ) as it stands now,
 * from the holder rows, appended to out as a PDF; MC_NOT_FOUND when the
 * actor may not see the dossier. */
mc_status bo_slip_pdf(const struct bo_env *env, arena *a, const struct bo_actor *who,
		      const char *code, buf *out);

/*
 * Desk entry of an in-person dossier (channel 1, scanned documents): the
 * same validation, code, sequence, files and audit as an online submission
 * (dossier_submit), then received at once by the desk officer who (stage
 * received, holder row, clock started). in->account_id may be NULL (an
 * applicant without an account).
 */
mc_status bo_desk_entry(const struct bo_env *env, arena *a, const struct bo_actor *who,
			struct dossier_input *in, struct dossier_problem **problems,
			struct dossier_receipt *out);

#endif
