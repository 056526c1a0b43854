/*
 * test_db_backoffice.c - the back office on SQLite and PostgreSQL: every
 * stage x action x actor of the workflow (legal moves apply, illegal ones
 * are refused saying why), scoping between two agencies, queues and keyset
 * pages with folded search, the clock (receipt, pause and resume, restart
 * on supplement, one apology a working day ahead), the 3-working-day
 * supplement window, stale versions and two officers racing, the audit
 * chain, notices exactly for the notify rows, desk entry and the
 * applicant's withdrawal, and docs/backoffice.md against the table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testdb.h"
#include "core/i18n.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/backoffice.h"
#include "domain/blob.h"
#include "domain/catalogue.h"
#include "domain/fold.h"
#include "domain/procedure.h"
#include "http/router.h"

#define PROC  "1.000001"
#define TUE10 "2026-11-24 10:00:00"
#define MON09 "2026-11-23 09:00:00"
#define FRI09 "2026-11-27 09:00:00"
#define EMAIL "nguyen.van.a@example.test"

struct fixture {
	char dir[64];
	char target[512];
	db *d;
	arena *a;
	struct bo_env env;
	int seq;
};

/* The people of the fixture: agency A (ag-a) and B (ag-b). */
static const struct bo_actor CIT = {"cit", ROLE_CITIZEN, NULL};
static const struct bo_actor DESK_A = {"desk-a", ROLE_DESK, "ag-a"};
static const struct bo_actor SPEC_A = {"spec-a", ROLE_SPECIALIST, "ag-a"};
static const struct bo_actor SPEC_A2 = {"spec-a2", ROLE_SPECIALIST, "ag-a"};
static const struct bo_actor LEAD_A = {"lead-a", ROLE_LEADER, "ag-a"};
static const struct bo_actor ALL_B = {"all-b", ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER, "ag-b"};

struct sql {
	const char *text;
};

static mc_status script_fn(db_conn *c, void *p)
{
	mc_status rc = db_exec(c, ((struct sql *)p)->text, NULL, -1, NULL);
	if (rc != MC_OK)
		fprintf(stderr, "# %s\n", db_errmsg(c));
	return rc;
}

static void script(struct fixture *f, const char *text)
{
	struct sql s = {text};
	assert_int_equal(db_write(f->d, script_fn, &s), MC_OK);
}

static mc_status put_proc(db_conn *c, void *p)
{
	return catalogue_put(c, p, NULL);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[512] = "";
	if (!f || sodium_init() < 0 || i18n_init(err, sizeof(err)) != 0)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-bo-XXXXXX");
	if (!mkdtemp(f->dir) || testdb_new(f->dir, f->target, sizeof(f->target)) != 0)
		return -1;
	if (db_open(f->target, &f->d, err, sizeof(err)) != MC_OK ||
	    db_migrate(f->d, NULL, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	f->a = arena_new(0);
	f->env = (struct bo_env){f->d,	f->dir, OFFICE_HOURS_DEFAULT, "https://dvc.example",
				 TUE10, false};
	/* One procedure: 3 working days, online, no required documents. */
	json_t *j = json_pack("{s:s,s:s,s:s,s:[s],s:s,s:[{s:s,s:s,s:s}]}", "code", PROC, "name",
			      "Đăng ký khai sinh", "field", "Hộ tịch", "levels", "province",
			      "service_level", "toan-trinh", "methods", "channel", "online",
			      "time_value", "3", "time_unit", "working_days");
	struct procedure_rec p;
	if (procedure_from_json(j, f->a, &p, err, sizeof(err)) != 0) {
		fprintf(stderr, "# procedure: %s\n", err);
		return -1;
	}
	json_decref(j);
	p.published = true;
	if (db_write(f->d, put_proc, &p) != MC_OK)
		return -1;
	*state = f;
	script(f,
	       "INSERT INTO agency (code, name, level, identifier) VALUES"
	       " ('ag-a', 'Sở Tư pháp', 'department', '000.00.16.H43'),"
	       " ('ag-b', 'UBND xã Yên Mạc', 'commune', '000.00.17.H43');"
	       "INSERT INTO procedure_agency VALUES ('" PROC "', 'ag-a'), ('" PROC "', 'ag-b');"
	       "INSERT INTO account (id, login, kind, roles, agency_code, full_name, email,"
	       " password_hash, created_at) VALUES"
	       " ('cit', 'cit', 'citizen', 1, NULL, 'Nguyễn Văn A', '" EMAIL "', 'x', '" MON09 "'),"
	       " ('desk-a', 'desk-a', 'officer', 4, 'ag-a', 'Trần Thị Bình', '', 'x', '" MON09 "'),"
	       " ('spec-a', 'spec-a', 'officer', 8, 'ag-a', 'Lê Văn Cường', '', 'x', '" MON09 "'),"
	       " ('spec-a2', 'spec-a2', 'officer', 8, 'ag-a', 'Phạm Thu Dung', '', 'x', '" MON09
	       "'),"
	       " ('lead-a', 'lead-a', 'officer', 16, 'ag-a', 'Hoàng Văn Em', '', 'x', '" MON09 "'),"
	       " ('all-b', 'all-b', 'officer', 28, 'ag-b', 'Vũ Thị Giang', '', 'x', '" MON09 "');");
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	arena_free(f->a);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", f->dir);
	free(f);
	return 0;
}

/* The SQL of one dossier of agency in stage st, received Monday 09:00,
 * due Friday 09:00, assigned to spec-a. */
static const char *dossier_sql(struct fixture *f, const char *code, const char *agency,
			       enum wf_stage st, const char *name, const char *idno)
{
	f->seq++;
	char id[33];
	snprintf(id, sizeof(id), "%032x", f->seq);
	const char *search = arena_printf(f->a, "%s %s", fold(f->a, name, strlen(name)), idno);
	return arena_printf(
		f->a,
		"INSERT INTO dossier (id, code, procedure_code, agency_code, account_id, status,"
		" channel, applicant, created_at, updated_at, submitted_at, received_at, due_at,"
		" stage, assignee_id, paused_at, applicant_search) VALUES ('%s', '%s', '" PROC
		"', '%s', 'cit', %d, 2, '{\"name\": \"%s\", \"id_number\": \"%s\", \"email\": "
		"\"" EMAIL "\"}', '" MON09 "', '" MON09 "', '" MON09
		"', %s, %s, '%s', 'spec-a', %s, '%s');",
		id, code, agency, wf_status_code(st), name, idno,
		st == WF_NEW ? "NULL" : "'" MON09 "'",
		st == WF_NEW || st == WF_SUPPLEMENT ? "NULL" : "'" FRI09 "'", wf_stage_name(st),
		st == WF_FINANCIAL ? "'" MON09 "'" : "NULL", search);
}

static void make(struct fixture *f, const char *code, const char *agency, enum wf_stage st)
{
	script(f, dossier_sql(f, code, agency, st, "Nguyễn Văn A", "001099012345"));
}

static int64_t count(struct fixture *f, const char *sql, const char *arg)
{
	db_result *r;
	if (arg)
		assert_int_equal(db_query(db_reader(f->d), f->a, sql, DB_ARGS(DB_TEXT(arg)), &r),
				 MC_OK);
	else
		assert_int_equal(db_query(db_reader(f->d), f->a, sql, DB_NOARGS, &r), MC_OK);
	return db_int(r, 0, 0);
}

static const char *text(struct fixture *f, const char *sql, const char *arg)
{
	db_result *r;
	if (arg)
		assert_int_equal(db_query(db_reader(f->d), f->a, sql, DB_ARGS(DB_TEXT(arg)), &r),
				 MC_OK);
	else
		assert_int_equal(db_query(db_reader(f->d), f->a, sql, DB_NOARGS, &r), MC_OK);
	return db_nrows(r) ? db_text(r, 0, 0) : NULL;
}

static int64_t version(struct fixture *f, const char *code)
{
	return count(f, "SELECT version FROM dossier WHERE code = $1", code);
}

/* Data that satisfies every action's rules in the fixture's week. */
static struct bo_action action_data(enum wf_action x, int64_t v)
{
	return (struct bo_action){.action = x,
				  .version = v,
				  .note = "Lý do: hồ sơ chưa đúng mẫu",
				  .items = "Bản sao giấy chứng sinh",
				  .assignee = "spec-a2",
				  .new_due = "2026-12-01",
				  .agency = "ag-b",
				  .days = 5,
				  .amount = 150000};
}

static mc_status act(struct fixture *f, const struct bo_actor *who, const char *code,
		     enum wf_action x, struct bo_result *out)
{
	struct bo_action d = action_data(x, version(f, code));
	return bo_act(&f->env, f->a, who, code, &d, out);
}

/* ---- every stage x action x actor ---- */

static void test_every_transition(void **state)
{
	struct fixture *f = *state;
	const struct bo_actor *actors[] = {&CIT, &DESK_A, &SPEC_A, &SPEC_A2, &LEAD_A, &ALL_B};
	const int nactors = 6;
	/* One dossier per combination, written at once. */
	char *sql = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&sql, &len);
	assert_non_null(mem);
	for (int s = 0; s < WF_NSTAGES; s++)
		for (int x = 0; x < WF_NACTIONS; x++)
			for (int k = 0; k < nactors; k++)
				fputs(dossier_sql(f, arena_printf(f->a, "T-%d-%d-%d", s, x, k),
						  "ag-a", (enum wf_stage)s, "Nguyễn Văn A",
						  "001099012345"),
				      mem);
	fclose(mem);
	script(f, sql);
	free(sql);
	int legal = 0, refused = 0, notified = 0, forms = 0, fees = 0;
	for (int s = 0; s < WF_NSTAGES; s++)
		for (int x = 0; x < WF_NACTIONS; x++)
			for (int k = 0; k < nactors; k++) {
				const char *code = arena_printf(f->a, "T-%d-%d-%d", s, x, k);
				const struct bo_actor *who = actors[k];
				int64_t mails = count(f, "SELECT COUNT(*) FROM mail_outbox", NULL);
				struct bo_result out;
				mc_status rc = act(f, who, code, (enum wf_action)x, &out);
				const struct wf_transition *t =
					wf_find((enum wf_stage)s, (enum wf_action)x);
				unsigned bits = bo_actor_bits(who, "ag-a", "cit", "spec-a");
				int64_t mails_after =
					count(f, "SELECT COUNT(*) FROM mail_outbox", NULL);
				if (who == &ALL_B) {
					assert_int_equal(rc, MC_NOT_FOUND);
				} else if (!t) {
					assert_int_equal(rc, MC_INVALID);
					assert_string_equal(out.why, "workflow.not_now");
				} else if (!(t->actors & bits)) {
					assert_int_equal(rc, MC_FORBIDDEN);
					assert_string_equal(
						out.why,
						who == &SPEC_A2 && (t->actors & WF_SPECIALIST)
							? "workflow.not_assignee"
							: "workflow.not_yours");
				} else {
					if (rc != MC_OK)
						fail_msg("%s %s by %s: %d %s", wf_stage_name(s),
							 wf_action_name(x), who->account_id, rc,
							 out.why ? out.why : "");
					assert_int_equal(out.stage, t->to);
					assert_int_equal(out.status, wf_status_code(t->to));
					assert_int_equal(out.version, 1);
					assert_string_equal(
						text(f, "SELECT stage FROM dossier WHERE code = $1",
						     code),
						wf_stage_name(t->to));
					assert_int_equal(
						count(f,
						      "SELECT COUNT(*) FROM dossier_event e JOIN"
						      " dossier d ON d.id = e.dossier_id WHERE"
						      " d.code = $1",
						      code),
						1);
					legal++;
					fees += x == WF_FINANCIAL_REQUEST;
					notified += t->notify;
					forms += t->form >= WF_FORM_02;
					assert_int_equal(
						count(f,
						      "SELECT COUNT(*) FROM dossier_form x JOIN"
						      " dossier d ON d.id = x.dossier_id WHERE"
						      " d.code = $1",
						      code),
						t->form >= WF_FORM_02);
				}
				if (rc != MC_OK) {
					refused++;
					assert_int_equal(version(f, code), 0);
				}
				/* A notice exactly for the notify rows. */
				assert_int_equal(mails_after - mails,
						 rc == MC_OK && t->notify ? 1 : 0);
			}
	int n;
	const struct wf_transition *tab = wf_table(&n);
	int want = 0;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < nactors; k++)
			want += (tab[i].actors &
				 bo_actor_bits(actors[k], "ag-a", "cit", "spec-a")) != 0;
	assert_int_equal(legal, want);
	assert_int_equal(legal + refused, WF_NSTAGES * WF_NACTIONS * nactors);
	assert_true(notified > 0);
	assert_true(forms > 0);
	/* The stored forms are PDFs in blob storage. */
	const char *hash = text(f, "SELECT blob_hash FROM dossier_form WHERE form = 3", NULL);
	assert_non_null(hash);
	struct blob_content b;
	assert_int_equal(blob_read(f->d, f->a, f->dir, hash, &b), MC_OK);
	char head[5] = "";
	if (b.fd >= 0) {
		assert_int_equal(read(b.fd, head, 4), 4);
		close(b.fd);
	} else {
		memcpy(head, b.data, 4);
	}
	assert_string_equal(head, "%PDF");
	/* Every move left its audit entry (a financial request one more: the
	 * fee it sets), and the chain is intact. */
	assert_true(fees > 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM dossier_fee WHERE amount = 150000", NULL),
			 fees);
	assert_int_equal(
		count(f, "SELECT COUNT(*) FROM audit_log WHERE subject LIKE 'dossier:T-%'", NULL),
		legal + fees);
	struct audit_report rep;
	assert_int_equal(audit_verify(db_reader(f->d), &rep, NULL, NULL), MC_OK);
	assert_int_equal(rep.first_broken, 0);
	assert_int_equal(rep.entries, legal + fees);
}

/* ---- scoping and queues ---- */

static void test_scoping_and_queues(void **state)
{
	struct fixture *f = *state;
	make(f, "A-NEW-1", "ag-a", WF_NEW);
	make(f, "A-NEW-2", "ag-a", WF_NEW);
	make(f, "A-ASG-1", "ag-a", WF_ASSIGNED); /* due Friday: soon from Tuesday? no */
	make(f, "A-PA-1", "ag-a", WF_PENDING_APPROVAL);
	make(f, "A-DONE-1", "ag-a", WF_DONE);
	make(f, "B-NEW-1", "ag-b", WF_NEW);
	script(f, "UPDATE dossier SET assignee_id = 'spec-a2' WHERE code = 'A-PA-1';");

	/* B sees nothing of A's, in either direction. */
	struct bo_dossier v;
	assert_int_equal(bo_get(&f->env, f->a, &ALL_B, "A-NEW-1", &v), MC_NOT_FOUND);
	assert_int_equal(bo_get(&f->env, f->a, &DESK_A, "B-NEW-1", &v), MC_NOT_FOUND);
	struct bo_result out;
	assert_int_equal(act(f, &ALL_B, "A-NEW-1", WF_RECEIVE, &out), MC_NOT_FOUND);

	int64_t ca[BO_NQUEUES], cb[BO_NQUEUES], cs[BO_NQUEUES];
	assert_int_equal(bo_queue_counts(&f->env, f->a, &DESK_A, ca), MC_OK);
	assert_int_equal(bo_queue_counts(&f->env, f->a, &ALL_B, cb), MC_OK);
	assert_int_equal(bo_queue_counts(&f->env, f->a, &SPEC_A2, cs), MC_OK);
	assert_int_equal(ca[BO_Q_NEW], 2);
	assert_int_equal(cb[BO_Q_NEW], 1);
	assert_int_equal(ca[BO_Q_PROCESSING], 1);
	assert_int_equal(ca[BO_Q_APPROVAL], 1);
	assert_int_equal(ca[BO_Q_RETURN], 1);
	assert_int_equal(cb[BO_Q_RETURN], 0);
	/* Tuesday 10:00: Friday 09:00 is within 2 working days? Thursday
	 * 10:00 is the limit, so no; on Wednesday 10:00 it is. */
	assert_int_equal(ca[BO_Q_DUE_SOON], 0);
	assert_int_equal(ca[BO_Q_OVERDUE], 0);
	/* spec-a2 holds none of the processing ones. */
	assert_int_equal(cs[BO_Q_PROCESSING], 0);
	f->env.now = "2026-11-25 10:00:00";
	assert_int_equal(bo_queue_counts(&f->env, f->a, &DESK_A, ca), MC_OK);
	assert_int_equal(ca[BO_Q_DUE_SOON], 2);
	f->env.now = "2026-11-30 08:00:00";
	assert_int_equal(bo_queue_counts(&f->env, f->a, &DESK_A, ca), MC_OK);
	assert_int_equal(ca[BO_Q_OVERDUE], 2);
	assert_int_equal(ca[BO_Q_DUE_SOON], 0);
	struct bo_page pg;
	assert_int_equal(bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_OVERDUE, NULL, NULL, 10, &pg),
			 MC_OK);
	assert_int_equal(pg.n, 2);
	assert_true(pg.rows[0].overdue);
	/* Not an officer: no queues. */
	assert_int_equal(bo_queue_counts(&f->env, f->a, &CIT, ca), MC_FORBIDDEN);

	/* The officer's view: allowed actions by role, the specialists. */
	f->env.now = TUE10;
	assert_int_equal(bo_get(&f->env, f->a, &DESK_A, "A-NEW-1", &v), MC_OK);
	assert_int_equal(v.stage, WF_NEW);
	assert_int_equal(v.nallowed, 3); /* receive, request supplement, refuse */
	assert_int_equal(v.allowed[0], WF_RECEIVE);
	assert_int_equal(v.nspecialists, 2);
	assert_int_equal(bo_get(&f->env, f->a, &SPEC_A2, "A-ASG-1", &v), MC_OK);
	assert_int_equal(v.nallowed, 0); /* not theirs */
	assert_int_equal(bo_get(&f->env, f->a, &SPEC_A, "A-ASG-1", &v), MC_OK);
	assert_true(v.nallowed >= 3);
	assert_string_equal(v.assignee_name, "Lê Văn Cường");
	assert_int_equal(bo_get(&f->env, f->a, &CIT, "A-ASG-1", &v), MC_OK);
	assert_int_equal(v.nallowed, 1);
	assert_int_equal(v.allowed[0], WF_WITHDRAW_REQUEST);
}

static void test_search_and_keyset(void **state)
{
	struct fixture *f = *state;
	const char *sql = "";
	for (int i = 0; i < 25; i++)
		sql = arena_printf(
			f->a, "%s%s", sql,
			dossier_sql(f, arena_printf(f->a, "000.00.16.H43-261123-%04d", i + 1),
				    "ag-a", WF_NEW, i == 7 ? "Nguyễn Văn A" : "Trần Thị Hoa",
				    arena_printf(f->a, "0010990123%02d", i)));
	script(f, sql);
	/* Same submission time for all: the id breaks ties; pages never
	 * repeat or skip. */
	const char *cursor = NULL;
	int seen = 0, pages = 0;
	const char *last = "";
	do {
		struct bo_page pg;
		assert_int_equal(
			bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_NEW, NULL, cursor, 10, &pg),
			MC_OK);
		for (int i = 0; i < pg.n; i++) {
			assert_true(strcmp(pg.rows[i].code, last) != 0);
			last = pg.rows[i].code;
		}
		seen += pg.n;
		pages++;
		cursor = pg.next_cursor;
	} while (cursor);
	assert_int_equal(seen, 25);
	assert_int_equal(pages, 3);
	struct bo_page pg;
	/* Folded name search, ID number, code prefix. */
	assert_int_equal(
		bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_NEW, "nguyen van a", NULL, 10, &pg),
		MC_OK);
	assert_int_equal(pg.n, 1);
	assert_string_equal(pg.rows[0].applicant_name, "Nguyễn Văn A");
	assert_int_equal(
		bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_NEW, "NGUYỄN văn", NULL, 10, &pg),
		MC_OK);
	assert_int_equal(pg.n, 1);
	assert_int_equal(
		bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_NEW, "001099012307", NULL, 10, &pg),
		MC_OK);
	assert_int_equal(pg.n, 1);
	assert_int_equal(bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_NEW, "000.00.16.H43-261123-001",
				       NULL, 100, &pg),
			 MC_OK);
	assert_int_equal(pg.n, 10);
	assert_int_equal(bo_queue_page(&f->env, f->a, &ALL_B, BO_Q_NEW, NULL, NULL, 100, &pg),
			 MC_OK);
	assert_int_equal(pg.n, 0);
	/* Bad cursors and limits. */
	assert_int_equal(bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_NEW, NULL, "new.x.y", 10, &pg),
			 MC_INVALID);
	assert_int_equal(bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_NEW, NULL, NULL, 10, &pg),
			 MC_OK);
	assert_non_null(pg.next_cursor);
	assert_int_equal(
		bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_OVERDUE, NULL, pg.next_cursor, 10, &pg),
		MC_INVALID);
	assert_int_equal(bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_NEW, NULL, NULL, 101, &pg),
			 MC_INVALID);
}

/* Sort keys that tie across page boundaries (three submission times, the
 * ids interleaved among them, pages of 4): every dossier exactly once, in
 * (key, id) order. Fails when a later page's bound drops the tie-break
 * (skips the rest of a key) or keeps the cursor's row (repeats it). */
static void test_keyset_ties_across_pages(void **state)
{
	struct fixture *f = *state;
	enum { N = 23, KEYS = 3, LIMIT = 4 };
	static const char *const stamps[KEYS] = {"2026-11-23 08:00:00", "2026-11-23 09:30:00",
						 "2026-11-24 14:00:00"};
	const char *sql = "";
	for (int i = 0; i < N; i++) {
		const char *code = arena_printf(f->a, "000.00.16.H43-261123-%04d", i + 1);
		sql = arena_printf(
			f->a, "%s%sUPDATE dossier SET submitted_at = '%s' WHERE code = '%s';", sql,
			dossier_sql(f, code, "ag-a", WF_NEW, "Trần Thị Hoa", "001099012300"),
			stamps[(i * 5 + 1) % KEYS], code);
	}
	script(f, sql);
	/* expected: by time, then by id (the insertion order here) */
	const char *want[N];
	int nwant = 0;
	for (int k = 0; k < KEYS; k++)
		for (int i = 0; i < N; i++)
			if ((i * 5 + 1) % KEYS == k)
				want[nwant++] =
					arena_printf(f->a, "000.00.16.H43-261123-%04d", i + 1);
	assert_int_equal(nwant, N);
	const char *cursor = NULL;
	int seen = 0, pages = 0;
	do {
		struct bo_page pg;
		assert_int_equal(
			bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_NEW, NULL, cursor, LIMIT, &pg),
			MC_OK);
		for (int i = 0; i < pg.n; i++) {
			assert_true(seen < N);
			assert_string_equal(pg.rows[i].code, want[seen]);
			seen++;
		}
		pages++;
		cursor = pg.next_cursor;
	} while (cursor && pages < 2 * N);
	assert_int_equal(seen, N);
	assert_int_equal(pages, (N + LIMIT - 1) / LIMIT);
}

/* ---- the clock ---- */

static const char *due(struct fixture *f, const char *code)
{
	return text(f, "SELECT due_at FROM dossier WHERE code = $1", code);
}

static void test_clock(void **state)
{
	struct fixture *f = *state;
	struct bo_result out;
	make(f, "C-1", "ag-a", WF_NEW);
	/* Receipt on Tuesday 10:00: 3 working days, Friday 10:00. */
	assert_int_equal(act(f, &DESK_A, "C-1", WF_RECEIVE, &out), MC_OK);
	assert_string_equal(out.due_at, "2026-11-27 10:00:00");
	assert_string_equal(due(f, "C-1"), "2026-11-27 10:00:00");
	/* Paused Tuesday (financial), resumed the next Tuesday: 5 working
	 * days stood still, the deadline moves 5 working days on. */
	struct bo_action none = action_data(WF_FINANCIAL_REQUEST, version(f, "C-1"));
	none.amount = 0;
	assert_int_equal(bo_act(&f->env, f->a, &DESK_A, "C-1", &none, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.amount");
	assert_string_equal(out.field, "amount");
	assert_int_equal(act(f, &DESK_A, "C-1", WF_FINANCIAL_REQUEST, &out), MC_OK);
	assert_non_null(text(f, "SELECT paused_at FROM dossier WHERE code = $1", "C-1"));
	/* the fee owed, set in the same write: the applicant sees it with VietQR */
	assert_int_equal(count(f,
			       "SELECT amount FROM dossier_fee x JOIN dossier d ON d.id ="
			       " x.dossier_id WHERE d.code = $1 AND x.status = 'owed'",
			       "C-1"),
			 150000);
	f->env.now = "2026-12-01 09:00:00";
	assert_int_equal(act(f, &DESK_A, "C-1", WF_FINANCIAL_DONE, &out), MC_OK);
	assert_string_equal(due(f, "C-1"), "2026-12-04 10:00:00");
	assert_int_equal(count(f, "SELECT paused_days FROM dossier WHERE code = $1", "C-1"), 5);
	assert_null(text(f, "SELECT paused_at FROM dossier WHERE code = $1", "C-1"));

	/* Apology: at least one working day ahead, a later working day,
	 * once. Due Friday 4/12: Thursday 3/12 is the last day to apologise. */
	f->env.now = "2026-12-04 08:00:00";
	assert_int_equal(act(f, &LEAD_A, "C-1", WF_APOLOGY, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.apology_late");
	f->env.now = "2026-12-03 16:00:00";
	struct bo_action ap = action_data(WF_APOLOGY, version(f, "C-1"));
	ap.new_due = "2026-12-05"; /* a Saturday */
	assert_int_equal(bo_act(&f->env, f->a, &LEAD_A, "C-1", &ap, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.new_due");
	ap.new_due = "2026-12-02";
	assert_int_equal(bo_act(&f->env, f->a, &LEAD_A, "C-1", &ap, &out), MC_INVALID);
	ap.note = "";
	ap.new_due = "2026-12-08";
	assert_int_equal(bo_act(&f->env, f->a, &LEAD_A, "C-1", &ap, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.reason_required");
	ap.note = "Chờ xác minh của cơ quan khác";
	assert_int_equal(bo_act(&f->env, f->a, &LEAD_A, "C-1", &ap, &out), MC_OK);
	assert_string_equal(due(f, "C-1"), "2026-12-08 10:00:00");
	f->env.now = "2026-12-04 09:00:00";
	ap.version = version(f, "C-1");
	ap.new_due = "2026-12-10 16:30";
	assert_int_equal(bo_act(&f->env, f->a, &LEAD_A, "C-1", &ap, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.apology_once");

	/* A supplement restarts the clock; the next receipt starts it anew
	 * and the supplements are counted. */
	make(f, "C-2", "ag-a", WF_NEW);
	f->env.now = TUE10;
	assert_int_equal(act(f, &DESK_A, "C-2", WF_REQUEST_SUPPLEMENT, &out), MC_OK);
	assert_null(due(f, "C-2"));
	assert_null(out.due_at);
	struct bo_action sup = action_data(WF_SUPPLEMENT_SUBMIT, version(f, "C-2"));
	sup.note = NULL;
	assert_int_equal(bo_act(&f->env, f->a, &CIT, "C-2", &sup, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.supplement_empty");
	f->env.now = "2026-11-26 14:00:00";
	assert_int_equal(act(f, &CIT, "C-2", WF_SUPPLEMENT_SUBMIT, &out), MC_OK);
	assert_int_equal(act(f, &DESK_A, "C-2", WF_RECEIVE, &out), MC_OK);
	assert_string_equal(due(f, "C-2"), "2026-12-01 14:00:00");
	assert_int_equal(count(f, "SELECT supplements FROM dossier WHERE code = $1", "C-2"), 1);
	/* Holders: the applicant (supplement), the desk (new), the agency
	 * (received: open, due with the dossier). */
	struct bo_dossier v;
	assert_int_equal(bo_get(&f->env, f->a, &DESK_A, "C-2", &v), MC_OK);
	assert_int_equal(v.nholders, 3);
	assert_string_equal(v.holders[0].task, "supplement");
	assert_string_equal(v.holders[0].account_id, "cit");
	assert_null(v.holders[2].until_at);
	assert_string_equal(v.holders[2].due_at, "2026-12-01 14:00:00");
	assert_false(v.holders[2].late);
	assert_int_equal(v.d.nevents, 3);
}

static void test_supplement_window(void **state)
{
	struct fixture *f = *state;
	struct bo_result out;
	/* Arrived Monday 09:00: Thursday 09:00 is the last moment. */
	make(f, "S-1", "ag-a", WF_NEW);
	make(f, "S-2", "ag-a", WF_NEW);
	f->env.now = "2026-11-26 09:00:00";
	assert_int_equal(act(f, &DESK_A, "S-1", WF_REQUEST_SUPPLEMENT, &out), MC_OK);
	f->env.now = "2026-11-26 09:01:00";
	assert_int_equal(act(f, &DESK_A, "S-2", WF_REQUEST_SUPPLEMENT, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.supplement_late");
	/* A specialist's request counts from the receipt. */
	make(f, "S-3", "ag-a", WF_ASSIGNED);
	script(f, "UPDATE dossier SET received_at = '2026-11-25 11:00:00' WHERE code = 'S-3';");
	f->env.now = "2026-11-30 10:59:00";
	assert_int_equal(act(f, &SPEC_A, "S-3", WF_REQUEST_SUPPLEMENT, &out), MC_OK);
	/* Items are required. */
	make(f, "S-4", "ag-a", WF_NEW);
	f->env.now = TUE10;
	struct bo_action x = action_data(WF_REQUEST_SUPPLEMENT, 0);
	x.items = " \n ";
	assert_int_equal(bo_act(&f->env, f->a, &DESK_A, "S-4", &x, &out), MC_INVALID);
	assert_string_equal(out.field, "items");
	x.items = "";
	assert_int_equal(bo_act(&f->env, f->a, &DESK_A, "S-4", &x, &out), MC_INVALID);
	assert_string_equal(out.field, "items");
	/* A refusal needs its reasons. */
	x = action_data(WF_REFUSE, 0);
	x.note = "   ";
	assert_int_equal(bo_act(&f->env, f->a, &DESK_A, "S-4", &x, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.reason_required");
	x.note = NULL;
	assert_int_equal(bo_act(&f->env, f->a, &DESK_A, "S-4", &x, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.reason_required");
	/* Assign only a specialist of the agency. */
	make(f, "S-5", "ag-a", WF_RECEIVED);
	x = action_data(WF_ASSIGN, 0);
	x.assignee = "all-b";
	assert_int_equal(bo_act(&f->env, f->a, &LEAD_A, "S-5", &x, &out), MC_INVALID);
	assert_string_equal(out.why, "backoffice.error.assignee");
	x.assignee = "desk-a";
	assert_int_equal(bo_act(&f->env, f->a, &LEAD_A, "S-5", &x, &out), MC_INVALID);
}

/* ---- concurrency ---- */

struct racer {
	struct fixture *f;
	const struct bo_actor *who;
	enum wf_action x;
	int64_t v;
	mc_status rc;
	struct bo_result out;
	arena *a;
};

static void *race(void *p)
{
	struct racer *r = p;
	struct bo_action d = action_data(r->x, r->v);
	r->rc = bo_act(&r->f->env, r->a, r->who, "R-1", &d, &r->out);
	return NULL;
}

static void test_conflicts(void **state)
{
	struct fixture *f = *state;
	make(f, "R-0", "ag-a", WF_NEW);
	struct bo_result out;
	assert_int_equal(act(f, &DESK_A, "R-0", WF_RECEIVE, &out), MC_OK);
	/* Acting on the version seen before: told who did what, when. */
	struct bo_action x = action_data(WF_REFUSE, 0);
	assert_int_equal(bo_act(&f->env, f->a, &DESK_A, "R-0", &x, &out), MC_CONFLICT);
	assert_string_equal(out.happened.action, "receive");
	assert_string_equal(out.happened.actor_name, "Trần Thị Bình");
	assert_string_equal(out.happened.at, TUE10);
	assert_int_equal(out.happened.version, 1);

	/* Two threads on one version, many times: exactly one wins. */
	for (int round = 0; round < 10; round++) {
		script(f, "DELETE FROM dossier WHERE code = 'R-1';");
		make(f, "R-1", "ag-a", WF_NEW);
		struct racer r[2] = {{f, &DESK_A, WF_RECEIVE, 0, MC_OK, {0}, arena_new(0)},
				     {f, &DESK_A, WF_REFUSE, 0, MC_OK, {0}, arena_new(0)}};
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		int wins = (r[0].rc == MC_OK) + (r[1].rc == MC_OK);
		assert_int_equal(wins, 1);
		struct racer *lost = r[0].rc == MC_OK ? &r[1] : &r[0];
		struct racer *won = r[0].rc == MC_OK ? &r[0] : &r[1];
		assert_int_equal(lost->rc, MC_CONFLICT);
		assert_string_equal(lost->out.happened.action, wf_action_name(won->x));
		assert_int_equal(version(f, "R-1"), 1);
		assert_int_equal(count(f,
				       "SELECT COUNT(*) FROM dossier_event e JOIN dossier d ON"
				       " d.id = e.dossier_id WHERE d.code = $1",
				       "R-1"),
				 1);
		arena_free(r[0].a);
		arena_free(r[1].a);
	}
	struct audit_report rep;
	assert_int_equal(audit_verify(db_reader(f->d), &rep, NULL, NULL), MC_OK);
	assert_int_equal(rep.first_broken, 0);
	assert_int_equal(rep.entries, 11);
}

/* ---- the whole path, transfer, withdrawal, desk entry ---- */

static void test_full_path(void **state)
{
	struct fixture *f = *state;
	struct bo_result out;
	make(f, "P-1", "ag-a", WF_NEW);
	const struct {
		const struct bo_actor *who;
		enum wf_action x;
		enum wf_stage to;
	} steps[] = {
		{&DESK_A, WF_RECEIVE, WF_RECEIVED},
		{&LEAD_A, WF_ASSIGN, WF_ASSIGNED},
		{&SPEC_A2, WF_SUBMIT_APPROVAL, WF_PENDING_APPROVAL},
		{&LEAD_A, WF_REWORK, WF_ASSIGNED},
		{&SPEC_A2, WF_SUBMIT_APPROVAL, WF_PENDING_APPROVAL},
		{&LEAD_A, WF_APPROVE, WF_DONE},
		{&DESK_A, WF_RETURN_RESULT, WF_RETURNED},
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		assert_int_equal(act(f, steps[i].who, "P-1", steps[i].x, &out), MC_OK);
		assert_int_equal(out.stage, steps[i].to);
	}
	assert_non_null(text(f, "SELECT finished_at FROM dossier WHERE code = $1", "P-1"));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1", EMAIL), 3);
	struct bo_dossier v;
	assert_int_equal(bo_get(&f->env, f->a, &LEAD_A, "P-1", &v), MC_OK);
	assert_int_equal(v.stage, WF_RETURNED);
	assert_int_equal(v.nallowed, 0);
	/* received, assigned, pending, assigned, pending, done; all closed. */
	assert_int_equal(v.nholders, 6);
	for (int i = 0; i < v.nholders; i++)
		assert_non_null(v.holders[i].until_at);
	assert_string_equal(v.holders[1].account_id, "spec-a2");

	/* Transfer: on to B with its share of 5 working days; B now sees it. */
	make(f, "P-2", "ag-a", WF_ASSIGNED);
	assert_int_equal(act(f, &LEAD_A, "P-2", WF_TRANSFER, &out), MC_OK);
	assert_int_equal(bo_get(&f->env, f->a, &LEAD_A, "P-2", &v), MC_NOT_FOUND);
	assert_int_equal(bo_get(&f->env, f->a, &ALL_B, "P-2", &v), MC_OK);
	assert_int_equal(v.stage, WF_RECEIVED);
	assert_string_equal(v.holders[v.nholders - 1].agency_code, "ag-b");
	assert_string_equal(v.holders[v.nholders - 1].due_at, "2026-12-01 10:00:00");

	/* The applicant's withdrawal through bo_act, then the desk accepts. */
	make(f, "P-3", "ag-a", WF_RECEIVED);
	assert_int_equal(dossier_withdraw(f->d, "spec-a", "P-3", "Không cần nữa"), MC_NOT_FOUND);
	assert_int_equal(dossier_withdraw(f->d, "cit", "P-3", ""), MC_INVALID);
	assert_int_equal(dossier_withdraw(f->d, "cit", "P-3", "Không cần nữa"), MC_OK);
	assert_int_equal(dossier_withdraw(f->d, "cit", "P-3", "Không cần nữa"), MC_CONFLICT);
	assert_string_equal(text(f, "SELECT stage FROM dossier WHERE code = $1", "P-3"),
			    "withdrawal");
	assert_int_equal(act(f, &DESK_A, "P-3", WF_WITHDRAW_ACCEPT, &out), MC_OK);
	assert_int_equal(out.status, 8);
}

static void test_desk_entry(void **state)
{
	struct fixture *f = *state;
	struct dossier_input in = {
		.procedure_code = PROC,
		.agency_code = "ag-a",
		.applicant = {"Đỗ Thị Hạnh", "001099012345", NULL, "1999-05-01", "0912345678", NULL,
			      "Số 1 Lê Lợi, Ninh Bình"},
		.return_method = "desk",
	};
	struct dossier_problem *pr = NULL;
	struct dossier_receipt rec;
	assert_int_equal(bo_desk_entry(&f->env, f->a, &LEAD_A, &in, &pr, &rec), MC_FORBIDDEN);
	struct dossier_input wrong = in;
	wrong.agency_code = "ag-b";
	assert_int_equal(bo_desk_entry(&f->env, f->a, &DESK_A, &wrong, &pr, &rec), MC_FORBIDDEN);
	mc_status rc = bo_desk_entry(&f->env, f->a, &DESK_A, &in, &pr, &rec);
	for (struct dossier_problem *p = pr; p; p = p->next)
		fprintf(stderr, "# %s: %s\n", p->field, p->key);
	assert_int_equal(rc, MC_OK);
	assert_non_null(strstr(rec.code, "000.00.16.H43-"));
	assert_string_equal(rec.due_at, "2026-11-27 10:00:00");
	struct bo_dossier v;
	assert_int_equal(bo_get(&f->env, f->a, &DESK_A, rec.code, &v), MC_OK);
	assert_int_equal(v.stage, WF_RECEIVED);
	assert_int_equal(v.d.status, 2);
	assert_int_equal(v.d.channel, 1);
	assert_int_equal(v.version, 1);
	assert_int_equal(v.nholders, 2);
	assert_null(v.holders[1].until_at);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE subject = $1",
			       arena_printf(f->a, "dossier:%s", rec.code)),
			 2);
	/* Searchable by the folded name. */
	struct bo_page pg;
	assert_int_equal(
		bo_queue_page(&f->env, f->a, &DESK_A, BO_Q_PROCESSING, "do thi hanh", NULL, 0, &pg),
		MC_OK);
	assert_int_equal(pg.n, 1);
}

static mc_status refuse_hook(db_conn *c, void *arg, const char *id, const char *code)
{
	(void)c;
	(void)arg;
	(void)id;
	(void)code;
	return MC_CONFLICT;
}

/* A new dossier takes the next sync number (sync_head) in its own INSERT:
 * one number per submission, in order, none lost to a failed one, and a
 * later change still takes the next number through the update trigger. */
static void test_submit_sync_numbers(void **state)
{
	struct fixture *f = *state;
	struct dossier_input in = {
		.account_id = "cit",
		.procedure_code = PROC,
		.agency_code = "ag-a",
		.applicant = {"Nguyễn Văn A", "001099012345", NULL, "1999-05-01", "0912345678",
			      NULL, "Số 1 Lê Lợi, Ninh Bình"},
		.return_method = "online",
		.now = TUE10,
	};
	struct dossier_problem *pr = NULL;
	struct dossier_receipt rec;
	make(f, "S-0", "ag-a", WF_RECEIVED); /* sync_head is past 0 */
	int64_t head = count(f, "SELECT n FROM sync_head WHERE id = 1", NULL);
	assert_true(head > 0);
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(
			dossier_submit(f->d, f->a, f->dir, OFFICE_HOURS_DEFAULT, &in, &pr, &rec),
			MC_OK);
		assert_int_equal(
			count(f, "SELECT change_seq FROM dossier WHERE code = $1", rec.code),
			head + i);
		assert_int_equal(count(f, "SELECT n FROM sync_head WHERE id = 1", NULL), head + i);
	}
	in.received_hook = refuse_hook; /* the whole write rolls back */
	assert_int_equal(dossier_submit(f->d, f->a, f->dir, OFFICE_HOURS_DEFAULT, &in, &pr, &rec),
			 MC_CONFLICT);
	assert_int_equal(count(f, "SELECT n FROM sync_head WHERE id = 1", NULL), head + 3);
	assert_int_equal(count(f, "SELECT COUNT(DISTINCT change_seq) FROM dossier", NULL),
			 count(f, "SELECT COUNT(*) FROM dossier", NULL));
	const char *last = text(f, "SELECT code FROM dossier WHERE change_seq = $1",
				arena_printf(f->a, "%lld", (long long)(head + 3)));
	assert_non_null(last);
	script(f, arena_printf(f->a, "UPDATE dossier SET notes = 'x' WHERE code = '%s'", last));
	assert_int_equal(count(f, "SELECT change_seq FROM dossier WHERE code = $1", last),
			 head + 4);
}

/* docs/backoffice.md lists the table: one line per row, in table order. */
static void test_docs_table(void **state)
{
	(void)state;
	FILE *fp = fopen("docs/backoffice.md", "r");
	assert_non_null(fp);
	char line[512];
	int n, i = 0;
	const struct wf_transition *t = wf_table(&n);
	static const char *const who[] = {"applicant", "desk", "specialist", "leader"};
	while (fgets(line, sizeof(line), fp)) {
		if (i > 0 && strncmp(line, "## ", 3) == 0)
			break; /* the table ended */
		if (strncmp(line, "| `", 3) != 0)
			continue;
		assert_true(i < n);
		char actors[64] = "";
		for (int k = 0; k < 4; k++)
			if (t[i].actors & (1u << k))
				snprintf(actors + strlen(actors), sizeof(actors) - strlen(actors),
					 "%s%s", *actors ? ", " : "", who[k]);
		char want[256];
		snprintf(want, sizeof(want), "| `%s` | `%s` | %s | `%s` | %s | %s |",
			 wf_stage_name(t[i].from), wf_action_name(t[i].action), actors,
			 wf_stage_name(t[i].to),
			 t[i].form ? (const char *[]){"", "01", "02", "03", "04"}[t[i].form] : "-",
			 t[i].notify ? "yes" : "no");
		if (strncmp(line, want, strlen(want)) != 0)
			fail_msg("docs/backoffice.md row %d:\n  %s  want %s", i + 1, line, want);
		i++;
	}
	fclose(fp);
	assert_int_equal(i, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_transition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scoping_and_queues, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_and_keyset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyset_ties_across_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_supplement_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_desk_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submit_sync_numbers, setup, teardown),
		cmocka_unit_test(test_docs_table),
	};
	return cmocka_run_group_tests_name(testdb_backend(), tests, NULL, NULL);
}
