/*
 * rating.c - satisfaction ratings in the JSON API (domain/rating.h):
 * GET /api/v1/dossiers/{code}/rating (the applicant or the agency's
 * officers), POST /api/v1/dossiers/{code}/rating (the applicant, JSON
 * {"time", "contacts", "attitude", "online", "overall": 0-2, "comment"})
 * and POST /api/v1/dossiers/{code}/rating/answer (an officer of the agency,
 * JSON {"answer"}). A browser's cookie needs the CSRF token.
 */
#include <stdbool.h>
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "http/csrf.h"
#include "domain/rating.h"

static db *db_of(http_req *r)
{
	struct app *app = http_app(r);
	return app->db;
}

static struct rating_actor actor_of(http_req *r)
{
	return (struct rating_actor){r->user->account_id, r->user->roles, r->user->agency_code};
}

/* The rating as JSON; scores and answer are null until given. */
static json_t *rating_json(http_req *r, const char *code, const struct rating *x)
{
	json_t *scores = json_null(), *answer = json_null();
	if (x->exists) {
		scores = json_object();
		for (int i = 0; i < RATING_NINDICES; i++)
			json_object_set_new(scores, rating_index_name(i),
					    json_integer(x->scores[i]));
	}
	if (x->answer)
		answer = json_pack("{s:s,s:s,s:o}", "text", x->answer, "by", x->answered_by_name,
				   "at", api_time_json(r, x->answered_at));
	return json_pack("{s:s,s:b,s:b,s:b,s:{s:i,s:i},s:o,s:s?,s:o,s:o}", "code", code, "rated",
			 x->exists, "can_rate", x->can_rate, "can_answer", x->can_answer, "scale",
			 "min", 0, "max", RATING_SCORE_MAX, "scores", scores, "comment", x->comment,
			 "created", api_time_json(r, x->created_at), "answer", answer);
}

static void reply_rating(http_req *r, int status)
{
	struct rating_actor who = actor_of(r);
	struct rating x;
	const char *code = http_param(r, "code");
	mc_status rc = rating_get(db_of(r), r->a, &who, code, &x);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *doc = rating_json(r, code, &x);
	http_reply_json(r, status, doc);
	json_decref(doc);
}

/* A refused change: 422 for bad input, 409 for the dossier's state. */
static void reply_refused(http_req *r, mc_status rc, const char *why, const char *field)
{
	if ((rc != MC_INVALID && rc != MC_CONFLICT) || !why) {
		http_reply_status(r, rc);
		return;
	}
	int status = rc == MC_INVALID ? 422 : 409;
	const char *msg = http_msg(r, why);
	json_t *doc = json_pack("{s:{s:i,s:s,s:s,s:s,s:{}}}", "error", "status", status, "reason",
				status == 422 ? "Unprocessable Entity" : "Conflict", "message", msg,
				"key", why, "fields");
	if (status == 422 && field)
		json_object_set_new(json_object_get(json_object_get(doc, "error"), "fields"), field,
				    json_string(msg));
	http_reply_json(r, status, doc);
	json_decref(doc);
}

static json_t *json_body(http_req *r)
{
	json_t *j = json_loadb(buf_str(&r->body), r->body.len, 0, NULL);
	if (json_is_object(j))
		return j;
	json_decref(j);
	http_reply_error(r, 400, http_msg(r, "error.form_damaged"));
	return NULL;
}

void api_rating(http_req *r)
{
	reply_rating(r, 200);
}

void api_rating_create(http_req *r)
{
	if (!r->user->api && !csrf_check(r))
		return;
	json_t *j = json_body(r);
	if (!j)
		return;
	int scores[RATING_NINDICES];
	const char *field = NULL, *why = NULL;
	for (int i = 0; i < RATING_NINDICES; i++) {
		json_t *v = json_object_get(j, rating_index_name(i));
		scores[i] = json_is_integer(v) ? (int)json_integer_value(v) : -1;
		if (!field && (scores[i] < 0 || scores[i] > RATING_SCORE_MAX))
			field = rating_index_name(i);
	}
	json_t *comment = json_object_get(j, "comment");
	const char *text =
		json_is_string(comment) ? arena_strdup(r->a, json_string_value(comment)) : NULL;
	bool bad_comment = comment && !json_is_null(comment) && !text;
	json_decref(j);
	if (bad_comment) {
		reply_refused(r, MC_INVALID, "rating.error.text", "comment");
		return;
	}
	struct rating_actor who = actor_of(r);
	mc_status rc = rating_create(db_of(r), r->a, &who, http_param(r, "code"), scores, text,
				     NULL, &why);
	if (rc != MC_OK) {
		reply_refused(r, rc, why, field ? field : "comment");
		return;
	}
	reply_rating(r, 201);
}

void api_rating_answer(http_req *r)
{
	if (!r->user->api && !csrf_check(r))
		return;
	json_t *j = json_body(r);
	if (!j)
		return;
	json_t *v = json_object_get(j, "answer");
	const char *text = json_is_string(v) ? arena_strdup(r->a, json_string_value(v)) : NULL;
	json_decref(j);
	const char *why = NULL;
	struct rating_actor who = actor_of(r);
	mc_status rc = rating_answer(db_of(r), r->a, &who, http_param(r, "code"), text, NULL, &why);
	if (rc != MC_OK) {
		reply_refused(r, rc, why, "answer");
		return;
	}
	reply_rating(r, 200);
}
