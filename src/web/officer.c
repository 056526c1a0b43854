/*
 * officer.c - the one-stop back office pages (hệ thống một cửa điện tử) for
 * desk officers, specialists and leaders: the queues with their counts
 * (/can-bo), one queue as a table with search and keyset pages
 * (/can-bo/ho-so), one dossier with its documents, process control slip
 * (form 05), stored forms and one form per action allowed now
 * (/can-bo/ho-so/{code}), the action itself (POST .../xu-ly, post/redirect/
 * get) and the forms as PDFs (.../mau/{n}.pdf). Everything through
 * src/domain/backoffice.h, which scopes every query to the officer's agency.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/format.h"
#include "core/html.h"
#include "core/log.h"
#include "core/parse.h"
#include "domain/agency.h"
#include "domain/backoffice.h"
#include "domain/catalogue.h"
#include "domain/fee.h"
#include "domain/payment.h"
#include "domain/identity.h"
#include "domain/schedule.h"
#include "http/csrf.h"
#include "web/dossier_input.h"
#include "web/officer.h"
#include "web/web.h"

struct bo_env officer_env(http_req *r)
{
	struct app *app = http_app(r);
	return (struct bo_env){app->db,
			       app->cfg.data_dir,
			       (struct office_hours){app->cfg.office_open, app->cfg.receipt_cutoff},
			       *app->cfg.public_url ? app->cfg.public_url : NULL,
			       NULL,
			       false};
}

struct bo_actor officer_actor(http_req *r)
{
	return (struct bo_actor){r->user->account_id, r->user->roles, r->user->agency_code};
}

/* "dd/mm/yyyy HH:MM" of a "YYYY-MM-DD HH:MM[:SS]" time; "—" for none. */
const char *officer_when(http_req *r, const char *iso)
{
	if (!iso || !*iso)
		return "—";
	return format_datetime_vn(r->a, strlen(iso) > 16 ? arena_strndup(r->a, iso, 16) : iso);
}

static const char *msg_or(http_req *r, const char *key, const char *fallback)
{
	const char *t = i18n_lookup(r->lang, key);
	return t ? t : fallback;
}

static const char *action_label(http_req *r, enum wf_action a)
{
	const char *name = wf_action_name(a);
	return msg_or(r, arena_printf(r->a, "officer.action.%s", name), name);
}

/* ---- queues ---- */

/* The queues in the order officers read them; "all" is every open dossier
 * (the disjoint queues new, processing, approval and return, one after the
 * other) so that a search finds a dossier wherever it waits. */
static const enum bo_queue all_parts[] = {BO_Q_NEW, BO_Q_PROCESSING, BO_Q_APPROVAL, BO_Q_RETURN};
#define NPARTS ((int)(sizeof(all_parts) / sizeof(all_parts[0])))

static const char *queue_key(int q)
{
	static const char *const keys[BO_NQUEUES] = {"new",	 "processing", "approval",
						     "due_soon", "overdue",    "done"};
	return q < 0 ? "all" : keys[q];
}

static json_t *queue_list(http_req *r, const int64_t counts[BO_NQUEUES], int current)
{
	json_t *list = json_array();
	for (int q = 0; q < BO_NQUEUES; q++)
		json_array_append_new(
			list,
			json_pack("{s:s,s:s,s:s,s:b,s:b}", "name", bo_queue_name((enum bo_queue)q),
				  "label",
				  http_msg(r, arena_printf(r->a, "officer.queue.%s", queue_key(q))),
				  "count", format_thousands(r->a, counts[q]), "current",
				  q == current, "alert", q == BO_Q_OVERDUE && counts[q] > 0));
	return list;
}

static const char *roles_text(http_req *r)
{
	static const struct {
		unsigned bit;
		const char *key;
	} roles[] = {{ROLE_DESK, "officer.role.desk"},
		     {ROLE_SPECIALIST, "officer.role.specialist"},
		     {ROLE_LEADER, "officer.role.leader"}};
	buf b = BUF_INIT(256);
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (r->user->roles & roles[i].bit)
			buf_printf(&b, "%s%s", b.len ? ", " : "", http_msg(r, roles[i].key));
	const char *s = arena_strdup(r->a, buf_str(&b));
	buf_release(&b);
	return s;
}

static const char *agency_name(http_req *r)
{
	struct agency ag;
	struct app *app = http_app(r);
	if (r->user->agency_code && agency_get(app->db, r->a, r->user->agency_code, &ag) == MC_OK)
		return ag.name;
	return r->user->agency_code ? r->user->agency_code : "—";
}

void web_officer_home(http_req *r)
{
	struct bo_env env = officer_env(r);
	struct bo_actor who = officer_actor(r);
	int64_t counts[BO_NQUEUES] = {0};
	mc_status rc = bo_queue_counts(&env, r->a, &who, counts);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *ctx = json_pack("{s:o,s:s,s:s,s:b}", "queues", queue_list(r, counts, -2), "agency",
				agency_name(r), "roles", roles_text(r), "is_desk",
				(r->user->roles & ROLE_DESK) != 0);
	page_render(r, 200, "officer_home", ctx);
}

/* The list page's URL for the next page. */
static const char *next_url(http_req *r, const char *queue, const char *q, const char *cursor)
{
	buf b = BUF_INIT(1024);
	buf_printf(&b, "/can-bo/ho-so?hang=%s", queue);
	if (q && *q) {
		buf_puts(&b, "&q=");
		url_escape(&b, q, strlen(q));
	}
	buf_puts(&b, "&sau=");
	url_escape(&b, cursor, strlen(cursor));
	const char *s = arena_strdup(r->a, buf_str(&b));
	buf_release(&b);
	return s;
}

/*
 * One page of queue q, or of "all" (q < 0): there the cursor is
 * "<part>~<cursor of that part>", and a part that has nothing more hands on
 * to the next one, so each dossier still comes exactly once.
 */
static mc_status page_of(http_req *r, int q, const char *search, const char *cursor,
			 struct bo_page *out, const char **next)
{
	struct bo_env env = officer_env(r);
	struct bo_actor who = officer_actor(r);
	if (q >= 0) {
		mc_status rc =
			bo_queue_page(&env, r->a, &who, (enum bo_queue)q, search, cursor, 20, out);
		*next = out->next_cursor;
		return rc;
	}
	int part = 0;
	const char *inner = NULL;
	if (cursor) {
		const char *tilde = strchr(cursor, '~');
		if (!tilde || tilde - cursor != 1 || cursor[0] < '0' || cursor[0] >= '0' + NPARTS)
			return MC_INVALID;
		part = cursor[0] - '0';
		inner = tilde[1] ? tilde + 1 : NULL;
	}
	for (;; part++, inner = NULL) {
		mc_status rc =
			bo_queue_page(&env, r->a, &who, all_parts[part], search, inner, 20, out);
		if (rc != MC_OK)
			return rc;
		if (out->next_cursor)
			*next = arena_printf(r->a, "%d~%s", part, out->next_cursor);
		else
			*next = part + 1 < NPARTS ? arena_printf(r->a, "%d~", part + 1) : NULL;
		if (out->n > 0 || !*next)
			return MC_OK;
	}
}

/* The clock of the "quá hạn" / "sắp đến hạn" markers, Vietnam time (UTC+7):
 * now, and now moved 2 working days by the admin's calendar (schedule.h),
 * the same limit as the due_soon queue (backoffice.h). */
struct due_clock {
	char now[20], soon[20];
};

static void due_clock_read(http_req *r, struct due_clock *k)
{
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(k->now, sizeof(k->now), "%Y-%m-%d %H:%M:%S", &tm);
	char head[17];
	memcpy(head, k->now, 16);
	head[16] = '\0';
	struct datetime now;
	datetime_parse(head, &now);
	struct app *app = http_app(r);
	work_calendar *cal = NULL;
	if (schedule_load(app->db, &cal) != MC_OK) {
		log_warn("officer: the calendar could not be read; due-soon marks use the "
			 "default holidays");
		cal = calendar_new();
	}
	datetime_format(cal ? calendar_add_working_days(cal, now, 2) : now, head);
	snprintf(k->soon, sizeof(k->soon), "%s:00", head);
	calendar_free(cal);
}

/* The markers of a due date, on open dossiers only (the clock runs). */
static void due_marks(json_t *o, const struct due_clock *k, const char *due_at, int status)
{
	bool open = status == DOSSIER_RECEIVED || status == DOSSIER_PROCESSING ||
		    status == DOSSIER_WITHDRAWAL;
	bool overdue = open && due_at && strcmp(due_at, k->now) < 0;
	json_object_set_new(o, "overdue", json_boolean(overdue));
	json_object_set_new(
		o, "due_soon",
		json_boolean(open && due_at && !overdue && strcmp(due_at, k->soon) <= 0));
}

void web_officer_list(http_req *r)
{
	const char *queue = NULL, *search = NULL, *cursor = NULL;
	if (!http_query_text(r, "hang", 16, false, &queue) ||
	    !http_query_text(r, "q", 100, false, &search) ||
	    !http_query_text(r, "sau", 512, false, &cursor))
		return;
	int q = -1;
	if (queue && *queue && strcmp(queue, "all") != 0) {
		q = bo_queue_parse(queue);
		if (q < 0) {
			http_reply_error(r, 400, http_msg(r, "officer.error.queue"));
			return;
		}
	}
	if (cursor && !*cursor)
		cursor = NULL;
	struct bo_env env = officer_env(r);
	struct bo_actor who = officer_actor(r);
	int64_t counts[BO_NQUEUES] = {0};
	mc_status rc = bo_queue_counts(&env, r->a, &who, counts);
	struct bo_page page = {0};
	const char *next = NULL;
	if (rc == MC_OK)
		rc = page_of(r, q, search, cursor, &page, &next);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *rows = json_array();
	struct due_clock clock;
	due_clock_read(r, &clock);
	for (int i = 0; i < page.n; i++) {
		const struct bo_row *w = &page.rows[i];
		json_t *o = json_pack(
			"{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "code", w->code, "applicant",
			w->applicant_name ? w->applicant_name : "", "procedure",
			w->procedure_name ? w->procedure_name : w->procedure_code, "received",
			officer_when(r, w->received_at ? w->received_at : w->submitted_at), "due",
			officer_when(r, w->due_at), "holder",
			w->assignee_name ? w->assignee_name : "—", "status",
			http_msg(r, dossier_status_key(w->status)));
		due_marks(o, &clock, w->due_at, w->status);
		json_array_append_new(rows, o);
	}
	const char *qname = q < 0 ? "all" : bo_queue_name((enum bo_queue)q);
	const char *heading = http_msg(r, arena_printf(r->a, "officer.queue.%s", queue_key(q)));
	if (search && *search) {
		const char *args[1] = {search};
		heading = i18n_format(r->a, r->lang, "officer.search_results", 1, args);
	}
	char n[32];
	snprintf(n, sizeof(n), "%d", page.n);
	const char *nargs[1] = {n};
	json_t *ctx = json_pack("{s:o,s:o,s:b,s:s,s:s,s:s?,s:s,s:s?}", "queues",
				queue_list(r, counts, q), "rows", rows, "has_rows", page.n > 0,
				"heading", heading, "queue", qname, "q", search, "summary",
				i18n_format(r->a, r->lang, "officer.summary", 1, nargs), "next_url",
				next ? next_url(r, qname, search, next) : NULL);
	page_render(r, 200, "officer_list", ctx);
}

/* ---- one dossier ---- */

/* The fields an action's form needs. */
struct action_shape {
	bool items, assignee, new_due, transfer, amount, note_required;
};

static struct action_shape shape_of(enum wf_action a)
{
	struct action_shape s = {0};
	s.items = a == WF_REQUEST_SUPPLEMENT;
	s.assignee = a == WF_ASSIGN;
	s.new_due = a == WF_APOLOGY;
	s.transfer = a == WF_TRANSFER;
	s.amount = a == WF_FINANCIAL_REQUEST;
	s.note_required = a == WF_REFUSE || a == WF_STOP || a == WF_APOLOGY || a == WF_REWORK;
	return s;
}

static json_t *agency_options(http_req *r)
{
	struct app *app = http_app(r);
	struct agency_filter f = {.current_only = true};
	struct agency *list = NULL;
	int n = 0;
	json_t *out = json_array();
	if (agency_list(app->db, r->a, &f, &list, &n) != MC_OK)
		return out;
	for (int i = 0; i < n; i++)
		if (!r->user->agency_code || strcmp(list[i].code, r->user->agency_code) != 0)
			json_array_append_new(out, json_pack("{s:s,s:s}", "code", list[i].code,
							     "name", list[i].name));
	return out;
}

/* financial_request: the amount field, prefilled with the procedure's
 * published fee when it names one amount (fee.h), else empty. */
static json_t *fee_suggestion(http_req *r, const struct bo_dossier *b)
{
	struct app *app = http_app(r);
	struct procedure_rec p;
	int64_t v = catalogue_get(app->db, r->a, b->d.procedure_code, &p) == MC_OK
			    ? fee_for_channel(&p, b->d.channel)
			    : -1;
	return json_pack("{s:s}", "value", v > 0 ? arena_printf(r->a, "%lld", (long long)v) : "");
}

static json_t *actions_ctx(http_req *r, const struct bo_dossier *b)
{
	json_t *list = json_array();
	json_t *specialists = json_array();
	for (int i = 0; i < b->nspecialists; i++)
		json_array_append_new(specialists,
				      json_pack("{s:s,s:s}", "id", b->specialists[i].id, "name",
						b->specialists[i].name));
	for (int i = 0; i < b->nallowed; i++) {
		struct action_shape s = shape_of(b->allowed[i]);
		json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:s,s:b,s:b,s:b,s:b,s:b}", "name",
				      wf_action_name(b->allowed[i]), "label",
				      action_label(r, b->allowed[i]), "code", b->d.code, "version",
				      (json_int_t)b->version, "csrf", csrf_token(r), "items",
				      s.items, "assignee", s.assignee, "new_due", s.new_due,
				      "transfer", s.transfer, "note_required", s.note_required);
		if (s.assignee)
			json_object_set(o, "specialists", specialists);
		if (s.transfer)
			json_object_set_new(o, "agencies", agency_options(r));
		if (s.amount)
			json_object_set_new(o, "amount", fee_suggestion(r, b));
		json_array_append_new(list, o);
	}
	json_decref(specialists);
	return list;
}

static json_t *holders_ctx(http_req *r, const struct bo_dossier *b)
{
	json_t *list = json_array();
	for (int i = 0; i < b->nholders; i++) {
		const struct bo_holder *h = &b->holders[i];
		const char *who = h->person && *h->person
					  ? arena_printf(r->a, "%s (%s)", h->person,
							 h->agency_name ? h->agency_name : "")
					  : (h->agency_name ? h->agency_name : h->agency_code);
		const char *task = msg_or(r, arena_printf(r->a, "officer.stage.%s", h->task),
					  h->task ? h->task : "");
		json_array_append_new(
			list, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "who", who, "task", task,
					"from", officer_when(r, h->from_at), "until",
					h->until_at ? officer_when(r, h->until_at)
						    : http_msg(r, "officer.now"),
					"due", officer_when(r, h->due_at), "late", h->late));
	}
	return list;
}

static json_t *forms_ctx(http_req *r, const struct bo_dossier *b)
{
	json_t *list = json_array();
	for (int i = 0; i < b->nforms; i++) {
		const struct bo_form *f = &b->forms[i];
		if (f->form < 2 || f->form > 4)
			continue;
		json_array_append_new(
			list, json_pack("{s:s,s:s,s:s}", "url",
					arena_printf(r->a, "/can-bo/ho-so/%s/mau/%d-%d.pdf",
						     b->d.code, f->form, f->n),
					"label",
					http_msg(r, arena_printf(r->a, "officer.form.%d", f->form)),
					"at", officer_when(r, f->created_at)));
	}
	return list;
}

static json_t *dossier_ctx(http_req *r, const struct bo_dossier *b)
{
	const struct dossier *d = &b->d;
	json_t *files = json_array();
	for (int i = 0; i < d->nfiles; i++)
		json_array_append_new(files, json_pack("{s:s,s:s,s:s,s:i}", "url",
						       arena_printf(r->a, "/ho-so/%s/tep/%s",
								    d->code, d->files[i].id),
						       "name", d->files[i].name, "size",
						       format_thousands(r->a, d->files[i].size),
						       "slot", d->files[i].slot + 1));
	json_t *events = json_array();
	for (int i = 0; i < d->nevents; i++) {
		const char *note = d->events[i].note;
		json_array_append_new(
			events,
			json_pack("{s:s,s:s,s:o}", "at", officer_when(r, d->events[i].at), "status",
				  http_msg(r, dossier_status_key(d->events[i].status_to)), "note",
				  note && *note ? json_string(note) : json_false()));
	}
	const struct dossier_applicant *ap = &d->applicant;
	const char *ret = d->return_method ? d->return_method : "online";
	json_t *ctx = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,"
		"s:s?,s:s?,s:o,s:b,s:o,s:b}",
		"code", d->code, "procedure", d->procedure_name, "procedure_code",
		d->procedure_code, "agency", d->agency_name, "status",
		http_msg(r, dossier_status_key(d->status)), "stage",
		msg_or(r, arena_printf(r->a, "officer.stage.%s", wf_stage_name(b->stage)),
		       wf_stage_name(b->stage)),
		"channel", http_msg(r, arena_printf(r->a, "officer.channel.%d", d->channel)),
		"submitted", officer_when(r, d->submitted_at), "received",
		officer_when(r, b->received_at), "due", officer_when(r, d->due_at), "assignee",
		b->assignee_name ? b->assignee_name : "—", "return_method",
		http_msg(r, arena_printf(r->a, "dossier.return.%s", ret)), "return_address",
		d->return_address, "name", ap->name, "id_number", ap->id_number, "tax_code",
		ap->tax_code, "birth_date",
		ap->birth_date ? format_datetime_vn(r->a, ap->birth_date) : NULL, "phone",
		ap->phone, "email", ap->email, "address", ap->address, "files", files, "has_files",
		d->nfiles > 0, "events", events, "has_receipt", b->received_at != NULL);
	json_object_set_new(ctx, "notes",
			    d->notes && *d->notes ? json_string(d->notes) : json_false());
	json_object_set_new(ctx, "receipt_url",
			    json_string(arena_printf(r->a, "/ho-so/%s/bien-nhan.pdf", d->code)));
	json_object_set_new(ctx, "forms", forms_ctx(r, b));
	json_t *holders = holders_ctx(r, b);
	json_object_set_new(ctx, "has_holders", json_boolean(json_array_size(holders) > 0));
	json_object_set_new(ctx, "holders", holders);
	json_t *actions = actions_ctx(r, b);
	json_object_set_new(ctx, "has_actions", json_boolean(json_array_size(actions) > 0));
	json_object_set_new(ctx, "actions", actions);
	struct due_clock clock;
	due_clock_read(r, &clock);
	due_marks(ctx, &clock, d->due_at, d->status);
	return ctx;
}

/*
 * The dossier page. done (may be NULL) is the confirmation of the action
 * just taken; problem_title/problem (may be NULL) what went wrong with the
 * action tried, shown above the fresh state.
 */
static void render_dossier(http_req *r, int status, const char *done, const char *problem_title,
			   const char *problem)
{
	struct bo_env env = officer_env(r);
	struct bo_actor who = officer_actor(r);
	struct bo_dossier b;
	mc_status rc = bo_get(&env, r->a, &who, http_param(r, "code"), &b);
	if (rc == MC_OK && !r->user->agency_code)
		rc = MC_NOT_FOUND; /* officer pages: never an applicant's view */
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *ctx = dossier_ctx(r, &b);
	if (done)
		json_object_set_new(ctx, "done", json_string(done));
	if (problem) {
		json_object_set_new(ctx, "problem_title", json_string(problem_title));
		json_object_set_new(ctx, "problem", json_string(problem));
	}
	page_render(r, status, "officer_dossier", ctx);
}

void web_officer_dossier(http_req *r)
{
	const char *done = NULL;
	const char *xong = http_query(r, "xong");
	int a = xong ? wf_action_parse(xong) : -1;
	if (a >= 0) {
		const char *args[1] = {action_label(r, (enum wf_action)a)};
		done = i18n_format(r->a, r->lang, "officer.done.ok", 1, args);
	}
	render_dossier(r, 200, done, NULL, NULL);
}

/* A form value, NULL when absent or blank; false after a 400 reply. */
static bool form_opt(http_req *r, const char *name, size_t max, const char **out)
{
	*out = NULL;
	if (!http_form_text(r, name, 0, max, out, NULL))
		return false;
	if (*out && !**out)
		*out = NULL;
	return true;
}

/* Reads the action's form; false when a reply (400) was sent, or with
 * *problem set for the page. */
static bool read_action(http_req *r, struct bo_action *act, const char **problem)
{
	memset(act, 0, sizeof(*act));
	const char *name = NULL, *days = NULL, *new_due = NULL, *amount = NULL;
	if (!http_form_text(r, "action", 1, 32, &name, NULL))
		return false;
	int a = wf_action_parse(name);
	if (a < 0) {
		*problem = http_msg(r, "officer.error.action");
		return true;
	}
	act->action = (enum wf_action)a;
	if (!http_form_int(r, "version", 0, INT64_MAX, &act->version, NULL))
		return false;
	if (!form_opt(r, "note", BO_NOTE_MAX, &act->note) ||
	    !form_opt(r, "items", BO_ITEMS_MAX, &act->items) ||
	    !form_opt(r, "assignee", 64, &act->assignee) ||
	    !form_opt(r, "agency", 64, &act->agency) || !form_opt(r, "days", 8, &days) ||
	    !form_opt(r, "new_due", 16, &new_due) || !form_opt(r, "amount", 24, &amount))
		return false;
	if (amount) {
		/* "1.500.000", "1 500 000" or "1500000" đồng */
		char digits[24];
		size_t n = 0;
		for (const char *p = amount; *p && n < sizeof(digits) - 1; p++)
			if (*p >= '0' && *p <= '9')
				digits[n++] = *p;
			else if (*p != '.' && *p != ' ')
				n = sizeof(digits); /* anything else: refused below */
		digits[n < sizeof(digits) ? n : 0] = 0;
		if (parse_int64(digits, 1, PAY_MAX_AMOUNT, &act->amount) < 0) {
			*problem = http_msg(r, "officer.error.amount");
			return true;
		}
	}
	if (new_due) {
		char iso[11];
		if (!id_date_parse(new_due, iso)) {
			*problem = http_msg(r, "officer.error.date");
			return true;
		}
		act->new_due = arena_strdup(r->a, iso);
	}
	if (days) {
		int64_t v;
		if (parse_int64(days, 1, 365, &v) < 0) {
			*problem = http_msg(r, "officer.error.days");
			return true;
		}
		act->days = (int)v;
	}
	return true;
}

/* The label with its first letter in lower case, to sit inside a
 * sentence: ASCII, or the Vietnamese "Đ" (U+0110 -> U+0111). */
static const char *lower_first(http_req *r, const char *s)
{
	char *t = arena_strdup(r->a, s);
	if (t[0] >= 'A' && t[0] <= 'Z')
		t[0] = (char)(t[0] - 'A' + 'a');
	else if ((unsigned char)t[0] == 0xC4 && (unsigned char)t[1] == 0x90)
		t[1] = (char)0x91;
	return t;
}

/* The conflict message: who did what when, from the domain. */
static const char *conflict_text(http_req *r, const struct bo_happened *h)
{
	if (!h->action || !*h->action)
		return http_msg(r, "officer.error.conflict_plain");
	int a = wf_action_parse(h->action);
	const char *args[3] = {
		a >= 0 ? lower_first(r, action_label(r, (enum wf_action)a)) : h->action,
		h->actor_name && *h->actor_name ? h->actor_name : "—", officer_when(r, h->at)};
	return i18n_format(r->a, r->lang, "officer.error.conflict", 3, args);
}

void web_officer_act(http_req *r)
{
	if (!csrf_check(r))
		return;
	struct bo_action act;
	const char *problem = NULL;
	if (!read_action(r, &act, &problem))
		return;
	if (problem) {
		render_dossier(r, 422, NULL, http_msg(r, "officer.error.title"), problem);
		return;
	}
	struct bo_env env = officer_env(r);
	struct bo_actor who = officer_actor(r);
	const char *code = http_param(r, "code");
	struct bo_result res;
	memset(&res, 0, sizeof(res));
	mc_status rc = bo_act(&env, r->a, &who, code, &act, &res);
	switch (rc) {
	case MC_OK:
		if (act.action == WF_TRANSFER) /* no longer ours to show */
			http_redirect(r, 303, "/can-bo?xong=transfer");
		else
			http_redirect(r, 303,
				      arena_printf(r->a, "/can-bo/ho-so/%s?xong=%s", code,
						   wf_action_name(act.action)));
		return;
	case MC_CONFLICT:
		render_dossier(r, 409, NULL, http_msg(r, "officer.error.conflict_title"),
			       conflict_text(r, &res.happened));
		return;
	case MC_INVALID:
	case MC_FORBIDDEN:
		render_dossier(r, rc == MC_INVALID ? 422 : 403, NULL,
			       http_msg(r, "officer.error.title"),
			       res.why ? msg_or(r, res.why, http_msg(r, "officer.error.action"))
				       : http_msg(r, "officer.error.action"));
		return;
	default: http_reply_status(r, rc);
	}
}

/* ---- forms as PDFs ---- */

/* "5.pdf" (form 5, drawn now) or "2-1.pdf" (the first stored form 02):
 * false for anything else. */
static bool form_name_parse(const char *s, int *form, int *n)
{
	*n = 0;
	if (s[0] < '1' || s[0] > '5')
		return false;
	*form = s[0] - '0';
	s++;
	size_t len = strlen(s);
	if (len < 4 || strcmp(s + len - 4, ".pdf") != 0)
		return false;
	if (len == 4)
		return true;
	char num[8];
	int64_t v;
	if (s[0] != '-' || len > 9)
		return false;
	memcpy(num, s + 1, len - 5);
	num[len - 5] = '\0';
	if (parse_int64(num, 1, 9999, &v) < 0)
		return false;
	*n = (int)v;
	return true;
}

void web_officer_form_pdf(http_req *r)
{
	int form, n;
	if (!form_name_parse(http_param(r, "file"), &form, &n)) {
		http_reply_status(r, MC_NOT_FOUND);
		return;
	}
	struct bo_env env = officer_env(r);
	struct bo_actor who = officer_actor(r);
	const char *code = http_param(r, "code");
	if (form == 1) { /* the receipt has its own address */
		http_redirect(r, 303, arena_printf(r->a, "/ho-so/%s/bien-nhan.pdf", code));
		return;
	}
	if (form == 5) { /* drawn now from the holder rows */
		buf_reset(&r->out);
		mc_status rc = bo_slip_pdf(&env, r->a, &who, code, &r->out);
		if (rc != MC_OK) {
			http_reply_status(r, rc);
			return;
		}
		http_add_header(
			r, "Content-Disposition",
			http_content_disposition(r->a, arena_printf(r->a, "mau-05-%s.pdf", code)));
		http_reply_out(r, 200, "application/pdf");
		return;
	}
	struct dossier_file f;
	mc_status rc = bo_form_file(&env, r->a, &who, code, form, n, &f);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	dossier_file_send(r, &f);
}
