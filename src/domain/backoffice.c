/*
 * backoffice.c - workflow.h's table applied to dossiers: bo_act (checks,
 * then one write with the dossier, event, holders, audit entry and notice),
 * the officers' queues with keyset pages, the officer's dossier view and
 * desk entry. See backoffice.h for the rules.
 */
#include "domain/backoffice.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/text.h"
#include "domain/audit.h"
#include "domain/catalogue.h"
#include "domain/blob.h"
#include "domain/fold.h"
#include "domain/forms.h"
#include "domain/notify.h"
#include "domain/payment.h"
#include "domain/schedule.h"
#include "http/router.h"
#include "http/upload.h"

/* ---- small helpers ---- */

static bool empty(const char *s)
{
	return !s || !*s;
}

/* NULL, empty or only white space: no reason given. */
static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

static bool eq(const char *x, const char *y)
{
	return x && y && strcmp(x, y) == 0;
}

static const char *now_text(const struct bo_env *env, arena *a)
{
	if (env->now)
		return env->now;
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "YYYY-MM-DD HH:MM[:SS]" -> datetime (seconds dropped). */
static bool parse_stamp(const char *s, struct datetime *out)
{
	if (!s || strlen(s) < 16)
		return false;
	char head[17];
	memcpy(head, s, 16);
	head[16] = 0;
	return datetime_parse(head, out);
}

static const char *stamp_of(arena *a, struct datetime t)
{
	char out[17];
	datetime_format(t, out);
	return arena_printf(a, "%s:00", out);
}

static long jd(struct solar_date d)
{
	return jd_from_date(d.day, d.month, d.year);
}

/* d moved n working days later (to a working day), same time of day. */
static struct datetime add_working_days(const work_calendar *cal, struct datetime t, int n)
{
	while (n > 0) {
		t.date = date_next(t.date);
		if (calendar_is_working_day(cal, t.date))
			n--;
	}
	return t;
}

/* Working days d with from <= d < to. */
static int working_days_between(const work_calendar *cal, struct solar_date from,
				struct solar_date to)
{
	int n = 0;
	for (long j = jd(from); j < jd(to) && n < 100000; j++)
		if (calendar_is_working_day(cal, jd_to_date(j)))
			n++;
	return n;
}

unsigned bo_actor_bits(const struct bo_actor *who, const char *dossier_agency,
		       const char *dossier_account, const char *assignee_id)
{
	unsigned bits = 0;
	if (who->agency_code && eq(who->agency_code, dossier_agency)) {
		if (who->roles & ROLE_DESK)
			bits |= WF_DESK;
		if (who->roles & ROLE_LEADER)
			bits |= WF_LEADER;
		if ((who->roles & ROLE_SPECIALIST) && eq(assignee_id, who->account_id))
			bits |= WF_SPECIALIST;
	}
	if (eq(who->account_id, dossier_account))
		bits |= WF_APPLICANT;
	return bits;
}

/* ---- the current row ---- */

struct cur {
	const char *id, *code, *procedure_code, *procedure_name, *agency_code, *agency_name,
		*account_id, *assignee_id, *submitted_at, *received_at, *due_at, *paused_at,
		*apology_at, *finished_at;
	enum wf_stage stage;
	int status, paused_days, supplements;
	int64_t version;
	struct dossier_applicant applicant;
};

#define CUR_COLS                                                                                   \
	"d.id, d.code, d.procedure_code, p.name, d.agency_code, g.name, d.account_id,"             \
	" d.assignee_id, d.submitted_at, d.received_at, d.due_at, d.paused_at, d.apology_at,"      \
	" d.finished_at, d.stage, d.status, d.paused_days, d.supplements, d.version, d.applicant"
#define CUR_FROM                                                                                   \
	" FROM dossier d JOIN procedure p ON p.code = d.procedure_code"                            \
	" JOIN agency g ON g.code = d.agency_code"

static const char *json_field(arena *a, json_t *j, const char *k)
{
	const char *v = j ? json_string_value(json_object_get(j, k)) : NULL;
	return arena_strdup(a, v ? v : "");
}

/*
 * The stored stage, unless the national status was changed outside the
 * workflow (an import, a repair by hand): then the status decides, as the
 * migration's backfill reads it (status 4 is taken as with a specialist).
 */
static enum wf_stage stage_of(const char *stored, int status)
{
	static const enum wf_stage by_status[] = {
		WF_NEW,	      WF_NEW,	     WF_RECEIVED, WF_REFUSED, WF_ASSIGNED, WF_SUPPLEMENT,
		WF_FINANCIAL, WF_WITHDRAWAL, WF_STOPPED,  WF_DONE,    WF_RETURNED};
	int st = wf_stage_parse(stored);
	if (st >= 0 && wf_status_code((enum wf_stage)st) == status)
		return (enum wf_stage)st;
	return status >= 0 && status <= 10 ? by_status[status] : WF_NEW;
}

static void row_to_cur(arena *a, db_result *r, int i, struct cur *o)
{
	const char **s[] = {
		&o->id,		  &o->code,	   &o->procedure_code, &o->procedure_name,
		&o->agency_code,  &o->agency_name, &o->account_id,     &o->assignee_id,
		&o->submitted_at, &o->received_at, &o->due_at,	       &o->paused_at,
		&o->apology_at,	  &o->finished_at};
	for (int k = 0; k < 14; k++)
		*s[k] = db_text(r, i, k);
	o->status = (int)db_int(r, i, 15);
	o->stage = stage_of(db_text(r, i, 14), o->status);
	o->paused_days = (int)db_int(r, i, 16);
	o->supplements = (int)db_int(r, i, 17);
	o->version = db_int(r, i, 18);
	json_t *j = json_loads(db_text(r, i, 19) ? db_text(r, i, 19) : "{}", 0, NULL);
	o->applicant = (struct dossier_applicant){
		json_field(a, j, "name"),     json_field(a, j, "id_number"),
		json_field(a, j, "tax_code"), json_field(a, j, "birth_date"),
		json_field(a, j, "phone"),    json_field(a, j, "email"),
		json_field(a, j, "address")};
	json_decref(j);
}

/* The dossier by code when the actor may see it: scoped in the query. */
static mc_status load_cur(db_conn *c, arena *a, const struct bo_actor *who, const char *code,
			  struct cur *o)
{
	if (empty(code) || strlen(code) > 64)
		return MC_NOT_FOUND;
	db_result *r;
	mc_status rc = db_query(
		c, a,
		"SELECT " CUR_COLS CUR_FROM " WHERE d.code = $1 AND d.status > 0"
		" AND (d.agency_code = $2 OR d.account_id = $3)",
		DB_ARGS(DB_TEXT(code), DB_TEXT(who->agency_code), DB_TEXT(who->account_id)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) != 1)
		return MC_NOT_FOUND;
	row_to_cur(a, r, 0, o);
	return MC_OK;
}

/* The latest event of a dossier, for a conflict's message. */
static mc_status happened(db_conn *c, arena *a, const char *id, int64_t version,
			  struct bo_happened *h)
{
	db_result *r;
	mc_status rc =
		db_query(c, a,
			 "SELECT e.action, COALESCE(ac.full_name, ''), e.at FROM dossier_event e"
			 " LEFT JOIN account ac ON ac.id = e.account_id"
			 " WHERE e.dossier_id = $1 ORDER BY e.n DESC LIMIT 1",
			 DB_ARGS(DB_TEXT(id)), &r);
	if (rc != MC_OK)
		return rc;
	*h = (struct bo_happened){"", "", "", version};
	if (db_nrows(r) == 1)
		*h = (struct bo_happened){db_text(r, 0, 0), db_text(r, 0, 1), db_text(r, 0, 2),
					  version};
	return MC_OK;
}

/* ---- the write ---- */

struct act_ctx {
	arena *a;
	const struct bo_env *env;
	const struct bo_actor *who;
	const struct bo_action *act;
	const struct wf_transition *t;
	struct cur cur;
	const char *now;
	const char *backend;
	/* the new row */
	const char *agency_code, *assignee_id, *received_at, *due_at, *paused_at, *apology_at,
		*finished_at;
	int paused_days, supplements;
	const char *holder_due;	 /* the next holder's deadline */
	bool new_holder;	 /* close the current holder row, open the next */
	struct bo_happened seen; /* out, on conflict */
	const char *note;	 /* the event's note */
	struct upload_file form; /* the issued form's PDF (form.path NULL: none) */
};

static bool terminal(enum wf_stage s)
{
	return s == WF_REFUSED || s == WF_STOPPED || s == WF_RETURNED;
}

static mc_status write_holders(db_conn *c, struct act_ctx *w)
{
	mc_status rc;
	if (!w->new_holder)
		return db_exec(c,
			       "UPDATE dossier_holder SET due_at = $1"
			       " WHERE dossier_id = $2 AND until_at IS NULL",
			       DB_ARGS(DB_TEXT(w->holder_due), DB_TEXT(w->cur.id)), NULL);
	rc = db_exec(c,
		     "UPDATE dossier_holder SET until_at = $1 WHERE dossier_id = $2"
		     " AND until_at IS NULL",
		     DB_ARGS(DB_TEXT(w->now), DB_TEXT(w->cur.id)), NULL);
	if (rc != MC_OK || terminal(w->t->to))
		return rc;
	const char *holder = w->t->to == WF_ASSIGNED ? w->assignee_id : NULL;
	if (w->t->to == WF_SUPPLEMENT)
		holder = w->cur.account_id; /* the applicant holds it until they supplement */
	return db_exec(c,
		       "INSERT INTO dossier_holder (dossier_id, n, agency_code, account_id, task,"
		       " from_at, due_at) SELECT $1, COALESCE(MAX(n), 0) + 1, $2, $3, $4, $5, $6"
		       " FROM dossier_holder WHERE dossier_id = $1",
		       DB_ARGS(DB_TEXT(w->cur.id), DB_TEXT(w->agency_code), DB_TEXT(holder),
			       DB_TEXT(wf_stage_name(w->t->to)), DB_TEXT(w->now),
			       DB_TEXT(w->holder_due)),
		       NULL);
}

static json_t *audit_data(const struct act_ctx *w)
{
	const struct bo_action *x = w->act;
	json_t *j = json_pack("{s:s,s:s,s:I}", "from", wf_stage_name(w->cur.stage), "to",
			      wf_stage_name(w->t->to), "version", (json_int_t)(w->cur.version + 1));
	const char *keys[] = {"note", "items", "assignee", "new_due", "agency"};
	const char *vals[] = {x->note, x->items, x->assignee, x->new_due, x->agency};
	for (int i = 0; i < 5; i++)
		if (!empty(vals[i]))
			json_object_set_new(j, keys[i], json_string(vals[i]));
	if (x->action == WF_TRANSFER)
		json_object_set_new(j, "days", json_integer(x->days));
	if (x->action == WF_FINANCIAL_REQUEST)
		json_object_set_new(j, "amount", json_integer(x->amount));
	if (x->nuploads)
		json_object_set_new(j, "files", json_integer(x->nuploads));
	if (w->due_at)
		json_object_set_new(j, "due", json_string(w->due_at));
	return j;
}

static mc_status act_write(db_conn *c, void *arg)
{
	struct act_ctx *w = arg;
	const struct cur *o = &w->cur;
	db_result *r;
	mc_status rc = db_query(c, w->a, "SELECT version FROM dossier WHERE id = $1",
				DB_ARGS(DB_TEXT(o->id)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) != 1)
		return MC_NOT_FOUND;
	if (db_int(r, 0, 0) != o->version) {
		rc = happened(c, w->a, o->id, db_int(r, 0, 0), &w->seen);
		return rc == MC_OK ? MC_CONFLICT : rc;
	}
	int64_t changes = 0;
	rc = db_exec(c,
		     "UPDATE dossier SET stage = $1, status = $2, version = version + 1,"
		     " agency_code = $3, assignee_id = $4, received_at = $5, due_at = $6,"
		     " paused_at = $7, paused_days = $8, apology_at = $9, supplements = $10,"
		     " finished_at = $11, updated_at = $12 WHERE id = $13 AND version = $14",
		     DB_ARGS(DB_TEXT(wf_stage_name(w->t->to)), DB_INT(wf_status_code(w->t->to)),
			     DB_TEXT(w->agency_code), DB_TEXT(w->assignee_id),
			     DB_TEXT(w->received_at), DB_TEXT(w->due_at), DB_TEXT(w->paused_at),
			     DB_INT(w->paused_days), DB_TEXT(w->apology_at), DB_INT(w->supplements),
			     DB_TEXT(w->finished_at), DB_TEXT(w->now), DB_TEXT(o->id),
			     DB_INT(o->version)),
		     &changes);
	if (rc != MC_OK)
		return rc;
	if (changes != 1)
		return MC_CONFLICT;
	/* The fee owed is set in the same write as the pause it causes. */
	if (w->act->action == WF_FINANCIAL_REQUEST) {
		rc = pay_fee_set_in(c, w->a, w->who->account_id ? w->who->account_id : "system",
				    o->code, w->act->amount, w->now);
		if (rc != MC_OK)
			return rc;
	}
	if (w->act->nuploads) {
		rc = dossier_store_uploads(c, w->a, w->backend, o->id, w->now, w->act->uploads,
					   w->act->nuploads);
		if (rc != MC_OK)
			return rc;
	}
	rc = db_exec(c,
		     "INSERT INTO dossier_event (dossier_id, n, at, account_id, action,"
		     " status_from, status_to, note, form) SELECT $1, COALESCE(MAX(n), 0) + 1,"
		     " $2, $3, $4, $5, $6, $7, $8 FROM dossier_event WHERE dossier_id = $1",
		     DB_ARGS(DB_TEXT(o->id), DB_TEXT(w->now), DB_TEXT(w->who->account_id),
			     DB_TEXT(wf_action_name(w->act->action)), DB_INT(o->status),
			     DB_INT(wf_status_code(w->t->to)), DB_TEXT(w->note ? w->note : ""),
			     DB_INT((int)w->t->form)),
		     NULL);
	if (rc != MC_OK)
		return rc;
	rc = write_holders(c, w);
	if (rc != MC_OK)
		return rc;
	if (w->form.path) {
		rc = blob_put(c, w->backend, &w->form);
		if (rc == MC_OK)
			rc = db_exec(c,
				     "INSERT INTO dossier_form (dossier_id, form, n, blob_hash,"
				     " created_at) SELECT $1, $2, COALESCE(MAX(n), 0) + 1, $3, $4"
				     " FROM dossier_form WHERE dossier_id = $1 AND form = $2",
				     DB_ARGS(DB_TEXT(o->id), DB_INT((int)w->t->form),
					     DB_TEXT(w->form.sha256), DB_TEXT(w->now)),
				     NULL);
		if (rc != MC_OK)
			return rc;
	}
	json_t *data = audit_data(w);
	/* No person: the system acting for the agency (a payment recorded from a
	 * bank statement or the gateway performs financial_done, payment.c). */
	rc = audit_append(c, w->who->account_id ? w->who->account_id : "system",
			  arena_printf(w->a, "dossier.%s", wf_action_name(w->act->action)),
			  arena_printf(w->a, "dossier:%s", o->code), data, NULL);
	json_decref(data);
	if (rc != MC_OK || !w->t->notify || w->env->quiet)
		return rc;
	const char *base = w->env->public_url ? w->env->public_url : "";
	struct notice n = {
		.code = o->code,
		.procedure_name = o->procedure_name,
		.agency_name = o->agency_name,
		.name = o->applicant.name,
		.email = o->applicant.email,
		.phone = o->applicant.phone,
		.event = wf_action_name(w->act->action),
		.status_to = wf_status_code(w->t->to),
		.due_at = w->due_at ? arena_printf(w->a, "%.16s", w->due_at) : NULL,
		.note = w->note,
		.lookup_url = arena_printf(w->a, "%s/tra-cuu?ma=%s", base, o->code),
	};
	return notify_transition(c, w->a, &n);
}

/* ---- forms (forms.h) ---- */

/* Writes pdf to a new file under DIR/tmp (cleaned at start-up like the
 * uploads) and moves it into blob storage, ready for blob_put. */
static mc_status pdf_to_blob(const struct bo_env *env, arena *a, const buf *pdf, int form,
			     struct upload_file *f)
{
	unsigned char raw[12], sum[crypto_hash_sha256_BYTES];
	char hex[25];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	const char *dir = arena_printf(a, "%s/tmp", env->data_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return MC_INTERNAL;
	const char *path = arena_printf(a, "%s/up-form-%s", dir, hex);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return MC_INTERNAL;
	size_t done = 0;
	while (done < pdf->len) {
		ssize_t n = write(fd, pdf->data + done, pdf->len - done);
		if (n <= 0 && errno != EINTR)
			break;
		done += n > 0 ? (size_t)n : 0;
	}
	close(fd);
	crypto_hash_sha256(sum, (const unsigned char *)pdf->data, pdf->len);
	*f = (struct upload_file){.field = "form",
				  .name = arena_printf(a, "mau-%02d.pdf", form),
				  .path = path,
				  .size = pdf->len,
				  .mime = "application/pdf"};
	sodium_bin2hex(f->sha256, sizeof(f->sha256), sum, sizeof(sum));
	mc_status rc = done == pdf->len
			       ? blob_store_prepare(env->data_dir, db_backend_name(env->d), f)
			       : MC_INTERNAL;
	if (rc != MC_OK) {
		unlink(path);
		f->path = NULL;
	}
	return rc;
}

static const char *full_name(db_conn *c, arena *a, const char *account_id)
{
	db_result *r;
	if (!account_id ||
	    db_query(c, a, "SELECT full_name FROM account WHERE id = $1",
		     DB_ARGS(DB_TEXT(account_id)), &r) != MC_OK ||
	    db_nrows(r) != 1)
		return NULL;
	return db_text(r, 0, 0);
}

static void form_common(const struct bo_env *env, arena *a, const struct cur *o, const char *now,
			struct form_data *fd)
{
	const struct dossier_applicant *p = &o->applicant;
	*fd = (struct form_data){
		.agency_name = o->agency_name,
		.code = o->code,
		.applicant_name = p->name && *p->name ? p->name : "-",
		.address = p->address ? p->address : "",
		.phone = p->phone ? p->phone : "",
		.email = p->email ? p->email : "",
		.procedure_name = o->procedure_name,
		.issued_at = now,
		.received_at = o->received_at,
		.due_at = o->due_at,
		.lookup_url = arena_printf(a, "%s/tra-cuu?ma=%s",
					   env->public_url ? env->public_url : "", o->code),
	};
}

/* Renders the form the transition issues (02, 03, 04) before the write;
 * form 01 is the receipt, rendered on demand by receipt.h. */
static mc_status issue_form(const struct bo_env *env, db_conn *c, struct act_ctx *w)
{
	int form = (int)w->t->form;
	if (form < WF_FORM_02 || form > WF_FORM_04)
		return MC_OK;
	struct form_data fd;
	form_common(env, w->a, &w->cur, w->now, &fd);
	fd.form = form;
	fd.officer_name = full_name(c, w->a, w->who->account_id);
	fd.text = form == WF_FORM_02 ? w->act->items : w->act->note;
	if (form == WF_FORM_04)
		fd.new_due_at = w->due_at;
	buf pdf;
	buf_init(&pdf, 32u << 20);
	char err[256] = "";
	mc_status rc = form_pdf(&fd, &pdf, err, sizeof(err));
	if (rc == MC_OK)
		rc = pdf_to_blob(env, w->a, &pdf, form, &w->form);
	else
		log_error("backoffice: form %02d of %s: %s", form, w->cur.code, err);
	buf_release(&pdf);
	return rc;
}

/* ---- checks ---- */

static mc_status refuse(struct bo_result *out, mc_status rc, const char *why, const char *field)
{
	out->why = why;
	out->field = field;
	return rc;
}

static bool needs_reason(enum wf_action x)
{
	return x == WF_REFUSE || x == WF_STOP || x == WF_WITHDRAW_REQUEST || x == WF_APOLOGY;
}

/* The specialist exists, is active and works in the agency. */
static mc_status check_specialist(db_conn *c, arena *a, const char *agency, const char *id,
				  bool *ok)
{
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT 1 FROM account WHERE id = $1 AND agency_code = $2"
				" AND closed_at IS NULL AND (roles & $3) <> 0",
				DB_ARGS(DB_TEXT(id), DB_TEXT(agency), DB_INT(ROLE_SPECIALIST)), &r);
	*ok = rc == MC_OK && db_nrows(r) == 1;
	return rc;
}

static mc_status check_agency(db_conn *c, arena *a, const char *code, bool *ok)
{
	db_result *r;
	mc_status rc = db_query(c, a, "SELECT 1 FROM agency WHERE code = $1 AND valid_to IS NULL",
				DB_ARGS(DB_TEXT(code)), &r);
	*ok = rc == MC_OK && db_nrows(r) == 1;
	return rc;
}

/* The clock and the legal rules of one action; fills the new row. */
static mc_status plan(const struct bo_env *env, db_conn *c, const work_calendar *cal,
		      struct act_ctx *w, struct bo_result *out)
{
	const struct bo_action *x = w->act;
	const struct cur *o = &w->cur;
	struct datetime now;
	parse_stamp(w->now, &now);
	bool ok = true;
	mc_status rc = MC_OK;

	w->agency_code = o->agency_code;
	w->assignee_id = o->assignee_id;
	w->received_at = o->received_at;
	w->due_at = o->due_at;
	w->paused_at = o->paused_at;
	w->apology_at = o->apology_at;
	w->finished_at = o->finished_at;
	w->paused_days = o->paused_days;
	w->supplements = o->supplements;
	w->new_holder = w->t->to != o->stage;
	w->note = x->note;

	switch (x->action) {
	case WF_FINANCIAL_REQUEST:
		if (x->amount < 1 || x->amount > PAY_MAX_AMOUNT)
			return refuse(out, MC_INVALID, "backoffice.error.amount", "amount");
		break;
	case WF_REQUEST_SUPPLEMENT: {
		if (blank(x->items))
			return refuse(out, MC_INVALID, "backoffice.error.items_required", "items");
		/* Within 3 working days of receipt: an online dossier from its
		 * arrival, a received one from its receipt. */
		const char *base =
			o->stage == WF_NEW || !o->received_at ? o->submitted_at : o->received_at;
		struct datetime b;
		if (!parse_stamp(base, &b))
			return refuse(out, MC_INVALID, "backoffice.error.supplement_late", NULL);
		struct datetime limit = calendar_due(cal, env->hours, b, 3);
		char lim[17], nw[17];
		datetime_format(limit, lim);
		datetime_format(now, nw);
		if (strcmp(nw, lim) > 0)
			return refuse(out, MC_INVALID, "backoffice.error.supplement_late", NULL);
		w->note =
			empty(x->note) ? x->items : arena_printf(w->a, "%s\n%s", x->items, x->note);
		break;
	}
	case WF_ASSIGN:
		if (empty(x->assignee))
			return refuse(out, MC_INVALID, "backoffice.error.assignee", "assignee");
		rc = check_specialist(c, w->a, o->agency_code, x->assignee, &ok);
		if (rc != MC_OK)
			return rc;
		if (!ok)
			return refuse(out, MC_INVALID, "backoffice.error.assignee", "assignee");
		w->assignee_id = x->assignee;
		break;
	case WF_APOLOGY: {
		if (o->apology_at)
			return refuse(out, MC_INVALID, "backoffice.error.apology_once", NULL);
		struct datetime due, nd;
		if (!parse_stamp(o->due_at, &due))
			return refuse(out, MC_INVALID, "backoffice.error.no_due", NULL);
		/* At least one working day before the deadline: today is on or
		 * before the last working day before the due date. */
		long last = jd(due.date) - 1;
		while (last > jd(now.date) && !calendar_is_working_day(cal, jd_to_date(last)))
			last--;
		if (jd(now.date) > last || !calendar_is_working_day(cal, jd_to_date(last)))
			return refuse(out, MC_INVALID, "backoffice.error.apology_late", NULL);
		if (empty(x->new_due))
			return refuse(out, MC_INVALID, "backoffice.error.new_due", "new_due");
		nd = due;
		if (strlen(x->new_due) == 10 ? !date_parse(x->new_due, &nd.date)
					     : !datetime_parse(x->new_due, &nd))
			return refuse(out, MC_INVALID, "backoffice.error.new_due", "new_due");
		if (jd(nd.date) <= jd(due.date) || !calendar_is_working_day(cal, nd.date))
			return refuse(out, MC_INVALID, "backoffice.error.new_due", "new_due");
		break;
	}
	case WF_TRANSFER:
		if (empty(x->agency) || eq(x->agency, o->agency_code) || x->days < 1 ||
		    x->days > 365)
			return refuse(out, MC_INVALID, "backoffice.error.transfer", "agency");
		rc = check_agency(c, w->a, x->agency, &ok);
		if (rc != MC_OK)
			return rc;
		if (!ok)
			return refuse(out, MC_INVALID, "backoffice.error.transfer", "agency");
		w->agency_code = x->agency;
		w->assignee_id = NULL;
		w->new_holder = true;
		break;
	case WF_SUPPLEMENT_SUBMIT: {
		if (x->nuploads == 0 && blank(x->note))
			return refuse(out, MC_INVALID, "backoffice.error.supplement_empty", NULL);
		struct procedure_rec p;
		rc = x->nuploads ? catalogue_get(env->d, w->a, o->procedure_code, &p) : MC_OK;
		if (rc != MC_OK)
			return rc;
		for (int i = 0; i < x->nuploads; i++)
			if (x->uploads[i].slot < 0 || (size_t)x->uploads[i].slot >= p.ndocuments)
				return refuse(out, MC_INVALID, "dossier.error.slot",
					      arena_printf(w->a, "doc_%d", x->uploads[i].slot));
		break;
	}
	case WF_REWORK: w->new_holder = true; break;
	default: break;
	}
	if (needs_reason(x->action) && blank(x->note))
		return refuse(out, MC_INVALID, "backoffice.error.reason_required", "note");

	switch (w->t->clock) {
	case WF_CLOCK_START: {
		struct procedure_rec p;
		rc = catalogue_get(env->d, w->a, o->procedure_code, &p);
		if (rc != MC_OK)
			return rc;
		const char *due = dossier_due(w->a, cal, env->hours, &p, now);
		w->received_at = w->now;
		w->due_at = due ? arena_printf(w->a, "%s:00", due) : NULL;
		w->paused_days = 0;
		break;
	}
	case WF_CLOCK_PAUSE: w->paused_at = w->now; break;
	case WF_CLOCK_RESUME: {
		struct datetime p, due;
		int k = parse_stamp(o->paused_at, &p) ? working_days_between(cal, p.date, now.date)
						      : 0;
		if (k > 0 && parse_stamp(o->due_at, &due))
			w->due_at = stamp_of(w->a, add_working_days(cal, due, k));
		w->paused_days += k;
		w->paused_at = NULL;
		break;
	}
	case WF_CLOCK_RESTART:
		w->due_at = NULL;
		w->received_at = NULL;
		w->assignee_id = NULL;
		w->supplements++;
		break;
	case WF_CLOCK_MOVE: {
		struct datetime due, nd;
		parse_stamp(o->due_at, &due);
		nd = due;
		if (strlen(x->new_due) == 10)
			date_parse(x->new_due, &nd.date);
		else
			datetime_parse(x->new_due, &nd);
		w->due_at = stamp_of(w->a, nd);
		w->apology_at = w->now;
		break;
	}
	case WF_CLOCK_END: w->finished_at = w->now; break;
	case WF_CLOCK_KEEP: break;
	}
	w->holder_due = w->due_at;
	if (x->action == WF_TRANSFER)
		w->holder_due = stamp_of(w->a, calendar_due(cal, env->hours, now, x->days));
	return MC_OK;
}

static bool bad_text(arena *a, const char *s, size_t max)
{
	const char *clean;
	return s && text_clean(a, s, strlen(s), 0, max, &clean) != TEXT_OK;
}

static mc_status check_input(arena *a, const struct bo_action *x, struct bo_result *out)
{
	if ((int)x->action < 0 || x->action >= WF_NACTIONS)
		return refuse(out, MC_INVALID, "backoffice.error.action", "action");
	if (bad_text(a, x->note, BO_NOTE_MAX))
		return refuse(out, MC_INVALID, "backoffice.error.too_long", "note");
	if (bad_text(a, x->items, BO_ITEMS_MAX))
		return refuse(out, MC_INVALID, "backoffice.error.too_long", "items");
	if ((x->assignee && strlen(x->assignee) > 64) || (x->agency && strlen(x->agency) > 64) ||
	    (x->new_due && strlen(x->new_due) > 16))
		return refuse(out, MC_INVALID, "backoffice.error.action", "action");
	return MC_OK;
}

/*
 * Everything of one action before its write, on connection c (a reader for
 * bo_act, the open write's connection for bo_act_in): the actor may see the
 * dossier, the version is current, the table allows it, the legal rules
 * hold; then the new row is planned and the form rendered.
 */
static mc_status act_prepare(const struct bo_env *env, db_conn *c, arena *a,
			     const struct bo_actor *who, const char *code,
			     const struct bo_action *act, struct act_ctx *w, struct bo_result *out)
{
	memset(out, 0, sizeof(*out));
	*w = (struct act_ctx){.a = a, .env = env, .who = who, .act = act};
	mc_status rc = check_input(a, act, out);
	if (rc != MC_OK)
		return rc;
	rc = load_cur(c, a, who, code, &w->cur);
	if (rc != MC_OK)
		return rc;
	if (act->version != w->cur.version) {
		rc = happened(c, a, w->cur.id, w->cur.version, &out->happened);
		return rc == MC_OK ? MC_CONFLICT : rc;
	}
	unsigned bits =
		bo_actor_bits(who, w->cur.agency_code, w->cur.account_id, w->cur.assignee_id);
	const char *why = NULL;
	w->t = wf_check(w->cur.stage, act->action, bits, &why);
	if (!w->t) {
		if (eq(why, "workflow.not_now"))
			return refuse(out, MC_INVALID, why, "action");
		const struct wf_transition *t = wf_find(w->cur.stage, act->action);
		if ((t->actors & WF_SPECIALIST) && (who->roles & ROLE_SPECIALIST) &&
		    eq(who->agency_code, w->cur.agency_code))
			why = "workflow.not_assignee";
		return refuse(out, MC_FORBIDDEN, why, "action");
	}
	work_calendar *cal = NULL;
	rc = schedule_load(env->d, &cal);
	if (rc != MC_OK)
		return rc;
	w->now = now_text(env, a);
	w->backend = db_backend_name(env->d);
	rc = plan(env, c, cal, w, out);
	calendar_free(cal);
	if (rc != MC_OK)
		return rc;
	if (act->nuploads) {
		rc = dossier_prepare_uploads(env->data_dir, w->backend, act->uploads,
					     act->nuploads);
		if (rc != MC_OK)
			return rc;
	}
	return issue_form(env, c, w);
}

/* After the write: the form's file is stored (a blob of its own, or
 * chunks), and out says what happened. */
static mc_status act_finish(struct act_ctx *w, mc_status rc, struct bo_result *out)
{
	if (w->form.path)
		unlink(w->form.path);
	if (rc == MC_CONFLICT) {
		out->happened = w->seen;
		return rc;
	}
	if (rc != MC_OK)
		return rc;
	out->version = w->cur.version + 1;
	out->stage = w->t->to;
	out->status = wf_status_code(w->t->to);
	out->due_at = w->due_at;
	return MC_OK;
}

mc_status bo_act(const struct bo_env *env, arena *a, const struct bo_actor *who, const char *code,
		 const struct bo_action *act, struct bo_result *out)
{
	db_conn *c = db_reader(env->d);
	if (!c) {
		memset(out, 0, sizeof(*out));
		return MC_BUSY;
	}
	struct act_ctx w;
	mc_status rc = act_prepare(env, c, a, who, code, act, &w, out);
	return rc == MC_OK ? act_finish(&w, db_write(env->d, act_write, &w), out) : rc;
}

mc_status bo_act_in(db_conn *c, const struct bo_env *env, arena *a, const struct bo_actor *who,
		    const char *code, const struct bo_action *act, struct bo_result *out)
{
	struct act_ctx w;
	mc_status rc = act_prepare(env, c, a, who, code, act, &w, out);
	return rc == MC_OK ? act_finish(&w, act_write(c, &w), out) : rc;
}

/* ---- queues ---- */

static const char *const queue_names[BO_NQUEUES] = {"new",	"processing", "approval",
						    "due_soon", "overdue",    "return"};

const char *bo_queue_name(enum bo_queue q)
{
	return q >= 0 && q < BO_NQUEUES ? queue_names[q] : "";
}

int bo_queue_parse(const char *s)
{
	for (int i = 0; s && i < BO_NQUEUES; i++)
		if (strcmp(s, queue_names[i]) == 0)
			return i;
	return -1;
}

#define RUNNING "('received', 'assigned', 'pending_approval', 'withdrawal')"

/* The WHERE condition of each queue. Parameters: $1 agency, $2 the
 * specialist's own id or NULL (not a specialist-only officer), $3 now,
 * $4 the due-soon limit. */
/* Every queue holds open dossiers only: this term, word for word as in
 * the partial index dossier_open_queue (migration 0014), lets the counts
 * and the pages read that index instead of all of a unit's dossiers. */
#define QUEUE_OPEN "d.stage NOT IN ('returned', 'refused', 'stopped')"

static const char *const queue_where[BO_NQUEUES] = {
	"d.stage = 'new'",
	"d.stage IN ('received', 'assigned', 'financial', 'supplement', 'withdrawal')"
	" AND (CAST($2 AS TEXT) IS NULL OR d.assignee_id = $2)",
	"d.stage = 'pending_approval'",
	"d.stage IN " RUNNING " AND d.due_at >= $3 AND d.due_at <= $4",
	"d.stage IN " RUNNING " AND d.due_at < $3",
	"d.stage = 'done'",
};

struct queue_args {
	const char *agency, *own, *now, *soon;
};

static mc_status queue_args(const struct bo_env *env, arena *a, const struct bo_actor *who,
			    struct queue_args *q)
{
	if (empty(who->agency_code) || !(who->roles & (ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER)))
		return MC_FORBIDDEN;
	q->agency = who->agency_code;
	/* A specialist who is neither desk nor leader sees their own work. */
	q->own = (who->roles & (ROLE_DESK | ROLE_LEADER)) ? NULL : who->account_id;
	q->now = now_text(env, a);
	work_calendar *cal = NULL;
	mc_status rc = schedule_load(env->d, &cal);
	if (rc != MC_OK)
		return rc;
	struct datetime now;
	parse_stamp(q->now, &now);
	q->soon = stamp_of(a, add_working_days(cal, now, 2));
	calendar_free(cal);
	return MC_OK;
}

mc_status bo_queue_counts(const struct bo_env *env, arena *a, const struct bo_actor *who,
			  int64_t counts[BO_NQUEUES])
{
	struct queue_args q;
	mc_status rc = queue_args(env, a, who, &q);
	if (rc != MC_OK)
		return rc;
	db_conn *c = db_reader(env->d);
	if (!c)
		return MC_BUSY;
	const char *sql = "SELECT";
	for (int i = 0; i < BO_NQUEUES; i++)
		sql = arena_printf(a, "%s%s COALESCE(SUM(CASE WHEN %s THEN 1 ELSE 0 END), 0)", sql,
				   i ? "," : "", queue_where[i]);
	sql = arena_printf(
		a, "%s FROM dossier d WHERE d.agency_code = $1 AND " QUEUE_OPEN " AND d.status > 0",
		sql);
	db_result *r;
	rc = db_query(c, a, sql,
		      DB_ARGS(DB_TEXT(q.agency), DB_TEXT(q.own), DB_TEXT(q.now), DB_TEXT(q.soon)),
		      &r);
	if (rc != MC_OK)
		return rc;
	for (int i = 0; i < BO_NQUEUES; i++)
		counts[i] = db_nrows(r) ? db_int(r, 0, i) : 0;
	return MC_OK;
}

/* Cursor: "<queue>.<sort key>.<id>" where the sort key is the due date or
 * submission time with ' ' as '_' (both are fixed-shape stamps). */
static bool cursor_parse(arena *a, const char *s, enum bo_queue q, const char **key,
			 const char **id)
{
	const char *name = bo_queue_name(q);
	size_t nl = strlen(name);
	if (!s || strncmp(s, name, nl) != 0 || s[nl] != '.' || strlen(s) > 200)
		return false;
	const char *k = s + nl + 1;
	const char *dot = strchr(k, '.');
	if (!dot || dot - k != 19 || strlen(dot + 1) != 32)
		return false;
	char *kk = arena_strndup(a, k, 19);
	for (char *p = kk; *p; p++) {
		if (*p == '_')
			*p = ' ';
		else if (!strchr("0123456789-:", *p))
			return false;
	}
	for (const char *p = dot + 1; *p; p++)
		if (!strchr("0123456789abcdef", *p))
			return false;
	*key = kk;
	*id = dot + 1;
	return true;
}

/* The search condition ($5: code prefix or number; $6: folded name). */
static const char *search_where(arena *a, const char *search, const char **code, const char **like)
{
	*code = *like = NULL;
	if (empty(search))
		return "";
	const char *f = fold(a, search, strlen(search));
	/* LIKE's wildcards never come from the user (codes hold neither). */
	char *prefix = arena_strdup(a, search);
	for (char *p = prefix; *p; p++)
		if (*p == '%' || *p == '_' || *p == '\\')
			*p = ' ';
	*code = arena_printf(a, "%s%%", prefix);
	*like = arena_printf(a, "%%%s%%", f);
	return " AND (d.code LIKE $5 OR d.applicant_search LIKE $6)";
}

mc_status bo_queue_page(const struct bo_env *env, arena *a, const struct bo_actor *who,
			enum bo_queue qn, const char *search, const char *cursor, int limit,
			struct bo_page *out)
{
	memset(out, 0, sizeof(*out));
	if ((int)qn < 0 || qn >= BO_NQUEUES || limit < 0 || limit > BO_PAGE_MAX ||
	    (search && bad_text(a, search, 200)))
		return MC_INVALID;
	if (limit == 0)
		limit = 20;
	struct queue_args q;
	mc_status rc = queue_args(env, a, who, &q);
	if (rc != MC_OK)
		return rc;
	const char *ckey = "", *cid = "";
	if (cursor && *cursor && !cursor_parse(a, cursor, qn, &ckey, &cid))
		return MC_INVALID;
	const char *code = NULL, *like = NULL;
	const char *sw = search_where(a, search, &code, &like);
	const char *sortkey = "COALESCE(d.due_at, d.submitted_at)";
	/* A later page starts after the cursor's (key, id). The key's lower
	 * bound is its own term, without OR: written "key > $7 OR (key = $7
	 * AND id > $8)", SQLite loses the index range and reads the unit's
	 * queue from its start (docs/performance.md, session 5; stats.c's
	 * keyset does the same). The first page has no bound. */
	const char *after =
		*ckey ? arena_printf(a, " AND %s >= $7 AND NOT (%s = $7 AND d.id <= $8)", sortkey,
				     sortkey)
		      : "";
	const char *sql = arena_printf(
		a,
		"SELECT d.code, d.procedure_code, p.name, d.applicant, d.stage, d.status,"
		" d.channel, d.version, d.submitted_at, d.received_at, d.due_at, d.assignee_id,"
		" ac.full_name, d.id, %s, CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT),"
		" CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS TEXT), CAST($8 AS TEXT)"
		" FROM dossier d JOIN procedure p ON p.code ="
		" d.procedure_code LEFT JOIN account ac ON ac.id = d.assignee_id"
		" WHERE d.agency_code = $1 AND " QUEUE_OPEN " AND d.status > 0 AND (%s)%s%s"
		" ORDER BY %s, d.id LIMIT $9",
		sortkey, queue_where[qn], sw, after, sortkey);
	db_conn *c = db_reader(env->d);
	if (!c)
		return MC_BUSY;
	db_result *r;
	rc = db_query(c, a, sql,
		      DB_ARGS(DB_TEXT(q.agency), DB_TEXT(q.own), DB_TEXT(q.now), DB_TEXT(q.soon),
			      DB_TEXT(code), DB_TEXT(like), DB_TEXT(ckey), DB_TEXT(cid),
			      DB_INT(limit + 1)),
		      &r);
	if (rc != MC_OK)
		return rc;
	int n = db_nrows(r);
	out->n = n > limit ? limit : n;
	out->rows = arena_calloc(a, (size_t)out->n + 1, sizeof(*out->rows));
	for (int i = 0; i < out->n; i++) {
		struct bo_row *x = &out->rows[i];
		json_t *j = json_loads(db_text(r, i, 3) ? db_text(r, i, 3) : "{}", 0, NULL);
		int st = wf_stage_parse(db_text(r, i, 4));
		*x = (struct bo_row){
			.code = db_text(r, i, 0),
			.procedure_code = db_text(r, i, 1),
			.procedure_name = db_text(r, i, 2),
			.applicant_name = json_field(a, j, "name"),
			.stage = st < 0 ? WF_NEW : (enum wf_stage)st,
			.status = (int)db_int(r, i, 5),
			.channel = (int)db_int(r, i, 6),
			.version = db_int(r, i, 7),
			.submitted_at = db_text(r, i, 8),
			.received_at = db_text(r, i, 9),
			.due_at = db_text(r, i, 10),
			.assignee_id = db_text(r, i, 11),
			.assignee_name = db_text(r, i, 12),
		};
		json_decref(j);
		x->overdue = x->due_at && strcmp(x->due_at, q.now) < 0 &&
			     strstr(RUNNING, arena_printf(a, "'%s'", wf_stage_name(x->stage)));
	}
	if (n > limit) {
		char *k = arena_strdup(a, db_text(r, limit - 1, 14));
		for (char *p = k; *p; p++)
			if (*p == ' ')
				*p = '_';
		out->next_cursor = arena_printf(a, "%s.%.19s.%s", bo_queue_name(qn), k,
						db_text(r, limit - 1, 13));
	}
	return MC_OK;
}

/* ---- one dossier ---- */

static mc_status load_extra(db_conn *c, arena *a, const char *now, struct bo_dossier *o)
{
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT h.n, h.agency_code, g.name, h.account_id, ac.full_name,"
				" h.task, h.from_at, h.until_at, h.due_at FROM dossier_holder h"
				" JOIN agency g ON g.code = h.agency_code"
				" LEFT JOIN account ac ON ac.id = h.account_id"
				" WHERE h.dossier_id = $1 ORDER BY h.n",
				DB_ARGS(DB_TEXT(o->d.id)), &r);
	if (rc != MC_OK)
		return rc;
	o->nholders = db_nrows(r);
	o->holders = arena_calloc(a, (size_t)o->nholders + 1, sizeof(*o->holders));
	for (int i = 0; i < o->nholders; i++) {
		struct bo_holder *h = &o->holders[i];
		*h = (struct bo_holder){(int)db_int(r, i, 0), db_text(r, i, 1),
					db_text(r, i, 2),     db_text(r, i, 3),
					db_text(r, i, 4),     db_text(r, i, 5),
					db_text(r, i, 6),     db_text(r, i, 7),
					db_text(r, i, 8),     false};
		const char *end = h->until_at ? h->until_at : now;
		h->late = h->due_at && strcmp(end, h->due_at) > 0;
	}
	rc = db_query(c, a,
		      "SELECT form, n, blob_hash, created_at FROM dossier_form"
		      " WHERE dossier_id = $1 ORDER BY created_at, form, n",
		      DB_ARGS(DB_TEXT(o->d.id)), &r);
	if (rc != MC_OK)
		return rc;
	o->nforms = db_nrows(r);
	o->forms = arena_calloc(a, (size_t)o->nforms + 1, sizeof(*o->forms));
	for (int i = 0; i < o->nforms; i++)
		o->forms[i] = (struct bo_form){(int)db_int(r, i, 0), (int)db_int(r, i, 1),
					       db_text(r, i, 2), db_text(r, i, 3)};
	rc = db_query(c, a,
		      "SELECT id, full_name FROM account WHERE agency_code = $1"
		      " AND closed_at IS NULL AND (roles & $2) <> 0 ORDER BY full_name, id",
		      DB_ARGS(DB_TEXT(o->d.agency_code), DB_INT(ROLE_SPECIALIST)), &r);
	if (rc != MC_OK)
		return rc;
	o->nspecialists = db_nrows(r);
	o->specialists = arena_calloc(a, (size_t)o->nspecialists + 1, sizeof(*o->specialists));
	for (int i = 0; i < o->nspecialists; i++) {
		o->specialists[i] = (struct bo_person){db_text(r, i, 0), db_text(r, i, 1)};
		if (eq(o->assignee_id, o->specialists[i].id))
			o->assignee_name = o->specialists[i].name;
	}
	return MC_OK;
}

mc_status bo_get(const struct bo_env *env, arena *a, const struct bo_actor *who, const char *code,
		 struct bo_dossier *out)
{
	memset(out, 0, sizeof(*out));
	db_conn *c = db_reader(env->d);
	if (!c)
		return MC_BUSY;
	struct cur o;
	mc_status rc = load_cur(c, a, who, code, &o);
	if (rc != MC_OK)
		return rc;
	struct dossier_viewer v = {who->account_id, who->agency_code};
	rc = dossier_get(env->d, a, &v, code, &out->d);
	if (rc != MC_OK)
		return rc;
	out->stage = o.stage;
	out->version = o.version;
	out->assignee_id = o.assignee_id;
	out->received_at = o.received_at;
	out->paused_at = o.paused_at;
	out->apology_at = o.apology_at;
	out->finished_at = o.finished_at;
	out->paused_days = o.paused_days;
	out->supplements = o.supplements;
	unsigned bits = bo_actor_bits(who, o.agency_code, o.account_id, o.assignee_id);
	out->nallowed = wf_allowed(o.stage, bits, out->allowed, WF_NACTIONS);
	return load_extra(c, a, now_text(env, a), out);
}

mc_status bo_form_file(const struct bo_env *env, arena *a, const struct bo_actor *who,
		       const char *code, int form, int n, struct dossier_file *out)
{
	struct bo_dossier v;
	mc_status rc = bo_get(env, a, who, code, &v);
	if (rc != MC_OK)
		return rc;
	for (int i = 0; i < v.nforms; i++)
		if (v.forms[i].form == form && v.forms[i].n == n) {
			*out = (struct dossier_file){
				.id = "",
				.slot = -1,
				.name = arena_printf(a, "mau-%02d-%d.pdf", form, n),
				.mime = "application/pdf",
				.blob_hash = v.forms[i].blob_hash,
				.uploaded_at = v.forms[i].created_at};
			return MC_OK;
		}
	return MC_NOT_FOUND;
}

mc_status bo_slip_pdf(const struct bo_env *env, arena *a, const struct bo_actor *who,
		      const char *code, buf *out)
{
	db_conn *c = db_reader(env->d);
	if (!c)
		return MC_BUSY;
	struct cur o;
	mc_status rc = load_cur(c, a, who, code, &o);
	struct bo_dossier v;
	if (rc == MC_OK)
		rc = bo_get(env, a, who, code, &v);
	if (rc != MC_OK)
		return rc;
	if (v.nholders > FORM_MAX_HOLDERS)
		v.nholders = FORM_MAX_HOLDERS;
	struct form_holder *h = arena_calloc(a, (size_t)v.nholders + 1, sizeof(*h));
	for (int i = 0; i < v.nholders; i++) {
		const struct bo_holder *x = &v.holders[i];
		const char *task =
			i18n_get(LANG_VI, arena_printf(a, "backoffice.task.%s", x->task));
		h[i] = (struct form_holder){x->agency_name, x->person ? x->person : "",
					    task,	    x->from_at,
					    x->until_at,    x->due_at,
					    x->late};
	}
	const char *now = now_text(env, a);
	struct form_data fd;
	form_common(env, a, &o, now, &fd);
	fd.form = 5;
	fd.holders = h;
	fd.nholders = v.nholders;
	char err[256] = "";
	rc = form_pdf(&fd, out, err, sizeof(err));
	if (rc != MC_OK)
		log_error("backoffice: form 05 of %s: %s", code, err);
	return rc;
}

/* ---- desk entry ---- */

struct desk_ctx {
	const struct bo_env *env;
	arena *a;
	const struct bo_actor *who;
	struct act_ctx w;
};

/* Inside the submission's write: the RECEIVE transition on the new row. */
static mc_status desk_receive(db_conn *c, void *arg, const char *id, const char *code)
{
	struct desk_ctx *k = arg;
	struct act_ctx *w = &k->w;
	db_result *r;
	mc_status rc = db_query(c, k->a, "SELECT " CUR_COLS CUR_FROM " WHERE d.id = $1",
				DB_ARGS(DB_TEXT(id)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) != 1)
		return MC_INTERNAL;
	row_to_cur(k->a, r, 0, &w->cur);
	w->cur.code = code;
	/* The first holder: the desk that entered it, closed at once. */
	rc = db_exec(c,
		     "INSERT INTO dossier_holder (dossier_id, n, agency_code, account_id, task,"
		     " from_at, until_at, due_at) VALUES ($1, 1, $2, $3, 'new', $4, $4, NULL)",
		     DB_ARGS(DB_TEXT(id), DB_TEXT(w->cur.agency_code), DB_TEXT(k->who->account_id),
			     DB_TEXT(w->now)),
		     NULL);
	if (rc != MC_OK)
		return rc;
	work_calendar *cal = NULL;
	rc = schedule_load(k->env->d, &cal);
	if (rc != MC_OK)
		return rc;
	struct bo_result out;
	rc = plan(k->env, c, cal, w, &out);
	calendar_free(cal);
	return rc == MC_OK ? act_write(c, w) : rc;
}

mc_status bo_desk_entry(const struct bo_env *env, arena *a, const struct bo_actor *who,
			struct dossier_input *in, struct dossier_problem **problems,
			struct dossier_receipt *out)
{
	*problems = NULL;
	if (!(who->roles & ROLE_DESK) || empty(who->agency_code))
		return MC_FORBIDDEN;
	if (!eq(in->agency_code, who->agency_code))
		return MC_FORBIDDEN;
	static const struct bo_action receive = {.action = WF_RECEIVE};
	struct desk_ctx k = {.env = env, .a = a, .who = who};
	k.w = (struct act_ctx){.a = a,
			       .env = env,
			       .who = who,
			       .act = &receive,
			       .t = wf_find(WF_NEW, WF_RECEIVE),
			       .now = now_text(env, a),
			       .backend = db_backend_name(env->d)};
	in->channel = 1;
	in->officer_id = who->account_id;
	in->received_hook = desk_receive;
	in->hook_arg = &k;
	in->draft_id = NULL;
	if (!in->now)
		in->now = env->now;
	mc_status rc = dossier_submit(env->d, a, env->data_dir, env->hours, in, problems, out);
	if (rc == MC_OK)
		out->due_at = k.w.due_at;
	return rc;
}

/* ---- the applicant's withdrawal request (dossier.h) ---- */

mc_status dossier_withdraw(db *d, const char *account_id, const char *code, const char *reason)
{
	if (empty(reason) || text_length(reason) > DOSSIER_REASON_MAX)
		return MC_INVALID;
	if (empty(code) || strlen(code) > 64 || empty(account_id))
		return MC_NOT_FOUND;
	arena *a = arena_new(8192);
	if (!a)
		return MC_INTERNAL;
	struct bo_env env = {.d = d, .hours = OFFICE_HOURS_DEFAULT};
	struct bo_actor who = {.account_id = account_id};
	struct bo_action act = {.action = WF_WITHDRAW_REQUEST, .note = reason};
	struct bo_result out;
	mc_status rc = MC_CONFLICT;
	/* The applicant acts on whatever version is current: retry when an
	 * officer moved the dossier between the read and the write. */
	for (int attempt = 0; attempt < 3 && rc == MC_CONFLICT; attempt++) {
		db_conn *c = db_reader(d);
		struct cur o;
		rc = c ? load_cur(c, a, &who, code, &o) : MC_BUSY;
		if (rc != MC_OK)
			break;
		act.version = o.version;
		rc = bo_act(&env, a, &who, code, &act, &out);
	}
	arena_free(a);
	if (rc == MC_INVALID && out.why && strcmp(out.why, "workflow.not_now") == 0)
		return MC_CONFLICT; /* the status does not allow it */
	return rc == MC_FORBIDDEN ? MC_NOT_FOUND : rc;
}
