/*
 * rating.c - satisfaction ratings: see rating.h.
 */
#include "domain/rating.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "domain/audit.h"
#include "domain/dossier.h"
#include "http/router.h"

#define OFFICER_ROLES (ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER | ROLE_AGENCY_ADMIN)

static const char *const index_names[RATING_NINDICES] = {"time", "contacts", "attitude", "online",
							 "overall"};

const char *rating_index_name(int i)
{
	return i >= 0 && i < RATING_NINDICES ? index_names[i] : "";
}

static const char *now_or_clock(arena *a, const char *now)
{
	if (now)
		return now;
	time_t t = time(NULL) + 7 * 3600; /* Vietnam time */
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static bool is_officer_of(const struct rating_actor *who, const char *agency)
{
	return (who->roles & OFFICER_ROLES) && who->agency_code && agency &&
	       strcmp(who->agency_code, agency) == 0;
}

static bool is_applicant(const struct rating_actor *who, const char *account)
{
	return who->account_id && account && strcmp(who->account_id, account) == 0;
}

/* The dossier behind a code: id, status, applicant account, agency. */
struct target {
	const char *id, *account_id, *agency_code;
	int status;
};

static mc_status load_target(db_conn *c, arena *a, const char *code, struct target *t)
{
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT id, status, account_id, agency_code FROM dossier"
				" WHERE code = $1",
				DB_ARGS(DB_TEXT(code)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) != 1)
		return MC_NOT_FOUND;
	*t = (struct target){db_text(r, 0, 0), db_isnull(r, 0, 2) ? NULL : db_text(r, 0, 2),
			     db_text(r, 0, 3), (int)db_int(r, 0, 1)};
	return MC_OK;
}

static mc_status rated(db_conn *c, arena *a, const char *id, bool *yes, bool *answered)
{
	db_result *r;
	mc_status rc = db_query(c, a, "SELECT answer IS NOT NULL FROM rating WHERE dossier_id = $1",
				DB_ARGS(DB_TEXT(id)), &r);
	if (rc != MC_OK)
		return rc;
	*yes = db_nrows(r) == 1;
	*answered = *yes && db_int(r, 0, 0) != 0;
	return MC_OK;
}

struct create_ctx {
	arena *a;
	const struct rating_actor *who;
	const char *code, *comment, *now;
	const int *scores;
	const char *why;
};

static mc_status create_write(db_conn *c, void *arg)
{
	struct create_ctx *w = arg;
	struct target t;
	mc_status rc = load_target(c, w->a, w->code, &t);
	if (rc != MC_OK)
		return rc;
	if (!is_applicant(w->who, t.account_id))
		return MC_NOT_FOUND;
	if (t.status != DOSSIER_RETURNED) {
		w->why = "rating.error.not_returned";
		return MC_CONFLICT;
	}
	bool yes, answered;
	if ((rc = rated(c, w->a, t.id, &yes, &answered)) != MC_OK)
		return rc;
	w->why = "rating.error.already";
	if (yes)
		return MC_CONFLICT;
	const int *s = w->scores;
	rc = db_exec(c,
		     "INSERT INTO rating (dossier_id, account_id, agency_code, time_score,"
		     " contacts_score, attitude_score, online_score, overall_score, comment,"
		     " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		     DB_ARGS(DB_TEXT(t.id), DB_TEXT(w->who->account_id), DB_TEXT(t.agency_code),
			     DB_INT(s[0]), DB_INT(s[1]), DB_INT(s[2]), DB_INT(s[3]), DB_INT(s[4]),
			     DB_TEXT(w->comment), DB_TEXT(w->now)),
		     NULL);
	if (rc != MC_OK)
		return rc; /* MC_CONFLICT: a concurrent rating won */
	json_t *data = json_pack("{s:i,s:i,s:i,s:i,s:i,s:I}", "time", s[0], "contacts", s[1],
				 "attitude", s[2], "online", s[3], "overall", s[4],
				 "comment_length", (json_int_t)text_length(w->comment));
	rc = audit_append(c, w->who->account_id, "rating.create",
			  arena_printf(w->a, "dossier:%s", w->code), data, NULL);
	json_decref(data);
	w->why = NULL;
	return rc;
}

static mc_status clean_text(arena *a, const char *s, size_t minlen, size_t maxlen, const char **out,
			    const char *too_long, const char **why)
{
	switch (text_clean(a, s ? s : "", s ? strlen(s) : 0, minlen, maxlen, out)) {
	case TEXT_OK: return MC_OK;
	case TEXT_TOO_SHORT: *why = "rating.error.empty"; return MC_INVALID;
	case TEXT_TOO_LONG: *why = too_long; return MC_INVALID;
	default: *why = "rating.error.text"; return MC_INVALID;
	}
}

mc_status rating_create(db *d, arena *a, const struct rating_actor *who, const char *code,
			const int scores[RATING_NINDICES], const char *comment, const char *now,
			const char **why)
{
	*why = NULL;
	if (!code || !who->account_id)
		return MC_NOT_FOUND;
	for (int i = 0; i < RATING_NINDICES; i++)
		if (scores[i] < 0 || scores[i] > RATING_SCORE_MAX) {
			*why = "rating.error.score";
			return MC_INVALID;
		}
	const char *clean;
	mc_status rc = clean_text(a, comment, 0, RATING_COMMENT_MAX, &clean,
				  "rating.error.comment_long", why);
	if (rc != MC_OK)
		return rc;
	struct create_ctx w = {a, who, code, clean, now_or_clock(a, now), scores, NULL};
	rc = db_write(d, create_write, &w);
	if (rc == MC_CONFLICT)
		*why = w.why ? w.why : "rating.error.already";
	return rc;
}

mc_status rating_get(db *d, arena *a, const struct rating_actor *who, const char *code,
		     struct rating *out)
{
	memset(out, 0, sizeof(*out));
	if (!code)
		return MC_NOT_FOUND;
	db_conn *c = db_reader(d);
	struct target t;
	mc_status rc = load_target(c, a, code, &t);
	if (rc != MC_OK)
		return rc;
	bool applicant = is_applicant(who, t.account_id);
	bool officer = is_officer_of(who, t.agency_code);
	if (!applicant && !officer)
		return MC_NOT_FOUND;
	db_result *r;
	rc = db_query(c, a,
		      "SELECT r.time_score, r.contacts_score, r.attitude_score, r.online_score,"
		      " r.overall_score, r.comment, r.created_at, r.answer, a.full_name,"
		      " r.answered_at FROM rating r LEFT JOIN account a ON a.id = r.answered_by"
		      " WHERE r.dossier_id = $1",
		      DB_ARGS(DB_TEXT(t.id)), &r);
	if (rc != MC_OK)
		return rc;
	out->exists = db_nrows(r) == 1;
	out->can_rate = applicant && !out->exists && t.status == DOSSIER_RETURNED;
	if (!out->exists)
		return MC_OK;
	for (int i = 0; i < RATING_NINDICES; i++)
		out->scores[i] = (int)db_int(r, 0, i);
	out->comment = db_text(r, 0, 5);
	out->created_at = db_text(r, 0, 6);
	if (!db_isnull(r, 0, 7)) {
		out->answer = db_text(r, 0, 7);
		out->answered_by_name = db_isnull(r, 0, 8) ? "" : db_text(r, 0, 8);
		out->answered_at = db_text(r, 0, 9);
	}
	out->can_answer = officer && !out->answer;
	return MC_OK;
}

struct answer_ctx {
	arena *a;
	const struct rating_actor *who;
	const char *code, *text, *now;
	const char *why;
};

static mc_status answer_write(db_conn *c, void *arg)
{
	struct answer_ctx *w = arg;
	struct target t;
	mc_status rc = load_target(c, w->a, w->code, &t);
	if (rc != MC_OK)
		return rc;
	if (!is_officer_of(w->who, t.agency_code))
		return MC_NOT_FOUND;
	int64_t changed = 0;
	rc = db_exec(c,
		     "UPDATE rating SET answer = $1, answered_by = $2, answered_at = $3"
		     " WHERE dossier_id = $4 AND answer IS NULL",
		     DB_ARGS(DB_TEXT(w->text), DB_TEXT(w->who->account_id), DB_TEXT(w->now),
			     DB_TEXT(t.id)),
		     &changed);
	if (rc != MC_OK)
		return rc;
	if (changed != 1) {
		bool yes, answered;
		if ((rc = rated(c, w->a, t.id, &yes, &answered)) != MC_OK)
			return rc;
		w->why = yes ? "rating.error.answered" : "rating.error.none";
		return yes ? MC_CONFLICT : MC_NOT_FOUND;
	}
	json_t *data = json_pack("{s:I}", "length", (json_int_t)text_length(w->text));
	rc = audit_append(c, w->who->account_id, "rating.answer",
			  arena_printf(w->a, "dossier:%s", w->code), data, NULL);
	json_decref(data);
	return rc;
}

mc_status rating_answer(db *d, arena *a, const struct rating_actor *who, const char *code,
			const char *text, const char *now, const char **why)
{
	*why = NULL;
	if (!code || !who->account_id)
		return MC_NOT_FOUND;
	const char *clean;
	mc_status rc =
		clean_text(a, text, 1, RATING_ANSWER_MAX, &clean, "rating.error.answer_long", why);
	if (rc != MC_OK)
		return rc;
	struct answer_ctx w = {a, who, code, clean, now_or_clock(a, now), NULL};
	rc = db_write(d, answer_write, &w);
	if (w.why)
		*why = w.why;
	return rc;
}
