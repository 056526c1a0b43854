/*
 * feedback.h - góp ý: what people tell the province about the portal itself
 * (a broken link, a confusing form, a wish). Each message gets a reference
 * the sender can quote; it is stored durably before the sender is told so.
 */
#ifndef MOTCUA_FEEDBACK_H
#define MOTCUA_FEEDBACK_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

struct feedback {
	const char *ref;	/* "GY-261128-K7Q2XM" */
	const char *created_at; /* "2026-11-28 09:15:02" local time */
	const char *name;
	const char *contact; /* email address or Vietnamese phone number */
	const char *subject;
	const char *body;
	const char *lang; /* "vi" or "en" */
};

/* Length limits, in code points, that the form shows and checks. */
#define FEEDBACK_NAME_MIN    2
#define FEEDBACK_NAME_MAX    100
#define FEEDBACK_CONTACT_MAX 120
#define FEEDBACK_SUBJECT_MIN 5
#define FEEDBACK_SUBJECT_MAX 200
#define FEEDBACK_BODY_MIN    10
#define FEEDBACK_BODY_MAX    5000

/* An email address (local@domain.tld) or a phone number of 10 digits that
 * starts with 0 (spaces, dots and a leading +84 are accepted). */
bool feedback_contact_valid(const char *contact);

/* Stores f (its ref and created_at are filled in) durably. */
mc_status feedback_submit(db *d, arena *a, struct feedback *f);

/* Loads the message with reference ref. */
mc_status feedback_get(db *d, arena *a, const char *ref, struct feedback *out);

#endif
