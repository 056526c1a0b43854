/*
 * rating.h - satisfaction ratings (đánh giá mức độ hài lòng, Circular
 * 01/2018/TT-VPCP art. 13): once the result of a dossier is returned
 * (status 10) its applicant may rate the service ONCE on five indices, with
 * an optional comment that the agency's officers may answer ONCE.
 *
 * Indices (the circular's wording in brackets), each scored 0 poor,
 * 1 acceptable, 2 good:
 *   time      the time taken against the promised date (tổng thời gian
 *             giải quyết so với quy định)
 *   contacts  how many contacts or trips it took (số lần phải liên hệ)
 *   attitude  the staff's attitude (thái độ của cán bộ)
 *   online    the quality of the online service (chất lượng dịch vụ công
 *             trực tuyến)
 *   overall   overall satisfaction (mức độ hài lòng chung)
 *
 * The rating, comment and answer are seen by the applicant and the
 * officers of the dossier's agency only; statistics use the scores in
 * aggregate. Each change is one write with its audit entry ("rating.create",
 * "rating.answer", subject "dossier:<code>"). Nobody who may not see a
 * dossier learns that it exists: they get MC_NOT_FOUND.
 */
#ifndef MOTCUA_RATING_H
#define MOTCUA_RATING_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

#define RATING_NINDICES	   5
#define RATING_SCORE_MAX   2
#define RATING_COMMENT_MAX 2000 /* code points */
#define RATING_ANSWER_MAX  2000

/* "time", "contacts", "attitude", "online", "overall"; "" out of range. */
const char *rating_index_name(int i);

/* Who acts: the account, its role bits (http/router.h) and, for officers,
 * their agency. */
struct rating_actor {
	const char *account_id;
	unsigned roles;
	const char *agency_code;
};

struct rating {
	bool exists;	 /* false: not rated yet (the rest is empty) */
	bool can_rate;	 /* the viewer is the applicant and may rate now */
	bool can_answer; /* the viewer is an officer of the agency and may answer now */
	int scores[RATING_NINDICES];
	const char *comment, *created_at;
	const char *answer, *answered_by_name, *answered_at; /* NULL until answered */
};

/*
 * The applicant rates dossier `code`. scores[i] in 0..RATING_SCORE_MAX;
 * comment may be NULL or empty. now is "YYYY-MM-DD HH:MM:SS" (NULL: the
 * clock). MC_NOT_FOUND when the dossier is not the actor's; MC_CONFLICT with
 * *why "rating.error.not_returned" before status 10 or "rating.error.already"
 * when it is rated (also when a concurrent rating won); MC_INVALID with *why
 * for a bad score or comment.
 */
mc_status rating_create(db *d, arena *a, const struct rating_actor *who, const char *code,
			const int scores[RATING_NINDICES], const char *comment, const char *now,
			const char **why);

/* The rating of dossier `code` as the actor may see it (the applicant, or
 * an officer of its agency); MC_NOT_FOUND for anyone else. */
mc_status rating_get(db *d, arena *a, const struct rating_actor *who, const char *code,
		     struct rating *out);

/*
 * An officer of the dossier's agency answers the rating's comment, once.
 * MC_NOT_FOUND when the actor is no officer of that agency or nothing is
 * rated; MC_CONFLICT with *why "rating.error.answered" when already
 * answered; MC_INVALID with *why for an empty or too long text.
 */
mc_status rating_answer(db *d, arena *a, const struct rating_actor *who, const char *code,
			const char *text, const char *now, const char **why);

#endif
