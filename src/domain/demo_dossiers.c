/* demo_dossiers.c - a year of demo dossiers: see demo_dossiers.h. */
#include "domain/demo_dossiers.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/progress.h"
#include "domain/account.h"
#include "domain/backoffice.h"
#include "domain/calendar.h"
#include "domain/catalogue.h"
#include "domain/dossier.h"
#include "domain/schedule.h"
#include "http/router.h"
#include "http/upload.h"

#define NPROC	  12 /* procedures used per agency */
#define DAY	  86400
#define OPEN_DAYS 45
#define NPEOPLE	  24 /* generated applicants with accounts (online) */
#define SCAN_SLOTS                                                                                 \
	40 /* at most this many documents per procedure get a scan */ /* the open dossiers were submitted in the last 45 days */

/* ---- names (họ, tên đệm, tên) and places ---- */

static const char *const family[] = {"Nguyễn", "Trần", "Lê",	"Phạm",	 "Hoàng", "Vũ",
				     "Phan",   "Đặng", "Bùi",	"Đỗ",	 "Ngô",	  "Dương",
				     "Đinh",   "Mai",  "Trịnh", "Lương", "Tạ",	  "Đoàn"};
static const char *const middle[2][6] = {{"Văn", "Đức", "Minh", "Quang", "Hữu", "Công"},
					 {"Thị", "Thu", "Ngọc", "Thanh", "Phương", "Hồng"}};
static const char *const given[2][15] = {
	{"An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân",
	 "Sơn", "Thắng", "Tuấn", "Việt"},
	{"Anh", "Chi", "Dung", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Oanh",
	 "Thảo", "Trang", "Yến"}};
static const char *const places[] = {"Phường Hoa Lư",	"Phường Nam Hoa Lư", "Phường Tây Hoa Lư",
				     "Phường Tam Điệp", "Xã Gia Viễn",	     "Xã Yên Khánh",
				     "Xã Kim Sơn",	"Xã Nho Quan",	     "Xã Yên Mô"};
#define COUNT(x) ((int)(sizeof(x) / sizeof((x)[0])))

/* xorshift64*: the fixed seed makes every run give the same dossiers. */
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

/* ---- time: seconds of Vietnam local time counted as if UTC ---- */

static struct solar_date day_of(int64_t t)
{
	time_t x = (time_t)t;
	struct tm tm;
	gmtime_r(&x, &tm);
	return (struct solar_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

static const char *stamp(arena *a, int64_t t)
{
	time_t x = (time_t)t;
	struct tm tm;
	gmtime_r(&x, &tm);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int64_t parse_time(const char *s)
{
	struct tm tm = {0};
	if (!s || sscanf(s, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			 &tm.tm_min) != 5)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

struct gen {
	db *d;
	arena *a; /* the current dossier's */
	const work_calendar *cal;
	struct bo_env env;
	int64_t now;
	uint64_t seed;
	struct demo_dossier_counts *n;
	char *err;
	size_t errlen;
};

/* The first office minute at or after t: working days 7:30-11:30 and
 * 13:30-16:30, a few minutes of jitter. */
static int64_t office(struct gen *g, int64_t t)
{
	for (int i = 0; i < 30; i++) {
		int64_t day = t - t % DAY, min = (t % DAY) / 60;
		if (calendar_is_working_day(g->cal, day_of(t))) {
			if (min < 7 * 60 + 30)
				return day + (7 * 60 + 35 + pick(&g->seed, 40)) * 60;
			if (min >= 11 * 60 + 30 && min < 13 * 60 + 30)
				return day + (13 * 60 + 35 + pick(&g->seed, 40)) * 60;
			if (min < 16 * 60 + 30)
				return t;
		}
		t = day + DAY;
	}
	return t;
}

/* The moment of the next move, gap seconds after prev in office hours,
 * never in the future and never before prev. */
static int64_t later(struct gen *g, int64_t prev, int64_t gap)
{
	int64_t t = office(g, prev + gap);
	if (t > g->now)
		t = prev + (g->now - prev) / 2;
	return t > prev ? t : prev + 1;
}

/* ---- the actors ---- */

struct agency_demo {
	const char *code;
	struct bo_actor desk, specialist, leader;
	const char *procs[NPROC];
	int ndocs[NPROC]; /* document slots */
	int nprocs;
};

static mc_status officer(db *d, arena *a, const char *login, unsigned role, struct bo_actor *out)
{
	db_conn *c = db_reader(d);
	db_result *r;
	if (!c)
		return MC_INTERNAL;
	mc_status rc = db_query(c, a, "SELECT id, agency_code FROM account WHERE login = $1",
				DB_ARGS(DB_TEXT(login)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) != 1)
		return MC_NOT_FOUND;
	*out = (struct bo_actor){db_text(r, 0, 0), role, db_text(r, 0, 1)};
	return MC_OK;
}

/* The agency's officers and up to NPROC published procedures it carries
 * out that can be filed online and have a time limit (so some run late). */
static mc_status agency_load(db *d, arena *a, const work_calendar *cal, const char *suffix,
			     struct agency_demo *ag)
{
	mc_status rc = officer(d, a, arena_printf(a, "motcua.%s", suffix), ROLE_DESK, &ag->desk);
	if (rc == MC_OK)
		rc = officer(d, a, arena_printf(a, "chuyenvien.%s", suffix), ROLE_SPECIALIST,
			     &ag->specialist);
	if (rc == MC_OK)
		rc = officer(d, a, arena_printf(a, "lanhdao.%s", suffix), ROLE_LEADER, &ag->leader);
	if (rc != MC_OK)
		return rc;
	ag->code = ag->desk.agency_code;
	db_conn *c = db_reader(d);
	db_result *r;
	if (!c)
		return MC_INTERNAL;
	rc = db_query(c, a,
		      "SELECT procedure_code FROM procedure_agency WHERE agency_code = $1"
		      " ORDER BY procedure_code LIMIT 200",
		      DB_ARGS(DB_TEXT(ag->code)), &r);
	if (rc != MC_OK)
		return rc;
	ag->nprocs = 0;
	for (int i = 0; i < db_nrows(r) && ag->nprocs < NPROC; i++) {
		struct procedure_rec p;
		static const struct datetime monday = {{2025, 1, 6}, 9, 0};
		if (catalogue_get(d, a, db_text(r, i, 0), &p) != MC_OK || !p.published ||
		    !dossier_procedure_online(&p) ||
		    !dossier_due(a, cal, OFFICE_HOURS_DEFAULT, &p, monday))
			continue;
		ag->ndocs[ag->nprocs] = p.ndocuments < SCAN_SLOTS ? (int)p.ndocuments : SCAN_SLOTS;
		ag->procs[ag->nprocs++] = p.code;
	}
	return ag->nprocs ? MC_OK : MC_NOT_FOUND;
}

/* ---- one dossier ---- */

struct story {
	struct agency_demo *ag;
	const struct bo_actor *owner; /* a demo citizen, or NULL */
	const char *code;
	int64_t version, t;
	enum wf_stage stage, target; /* target: stop there (WF_RETURNED: to the end) */
	bool late, refuse, stop, supplement, financial, withdraw;
};

/* One move at time t; false when it failed (err set). */
static bool move(struct gen *g, struct story *s, const struct bo_actor *who, enum wf_action act,
		 int64_t t)
{
	struct bo_action x = {.action = act, .version = s->version};
	switch (act) {
	case WF_REFUSE: x.note = "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan."; break;
	case WF_STOP: x.note = "Người yêu cầu không đủ điều kiện theo quy định."; break;
	case WF_WITHDRAW_REQUEST: x.note = "Tôi không còn nhu cầu giải quyết."; break;
	case WF_REQUEST_SUPPLEMENT: x.items = "Bản sao Giấy khai sinh\nẢnh chân dung 4x6 cm"; break;
	case WF_SUPPLEMENT_SUBMIT: x.note = "Đã bổ sung đầy đủ giấy tờ theo yêu cầu."; break;
	case WF_ASSIGN: x.assignee = s->ag->specialist.account_id; break;
	case WF_FINANCIAL_REQUEST: x.amount = 50000 * (1 + pick(&g->seed, 30)); break;
	default: break;
	}
	g->env.now = stamp(g->a, t);
	struct bo_result r;
	mc_status rc = bo_act(&g->env, g->a, who, s->code, &x, &r);
	if (rc != MC_OK) {
		snprintf(g->err, g->errlen, "%s %s at %s: %s %s", s->code, wf_action_name(act),
			 g->env.now, mc_status_name(rc), r.why ? r.why : "");
		return false;
	}
	s->version = r.version;
	s->stage = r.stage;
	s->t = t;
	return true;
}

static int64_t hours(struct gen *g, int lo, int hi)
{
	return (int64_t)(lo + pick(&g->seed, hi - lo + 1)) * 3600;
}

/* The due date now (after receive or a resumed clock). */
static int64_t due_of(struct gen *g, const struct story *s)
{
	db_conn *c = db_reader(g->d);
	db_result *r;
	if (!c ||
	    db_query(c, g->a, "SELECT due_at FROM dossier WHERE code = $1",
		     DB_ARGS(DB_TEXT(s->code)), &r) != MC_OK ||
	    db_nrows(r) != 1)
		return 0;
	return parse_time(db_text(r, 0, 0));
}

/* Everything after the desk received it; false on a failure. */
static bool process(struct gen *g, struct story *s)
{
	struct agency_demo *ag = s->ag;
#define MOVE(who, act, t)                                                                          \
	do {                                                                                       \
		if (s->stage == s->target)                                                         \
			return true;                                                               \
		if (!move(g, s, who, act, t))                                                      \
			return false;                                                              \
	} while (0)
	int64_t due = due_of(g, s);
	if (due <= s->t)
		due = s->t + 5 * DAY;
	/* When the leader approves: on time within the limit, late after it. */
	int64_t at = s->late ? due + (1 + pick(&g->seed, 8)) * DAY
			     : s->t + (due - s->t) * (25 + pick(&g->seed, 55)) / 100;
	MOVE(&ag->leader, WF_ASSIGN, later(g, s->t, hours(g, 1, 20)));
	if (s->stop) {
		MOVE(&ag->leader, WF_STOP, later(g, s->t, hours(g, 24, 120)));
		return true;
	}
	if (s->withdraw || s->target == WF_WITHDRAWAL) {
		MOVE(s->owner, WF_WITHDRAW_REQUEST, later(g, s->t, hours(g, 2, 48)));
		MOVE(&ag->desk, WF_WITHDRAW_ACCEPT, later(g, s->t, hours(g, 1, 24)));
		return true;
	}
	if (s->financial || s->target == WF_FINANCIAL) {
		MOVE(&ag->specialist, WF_FINANCIAL_REQUEST, later(g, s->t, hours(g, 2, 48)));
		MOVE(&ag->specialist, WF_FINANCIAL_DONE, later(g, s->t, hours(g, 24, 96)));
		int64_t d2 = due_of(g, s);
		if (d2 > due)
			at += d2 - due;
	}
	if (at <= s->t)
		at = s->t + 3600;
	MOVE(&ag->specialist, WF_SUBMIT_APPROVAL, later(g, s->t, (at - s->t) * 4 / 5));
	MOVE(&ag->leader, WF_APPROVE, later(g, s->t, at > s->t ? at - s->t : 3600));
	MOVE(&ag->desk, WF_RETURN_RESULT, later(g, s->t, hours(g, 1, 72)));
	return true;
#undef MOVE
}

struct scan {
	struct upload_file file;
	struct dossier_upload *uploads; /* one per slot, all the same file */
	int nslots;
};

/* A generated applicant: name, CCCD matching the birth year, mobile
 * number, address in the province; no e-mail. */
static void person(struct gen *g, arena *a, struct dossier_applicant *ap)
{
	static const char *const prefixes[] = {"091", "098", "097", "086", "035", "088"};
	int female = pick(&g->seed, 2);
	int year = 1950 + pick(&g->seed, 56);
	ap->name =
		arena_printf(a, "%s %s %s", family[pick(&g->seed, COUNT(family))],
			     middle[female][pick(&g->seed, 6)], given[female][pick(&g->seed, 15)]);
	ap->id_number = arena_printf(a, "037%d%02d%06d", (year >= 2000 ? 2 : 0) + female,
				     year % 100, pick(&g->seed, 1000000));
	ap->birth_date = arena_printf(a, "%02d/%02d/%04d", 1 + pick(&g->seed, 28),
				      1 + pick(&g->seed, 12), year);
	ap->phone = arena_printf(a, "%s%07d", prefixes[pick(&g->seed, COUNT(prefixes))],
				 pick(&g->seed, 10000000));
	ap->address = arena_printf(a, "Tổ %d, %s, tỉnh Ninh Bình", 1 + pick(&g->seed, 20),
				   places[pick(&g->seed, COUNT(places))]);
	ap->email = NULL;
}

/* Accounts of generated citizens who file online (never shown: random
 * passwords, addresses of the demo domain); their ids go to out[0..n-1]. */
static mc_status pool_make(struct gen *g, arena *a, struct bo_actor *out, int n)
{
	for (int i = 0; i < n; i++) {
		struct dossier_applicant ap;
		person(g, a, &ap);
		char pw[ACCOUNT_PW_LEN + 1];
		account_random_password(pw);
		struct account_input in = {
			"citizen",    ap.name,
			ap.id_number, ap.birth_date,
			NULL,	      NULL,
			ap.phone,     arena_printf(a, "nd%s@demo.motcua.vn", ap.id_number),
			ap.address,   pw,
			true};
		struct account_problem *probs = NULL;
		mc_status rc = account_register(g->d, a, &in, &probs, NULL);
		if (rc == MC_INVALID && probs && strcmp(probs->key, "account.err.taken") == 0)
			rc = MC_OK;
		if (rc == MC_OK)
			rc = officer(g->d, a, ap.id_number, 0, &out[i]);
		if (rc != MC_OK) {
			snprintf(g->err, g->errlen, "demo applicant %s: %s%s", ap.id_number,
				 mc_status_name(rc),
				 probs ? arena_printf(a, " (%s: %s)", probs->field, probs->key)
				       : "");
			return rc;
		}
		out[i].agency_code = NULL;
	}
	return MC_OK;
}

/* Submits the dossier (online or at the desk) at s->t; false on failure. */
static bool submit(struct gen *g, struct story *s, int channel, const struct scan *scan, int proc)
{
	struct dossier_applicant ap = {0};
	bool business = false;
	if (s->owner) {
		if (dossier_applicant_defaults(g->d, g->a, s->owner->account_id, &ap, &business) !=
		    MC_OK)
			return false;
		ap.email = NULL; /* the applicant gave none on this form */
		if (!ap.address || !*ap.address)
			ap.address = "Phường Hoa Lư, tỉnh Ninh Bình";
	} else
		person(g, g->a, &ap);
	struct dossier_input in = {
		.account_id = s->owner ? s->owner->account_id : NULL,
		.business = business,
		.procedure_code = s->ag->procs[proc],
		.agency_code = s->ag->code,
		.applicant = ap,
		.return_method = channel == 2	? "post"
				 : channel == 1 ? "desk"
						: "online",
		.return_address = channel == 2 ? ap.address : NULL,
		.uploads = scan->uploads,
		.nuploads = s->ag->ndocs[proc],
		.now = stamp(g->a, s->t),
		.quiet = true,
	};
	struct dossier_problem *pr = NULL;
	struct dossier_receipt rec;
	g->env.now = in.now;
	mc_status rc =
		channel ? bo_desk_entry(&g->env, g->a, &s->ag->desk, &in, &pr, &rec)
			: dossier_submit(g->d, g->a, g->env.data_dir, g->env.hours, &in, &pr, &rec);
	if (rc != MC_OK) {
		snprintf(g->err, g->errlen, "%s (channel %d) at %s: %s %s %s", s->ag->procs[proc],
			 channel, in.now, mc_status_name(rc), pr ? pr->field : "",
			 pr ? pr->key : "");
		return false;
	}
	s->code = rec.code;
	struct bo_dossier o; /* its version and stage */
	if (bo_get(&g->env, g->a, &s->ag->desk, s->code, &o) != MC_OK)
		return false;
	s->version = o.version;
	s->stage = o.stage;
	return true;
}

/* The open stages the most recent dossiers stop at, in turn. */
static const enum wf_stage open_stages[] = {
	WF_NEW,	      WF_RECEIVED,   WF_ASSIGNED, WF_PENDING_APPROVAL, WF_SUPPLEMENT,
	WF_FINANCIAL, WF_WITHDRAWAL, WF_DONE,	  WF_ASSIGNED};

static bool one(struct gen *g, int i, int n, struct agency_demo ags[2],
		const struct bo_actor *people, int npeople, const struct scan *scan)
{
	int nopen = n / 8 > COUNT(open_stages) ? n / 8 : COUNT(open_stages);
	struct story s = {.ag = &ags[i % 2], .target = WF_RETURNED};
	bool recent = i >= n - nopen;
	/* From today's midnight, so that the same n gives the same dossiers all day. */
	int64_t today = g->now - g->now % DAY;
	int64_t first = today - 365 * (int64_t)DAY, open_from = today - OPEN_DAYS * (int64_t)DAY;
	if (recent) {
		int k = i - (n - nopen);
		s.target = open_stages[k % COUNT(open_stages)];
		s.t = open_from + (today - open_from - DAY) * k / nopen;
	} else {
		s.t = first + (open_from - first) * i / (n - nopen);
		int r = pick(&g->seed, 100);
		s.refuse = r < 6;
		s.stop = r >= 6 && r < 10;
		s.supplement = r >= 10 && r < 16;
		s.withdraw = r >= 16 && r < 18;
		s.financial = r >= 18 && r < 28;
		s.late = r >= 28 && r < 40;
	}
	s.t = office(g, s.t + pick(&g->seed, 8 * 3600));
	if (s.t >= g->now)
		s.t = g->now - 3600;
	int proc = pick(&g->seed, s.ag->nprocs);
	int ch = pick(&g->seed, 100);
	int channel = ch < 60 ? 0 : ch < 95 ? 1 : 2;
	if (s.target == WF_NEW || s.supplement || s.target == WF_SUPPLEMENT || s.refuse)
		channel = 0;
	/* Online applicants have accounts; so has anyone who acts later. */
	if (i % 25 == 3)
		s.owner = &people[(i / 25) % 2]; /* the demo citizens */
	else if (channel == 0 || s.withdraw || s.target == WF_WITHDRAWAL)
		s.owner = &people[2 + pick(&g->seed, npeople - 2)];
	if (!submit(g, &s, channel, scan, proc))
		return false;
	g->n->total++;
	g->n->online += channel == 0;
	g->n->desk += channel == 1;
	g->n->post += channel == 2;
	if (s.stage == WF_NEW) {
		if (s.target == WF_NEW) {
			g->n->open++;
			return true;
		}
		if (s.refuse) {
			g->n->refused++;
			return move(g, &s, &s.ag->desk, WF_REFUSE, later(g, s.t, hours(g, 1, 30)));
		}
		if (s.supplement || s.target == WF_SUPPLEMENT) {
			g->n->supplemented++;
			if (!move(g, &s, &s.ag->desk, WF_REQUEST_SUPPLEMENT,
				  later(g, s.t, hours(g, 1, 30))))
				return false;
			if (s.target == WF_SUPPLEMENT) {
				g->n->open++;
				return true;
			}
			if (!move(g, &s, s.owner, WF_SUPPLEMENT_SUBMIT,
				  later(g, s.t, hours(g, 24, 72))))
				return false;
		}
		if (!move(g, &s, &s.ag->desk, WF_RECEIVE, later(g, s.t, hours(g, 1, 30))))
			return false;
	}
	bool ok = process(g, &s);
	if (ok) {
		g->n->open += s.stage != WF_RETURNED && s.stage != WF_STOPPED;
		g->n->returned += s.stage == WF_RETURNED;
		g->n->late += s.late;
		g->n->stopped += s.stage == WF_STOPPED;
		g->n->financial += s.financial || s.target == WF_FINANCIAL;
	}
	return ok;
}

/* The scanned papers: one small PDF written to DIR, stored as a blob by
 * the first submission, then removed. */
static int scan_make(const char *dir, arena *a, struct scan *s)
{
	static const char pdf[] = "%PDF-1.4\n% motcua demo scan\n1 0 obj<</Type/Catalog/Pages 2 0 "
				  "R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
				  "trailer<</Root 1 0 R>>\n%%EOF\n";
	const char *path = arena_printf(a, "%s/.demo-scan.pdf", dir);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	bool ok = fwrite(pdf, 1, sizeof(pdf) - 1, f) == sizeof(pdf) - 1;
	if (fclose(f) != 0 || !ok)
		return -1;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)pdf, sizeof(pdf) - 1);
	s->file = (struct upload_file){.field = "doc_0",
				       .name = "ban-scan.pdf",
				       .path = path,
				       .size = sizeof(pdf) - 1,
				       .mime = "application/pdf"};
	sodium_bin2hex(s->file.sha256, sizeof(s->file.sha256), h, sizeof(h));
	return 0;
}

mc_status demo_dossiers(db *d, const char *data_dir, int n, struct demo_dossier_counts *out,
			char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (n <= 0)
		return MC_OK;
	arena *a = arena_new(0);
	db_conn *c = db_reader(d);
	db_result *r;
	if (!c ||
	    db_query(c, a, "SELECT COUNT(*) FROM dossier WHERE status > 0", NULL, 0, &r) != MC_OK ||
	    db_nrows(r) != 1) {
		snprintf(err, errlen, "cannot count the dossiers");
		arena_free(a);
		return MC_INTERNAL;
	}
	if (db_int(r, 0, 0) > 0) { /* a second init: keep what is there */
		arena_free(a);
		return MC_OK;
	}
	work_calendar *cal = NULL;
	struct agency_demo ags[2];
	struct bo_actor people[2 + NPEOPLE]; /* the demo citizens, then generated ones */
	struct scan scan = {0};
	mc_status rc = schedule_load(d, &cal);
	if (rc == MC_OK)
		rc = agency_load(d, a, cal, "stp", &ags[0]);
	if (rc == MC_OK)
		rc = agency_load(d, a, cal, "xa", &ags[1]);
	if (rc == MC_OK)
		rc = officer(d, a, "037090001234", 0, &people[0]);
	if (rc == MC_OK)
		rc = officer(d, a, "037195004321", 0, &people[1]);
	if (rc != MC_OK) {
		snprintf(err, errlen, "the demo agencies, officers or citizens are missing: %s",
			 mc_status_name(rc));
		goto out;
	}
	people[0].agency_code = people[1].agency_code = NULL;
	if (scan_make(data_dir, a, &scan) < 0) {
		snprintf(err, errlen, "cannot write the demo scan in %s", data_dir);
		rc = MC_INTERNAL;
		goto out;
	}
	/* One upload per document slot of any procedure used. */
	scan.nslots = SCAN_SLOTS;
	scan.uploads = arena_calloc(a, (size_t)scan.nslots, sizeof(*scan.uploads));
	for (int i = 0; i < scan.nslots; i++)
		scan.uploads[i] = (struct dossier_upload){
			i,	   scan.file.name, scan.file.sha256, scan.file.mime, scan.file.size,
			&scan.file};
	struct gen g = {
		.d = d,
		.cal = cal,
		.env = {.d = d, .data_dir = data_dir, .hours = OFFICE_HOURS_DEFAULT, .quiet = true},
		.now = (int64_t)time(NULL) + 7 * 3600,
		.seed = 0x6d6f74637561ull,
		.n = out,
		.err = err,
		.errlen = errlen};
	if (pool_make(&g, a, people + 2, NPEOPLE) != MC_OK) {
		rc = MC_INTERNAL;
		goto out;
	}
	struct progress p;
	progress_start(&p, "hồ sơ mẫu", n);
	for (int i = 0; i < n && rc == MC_OK; i++) {
		g.a = arena_new(0);
		if (!one(&g, i, n, ags, people, 2 + NPEOPLE, &scan))
			rc = MC_INTERNAL;
		arena_free(g.a);
		progress_add(&p, 1);
	}
	progress_done(&p, "hồ sơ", NULL);
out:
	if (scan.file.path)
		unlink(scan.file.path);
	calendar_free(cal);
	arena_free(a);
	return rc;
}
