/* feedback.c - validation, reference numbers and storage of góp ý. */
#include "domain/feedback.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

bool feedback_contact_valid(const char *c)
{
	const char *at = strchr(c, '@');
	if (at) {
		const char *dot = strrchr(at, '.');
		if (at == c || strchr(at + 1, '@') || !dot || dot == at + 1 || !dot[1])
			return false;
		for (const char *p = c; *p; p++)
			if (isspace((unsigned char)*p) || (unsigned char)*p < 0x21)
				return false;
		return true;
	}
	char digits[16];
	size_t n = 0;
	const char *p = c;
	if (strncmp(p, "+84", 3) == 0) {
		digits[n++] = '0';
		p += 3;
	}
	for (; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-')
			continue;
		if (!isdigit((unsigned char)*p) || n == sizeof(digits) - 1)
			return false;
		digits[n++] = *p;
	}
	return n == 10 && digits[0] == '0';
}

/* "GY-YYMMDD-" and six characters from an alphabet without look-alikes. */
static const char *new_ref(arena *a, const struct tm *tm)
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char tail[7];
	for (int i = 0; i < 6; i++)
		tail[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	tail[6] = '\0';
	return arena_printf(a, "GY-%02d%02d%02d-%s", tm->tm_year % 100, tm->tm_mon + 1, tm->tm_mday,
			    tail);
}

static mc_status insert(db_conn *c, void *arg)
{
	struct feedback *f = arg;
	return db_exec(c,
		       "INSERT INTO feedback (ref, created_at, name, contact, subject, body, lang)"
		       " VALUES ($1, $2, $3, $4, $5, $6, $7)",
		       DB_ARGS(DB_TEXT(f->ref), DB_TEXT(f->created_at), DB_TEXT(f->name),
			       DB_TEXT(f->contact), DB_TEXT(f->subject), DB_TEXT(f->body),
			       DB_TEXT(f->lang)),
		       NULL);
}

mc_status feedback_submit(db *d, arena *a, struct feedback *f)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	f->created_at = arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
				     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	mc_status rc = MC_CONFLICT;
	/* 32^6 references a day: a clash is rare, and retried. */
	for (int attempt = 0; attempt < 3 && rc == MC_CONFLICT; attempt++) {
		f->ref = new_ref(a, &tm);
		rc = db_write(d, insert, f);
	}
	if (rc != MC_OK)
		log_error("feedback: cannot store a message: %s", mc_status_name(rc));
	return rc;
}

mc_status feedback_get(db *d, arena *a, const char *ref, struct feedback *out)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT ref, created_at, name, contact, subject, body, lang"
				" FROM feedback WHERE ref = $1",
				DB_ARGS(DB_TEXT(ref)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) == 0)
		return MC_NOT_FOUND;
	*out = (struct feedback){db_text(r, 0, 0), db_text(r, 0, 1), db_text(r, 0, 2),
				 db_text(r, 0, 3), db_text(r, 0, 4), db_text(r, 0, 5),
				 db_text(r, 0, 6)};
	return MC_OK;
}
