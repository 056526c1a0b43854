/*
 * dossier.c - drafts, submission (code, due date, files, event in one
 * durable write), the applicant's list and views, withdrawal requests.
 *
 * It must never leave half a dossier behind: every change of one request
 * happens inside one db_write closure, so a failure rolls back the daily
 * number, the files' rows and the event together.
 */
#include "domain/dossier.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/rowid.h"
#include "core/text.h"
#include "domain/agency.h"
#include "domain/audit.h"
#include "domain/blob.h"
#include "domain/catalogue.h"
#include "domain/catalogue_cache.h"
#include "domain/dossier_notice.h"
#include "domain/fold.h"
#include "domain/identity.h"
#include "domain/schedule.h"
#include "domain/workflow.h"

/* ---- small helpers ---- */

/* A dossier's or a file's id: time-ordered (core/rowid.h). */
static const char *new_id(arena *a)
{
	char *id = arena_alloc(a, ROWID_LEN + 1);
	rowid_new(id);
	return id;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

static void problem(arena *a, struct dossier_problem **list, const char *field, const char *key,
		    const char *arg)
{
	struct dossier_problem *p = arena_zalloc(a, sizeof(*p));
	*p = (struct dossier_problem){field, key, arg, NULL};
	while (*list)
		list = &(*list)->next;
	*list = p;
}

/* Now in Vietnam time (UTC+7), whatever the server's time zone. */
static void now_vn(struct tm *tm)
{
	time_t t = time(NULL) + 7 * 3600;
	gmtime_r(&t, tm);
}

static const char *stamp(arena *a, const struct tm *tm)
{
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", tm->tm_year + 1900, tm->tm_mon + 1,
			    tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
}

/* ---- record rules ---- */

bool dossier_procedure_online(const struct procedure_rec *p)
{
	if (p->service_level != PROCEDURE_SERVICE_NONE)
		return true;
	for (size_t i = 0; i < p->nmethods; i++)
		if (p->methods[i].channel == PROCEDURE_CHANNEL_ONLINE)
			return true;
	return false;
}

/* True when s starts with prefix after any "-", "+", "*" and spaces. */
static bool starts_with_word(const char *s, const char *prefix)
{
	while (*s == '-' || *s == '+' || *s == '*' || *s == ' ')
		s++;
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool dossier_document_optional(const struct procedure_document *d)
{
	/*
	 * The national database has no flag, so the record's own words decide
	 * (records are NFC, so byte searches find them). Optional: papers that
	 * say so ("Giấy ủy quyền (nếu có)"); papers for one case only ("Trường
	 * hợp ...", "... trong trường hợp ủy quyền"); lines that ask for no
	 * original and no copy (notes and guidance the portal lists among the
	 * documents); papers shown at the desk rather than filed ("Giấy tờ phải
	 * xuất trình") and notes ("Lưu ý") under their case headings.
	 */
	const char *c = d->case_name ? d->case_name : "";
	return strstr(d->name, "nếu có") || strstr(d->name, "Nếu có") ||
	       starts_with_word(d->name, "Trường hợp") || strstr(d->name, "trong trường hợp") ||
	       (d->originals == 0 && d->copies == 0) || strstr(c, "xuất trình") ||
	       strstr(c, "Lưu ý");
}

const char *dossier_status_key(int status)
{
	static const char *const keys[] = {"dossier.status.0", "lookup.status.1", "lookup.status.2",
					   "lookup.status.3",  "lookup.status.4", "lookup.status.5",
					   "lookup.status.6",  "lookup.status.7", "lookup.status.8",
					   "lookup.status.9",  "lookup.status.10"};
	return status >= 0 && status <= 10 ? keys[status] : "dossier.status.unknown";
}

/*
 * Withdrawal is a request to an agency that still holds the dossier and has
 * not decided: new (1), received (2), processing (4) and waiting for a
 * supplement (5). Not from a draft (nothing to withdraw), not after a
 * decision (3 refused, 8 stopped, 9 processed, 10 returned), not twice (7),
 * and not while a financial obligation is pending (6): the obligation has
 * already been assessed by the authority, and ending it is the agency's
 * stop decision, not a request form.
 */
bool dossier_can_withdraw(int status)
{
	/* The rule lives in the workflow table: a status allows the request
	 * when one of its stages has the applicant's withdraw transition
	 * (status 4 covers several stages, all of which do). */
	for (int st = 0; st < WF_NSTAGES; st++) {
		const char *why = NULL;
		if (wf_status_code((enum wf_stage)st) == status &&
		    wf_check((enum wf_stage)st, WF_WITHDRAW_REQUEST, WF_APPLICANT, &why))
			return true;
	}
	return false;
}

static const struct procedure_method *limit_method(const struct procedure_rec *p)
{
	for (size_t i = 0; i < p->nmethods; i++)
		if (p->methods[i].channel == PROCEDURE_CHANNEL_ONLINE && *p->methods[i].time_value)
			return &p->methods[i];
	for (size_t i = 0; i < p->nmethods; i++)
		if (*p->methods[i].time_value)
			return &p->methods[i];
	return NULL;
}

static struct solar_date add_months(struct solar_date d, int months)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int m = d.year * 12 + (d.month - 1) + months;
	struct solar_date out = {m / 12, m % 12 + 1, d.day};
	int last = mdays[out.month - 1];
	if (out.month == 2 && ((out.year % 4 == 0 && out.year % 100 != 0) || out.year % 400 == 0))
		last = 29;
	if (out.day > last)
		out.day = last;
	return out;
}

/*
 * Units other than working days, as the law counts them: calendar days
 * ("ngày") and months/years run from the receipt time without skipping days
 * off, to the same time of day (a month ending on a shorter month's last
 * day); hours are wall-clock hours from the receipt. Fractions of a working
 * or calendar day round up to a whole day, since due dates are kept per day
 * by the receipt forms. A record without a number has no due date.
 */
const char *dossier_due(arena *a, const work_calendar *cal, struct office_hours h,
			const struct procedure_rec *p, struct datetime from)
{
	const struct procedure_method *m = limit_method(p);
	if (!m)
		return NULL;
	char *end = NULL;
	double v = strtod(m->time_value, &end);
	if (!end || *end || !(v > 0) || v > 3650)
		return NULL;
	int n = (int)ceil(v);
	struct datetime t = from;
	switch (m->time_unit) {
	case PROCEDURE_TIME_WORKING_DAYS: t = calendar_due(cal, h, from, n); break;
	case PROCEDURE_TIME_DAYS:
		t.date = jd_to_date(jd_from_date(from.date.day, from.date.month, from.date.year) +
				    n);
		break;
	case PROCEDURE_TIME_HOURS: {
		int hours = (int)ceil(v);
		long mins = (long)from.hour * 60 + from.minute + (long)hours * 60;
		long days = mins / (24 * 60);
		mins %= 24 * 60;
		t.date = jd_to_date(jd_from_date(from.date.day, from.date.month, from.date.year) +
				    days);
		t.hour = (int)(mins / 60);
		t.minute = (int)(mins % 60);
		break;
	}
	case PROCEDURE_TIME_MONTHS: t.date = add_months(from.date, n); break;
	case PROCEDURE_TIME_YEARS: t.date = add_months(from.date, 12 * n); break;
	default: return NULL;
	}
	char out[17];
	datetime_format(t, out);
	return arena_strdup(a, out);
}

const char *dossier_applicant_search(arena *a, const struct dossier_applicant *p)
{
	const char *name = p->name ? p->name : "";
	return arena_printf(a, "%s %s %s", fold(a, name, strlen(name)),
			    p->id_number ? p->id_number : "", p->tax_code ? p->tax_code : "");
}

/* ---- reads ---- */

mc_status dossier_agencies(db *d, arena *a, const char *procedure_code, struct dossier_agency **out,
			   int *n)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *res;
	mc_status rc =
		db_query(c, a,
			 "SELECT g.code, g.name, g.identifier FROM procedure_agency pa"
			 " JOIN agency g ON g.code = pa.agency_code"
			 " WHERE pa.procedure_code = $1 AND g.valid_to IS NULL ORDER BY g.name",
			 DB_ARGS(DB_TEXT(procedure_code)), &res);
	if (rc != MC_OK)
		return rc;
	*n = db_nrows(res);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (int i = 0; i < *n; i++)
		(*out)[i] = (struct dossier_agency){db_text(res, i, 0), db_text(res, i, 1),
						    db_text(res, i, 2)};
	return MC_OK;
}

mc_status dossier_applicant_defaults(db *d, arena *a, const char *account_id,
				     struct dossier_applicant *out, bool *business)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *res;
	mc_status rc = db_query(c, a,
				"SELECT full_name, id_number, tax_code, birth_date, phone, email,"
				" address, kind FROM account WHERE id = $1",
				DB_ARGS(DB_TEXT(account_id)), &res);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(res) == 0)
		return MC_NOT_FOUND;
	*out = (struct dossier_applicant){
		db_text(res, 0, 0), db_text(res, 0, 1), db_text(res, 0, 2), db_text(res, 0, 3),
		db_text(res, 0, 4), db_text(res, 0, 5), db_text(res, 0, 6)};
	*business = strcmp(db_text(res, 0, 7), "business") == 0;
	return MC_OK;
}

static json_t *applicant_json(const struct dossier_applicant *p)
{
	json_t *j = json_object();
	const char *names[] = {"name",	"id_number", "tax_code", "birth_date",
			       "phone", "email",     "address"};
	const char *vals[] = {p->name,	p->id_number, p->tax_code, p->birth_date,
			      p->phone, p->email,     p->address};
	for (int i = 0; i < 7; i++)
		json_object_set_new(j, names[i], json_string(vals[i] ? vals[i] : ""));
	return j;
}

static void applicant_parse(arena *a, const char *text, struct dossier_applicant *out)
{
	json_t *j = json_loads(text ? text : "{}", 0, NULL);
	const char **dst[] = {&out->name,  &out->id_number, &out->tax_code, &out->birth_date,
			      &out->phone, &out->email,	    &out->address};
	const char *names[] = {"name",	"id_number", "tax_code", "birth_date",
			       "phone", "email",     "address"};
	for (int i = 0; i < 7; i++) {
		const char *v = j ? json_string_value(json_object_get(j, names[i])) : NULL;
		*dst[i] = arena_strdup(a, v ? v : "");
	}
	json_decref(j);
}

#define DOSSIER_COLS                                                                               \
	"d.id, d.code, d.procedure_code, p.name, d.agency_code, g.name, d.account_id, d.status,"   \
	" d.channel, d.applicant, d.return_method, d.return_address, d.notes, d.created_at,"       \
	" d.updated_at, d.submitted_at, d.due_at"
#define DOSSIER_FROM                                                                               \
	" FROM dossier d JOIN procedure p ON p.code = d.procedure_code"                            \
	" JOIN agency g ON g.code = d.agency_code"

static void row_to_dossier(arena *a, db_result *res, int i, struct dossier *o)
{
	memset(o, 0, sizeof(*o));
	o->id = db_text(res, i, 0);
	o->code = db_text(res, i, 1);
	o->procedure_code = db_text(res, i, 2);
	o->procedure_name = db_text(res, i, 3);
	o->agency_code = db_text(res, i, 4);
	o->agency_name = db_text(res, i, 5);
	o->account_id = db_text(res, i, 6);
	o->status = (int)db_int(res, i, 7);
	o->channel = (int)db_int(res, i, 8);
	applicant_parse(a, db_text(res, i, 9), &o->applicant);
	o->return_method = db_text(res, i, 10);
	o->return_address = db_text(res, i, 11);
	o->notes = db_text(res, i, 12);
	o->created_at = db_text(res, i, 13);
	o->updated_at = db_text(res, i, 14);
	o->submitted_at = db_text(res, i, 15);
	o->due_at = db_text(res, i, 16);
}

mc_status dossier_list(db *d, arena *a, const char *account_id, struct dossier **out, int *n)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *res;
	mc_status rc = db_query(c, a,
				"SELECT " DOSSIER_COLS DOSSIER_FROM " WHERE d.account_id = $1"
				" ORDER BY d.created_at DESC, d.id LIMIT 1000",
				DB_ARGS(DB_TEXT(account_id)), &res);
	if (rc != MC_OK)
		return rc;
	*n = db_nrows(res);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (int i = 0; i < *n; i++)
		row_to_dossier(a, res, i, &(*out)[i]);
	return MC_OK;
}

static mc_status load_files(db_conn *c, arena *a, struct dossier *o)
{
	db_result *res;
	mc_status rc =
		db_query(c, a,
			 "SELECT id, slot, name, mime, blob_hash, uploaded_at, size"
			 " FROM dossier_file WHERE dossier_id = $1 ORDER BY slot, uploaded_at",
			 DB_ARGS(DB_TEXT(o->id)), &res);
	if (rc != MC_OK)
		return rc;
	o->nfiles = db_nrows(res);
	o->files = arena_calloc(a, (size_t)o->nfiles + 1, sizeof(*o->files));
	for (int i = 0; i < o->nfiles; i++)
		o->files[i] = (struct dossier_file){db_text(res, i, 0), (int)db_int(res, i, 1),
						    db_text(res, i, 2), db_text(res, i, 3),
						    db_text(res, i, 4), db_text(res, i, 5),
						    db_int(res, i, 6)};
	rc = db_query(c, a,
		      "SELECT n, at, action, note, status_from, status_to FROM dossier_event"
		      " WHERE dossier_id = $1 ORDER BY n",
		      DB_ARGS(DB_TEXT(o->id)), &res);
	if (rc != MC_OK)
		return rc;
	o->nevents = db_nrows(res);
	o->events = arena_calloc(a, (size_t)o->nevents + 1, sizeof(*o->events));
	for (int i = 0; i < o->nevents; i++)
		o->events[i] = (struct dossier_event){
			(int)db_int(res, i, 0), db_text(res, i, 1),	db_text(res, i, 2),
			db_text(res, i, 3),	(int)db_int(res, i, 4), (int)db_int(res, i, 5)};
	return MC_OK;
}

static bool may_view(const struct dossier_viewer *v, const struct dossier *o)
{
	if (v->account_id && o->account_id && strcmp(v->account_id, o->account_id) == 0)
		return true;
	return v->agency_code && strcmp(v->agency_code, o->agency_code) == 0;
}

mc_status dossier_get(db *d, arena *a, const struct dossier_viewer *v, const char *code,
		      struct dossier *out)
{
	if (strlen(code) > 64)
		return MC_NOT_FOUND;
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *res;
	mc_status rc = db_query(c, a, "SELECT " DOSSIER_COLS DOSSIER_FROM " WHERE d.code = $1",
				DB_ARGS(DB_TEXT(code)), &res);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(res) == 0)
		return MC_NOT_FOUND;
	row_to_dossier(a, res, 0, out);
	if (!may_view(v, out))
		return MC_NOT_FOUND;
	return load_files(c, a, out);
}

mc_status dossier_get_draft(db *d, arena *a, const char *account_id, const char *id,
			    struct dossier *out)
{
	if (strlen(id) != ROWID_LEN)
		return MC_NOT_FOUND;
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *res;
	mc_status rc = db_query(c, a,
				"SELECT " DOSSIER_COLS DOSSIER_FROM
				" WHERE d.id = $1 AND d.account_id = $2 AND d.status = 0",
				DB_ARGS(DB_TEXT(id), DB_TEXT(account_id)), &res);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(res) == 0)
		return MC_NOT_FOUND;
	row_to_dossier(a, res, 0, out);
	return load_files(c, a, out);
}

mc_status dossier_file_get(db *d, arena *a, const struct dossier_viewer *v, const char *code,
			   const char *file_id, struct dossier_file *out)
{
	struct dossier o;
	mc_status rc = dossier_get(d, a, v, code, &o);
	if (rc != MC_OK)
		return rc;
	for (int i = 0; i < o.nfiles; i++)
		if (strcmp(o.files[i].id, file_id) == 0) {
			*out = o.files[i];
			return MC_OK;
		}
	return MC_NOT_FOUND;
}

/* ---- validation ---- */

static void check_text(arena *a, struct dossier_problem **pr, const char *field, const char *s,
		       size_t minlen, size_t maxlen)
{
	if (minlen && empty(s)) {
		problem(a, pr, field, "dossier.error.required", NULL);
		return;
	}
	if (s && text_length(s) > maxlen)
		problem(a, pr, field, "dossier.error.too_long", arena_printf(a, "%zu", maxlen));
}

static void check_applicant(arena *a, struct dossier_input *in, struct dossier_problem **pr)
{
	struct dossier_applicant *p = &in->applicant;
	check_text(a, pr, "name", p->name, 1, DOSSIER_NAME_MAX);
	check_text(a, pr, "address", p->address, 1, DOSSIER_ADDRESS_MAX);
	if (empty(p->birth_date)) {
		if (!in->business)
			problem(a, pr, "birth_date", "dossier.error.required", NULL);
	} else {
		char iso[11];
		struct solar_date sd;
		bool ok = id_date_parse(p->birth_date, iso);
		if (ok && date_parse(iso, &sd)) {
			struct tm tm;
			now_vn(&tm);
			if (sd.year < 1900 || sd.year > tm.tm_year + 1900)
				ok = false;
		}
		if (ok)
			p->birth_date = arena_strdup(a, iso);
		else
			problem(a, pr, "birth_date", "dossier.error.birth_date", NULL);
	}
	if (in->business) {
		if (empty(p->tax_code))
			problem(a, pr, "tax_code", "dossier.error.required", NULL);
		else {
			const char *why = NULL;
			if (!id_tax_code_valid(p->tax_code, &why))
				problem(a, pr, "tax_code", why ? why : "dossier.error.tax_code",
					NULL);
		}
	} else {
		if (empty(p->id_number))
			problem(a, pr, "id_number", "dossier.error.required", NULL);
		else {
			const char *why = NULL;
			if (!id_cccd_valid(p->id_number, p->birth_date, &why))
				problem(a, pr, "id_number", why ? why : "dossier.error.id_number",
					NULL);
		}
	}
	if (empty(p->phone))
		problem(a, pr, "phone", "dossier.error.required", NULL);
	else {
		char norm[16];
		const char *why = NULL;
		if (id_phone_valid(p->phone, norm, &why))
			p->phone = arena_strdup(a, norm);
		else
			problem(a, pr, "phone", why ? why : "dossier.error.phone", NULL);
	}
	if (!empty(p->email)) {
		const char *why = NULL;
		if (!id_email_valid(p->email, &why))
			problem(a, pr, "email", why ? why : "dossier.error.email", NULL);
	}
}

/* What both drafts and submissions check: the procedure exists and is
 * online, a draft being continued is the caller's and of that procedure,
 * the agency (when given) carries it out, the return method is known,
 * lengths, upload slots. Fills *p, *ag (NULL when not chosen) and *draft
 * (when continuing one). */
static mc_status check_common(db *d, arena *a, struct dossier_input *in,
			      struct dossier_problem **pr, struct procedure_rec *p,
			      const struct dossier_agency **ag, struct dossier *draft)
{
	*ag = NULL;
	draft->nfiles = 0;
	if (empty(in->procedure_code))
		return MC_NOT_FOUND;
	const struct dossier_agency *list;
	int n;
	mc_status rc = catalogue_cache_get(d, a, in->procedure_code, p, &list, &n);
	if (rc != MC_OK)
		return rc;
	if (!p->published || (in->channel != 1 && !dossier_procedure_online(p)))
		return MC_NOT_FOUND;
	if (in->draft_id) {
		/* Only the caller's own draft, and only for its own procedure:
		 * its files are slotted by that record. */
		rc = dossier_get_draft(d, a, in->account_id, in->draft_id, draft);
		if (rc != MC_OK)
			return rc;
		if (strcmp(draft->procedure_code, p->code) != 0)
			return MC_NOT_FOUND;
	}
	if (!empty(in->agency_code)) {
		for (int i = 0; i < n; i++)
			if (strcmp(list[i].code, in->agency_code) == 0)
				*ag = &list[i];
		if (!*ag)
			problem(a, pr, "agency", "dossier.error.agency", NULL);
	}
	if (!empty(in->return_method) && strcmp(in->return_method, "online") != 0 &&
	    strcmp(in->return_method, "desk") != 0 && strcmp(in->return_method, "post") != 0)
		problem(a, pr, "return_method", "dossier.error.return_method", NULL);
	check_text(a, pr, "return_address", in->return_address, 0, DOSSIER_ADDRESS_MAX);
	check_text(a, pr, "notes", in->notes, 0, DOSSIER_NOTES_MAX);
	for (int i = 0; i < in->nuploads; i++) {
		const struct dossier_upload *u = &in->uploads[i];
		if (u->slot < 0 || (size_t)u->slot >= p->ndocuments)
			problem(a, pr, arena_printf(a, "doc_%d", u->slot), "dossier.error.slot",
				NULL);
	}
	return MC_OK;
}

/* ---- writes ---- */

struct write_ctx {
	arena *a;
	const char *backend;
	struct dossier_input *in;
	const char *id; /* the dossier's id (new or the draft's) */
	bool is_new;
	const char *now;
	/* submission only */
	bool submit;
	const char *agency_identifier;
	const char *day; /* receipt day, "YYYY-MM-DD" */
	const char *yymmdd;
	const char *due_at;
	const char *applicant_json;
	const char *applicant_search;		  /* folded once, before the write */
	const char *procedure_name, *agency_name; /* for the receipt notice */
	const char *code;			  /* out */
};

mc_status dossier_store_uploads(db_conn *c, arena *a, const char *backend, const char *id,
				const char *now, const struct dossier_upload *uploads, int n)
{
	for (int i = 0; i < n; i++) {
		const struct dossier_upload *u = &uploads[i];
		mc_status rc;
		rc = blob_put(c, backend, u->file);
		if (rc != MC_OK)
			return rc;
		rc = db_exec(c, "DELETE FROM dossier_file WHERE dossier_id = $1 AND slot = $2",
			     DB_ARGS(DB_TEXT(id), DB_INT(u->slot)), NULL);
		if (rc != MC_OK)
			return rc;
		rc = db_exec(
			c,
			"INSERT INTO dossier_file (id, dossier_id, slot, name, blob_hash, size,"
			" mime, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			DB_ARGS(DB_TEXT(new_id(a)), DB_TEXT(id), DB_INT(u->slot), DB_TEXT(u->name),
				DB_TEXT(u->sha256), DB_INT((int64_t)u->size), DB_TEXT(u->mime),
				DB_TEXT(now)),
			NULL);
		if (rc != MC_OK)
			return rc;
	}
	return MC_OK;
}

static mc_status store_uploads(db_conn *c, struct write_ctx *w)
{
	return dossier_store_uploads(c, w->a, w->backend, w->id, w->now, w->in->uploads,
				     w->in->nuploads);
}

/* Creates the draft row or updates the caller's own draft. */
static mc_status put_row(db_conn *c, struct write_ctx *w)
{
	struct dossier_input *in = w->in;
	const char *rm = empty(in->return_method) ? "online" : in->return_method;
	int64_t changes = 0;
	mc_status rc;
	if (w->is_new)
		rc = db_exec(c,
			     "INSERT INTO dossier (id, procedure_code, agency_code,"
			     " origin_agency_code, account_id, status, channel, applicant,"
			     " return_method, return_address, notes, created_at, updated_at)"
			     " VALUES ($1, $2, $3, $3, $4, 0, 2, $5, $6, $7, $8, $9, $9)",
			     DB_ARGS(DB_TEXT(w->id), DB_TEXT(in->procedure_code),
				     DB_TEXT(in->agency_code), DB_TEXT(in->account_id),
				     DB_TEXT(w->applicant_json), DB_TEXT(rm),
				     DB_TEXT(in->return_address ? in->return_address : ""),
				     DB_TEXT(in->notes ? in->notes : ""), DB_TEXT(w->now)),
			     &changes);
	else
		rc = db_exec(c,
			     "UPDATE dossier SET agency_code = $1, origin_agency_code = $1,"
			     " applicant = $2, return_method = $3, return_address = $4, notes = $5,"
			     " updated_at = $6 WHERE id = $7 AND account_id = $8 AND status = 0",
			     DB_ARGS(DB_TEXT(in->agency_code), DB_TEXT(w->applicant_json),
				     DB_TEXT(rm),
				     DB_TEXT(in->return_address ? in->return_address : ""),
				     DB_TEXT(in->notes ? in->notes : ""), DB_TEXT(w->now),
				     DB_TEXT(w->id), DB_TEXT(in->account_id)),
			     &changes);
	if (rc != MC_OK)
		return rc;
	/* The draft was checked before the write: gone now means a request
	 * that ran meanwhile submitted it. */
	return changes == 1 ? MC_OK : MC_CONFLICT;
}

static mc_status draft_write(db_conn *c, void *arg)
{
	struct write_ctx *w = arg;
	mc_status rc = put_row(c, w);
	if (rc == MC_OK)
		rc = store_uploads(c, w);
	return rc;
}

static mc_status add_event(db_conn *c, const char *id, const char *at, const char *account_id,
			   const char *action, int from, int to, const char *note)
{
	return db_exec(c,
		       "INSERT INTO dossier_event (dossier_id, n, at, account_id, action,"
		       " status_from, status_to, note) SELECT $1, COALESCE(MAX(n), 0) + 1, $2, $3,"
		       " $4, $5, $6, $7 FROM dossier_event WHERE dossier_id = $1",
		       DB_ARGS(DB_TEXT(id), DB_TEXT(at), DB_TEXT(account_id), DB_TEXT(action),
			       DB_INT(from), DB_INT(to), DB_TEXT(note)),
		       NULL);
}

/* A new dossier submitted at once: one INSERT of the finished row (code,
 * status 1, dates), rather than a draft row and an UPDATE that would touch
 * every index of dossier twice. */
/*
 * The new row carries its sync number (change_seq, migration 0011) from the
 * start: the next value of sync_head, taken in the same write. A row
 * inserted with change_seq > 0 is left alone by the insert triggers of
 * both backends, so SQLite does not write the row (and its dossier_change
 * index entry) a second time in the trigger's UPDATE. Numbers stay gapless
 * and ordered by commit: the one writer takes them, and a failed job rolls
 * sync_head back with its row.
 */
static mc_status insert_submitted(db_conn *c, struct write_ctx *w)
{
	struct dossier_input *in = w->in;
	db_result *head;
	mc_status rc = db_query(c, w->a,
				"INSERT INTO sync_head (id, n) VALUES (1, 1)"
				" ON CONFLICT (id) DO UPDATE SET n = sync_head.n + 1 RETURNING n",
				DB_NOARGS, &head);
	if (rc != MC_OK)
		return rc;
	int64_t change_seq = db_nrows(head) == 1 ? db_int(head, 0, 0) : 0;
	if (change_seq < 1)
		return MC_INTERNAL;
	return db_exec(c,
		       "INSERT INTO dossier (id, code, procedure_code, agency_code,"
		       " origin_agency_code, account_id, status, channel, applicant,"
		       " applicant_search, return_method, return_address, notes, created_at,"
		       " updated_at, submitted_at, due_at, change_seq)"
		       " VALUES ($1, $2, $3, $4, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $12,"
		       " $12, $13, $14)",
		       DB_ARGS(DB_TEXT(w->id), DB_TEXT(w->code), DB_TEXT(in->procedure_code),
			       DB_TEXT(in->agency_code), DB_TEXT(in->account_id),
			       DB_INT(in->channel == 1 ? 1 : 2), DB_TEXT(w->applicant_json),
			       DB_TEXT(w->applicant_search),
			       DB_TEXT(empty(in->return_method) ? "online" : in->return_method),
			       DB_TEXT(in->return_address ? in->return_address : ""),
			       DB_TEXT(in->notes ? in->notes : ""), DB_TEXT(w->now),
			       DB_TEXT(w->due_at), DB_INT(change_seq)),
		       NULL);
}

/* Turns the caller's draft into the submitted dossier. */
static mc_status submit_draft(db_conn *c, struct write_ctx *w)
{
	int64_t changes = 0;
	mc_status rc = put_row(c, w);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "UPDATE dossier SET code = $1, status = 1, submitted_at = $2,"
			     " due_at = $3, updated_at = $2, channel = $4, applicant_search = $5"
			     " WHERE id = $6 AND status = 0",
			     DB_ARGS(DB_TEXT(w->code), DB_TEXT(w->now), DB_TEXT(w->due_at),
				     DB_INT(w->in->channel == 1 ? 1 : 2),
				     DB_TEXT(w->applicant_search), DB_TEXT(w->id)),
			     &changes);
	if (rc != MC_OK)
		return rc;
	return changes == 1 ? MC_OK : MC_CONFLICT;
}

static mc_status submit_write(db_conn *c, void *arg)
{
	struct write_ctx *w = arg;
	/* The daily counter: one statement on both backends, serialised by the
	 * one writer, rolled back with the rest when anything below fails. */
	db_result *res;
	mc_status rc =
		db_query(c, w->a,
			 "INSERT INTO dossier_seq (agency_code, day, last) VALUES ($1, $2, 1)"
			 " ON CONFLICT (agency_code, day) DO UPDATE SET last = dossier_seq.last + 1"
			 " RETURNING last",
			 DB_ARGS(DB_TEXT(w->in->agency_code), DB_TEXT(w->day)), &res);
	if (rc != MC_OK)
		return rc;
	int64_t seq = db_nrows(res) == 1 ? db_int(res, 0, 0) : 0;
	if (seq < 1 || seq > 9999)
		return MC_CONFLICT;
	w->code = arena_printf(w->a, "%s-%s-%04d", w->agency_identifier, w->yymmdd, (int)seq);
	rc = w->is_new ? insert_submitted(c, w) : submit_draft(c, w);
	if (rc == MC_OK)
		rc = store_uploads(c, w);
	if (rc != MC_OK)
		return rc;
	rc = add_event(c, w->id, w->now, w->in->account_id, "submitted", DOSSIER_DRAFT, DOSSIER_NEW,
		       "");
	if (rc != MC_OK)
		return rc;
	json_t *data =
		json_pack("{s:s,s:s,s:s,s:i,s:s?}", "id", w->id, "procedure", w->in->procedure_code,
			  "agency", w->in->agency_code, "files", w->in->nuploads, "due", w->due_at);
	rc = audit_append(c, w->in->officer_id ? w->in->officer_id : w->in->account_id,
			  "dossier.submit", arena_printf(w->a, "dossier:%s", w->code), data, NULL);
	json_decref(data);
	if (rc == MC_OK && w->in->received_hook)
		rc = w->in->received_hook(c, w->in->hook_arg, w->id, w->code);
	else if (rc == MC_OK && !w->in->quiet) { /* the applicant's receipt notice */
		const struct dossier_applicant *ap = &w->in->applicant;
		struct dossier_notice_facts f = {w->code,	 w->due_at, w->procedure_name,
						 w->agency_name, ap->name,  ap->email,
						 ap->phone};
		rc = dossier_notice_submitted(c, w->a, &f);
	}
	return rc;
}

mc_status dossier_prepare_uploads(const char *data_dir, const char *backend,
				  const struct dossier_upload *uploads, int n)
{
	for (int i = 0; i < n; i++) {
		mc_status rc = blob_store_prepare(data_dir, backend, uploads[i].file);
		if (rc != MC_OK)
			return rc;
	}
	return MC_OK;
}

static mc_status prepare_uploads(const char *data_dir, const char *backend,
				 struct dossier_input *in)
{
	return dossier_prepare_uploads(data_dir, backend, in->uploads, in->nuploads);
}

mc_status dossier_save_draft(db *d, arena *a, const char *data_dir, struct dossier_input *in,
			     struct dossier_problem **problems, const char **id)
{
	*problems = NULL;
	struct procedure_rec p;
	const struct dossier_agency *ag;
	struct dossier draft;
	mc_status rc = check_common(d, a, in, problems, &p, &ag, &draft);
	if (rc != MC_OK)
		return rc;
	struct dossier_applicant *ap = &in->applicant;
	check_text(a, problems, "name", ap->name, 0, DOSSIER_NAME_MAX);
	check_text(a, problems, "address", ap->address, 0, DOSSIER_ADDRESS_MAX);
	const char *short_fields[] = {"id_number", "tax_code", "birth_date", "phone", "email"};
	const char *short_vals[] = {ap->id_number, ap->tax_code, ap->birth_date, ap->phone,
				    ap->email};
	for (int i = 0; i < 5; i++)
		check_text(a, problems, short_fields[i], short_vals[i], 0, 254);
	if (*problems)
		return MC_INVALID;
	if (empty(in->agency_code)) {
		/* A draft may not have chosen yet: keep the first competent agency
		 * so the row stays valid; the form shows the choice again. */
		struct dossier_agency *list;
		int n;
		rc = dossier_agencies(d, a, p.code, &list, &n);
		if (rc != MC_OK)
			return rc;
		if (n == 0) {
			problem(a, problems, "agency", "dossier.error.agency", NULL);
			return MC_INVALID;
		}
		in->agency_code = list[0].code;
	}
	rc = prepare_uploads(data_dir, db_backend_name(d), in);
	if (rc != MC_OK)
		return rc;
	struct tm tm;
	now_vn(&tm);
	json_t *aj = applicant_json(ap);
	char *s = json_dumps(aj, JSON_COMPACT);
	json_decref(aj);
	struct write_ctx w = {.a = a,
			      .backend = NULL,
			      .in = in,
			      .id = in->draft_id ? in->draft_id : new_id(a),
			      .is_new = in->draft_id == NULL,
			      .now = stamp(a, &tm),
			      .applicant_json = s ? arena_strdup(a, s) : "{}"};
	free(s);
	w.backend = db_backend_name(d);
	rc = db_write(d, draft_write, &w);
	if (rc == MC_OK)
		*id = w.id;
	return rc;
}

mc_status dossier_submit(db *d, arena *a, const char *data_dir, struct office_hours h,
			 struct dossier_input *in, struct dossier_problem **problems,
			 struct dossier_receipt *out)
{
	*problems = NULL;
	struct procedure_rec p;
	const struct dossier_agency *ag;
	struct dossier draft;
	mc_status rc = check_common(d, a, in, problems, &p, &ag, &draft);
	if (rc != MC_OK)
		return rc;
	if (empty(in->agency_code))
		problem(a, problems, "agency", "dossier.error.required", NULL);
	else if (ag && empty(ag->identifier))
		problem(a, problems, "agency", "dossier.error.agency_identifier", ag->name);
	check_applicant(a, in, problems);
	if (empty(in->return_method))
		problem(a, problems, "return_method", "dossier.error.required", NULL);
	else if (strcmp(in->return_method, "post") == 0 && empty(in->return_address))
		problem(a, problems, "return_address", "dossier.error.post_address", NULL);

	/* Required documents: the draft's files plus this request's uploads. */
	bool *have = arena_calloc(a, p.ndocuments + 1, sizeof(bool));
	if (in->draft_id) {
		for (int i = 0; i < draft.nfiles; i++)
			if (draft.files[i].slot >= 0 && (size_t)draft.files[i].slot < p.ndocuments)
				have[draft.files[i].slot] = true;
	}
	for (int i = 0; i < in->nuploads; i++)
		if (in->uploads[i].slot >= 0 && (size_t)in->uploads[i].slot < p.ndocuments)
			have[in->uploads[i].slot] = true;
	for (size_t i = 0; i < p.ndocuments; i++)
		if (!have[i] && !dossier_document_optional(&p.documents[i]))
			problem(a, problems, arena_printf(a, "doc_%zu", i),
				"dossier.error.document", p.documents[i].name);
	if (*problems)
		return MC_INVALID;
	if (in->check_only)
		return MC_OK;

	rc = prepare_uploads(data_dir, db_backend_name(d), in);
	if (rc != MC_OK)
		return rc;
	work_calendar *cal = NULL;
	rc = schedule_load(d, &cal);
	if (rc != MC_OK)
		return rc;
	struct tm tm;
	now_vn(&tm);
	if (in->now && sscanf(in->now, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			      &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
	}
	struct datetime from = {
		{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, tm.tm_hour, tm.tm_min};
	const char *due = dossier_due(a, cal, h, &p, from);
	calendar_free(cal);

	json_t *aj = applicant_json(&in->applicant);
	char *s = json_dumps(aj, JSON_COMPACT);
	json_decref(aj);
	struct write_ctx w = {
		.a = a,
		.backend = db_backend_name(d),
		.in = in,
		.id = in->draft_id ? in->draft_id : new_id(a),
		.is_new = in->draft_id == NULL,
		.now = stamp(a, &tm),
		.submit = true,
		.agency_identifier = ag->identifier,
		.day = arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
				    tm.tm_mday),
		.yymmdd = arena_printf(a, "%02d%02d%02d", tm.tm_year % 100, tm.tm_mon + 1,
				       tm.tm_mday),
		.due_at = due ? arena_printf(a, "%s:00", due) : NULL,
		.applicant_json = s ? arena_strdup(a, s) : "{}",
		.applicant_search = dossier_applicant_search(a, &in->applicant),
		.procedure_name = p.name,
		.agency_name = ag->name,
	};
	free(s);
	rc = db_write(d, submit_write, &w);
	if (rc != MC_OK) {
		if (rc != MC_NOT_FOUND && rc != MC_CONFLICT)
			log_error("dossier: submission failed: %s", mc_status_name(rc));
		return rc;
	}
	*out = (struct dossier_receipt){w.id, w.code, w.now, w.due_at};
	return MC_OK;
}

/* dossier_withdraw is a workflow action: see backoffice.c. */
