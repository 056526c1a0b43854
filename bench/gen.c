/*
 * bench/gen.c - `bench-gen`: millions of realistic dossiers (hồ sơ) written
 * straight into a data directory's database, SQLite or PostgreSQL, for the
 * statistics benchmark (bench/stats.sh, docs/performance.md).
 *
 *   build/bench-gen --data DIR [--dossiers N] [--years Y] [--seed S]
 *                   [--batch B] [--end YYYY-MM-DD] [--append] [--keep-indexes]
 *
 * DIR is prepared with `motcua init --data DIR --demo --demo-dossiers 0` (its
 * configuration, or MOTCUA_DATABASE, may name PostgreSQL): the agencies, the
 * catalogue, procedure_agency and the demo officers are read through the
 * project's db layer and schedule module, then the rows go in through the
 * backend's own bulk path: prepared statements in big transactions with
 * synchronous=OFF on SQLite, COPY ... FROM STDIN on PostgreSQL. Secondary
 * indexes of the big tables are dropped before the load and built again
 * after it (--keep-indexes keeps them; always kept with --append).
 *
 * What it writes, per dossier, the rows the back office would have written
 * (dossier, dossier_event, dossier_holder, dossier_seq, and for some
 * dossier_fee, payment, rating), plus a pool of citizen accounts that file
 * online (password hash "!bench-gen": nobody can sign in with them):
 * - submitted_at on working days of the calendar (schedule_load), in office
 *   hours, over the Y years ending on --end (default today), volume growing
 *   by half over the period;
 * - procedures weighted (birth, marriage and death registration, copies and
 *   signatures certified carry most; a Zipf long tail; commune-level ones
 *   twice), each at one of the agencies competent for it (procedure_agency);
 * - channel: online 35 % growing to 75 % over the period (when the
 *   procedure can be filed online), 5 % by post, the rest at the desk;
 * - codes `<agency identifier>-<YYMMDD>-<NNNN>` gapless per agency and day
 *   with dossier_seq holding the last number;
 * - a life along the workflow table (every move checked with wf_find):
 *   submitted, received (due date from the procedure's time limit with
 *   dossier_due), assigned, sent for approval, approved, returned; 3 %
 *   refused at the desk, 3 % withdrawn, 2 % stopped, 8 % with a financial
 *   obligation (fee and payment), one in 7 with a supplement request and one
 *   in 30 with two (a fifth of the requests late), 8 % approved late. Moves
 *   after --end 17:00 are cut, so old dossiers are finished and recent ones
 *   are open in every stage. Nothing is stamped after the clock (UTC+7) of
 *   the run unless --end names a later day: when the run is before the end
 *   day's 17:00, the period ends the day before and moves are cut at the
 *   clock. Officers act where the agency has them (the specialist is the
 *   assignee), else the events have no account;
 * - ratings for 30 % of the returned online dossiers.
 * The same seed, past --end and N give the same rows (each dossier has its own
 * random stream). Refuses a database that already holds generated dossiers
 * (ids starting with GEN_ID_PREFIX) unless --append.
 */
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/progress.h"
#include "db/copytext.h"
#include "domain/calendar.h"
#include "domain/catalogue.h"
#include "domain/dossier.h"
#include "domain/fold.h"
#include "domain/procedure.h"
#include "domain/schedule.h"
#include "domain/workflow.h"

#define GEN_ID_PREFIX "9e4e2a7b" /* generated dossier ids: prefix + 24 hex digits */
#define GEN_PW_MARK   "!bench-gen"
#define DAY	      86400
#define MAX_DOSSIERS  100000000LL
#define MAX_EVENTS    24
#define COUNT(x)      ((int)(sizeof(x) / sizeof((x)[0])))

static const char usage[] =
	"usage: bench-gen --data DIR [--dossiers N] [--years Y] [--seed S] [--batch B]\n"
	"                 [--end YYYY-MM-DD] [--append] [--keep-indexes]\n"
	"  --dossiers N    dossiers to generate, 1..100000000 (default 1000000)\n"
	"  --years Y       spread over the Y years ending on --end, 1..20 (default 5)\n"
	"  --seed S        random seed, 0..2^64-1 (default 1)\n"
	"  --batch B       dossiers per transaction, 100..1000000 (default 50000)\n"
	"  --end DATE      the last day (\"now\" is its 17:00), default today; nothing is\n"
	"                  stamped after the moment bench-gen runs: when that is before\n"
	"                  the day's 17:00, the period ends the day before and \"now\" is\n"
	"                  the clock (so such a run is not repeatable); only an --end\n"
	"                  after today stamps later times\n"
	"  --append        add to a database that already holds generated dossiers\n"
	"  --keep-indexes  do not drop and rebuild the secondary indexes\n";

/* ---- random numbers: xorshift64*, one stream per dossier ---- */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static int pick(uint64_t *s, int n)
{
	return (int)(rnd(s) % (uint64_t)n);
}

/* True with probability num/den. */
static bool chance(uint64_t *s, int num, int den)
{
	return pick(s, den) < num;
}

/* ---- time: seconds of Vietnam local time counted as if UTC ---- */

static struct solar_date day_of(int64_t t)
{
	time_t x = (time_t)t;
	struct tm tm;
	gmtime_r(&x, &tm);
	return (struct solar_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

static int64_t at_of(struct solar_date d, int minute)
{
	struct tm tm = {.tm_year = d.year - 1900, .tm_mon = d.month - 1, .tm_mday = d.day};
	return (int64_t)timegm(&tm) + minute * 60;
}

static void stamp(char out[20], int64_t t)
{
	time_t x = (time_t)t;
	struct tm tm;
	gmtime_r(&x, &tm);
	if (strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		out[0] = '\0';
}

static int64_t parse_stamp(const char *s)
{
	struct datetime dt;
	char head[17];
	snprintf(head, sizeof(head), "%s", s ? s : "");
	if (!datetime_parse(head, &dt))
		return 0;
	return at_of(dt.date, dt.hour * 60 + dt.minute);
}

static const work_calendar *cal;

/* The first office minute at or after t: working days 7:30-11:30 and
 * 13:30-16:30, a few minutes of jitter. */
static int64_t office(uint64_t *s, int64_t t)
{
	for (int i = 0; i < 40; i++) {
		int64_t day = t - t % DAY, min = (t % DAY) / 60;
		if (calendar_is_working_day(cal, day_of(t))) {
			if (min < 7 * 60 + 30)
				return day + (7 * 60 + 32 + pick(s, 40)) * 60 + pick(s, 60);
			if (min >= 11 * 60 + 30 && min < 13 * 60 + 30)
				return day + (13 * 60 + 32 + pick(s, 40)) * 60 + pick(s, 60);
			if (min < 16 * 60 + 30)
				return t;
		}
		t = day + DAY;
	}
	return t;
}

/* The moment of the next move: lo..hi office hours after prev (calendar
 * hours, then moved into office time). */
static int64_t later(uint64_t *s, int64_t prev, int lo, int hi)
{
	int64_t gap = (int64_t)(lo * 3600) + (int64_t)pick(s, (hi - lo) * 3600 + 1);
	int64_t t = office(s, prev + gap);
	return t > prev ? t : prev + 60;
}

/* Working days from a to b (a day counts when it is one and lies in [a, b)). */
static int working_days(int64_t a, int64_t b)
{
	int n = 0;
	for (int64_t t = a - a % DAY; t < b - b % DAY && n < 400; t += DAY)
		if (calendar_is_working_day(cal, day_of(t)))
			n++;
	return n;
}

/* ---- names (họ, tên đệm, tên) and places, NFC ---- */

static const char *const family[] = {
	"Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần",  "Trần",
	"Lê",	  "Lê",	    "Phạm",   "Phạm",	"Hoàng",  "Vũ",	    "Vũ",     "Phan",  "Đặng",
	"Bùi",	  "Đỗ",	    "Ngô",    "Dương",	"Đinh",	  "Mai",    "Trịnh",  "Lương", "Tạ",
	"Đoàn",	  "Hà",	    "Lại",    "Tống",	"Phùng",  "Cao",    "Lưu",    "Quách"};
static const char *const middle[2][10] = {
	{"Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Ngọc"},
	{"Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Phương", "Hồng", "Minh", "Kim"}};
static const char *const given[2][24] = {
	{"An",	"Bình",	 "Cường", "Dũng", "Hải",   "Hùng", "Khánh", "Long",
	 "Nam", "Phong", "Quân",  "Sơn",  "Thắng", "Tuấn", "Việt",  "Huy",
	 "Đạt", "Thành", "Trung", "Hiếu", "Lâm",   "Khoa", "Toàn",  "Quyết"},
	{"Anh",	 "Chi",	 "Dung",  "Hà",	  "Hạnh", "Hương", "Lan",   "Linh",
	 "Mai",	 "Ngân", "Nhung", "Oanh", "Thảo", "Trang", "Yến",   "Huyền",
	 "Thủy", "Nga",	 "Vân",	  "Hoa",  "Loan", "Duyên", "Giang", "Tâm"}};
static const char *const streets[] = {
	"Trần Hưng Đạo",      "Lê Hồng Phong", "Đinh Tiên Hoàng", "Lương Văn Thăng",
	"Hải Thượng Lãn Ông", "Xuân Thành",    "Nguyễn Huệ",	  "Tràng An"};
static const char *const phone_prefix[] = {"091", "098", "097", "086", "035", "088", "094", "083"};

struct person {
	const char *account_id; /* NULL: not a pool account */
	char name[96], id_number[32], birth[32], phone[32], address[192];
};

/* A generated person; id_number unique when serial >= 0 (the pool). */
static void person_make(uint64_t *s, long serial, struct person *p, const char *const *places,
			int nplaces)
{
	int female = pick(s, 2);
	int year = 1945 + pick(s, 62);
	snprintf(p->name, sizeof(p->name), "%s %s %s", family[pick(s, COUNT(family))],
		 middle[female][pick(s, 10)], given[female][pick(s, 24)]);
	long tail = serial >= 0 ? 900000 + serial % 100000 : pick(s, 900000);
	snprintf(p->id_number, sizeof(p->id_number), "037%d%02d%06ld",
		 (year >= 2000 ? 2 : 0) + female, year % 100, tail);
	snprintf(p->birth, sizeof(p->birth), "%04d-%02d-%02d", year, 1 + pick(s, 12),
		 1 + pick(s, 28));
	snprintf(p->phone, sizeof(p->phone), "%s%07d", phone_prefix[pick(s, COUNT(phone_prefix))],
		 pick(s, 10000000));
	if (pick(s, 3) == 0)
		snprintf(p->address, sizeof(p->address), "Số %d đường %s, %s, tỉnh Ninh Bình",
			 1 + pick(s, 300), streets[pick(s, COUNT(streets))],
			 places[pick(s, nplaces)]);
	else
		snprintf(p->address, sizeof(p->address), "Thôn %d, %s, tỉnh Ninh Bình",
			 1 + pick(s, 15), places[pick(s, nplaces)]);
	p->account_id = NULL;
}

/* ---- what the generator knows about the database ---- */

struct agency {
	const char *code, *identifier, *name;
	const char *desk, *specialist, *leader; /* account ids, NULL when none */
};

struct proc {
	const char *code;
	struct procedure_rec rec;
	bool online, has_due; /* has_due: the record states a limit dossier_due reads */
	int64_t fee;	      /* a known fee in đồng, 0 when free or unknown */
	int *agencies, nagencies;
};

struct gen {
	arena *keep; /* lives as long as the run */
	struct agency *ag;
	int nag;
	struct proc *pr;
	int npr;
	double *cum; /* cumulative procedure weights */
	struct person *pool;
	int npool;
	const char **places;
	int nplaces;
	/* the period */
	struct solar_date first, last;
	int ndays;
	int64_t start, now;
	int *seq; /* [agency * ndays + day]: the last code number */
	unsigned char *touched;
	uint64_t seed;
	int64_t next_number, change_seq;
	struct office_hours hours;
};

static int agency_index(const struct gen *g, const char *code)
{
	int lo = 0, hi = g->nag - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(g->ag[mid].code, code);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int fail(const char *what, mc_status rc)
{
	fprintf(stderr, "bench-gen: %s: %s\n", what, mc_status_name(rc));
	return -1;
}

/* Rows of sql on this thread's read connection of d, in a; -1 after saying
 * what could not be read. */
static int read_rows(db *d, arena *a, const char *what, const char *sql, const db_arg *args,
		     int nargs, db_result **r)
{
	db_conn *c = db_reader(d);
	mc_status rc = c ? db_query(c, a, sql, args, nargs, r) : MC_INTERNAL;
	return rc == MC_OK ? 0 : fail(what, rc);
}

static int cmp_agency(const void *a, const void *b)
{
	return strcmp(((const struct agency *)a)->code, ((const struct agency *)b)->code);
}

static int cmp_proc(const void *a, const void *b)
{
	return strcmp(((const struct proc *)a)->code, ((const struct proc *)b)->code);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Agencies with a receipt identifier, their officers (the first desk
 * officer, specialist and leader of each). */
static int load_agencies(struct gen *g, db *d)
{
	db_result *r;
	if (read_rows(d, g->keep, "reading agencies",
		      "SELECT code, identifier, name FROM agency WHERE identifier IS NOT NULL AND"
		      " identifier <> '' AND valid_to IS NULL ORDER BY code",
		      DB_NOARGS, &r) < 0)
		return -1;
	g->nag = db_nrows(r);
	g->ag = arena_calloc(g->keep, (size_t)g->nag + 1, sizeof(*g->ag));
	for (int i = 0; i < g->nag; i++)
		g->ag[i] = (struct agency){
			db_text(r, i, 0), db_text(r, i, 1), db_text(r, i, 2), NULL, NULL, NULL};
	/* byte order whatever the database's collation: agency_index searches
	 * with strcmp, and both backends must give the same dossiers */
	qsort(g->ag, (size_t)g->nag, sizeof(*g->ag), cmp_agency);
	if (read_rows(d, g->keep, "reading officers",
		      "SELECT agency_code, roles, id FROM account WHERE kind = 'officer' AND"
		      " closed_at IS NULL AND agency_code IS NOT NULL ORDER BY login",
		      DB_NOARGS, &r) < 0)
		return -1;
	for (int i = 0; i < db_nrows(r); i++) {
		int k = agency_index(g, db_text(r, i, 0));
		int64_t roles = db_int(r, i, 1);
		if (k < 0)
			continue;
		struct agency *a = &g->ag[k];
		/* role bits of src/http/router.h: desk 4, specialist 8, leader 16 */
		if ((roles & 4) && !a->desk)
			a->desk = db_text(r, i, 2);
		if ((roles & 8) && !a->specialist)
			a->specialist = db_text(r, i, 2);
		if ((roles & 16) && !a->leader)
			a->leader = db_text(r, i, 2);
	}
	g->places = arena_calloc(g->keep, (size_t)g->nag + 1, sizeof(char *));
	for (int i = 0; i < g->nag; i++)
		if (strncmp(g->ag[i].name, "Ủy ban nhân dân ", strlen("Ủy ban nhân dân ")) == 0 &&
		    (strstr(g->ag[i].name, " Xã ") || strstr(g->ag[i].name, " Phường ")))
			g->places[g->nplaces++] = g->ag[i].name + strlen("Ủy ban nhân dân ");
	if (!g->nplaces)
		g->places[g->nplaces++] = "Phường Hoa Lư";
	return g->nag ? 0 : (fprintf(stderr, "bench-gen: no agency with an identifier code\n"), -1);
}

/* The weight of a procedure in the mix: the everyday civil-status and
 * certification procedures carry most, then a Zipf tail in a seeded order. */
static double weight_of(const struct gen *g, const struct proc *p)
{
	static const struct {
		const char *code;
		double w;
	} hot[] = {{"2.000815", 400}, {"1.001193", 300}, {"2.000884", 200},
		   {"2.000635", 150}, {"1.000894", 120}, {"1.000656", 80}};
	for (int i = 0; i < COUNT(hot); i++)
		if (strcmp(p->code, hot[i].code) == 0)
			return hot[i].w;
	uint64_t rank = mix(g->seed ^ mix((uint64_t)strtoull(p->code, NULL, 10) * 1000003u +
					  (uint64_t)strlen(p->code) + (uint64_t)p->code[2])) %
			(uint64_t)g->npr;
	double w = 100.0 / pow((double)rank + 2.0, 0.9);
	return (p->rec.levels & PROCEDURE_LEVEL_COMMUNE) ? 2 * w : w;
}

/* Published procedures with at least one competent agency. A record whose
 * limit dossier_due cannot read (no unit in the crawl) gives no due date,
 * as in the back office. */
static int load_procedures(struct gen *g, db *d)
{
	db_result *r;
	if (read_rows(d, g->keep, "reading procedure_agency",
		      "SELECT pa.procedure_code, pa.agency_code FROM procedure_agency pa"
		      " ORDER BY pa.procedure_code, pa.agency_code",
		      DB_NOARGS, &r) < 0)
		return -1;
	int n = db_nrows(r);
	g->pr = arena_calloc(g->keep, (size_t)n + 1, sizeof(*g->pr));
	int *ags = arena_calloc(g->keep, (size_t)n + 1, sizeof(int));
	static const struct datetime monday = {{2025, 1, 6}, 9, 0};
	for (int i = 0; i < n;) {
		const char *code = db_text(r, i, 0);
		int j = i;
		struct proc *p = &g->pr[g->npr];
		*p = (struct proc){.agencies = ags + i};
		for (; j < n && strcmp(db_text(r, j, 0), code) == 0; j++) {
			int k = agency_index(g, db_text(r, j, 1));
			if (k >= 0)
				p->agencies[p->nagencies++] = k;
		}
		i = j;
		if (!p->nagencies || catalogue_get(d, g->keep, code, &p->rec) != MC_OK ||
		    !p->rec.published)
			continue;
		p->has_due = dossier_due(g->keep, cal, g->hours, &p->rec, monday) != NULL;
		p->code = p->rec.code;
		p->online = dossier_procedure_online(&p->rec);
		for (size_t m = 0; m < p->rec.nmethods; m++)
			if (p->rec.methods[m].fee_amount > 0) {
				p->fee = p->rec.methods[m].fee_amount;
				break;
			}
		g->npr++;
	}
	if (!g->npr) {
		fprintf(stderr, "bench-gen: no published procedure with a competent agency"
				" (run motcua init --data DIR --demo first)\n");
		return -1;
	}
	qsort(g->pr, (size_t)g->npr, sizeof(*g->pr), cmp_proc);
	for (int i = 0; i < g->npr; i++)
		qsort(g->pr[i].agencies, (size_t)g->pr[i].nagencies, sizeof(int), cmp_int);
	g->cum = arena_calloc(g->keep, (size_t)g->npr, sizeof(double));
	double sum = 0;
	for (int i = 0; i < g->npr; i++)
		g->cum[i] = sum += weight_of(g, &g->pr[i]);
	return 0;
}

static int pick_proc(const struct gen *g, uint64_t *s)
{
	double x = (double)(rnd(s) >> 11) / 9007199254740992.0 * g->cum[g->npr - 1];
	int lo = 0, hi = g->npr - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (g->cum[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- the sink: rows into SQLite statements or PostgreSQL COPY text ---- */

enum table { T_ACCOUNT, T_DOSSIER, T_EVENT, T_HOLDER, T_FEE, T_PAYMENT, T_RATING, T_SEQ, NT };

static const struct {
	const char *name, *cols;
	int ncols;
} tables[NT] = {
	{"account",
	 "id, login, kind, roles, full_name, id_number, birth_date, phone, email, address,"
	 " password_hash, consent_at, created_at",
	 13},
	{"dossier",
	 "id, code, procedure_code, agency_code, origin_agency_code, account_id, status, channel,"
	 " applicant, return_method, return_address, notes, created_at, updated_at, submitted_at,"
	 " due_at, finished_at, stage, version, assignee_id, received_at, paused_at, paused_days,"
	 " supplements, applicant_search, change_seq",
	 26},
	{"dossier_event",
	 "dossier_id, n, at, account_id, action, status_from, status_to, note, form", 9},
	{"dossier_holder",
	 "dossier_id, n, agency_code, account_id, task, from_at, until_at, due_at", 8},
	{"dossier_fee", "dossier_id, amount, purpose, status, created_at, created_by, paid_at", 7},
	{"payment",
	 "id, dossier_id, source, amount, reference, paid_at, recorded_at, recorded_by, receipt_no",
	 9},
	{"rating",
	 "dossier_id, account_id, agency_code, time_score, contacts_score, attitude_score,"
	 " online_score, overall_score, comment, created_at",
	 10},
	{"gen_seq", "agency_code, day, last", 3},
};

struct sink {
	sqlite3 *lite;
	sqlite3_stmt *ins[NT];
	PGconn *pg;
	buf rows[NT];
	enum table cur;
	int col;
	int64_t count[NT];
};

static int sql_run(struct sink *k, const char *sql)
{
	if (k->lite) {
		char *msg = NULL;
		if (sqlite3_exec(k->lite, sql, NULL, NULL, &msg) == SQLITE_OK)
			return 0;
		fprintf(stderr, "bench-gen: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	PGresult *r = PQexec(k->pg, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "bench-gen: %s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	return ok ? 0 : -1;
}

static void row(struct sink *k, enum table t)
{
	k->cur = t;
	k->col = 0;
}

static void put(struct sink *k, const char *s)
{
	if (k->lite) {
		if (s)
			sqlite3_bind_text(k->ins[k->cur], k->col + 1, s, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(k->ins[k->cur], k->col + 1);
	} else {
		buf *b = &k->rows[k->cur];
		if (k->col)
			buf_putc(b, '\t');
		copytext_put(b, s, s ? strlen(s) : 0);
	}
	k->col++;
}

static void put_int(struct sink *k, int64_t v)
{
	if (k->lite) {
		sqlite3_bind_int64(k->ins[k->cur], k->col + 1, v);
		k->col++;
		return;
	}
	char n[24];
	snprintf(n, sizeof(n), "%" PRId64, v);
	put(k, n);
}

static int row_end(struct sink *k)
{
	k->count[k->cur]++;
	if (!k->lite)
		return buf_putc(&k->rows[k->cur], '\n');
	sqlite3_stmt *st = k->ins[k->cur];
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	fprintf(stderr, "bench-gen: insert into %s: %s\n", tables[k->cur].name,
		sqlite3_errmsg(k->lite));
	return -1;
}

static int sink_prepare(struct sink *k)
{
	if (sql_run(k, "CREATE TEMP TABLE gen_seq (agency_code TEXT NOT NULL, day TEXT NOT NULL,"
		       " last INTEGER NOT NULL)") < 0)
		return -1;
	for (int t = 0; t < NT; t++) {
		if (!k->lite) {
			buf_init(&k->rows[t], SIZE_MAX / 2);
			continue;
		}
		char sql[1024];
		int n = snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) VALUES (", tables[t].name,
				 tables[t].cols);
		for (int i = 0; i < tables[t].ncols; i++)
			n += snprintf(sql + n, sizeof(sql) - (size_t)n, "%s?", i ? ", " : "");
		snprintf(sql + n, sizeof(sql) - (size_t)n, ")");
		if (sqlite3_prepare_v2(k->lite, sql, -1, &k->ins[t], NULL) != SQLITE_OK) {
			fprintf(stderr, "bench-gen: %s: %s\n", sql, sqlite3_errmsg(k->lite));
			return -1;
		}
	}
	return 0;
}

/* PostgreSQL: sends each table's buffered rows with COPY. */
static int sink_flush(struct sink *k)
{
	if (k->lite)
		return 0;
	for (int t = 0; t < NT; t++) {
		buf *b = &k->rows[t];
		if (!b->len)
			continue;
		if (b->overflow) {
			fprintf(stderr, "bench-gen: out of memory for %s rows\n", tables[t].name);
			return -1;
		}
		char sql[1024];
		snprintf(sql, sizeof(sql), "COPY %s (%s) FROM STDIN", tables[t].name,
			 tables[t].cols);
		PGresult *r = PQexec(k->pg, sql);
		bool ok = PQresultStatus(r) == PGRES_COPY_IN;
		PQclear(r);
		for (size_t off = 0; ok && off < b->len; off += 1 << 20) {
			size_t n = b->len - off < (1u << 20) ? b->len - off : 1u << 20;
			ok = PQputCopyData(k->pg, b->data + off, (int)n) == 1;
		}
		ok = PQputCopyEnd(k->pg, ok ? NULL : "bench-gen: send failed") == 1 && ok;
		while ((r = PQgetResult(k->pg)) != NULL) {
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				fprintf(stderr, "bench-gen: COPY %s: %s", tables[t].name,
					PQresultErrorMessage(r));
				ok = false;
			}
			PQclear(r);
		}
		if (!ok)
			return -1;
		buf_reset(b);
	}
	return 0;
}

static void sink_close(struct sink *k)
{
	for (int t = 0; t < NT; t++) {
		if (k->ins[t])
			sqlite3_finalize(k->ins[t]);
		buf_release(&k->rows[t]);
	}
	if (k->lite)
		sqlite3_close(k->lite);
	if (k->pg)
		PQfinish(k->pg);
}

/* ---- one dossier's life ---- */

struct event {
	int64_t at;
	enum wf_action action;
	const char *who;
	enum wf_stage from, to;
	const char *note;
};

struct life {
	struct event ev[MAX_EVENTS];
	int n;
	enum wf_stage stage;
	bool broken; /* a move the workflow table does not have (a bug here) */
};

static void act(struct life *l, int64_t at, enum wf_action a, const char *who, const char *note)
{
	const struct wf_transition *t = wf_find(l->stage, a);
	if (!t || l->n >= MAX_EVENTS) {
		l->broken = true;
		return;
	}
	l->ev[l->n++] = (struct event){at, a, who, l->stage, t->to, note};
	l->stage = t->to;
}

static const char note_refuse[] = "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.";
static const char note_stop[] = "Người yêu cầu không đủ điều kiện theo quy định.";
static const char note_withdraw[] = "Tôi không còn nhu cầu giải quyết.";
static const char note_supplement[] = "Bản sao Giấy khai sinh\nẢnh chân dung 4x6 cm";
static const char note_supplied[] = "Đã bổ sung đầy đủ giấy tờ theo yêu cầu.";
static const char *const comments[] = {"",
				       "",
				       "",
				       "Cán bộ hướng dẫn tận tình.",
				       "Giải quyết nhanh, đúng hẹn.",
				       "Thủ tục trực tuyến thuận tiện."};

struct dossier_gen {
	int64_t number;
	char id[33], code[40], sub[20];
	int ag, pr, channel;
	struct person who;
};

/* The due date (seconds) of a receipt at t, or 0 without a limit. */
static int64_t due_from(const struct gen *g, arena *a, const struct proc *p, int64_t t)
{
	struct solar_date d = day_of(t);
	int minute = (int)((t % DAY) / 60);
	const char *s = p->has_due ? dossier_due(a, cal, g->hours, &p->rec,
						 (struct datetime){d, minute / 60, minute % 60})
				   : NULL;
	return s ? parse_stamp(s) : 0;
}

static void stamp_or_null(struct sink *k, int64_t t)
{
	char s[20];
	if (!t) {
		put(k, NULL);
		return;
	}
	stamp(s, t);
	put(k, s);
}

/* Writes one dossier and its rows; -1 on a failure. */
static int dossier_write(struct gen *g, struct sink *k, arena *a, struct dossier_gen *x,
			 uint64_t *s, int64_t t0)
{
	const struct agency *ag = &g->ag[x->ag];
	const struct proc *p = &g->pr[x->pr];
	const char *applicant = x->who.account_id;
	struct life l = {.stage = WF_NEW};
	bool online = x->channel == 2;
	/* the plan */
	int nsup = chance(s, 1, 30) ? 2 : chance(s, 4, 25) ? 1 : 0; /* 1/30 two, ~1/7 in all */
	int fate = pick(s, 100); /* 0-2 refused, 3-5 withdrawn, 6-7 stopped, 8-15 financial */
	bool financial = fate >= 8 && fate < 16, late = chance(s, 8, 100);
	l.ev[l.n++] = (struct event){t0,     WF_NACTIONS, online ? applicant : ag->desk,
				     WF_NEW, WF_NEW,	  ""}; /* submitted */
	int64_t t = t0;
	if (online && nsup > 0) { /* the desk finds the online dossier incomplete */
		t = chance(s, 1, 5) ? later(s, t, 72, 200)
				    : later(s, t, 1, 40); /* late: > 3 days */
		act(&l, t, WF_REQUEST_SUPPLEMENT, ag->desk, note_supplement);
		t = later(s, t, 4, 240);
		act(&l, t, WF_SUPPLEMENT_SUBMIT, applicant, note_supplied);
		nsup--;
	}
	if (fate < 3) {
		act(&l, online ? later(s, t, 1, 30) : t, WF_REFUSE, ag->desk, note_refuse);
		goto done;
	}
	int64_t recv = online ? later(s, t, 1, 40) : t;
	act(&l, recv, WF_RECEIVE, ag->desk, "");
	t = later(s, recv, 1, 20);
	act(&l, t, WF_ASSIGN, ag->leader, "");
	if (fate < 6) { /* online, or in person at the desk (no account) */
		t = later(s, t, 2, 120);
		act(&l, t, WF_WITHDRAW_REQUEST, applicant, note_withdraw);
		act(&l, later(s, t, 24, 360), WF_WITHDRAW_ACCEPT, ag->desk, "");
		goto done;
	}
	if (fate < 8) {
		act(&l, later(s, t, 24, 160), WF_STOP, ag->leader, note_stop);
		goto done;
	}
	for (; nsup > 0; nsup--) { /* the specialist finds something missing */
		t = later(s, t, 2, chance(s, 1, 5) ? 150 : 60);
		act(&l, t, WF_REQUEST_SUPPLEMENT, ag->specialist, note_supplement);
		t = later(s, t, 4, 240);
		act(&l, t, WF_SUPPLEMENT_SUBMIT, applicant, note_supplied);
		recv = later(s, t, 1, 30);
		act(&l, recv, WF_RECEIVE, ag->desk, "");
		t = later(s, recv, 1, 20);
		act(&l, t, WF_ASSIGN, ag->leader, "");
	}
	int64_t due = due_from(g, a, p, recv);
	if (financial) {
		t = later(s, t, 2, 48);
		act(&l, t, WF_FINANCIAL_REQUEST, ag->specialist, "");
		int64_t back = later(s, t, 20, 140);
		act(&l, back, WF_FINANCIAL_DONE, ag->specialist, "");
		if (due)
			due += (int64_t)working_days(t, back) * DAY;
		t = back;
	}
	int64_t span = due > t ? due - t : 5 * DAY;
	int64_t end = late ? (due ? due : t + span) + (1 + pick(s, 8)) * DAY
			   : t + span * (25 + pick(s, 60)) / 100;
	int64_t sa = later(s, t, 1, 2 + (int)((end - t) * 4 / 5 / 3600));
	act(&l, sa, WF_SUBMIT_APPROVAL, ag->specialist, "");
	act(&l, later(s, sa, 1, end > sa + 3600 ? (int)((end - sa) / 3600) : 2), WF_APPROVE,
	    ag->leader, "");
	act(&l, later(s, l.ev[l.n - 1].at, 1, 72), WF_RETURN_RESULT, ag->desk, "");
done:
	if (l.broken) {
		fprintf(stderr, "bench-gen: dossier %" PRId64 ": a move outside the workflow\n",
			x->number);
		return -1;
	}
	/* cut at now, then replay the kept moves onto the row */
	int n = 0;
	while (n < l.n && l.ev[n].at <= g->now)
		n++;
	if (n == 0)
		return 0; /* cannot happen: submissions are before now */
	enum wf_stage stage = l.ev[n - 1].to;
	int64_t rdue = due_from(g, a, p, t0), received = 0, finished = 0, paused = 0, fin_at = 0;
	int paused_days = 0, supplements = 0, holder = 0;
	const char *assignee = NULL;
	char hfrom[20] = "";
	const char *htask = NULL, *hwho = NULL;
	int64_t hdue = 0;
	for (int i = 0; i < n; i++) {
		const struct event *e = &l.ev[i];
		char at[20];
		stamp(at, e->at);
		const struct wf_transition *tr = i ? wf_find(e->from, e->action) : NULL;
		row(k, T_EVENT);
		put(k, x->id);
		put_int(k, i + 1);
		put(k, at);
		put(k, e->who);
		put(k, i ? wf_action_name(e->action) : "submitted");
		put_int(k, i ? wf_status_code(e->from) : 0);
		put_int(k, i ? wf_status_code(e->to) : 1);
		put(k, e->note);
		put_int(k, tr ? (int)tr->form : 0);
		if (row_end(k) < 0)
			return -1;
		if (!tr)
			continue;
		switch (tr->clock) {
		case WF_CLOCK_START:
			received = e->at;
			rdue = due_from(g, a, p, e->at);
			break;
		case WF_CLOCK_RESTART: rdue = 0; break;
		case WF_CLOCK_PAUSE: paused = fin_at = e->at; break;
		case WF_CLOCK_RESUME: {
			int wd = working_days(paused, e->at);
			paused_days += wd;
			if (rdue)
				rdue += (int64_t)wd * DAY;
			paused = 0;
			break;
		}
		case WF_CLOCK_END: finished = e->at; break;
		default: break;
		}
		if (e->action == WF_REQUEST_SUPPLEMENT)
			supplements++;
		if (e->action == WF_ASSIGN)
			assignee = ag->specialist;
		/* the control slip: close the holder, open the next */
		if (htask) {
			row(k, T_HOLDER);
			put(k, x->id);
			put_int(k, holder);
			put(k, ag->code);
			put(k, hwho);
			put(k, htask);
			put(k, hfrom);
			put(k, at);
			stamp_or_null(k, hdue);
			if (row_end(k) < 0)
				return -1;
			htask = NULL;
		}
		if (e->to != WF_REFUSED && e->to != WF_STOPPED && e->to != WF_RETURNED) {
			holder++;
			htask = wf_stage_name(e->to);
			hwho = e->to == WF_ASSIGNED	? assignee
			       : e->to == WF_SUPPLEMENT ? applicant
							: NULL;
			memcpy(hfrom, at, sizeof(hfrom));
			hdue = rdue;
		}
	}
	if (htask) {
		row(k, T_HOLDER);
		put(k, x->id);
		put_int(k, holder);
		put(k, ag->code);
		put(k, hwho);
		put(k, htask);
		put(k, hfrom);
		put(k, NULL);
		stamp_or_null(k, hdue);
		if (row_end(k) < 0)
			return -1;
	}
	/* the dossier row */
	char upd[20], json[1024];
	stamp(upd, l.ev[n - 1].at);
	snprintf(json, sizeof(json),
		 "{\"name\":\"%s\",\"id_number\":\"%s\",\"tax_code\":\"\",\"birth_date\":\"%s\","
		 "\"phone\":\"%s\",\"email\":\"\",\"address\":\"%s\"}",
		 x->who.name, x->who.id_number, x->who.birth, x->who.phone, x->who.address);
	row(k, T_DOSSIER);
	put(k, x->id);
	put(k, x->code);
	put(k, p->code);
	put(k, ag->code);
	put(k, ag->code);
	put(k, applicant);
	put_int(k, wf_status_code(stage));
	put_int(k, x->channel);
	put(k, json);
	put(k, x->channel == 2 ? "online" : x->channel == 3 ? "post" : "desk");
	put(k, x->channel == 3 ? x->who.address : "");
	put(k, "");
	put(k, x->sub);
	put(k, upd);
	put(k, x->sub);
	stamp_or_null(k, rdue);
	stamp_or_null(k, finished);
	put(k, wf_stage_name(stage));
	put_int(k, n - 1);
	put(k, assignee);
	stamp_or_null(k, received);
	stamp_or_null(k, paused);
	put_int(k, paused_days);
	put_int(k, supplements);
	put(k,
	    arena_printf(a, "%s %s ", fold(a, x->who.name, strlen(x->who.name)), x->who.id_number));
	put_int(k, ++g->change_seq);
	if (row_end(k) < 0)
		return -1;
	/* fee and payment */
	if (fin_at) {
		int64_t amount = p->fee > 0 ? p->fee : 50000 * (1 + pick(s, 30)), paid_at = 0;
		for (int i = 0; i < n; i++)
			if (l.ev[i].action == WF_FINANCIAL_DONE)
				paid_at = l.ev[i].at - 600 - pick(s, 3000);
		bool paid = paid_at > 0;
		char cat[20];
		stamp(cat, fin_at);
		row(k, T_FEE);
		put(k, x->id);
		put_int(k, amount);
		put(k, x->code);
		put(k, paid ? "paid" : "owed");
		put(k, cat);
		put(k, ag->specialist ? ag->specialist : "system");
		stamp_or_null(k, paid_at);
		if (row_end(k) < 0)
			return -1;
		if (paid) {
			char pat[20];
			stamp(pat, paid_at);
			bool bank = chance(s, 7, 10);
			uint32_t tail = (uint32_t)x->number * 2654435761u ^ 0x5bd1e995u;
			row(k, T_PAYMENT);
			put(k,
			    arena_printf(a, "%.8s%024" PRIx64, GEN_ID_PREFIX, (uint64_t)x->number));
			put(k, x->id);
			put(k, bank ? "qr-statement" : "officer");
			put_int(k, amount);
			put(k, arena_printf(a, "FT%" PRId64 "%08" PRIx32, x->number, tail));
			put(k, pat);
			put(k, pat);
			put(k, bank ? "system" : ag->desk ? ag->desk : "system");
			put(k, arena_printf(a, "BL%.2s%.2s%.2s-%08" PRIX32, pat + 2, pat + 5,
					    pat + 8, tail));
			if (row_end(k) < 0)
				return -1;
		}
	}
	/* a rating by the applicant after the result came back */
	if (stage == WF_RETURNED && applicant && chance(s, 3, 10)) {
		int64_t rat = l.ev[n - 1].at + 3600 + pick(s, 3 * DAY);
		if (rat <= g->now) {
			char rs[20];
			stamp(rs, rat);
			row(k, T_RATING);
			put(k, x->id);
			put(k, applicant);
			put(k, ag->code);
			for (int i = 0; i < 5; i++)
				put_int(k, late && i == 0	? pick(s, 2)
					   : chance(s, 85, 100) ? 2
								: 1 + (chance(s, 1, 4) ? -1 : 0));
			put(k, comments[pick(s, COUNT(comments))]);
			put(k, rs);
			if (row_end(k) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- the period: working days, dossiers per day ---- */

struct day_plan {
	int64_t day;   /* 00:00 of the day */
	int64_t first; /* the number (from 0) of its first dossier in this run */
	int count;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Working days with their share of n dossiers (volume grows by half over
 * the period); *ndays gets how many. */
static struct day_plan *plan_days(struct gen *g, int64_t n, int *ndays)
{
	struct day_plan *p = calloc((size_t)g->ndays + 1, sizeof(*p));
	if (!p)
		return NULL;
	int k = 0;
	double total = 0;
	for (int i = 0; i < g->ndays; i++) {
		int64_t day = g->start + (int64_t)i * DAY;
		if (calendar_is_working_day(cal, day_of(day))) {
			p[k++].day = day;
			total += 1.0 + 0.5 * i / g->ndays;
		}
	}
	double acc = 0;
	int64_t prev = 0;
	for (int i = 0; i < k; i++) {
		acc += 1.0 + 0.5 * (double)((p[i].day - g->start) / DAY) / g->ndays;
		int64_t upto = i + 1 == k ? n : (int64_t)llround((double)n * acc / total);
		p[i].first = prev;
		p[i].count = (int)(upto - prev);
		prev = upto;
	}
	*ndays = k;
	return p;
}

/* ---- indexes ---- */

struct index_set {
	char **name, **sql;
	int n;
};

static int indexes_drop(struct sink *k, db *d, arena *a, struct index_set *ix)
{
	db_result *r;
	const char *q =
		k->lite ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT"
			  " NULL AND tbl_name IN ('dossier', 'dossier_event', 'dossier_holder')"
			  " ORDER BY name"
			: "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname ="
			  " current_schema() AND tablename IN ('dossier', 'dossier_event',"
			  " 'dossier_holder') AND indexname NOT LIKE '%\\_pkey' AND indexname"
			  " NOT LIKE '%\\_key' ORDER BY indexname";
	if (read_rows(d, a, "listing indexes", q, DB_NOARGS, &r) < 0)
		return -1;
	ix->n = db_nrows(r);
	ix->name = arena_calloc(a, (size_t)ix->n + 1, sizeof(char *));
	ix->sql = arena_calloc(a, (size_t)ix->n + 1, sizeof(char *));
	for (int i = 0; i < ix->n; i++) {
		ix->name[i] = arena_strdup(a, db_text(r, i, 0));
		ix->sql[i] = arena_strdup(a, db_text(r, i, 1));
		if (!db_plain_identifier(ix->name[i]))
			return fprintf(stderr, "bench-gen: odd index name %s\n", ix->name[i]), -1;
	}
	for (int i = 0; i < ix->n; i++) {
		char sql[256];
		snprintf(sql, sizeof(sql), "DROP INDEX %s", ix->name[i]);
		if (sql_run(k, sql) < 0)
			return -1;
	}
	return 0;
}

static int indexes_build(struct sink *k, const struct index_set *ix)
{
	for (int i = 0; i < ix->n; i++)
		if (sql_run(k, ix->sql[i]) < 0) {
			fprintf(stderr, "bench-gen: rebuild the rest by hand from: %s\n",
				ix->sql[i]);
			return -1;
		}
	return 0;
}

/* ---- the run ---- */

struct opts {
	const char *data;
	int64_t dossiers, seed;
	int years, batch;
	struct solar_date end;
	bool append, keep_indexes;
	bool end_future; /* --end names a day after today (UTC+7) */
};

static int parse_num(const char *flag, const char *v, int64_t lo, int64_t hi, int64_t *out)
{
	char *end = NULL;
	errno = 0;
	long long x = v ? strtoll(v, &end, 10) : 0;
	if (!v || !*v || *end || errno || x < lo || x > hi) {
		fprintf(stderr,
			"bench-gen: %s wants a whole number from %" PRId64 " to %" PRId64
			", not \"%s\"\n",
			flag, lo, hi, v ? v : "");
		return -1;
	}
	*out = x;
	return 0;
}

/* One flag with its value v; -1 with a message. */
static int parse_flag(struct opts *o, const char *f, const char *v)
{
	int64_t x;
	if (strcmp(f, "--data") == 0) {
		o->data = v;
	} else if (strcmp(f, "--dossiers") == 0) {
		return parse_num(f, v, 1, MAX_DOSSIERS, &o->dossiers);
	} else if (strcmp(f, "--years") == 0) {
		if (parse_num(f, v, 1, 20, &x) < 0)
			return -1;
		o->years = (int)x;
	} else if (strcmp(f, "--batch") == 0) {
		if (parse_num(f, v, 100, 1000000, &x) < 0)
			return -1;
		o->batch = (int)x;
	} else if (strcmp(f, "--seed") == 0) {
		char *end = NULL;
		errno = 0;
		unsigned long long s = strtoull(v, &end, 10);
		if (!*v || *v == '-' || *end || errno) {
			fprintf(stderr,
				"bench-gen: --seed wants a whole number 0..2^64-1, not \"%s\"\n",
				v);
			return -1;
		}
		o->seed = (int64_t)s;
	} else if (strcmp(f, "--end") == 0) {
		if (!date_parse(v, &o->end) || o->end.year < 1990 || o->end.year > 2100) {
			fprintf(stderr,
				"bench-gen: --end wants a date YYYY-MM-DD (1990..2100), not "
				"\"%s\"\n",
				v);
			return -1;
		}
		time_t today = time(NULL) + 7 * 3600;
		o->end_future = at_of(o->end, 0) > (int64_t)today - (int64_t)today % DAY;
	} else {
		fprintf(stderr, "bench-gen: unknown flag %s\n%s", f, usage);
		return -1;
	}
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	*o = (struct opts){NULL,  1000000, 1,
			   5,	  50000,   {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday},
			   false, false, false};
	for (int i = 1; i < argc; i++) {
		const char *f = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(f, "--append") == 0)
			o->append = true;
		else if (strcmp(f, "--keep-indexes") == 0)
			o->keep_indexes = true;
		else if (strcmp(f, "-h") == 0 || strcmp(f, "--help") == 0) {
			fputs(usage, stdout);
			exit(0);
		} else if (!v) {
			fprintf(stderr, "bench-gen: %s: unknown, or missing its value\n%s", f,
				usage);
			return -1;
		} else {
			i++;
			if (parse_flag(o, f, v) < 0)
				return -1;
		}
	}
	if (!o->data) {
		fprintf(stderr, "bench-gen: --data DIR is required\n%s", usage);
		return -1;
	}
	return 0;
}

static int64_t now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* What is there already: generated dossiers (their next number), the
 * change counter, the pool, the code counters of the period. */
static int load_state(struct gen *g, db *d, const struct opts *o)
{
	db_result *r;
	arena *a = g->keep;
	if (read_rows(d, a, "reading dossiers",
		      "SELECT MAX(id) FROM dossier WHERE id >= $1 AND id < $2",
		      DB_ARGS(DB_TEXT(GEN_ID_PREFIX), DB_TEXT(GEN_ID_PREFIX "g")), &r) < 0)
		return -1;
	const char *max = db_text(r, 0, 0);
	if (max && !o->append) {
		fprintf(stderr,
			"bench-gen: %s already holds generated dossiers; add --append to"
			" add more\n",
			o->data);
		return -1;
	}
	g->next_number = max ? (int64_t)strtoull(max + 8, NULL, 16) + 1 : 0;
	if (read_rows(d, a, "reading sync_head", "SELECT COALESCE(MAX(n), 0) FROM sync_head",
		      DB_NOARGS, &r) < 0)
		return -1;
	g->change_seq = db_int(r, 0, 0);
	if (read_rows(d, a, "reading accounts",
		      "SELECT id, full_name, id_number, birth_date, phone, address FROM account"
		      " WHERE password_hash = $1 ORDER BY login",
		      DB_ARGS(DB_TEXT(GEN_PW_MARK)), &r) < 0)
		return -1;
	g->npool = db_nrows(r);
	if (g->npool) {
		g->pool = arena_calloc(a, (size_t)g->npool, sizeof(*g->pool));
		for (int i = 0; i < g->npool; i++) {
			struct person *p = &g->pool[i];
			p->account_id = db_text(r, i, 0);
			snprintf(p->name, sizeof(p->name), "%s", db_text(r, i, 1));
			snprintf(p->id_number, sizeof(p->id_number), "%s", db_text(r, i, 2));
			snprintf(p->birth, sizeof(p->birth), "%s", db_text(r, i, 3));
			snprintf(p->phone, sizeof(p->phone), "%s", db_text(r, i, 4));
			snprintf(p->address, sizeof(p->address), "%s", db_text(r, i, 5));
		}
	}
	char first[11], last[11];
	date_format(g->first, first);
	date_format(g->last, last);
	if (read_rows(
		    d, a, "reading dossier_seq",
		    "SELECT agency_code, day, last FROM dossier_seq WHERE day >= $1 AND day <= $2",
		    DB_ARGS(DB_TEXT(first), DB_TEXT(last)), &r) < 0)
		return -1;
	for (int i = 0; i < db_nrows(r); i++) {
		int k = agency_index(g, db_text(r, i, 0));
		int64_t day = parse_stamp(arena_printf(a, "%s 00:00", db_text(r, i, 1)));
		int64_t di = (day - g->start) / DAY;
		if (k >= 0 && day && di >= 0 && di < g->ndays)
			g->seq[(size_t)k * (size_t)g->ndays + (size_t)di] = (int)db_int(r, i, 2);
	}
	return 0;
}

/* Citizens who file online: new accounts (ids and numbers that are not
 * taken), written in the first transaction. */
static int pool_make(struct gen *g, struct sink *k, db *d, int64_t n)
{
	if (g->npool)
		return 0;
	db_result *r;
	if (read_rows(d, g->keep, "reading accounts",
		      "SELECT id_number FROM account WHERE id_number IS NOT NULL"
		      " UNION SELECT login FROM account",
		      DB_NOARGS, &r) < 0)
		return -1;
	g->npool = (int)(n / 20 + 50 < 20000 ? n / 20 + 50 : 20000);
	g->pool = arena_calloc(g->keep, (size_t)g->npool, sizeof(*g->pool));
	uint64_t s = mix(g->seed ^ 0xacc0u) | 1;
	char created[20];
	stamp(created, g->start - 30 * DAY);
	for (int i = 0, serial = 0; i < g->npool; serial++) {
		struct person *p = &g->pool[i];
		person_make(&s, serial, p, g->places, g->nplaces);
		bool taken = false;
		for (int j = 0; j < db_nrows(r) && !taken; j++)
			taken = strcmp(db_text(r, j, 0), p->id_number) == 0;
		if (taken)
			continue;
		p->account_id =
			arena_printf(g->keep, "%.8s%024" PRIx64, GEN_ID_PREFIX, (uint64_t)i);
		row(k, T_ACCOUNT);
		put(k, p->account_id);
		put(k, p->id_number);
		put(k, "citizen");
		put_int(k, 0);
		put(k, p->name);
		put(k, p->id_number);
		put(k, p->birth);
		put(k, p->phone);
		put(k, "");
		put(k, p->address);
		put(k, GEN_PW_MARK);
		put(k, created);
		put(k, created);
		if (row_end(k) < 0)
			return -1;
		i++;
	}
	return 0;
}

/* The code counters touched since the last commit go into dossier_seq. */
static int seq_write(struct gen *g, struct sink *k)
{
	for (int a = 0; a < g->nag; a++)
		for (int i = 0; i < g->ndays; i++) {
			size_t at = (size_t)a * (size_t)g->ndays + (size_t)i;
			if (!g->touched[at])
				continue;
			g->touched[at] = 0;
			char day[11];
			date_format(day_of(g->start + (int64_t)i * DAY), day);
			row(k, T_SEQ);
			put(k, g->ag[a].code);
			put(k, day);
			put_int(k, g->seq[at]);
			if (row_end(k) < 0)
				return -1;
		}
	if (sink_flush(k) < 0)
		return -1;
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO sync_head (id, n) VALUES (1, %" PRId64 ") ON CONFLICT (id) DO UPDATE"
		 " SET n = excluded.n",
		 g->change_seq);
	return sql_run(k,
		       "INSERT INTO dossier_seq (agency_code, day, last) SELECT agency_code, day,"
		       " last FROM gen_seq WHERE true ON CONFLICT (agency_code, day) DO UPDATE SET"
		       " last = excluded.last") < 0 ||
			       sql_run(k, "DELETE FROM gen_seq") < 0 ||
			       (g->change_seq && sql_run(k, sql) < 0)
		       ? -1
		       : 0;
}

static int open_sink(struct sink *k, const struct config *cfg)
{
	if (*cfg->database) {
		k->pg = PQconnectdb(cfg->database);
		if (PQstatus(k->pg) != CONNECTION_OK) {
			fprintf(stderr, "bench-gen: %s", PQerrorMessage(k->pg));
			return -1;
		}
		/* Foreign keys are not checked row by row during the load (the
		 * generator writes only rows whose parents exist; the change_seq
		 * trigger has nothing to do either): needs a superuser, else
		 * the checks stay on. */
		PGresult *r = PQexec(k->pg, "SET session_replication_role = replica");
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			fprintf(stderr, "bench-gen: foreign keys stay checked (%s)",
				PQresultErrorMessage(r));
		PQclear(r);
		return sql_run(k, "SET synchronous_commit = off");
	}
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/motcua.db", cfg->data_dir);
	if (sqlite3_open_v2(path, &k->lite, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-gen: %s: %s\n", path, sqlite3_errmsg(k->lite));
		return -1;
	}
	sqlite3_busy_timeout(k->lite, 10000);
	return sql_run(k, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"
			  " PRAGMA temp_store = MEMORY");
}

int main(int argc, char **argv)
{
	struct opts o;
	if (parse_opts(argc, argv, &o) < 0)
		return 2;
	struct config cfg;
	if (cli_load_config(o.data, &cfg) < 0)
		return 1;
	db *d;
	if (cli_open_db(&cfg, false, &d) < 0)
		return 1;
	int64_t t_start = now_us();
	work_calendar *wc = NULL;
	struct gen g = {.keep = arena_new(0), .seed = (uint64_t)o.seed};
	g.hours = (struct office_hours){cfg.office_open, cfg.receipt_cutoff};
	struct sink k = {0};
	struct index_set ix = {0};
	int status = 1;
	struct day_plan *days = NULL;
	int64_t *times = NULL;
	arena *a = arena_new(0);
	if (schedule_load(d, &wc) != MC_OK) {
		fprintf(stderr, "bench-gen: cannot load the calendar\n");
		goto out;
	}
	cal = wc;
	g.last = o.end;
	g.now = at_of(g.last, 17 * 60);
	int64_t clock = (int64_t)time(NULL) + 7 * 3600;
	if (!o.end_future && g.now > clock) {
		g.last = day_of(at_of(o.end, 0) - DAY);
		g.now = clock;
	}
	g.first = (struct solar_date){o.end.year - o.years, o.end.month,
				      o.end.month == 2 && o.end.day == 29 ? 28 : o.end.day};
	g.first = date_next(g.first);
	g.start = at_of(g.first, 0);
	g.ndays = (int)((at_of(g.last, 0) - g.start) / DAY) + 1;
	if (load_agencies(&g, d) < 0 || load_procedures(&g, d) < 0)
		goto out;
	g.seq = calloc((size_t)g.nag * (size_t)g.ndays, sizeof(int));
	g.touched = calloc((size_t)g.nag * (size_t)g.ndays, 1);
	if (!g.seq || !g.touched || load_state(&g, d, &o) < 0)
		goto out;
	if (open_sink(&k, &cfg) < 0 || sink_prepare(&k) < 0)
		goto out;
	if (!o.append && !o.keep_indexes && indexes_drop(&k, d, g.keep, &ix) < 0)
		goto out;
	int nd;
	days = plan_days(&g, o.dossiers, &nd);
	if (!days)
		goto out;
	printf("bench-gen: %" PRId64 " dossiers into %s, %d agencies, %d procedures, %d working"
	       " days from %04d-%02d-%02d, seed %" PRIu64 "\n",
	       o.dossiers, db_backend_name(d), g.nag, g.npr, nd, g.first.year, g.first.month,
	       g.first.day, g.seed);
	fflush(stdout);
	struct progress pg;
	progress_start(&pg, "bench-gen", o.dossiers);
	int64_t in_batch = 0;
	bool open_tx = false;
	size_t ntimes = 0;
	for (int di = 0; di < nd; di++) {
		struct day_plan *dp = &days[di];
		if ((size_t)dp->count > ntimes) {
			ntimes = (size_t)dp->count * 2;
			free(times);
			times = malloc(ntimes * sizeof(*times));
			if (!times)
				goto out;
		}
		uint64_t ds = mix(g.seed ^ mix((uint64_t)dp->day)) | 1;
		for (int i = 0; i < dp->count; i++) {
			int m = pick(&ds, 420);
			times[i] =
				dp->day + (m < 240 ? 450 + m : 810 + m - 240) * 60 + pick(&ds, 60);
		}
		qsort(times, (size_t)dp->count, sizeof(*times), cmp_i64);
		int64_t dayidx = (dp->day - g.start) / DAY;
		struct solar_date sd = day_of(dp->day);
		double frac = (double)dayidx / g.ndays;
		for (int i = 0; i < dp->count; i++) {
			if (!open_tx) {
				if (sql_run(&k, "BEGIN") < 0 ||
				    pool_make(&g, &k, d, o.dossiers) < 0)
					goto out;
				open_tx = true;
			}
			struct dossier_gen x = {.number = g.next_number + dp->first + i};
			uint64_t s =
				mix(g.seed * 0x9e3779b97f4a7c15ull ^ mix((uint64_t)x.number)) | 1;
			x.pr = pick_proc(&g, &s);
			const struct proc *p = &g.pr[x.pr];
			x.ag = p->agencies[pick(&s, p->nagencies)];
			int ch = pick(&s, 1000);
			int online_permille = (int)(350 + 400 * frac);
			x.channel = ch < 50 ? 3 : p->online && ch < 50 + online_permille ? 2 : 1;
			if (x.channel == 2)
				x.who = g.pool[pick(&s, g.npool)];
			else
				person_make(&s, -1, &x.who, g.places, g.nplaces);
			size_t cell = (size_t)x.ag * (size_t)g.ndays + (size_t)dayidx;
			if (g.seq[cell] >= 9999)
				continue; /* the code has four digits: the day is full */
			int seq = ++g.seq[cell];
			g.touched[cell] = 1;
			snprintf(x.id, sizeof(x.id), "%.8s%012" PRIx64 "%012" PRIx64, GEN_ID_PREFIX,
				 (uint64_t)x.number,
				 (uint64_t)(mix((uint64_t)x.number ^ g.seed) & 0xffffffffffffu));
			snprintf(x.code, sizeof(x.code), "%s-%02d%02d%02d-%04d",
				 g.ag[x.ag].identifier, sd.year % 100, sd.month, sd.day, seq);
			stamp(x.sub, times[i]);
			if (dossier_write(&g, &k, a, &x, &s, times[i]) < 0)
				goto out;
			if (++in_batch >= o.batch) {
				arena_free(a);
				a = arena_new(0);
				if (seq_write(&g, &k) < 0 || sql_run(&k, "COMMIT") < 0)
					goto out;
				open_tx = false;
				progress_add(&pg, in_batch);
				in_batch = 0;
			}
		}
	}
	if (open_tx && (seq_write(&g, &k) < 0 || sql_run(&k, "COMMIT") < 0))
		goto out;
	progress_add(&pg, in_batch);
	progress_done(&pg, "dossiers", NULL);
	int64_t t_loaded = now_us();
	if (ix.n) {
		fprintf(stderr, "bench-gen: building %d indexes\n", ix.n);
		if (indexes_build(&k, &ix) < 0)
			goto out;
	}
	int64_t t_indexed = now_us();
	/* SQLite: statistics from a sample of each index, as a server would keep */
	if ((k.lite && sql_run(&k, "PRAGMA analysis_limit = 1000") < 0) ||
	    sql_run(&k, "ANALYZE") < 0)
		goto out;
	int64_t t_end = now_us();
	int64_t total = 0;
	printf("table           rows\n");
	for (int t = 0; t < NT; t++) {
		if (t == T_SEQ)
			continue;
		printf("%-15s %12" PRId64 "\n", tables[t].name, k.count[t]);
		total += k.count[t];
	}
	printf("%-15s %12" PRId64 " (rows written)\n", "dossier_seq", k.count[T_SEQ]);
	total += k.count[T_SEQ];
	double secs = (double)(t_end - t_start) / 1e6;
	printf("bench-gen: %" PRId64 " rows in %.1f s (load %.1f s, indexes %.1f s, analyze %.1f"
	       " s): %.0f rows/s, %.0f dossiers/s\n",
	       total, secs, (double)(t_loaded - t_start) / 1e6,
	       (double)(t_indexed - t_loaded) / 1e6, (double)(t_end - t_indexed) / 1e6,
	       (double)total / secs, (double)k.count[T_DOSSIER] / secs);
	status = 0;
out:
	arena_free(a);
	free(times);
	free(days);
	free(g.seq);
	free(g.touched);
	sink_close(&k);
	db_close(d);
	calendar_free(wc);
	arena_free(g.keep);
	return status;
}
