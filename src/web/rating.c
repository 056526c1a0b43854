/*
 * rating.c - the satisfaction rating block of /ho-so/{code} (domain/rating.h):
 * the applicant's form once the result is returned, the rating once given,
 * and the answer form for officers of the agency. The forms post to
 * /ho-so/{code}/danh-gia and /ho-so/{code}/danh-gia/tra-loi (CSRF) and
 * come back to the page.
 */
#include "app.h"
#include "core/format.h"
#include "domain/rating.h"
#include "http/csrf.h"
#include "web/web.h"

static struct rating_actor actor_of(http_req *r)
{
	return (struct rating_actor){r->user->account_id, r->user->roles, r->user->agency_code};
}

static const char *score_text(http_req *r, int v)
{
	return http_msg(r, v >= 2   ? "rating.score_2"
			   : v == 1 ? "rating.score_1"
				    : "rating.score_0");
}

json_t *web_rating_block(http_req *r, const char *code)
{
	struct app *app = http_app(r);
	struct rating_actor who = actor_of(r);
	struct rating x;
	if (rating_get(app->db, r->a, &who, code, &x) != MC_OK || (!x.exists && !x.can_rate))
		return NULL;
	json_t *indices = json_array(), *scores = json_array();
	for (int i = 0; i < RATING_NINDICES; i++) {
		const char *label =
			http_msg(r, arena_printf(r->a, "rating.index.%s", rating_index_name(i)));
		json_array_append_new(indices, json_pack("{s:s,s:s}", "name", rating_index_name(i),
							 "label", label));
		if (x.exists)
			json_array_append_new(scores,
					      json_pack("{s:s,s:s}", "label", label, "value",
							score_text(r, x.scores[i])));
	}
	json_t *answer = json_false();
	if (x.answer)
		answer = json_pack("{s:s,s:s,s:s}", "text", x.answer, "by", x.answered_by_name,
				   "at", format_datetime_vn(r->a, x.answered_at));
	return json_pack("{s:b,s:b,s:b,s:o,s:o,s:o,s:o}", "rated", x.exists, "can_rate", x.can_rate,
			 "can_answer", x.can_answer, "indices", indices, "scores", scores,
			 "comment", x.comment && *x.comment ? json_string(x.comment) : json_false(),
			 "answer", answer);
}

void web_rating_submit(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *code = http_param(r, "code");
	int scores[RATING_NINDICES];
	for (int i = 0; i < RATING_NINDICES; i++) {
		int64_t v;
		if (!http_form_int(r, rating_index_name(i), 0, RATING_SCORE_MAX, &v, NULL))
			return; /* 400: a browser always sends one of the three */
		scores[i] = (int)v;
	}
	const char *comment = NULL, *why = NULL;
	if (!http_form_text(r, "comment", 0, RATING_COMMENT_MAX * 4, &comment, NULL))
		return;
	struct rating_actor who = actor_of(r);
	mc_status rc = rating_create(app->db, r->a, &who, code, scores, comment, NULL, &why);
	if (rc != MC_OK && why) {
		http_reply_error(r, rc == MC_INVALID ? 422 : 409, http_msg(r, why));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_redirect(r, 303, arena_printf(r->a, "/ho-so/%s#rating-title", code));
}

void web_rating_answer(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *code = http_param(r, "code");
	const char *text = NULL, *why = NULL;
	if (!http_form_text(r, "answer", 0, RATING_ANSWER_MAX * 4, &text, NULL))
		return;
	struct rating_actor who = actor_of(r);
	mc_status rc = rating_answer(app->db, r->a, &who, code, text, NULL, &why);
	if (rc != MC_OK && why && rc != MC_NOT_FOUND) {
		http_reply_error(r, rc == MC_INVALID ? 422 : 409, http_msg(r, why));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_redirect(r, 303, arena_printf(r->a, "/ho-so/%s#rating-title", code));
}
