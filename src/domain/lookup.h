/*
 * lookup.h - what the public may know about a dossier (tra cứu hồ sơ) from
 * its code alone, and the data of its receipt (form 01) for the people
 * entitled to it.
 *
 * The public view carries no personal data beyond a masked applicant name
 * and no officer names. Drafts (status 0) have no code and are never found;
 * an unknown code and a draft answer the same MC_NOT_FOUND, so the answer
 * reveals nothing beyond "there is such a dossier". This module knows no
 * HTTP: throttling and wording belong to the pages.
 */
#ifndef MOTCUA_LOOKUP_H
#define MOTCUA_LOOKUP_H

#include <stdbool.h>
#include <time.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/status.h"
#include "db/db.h"
#include "domain/dossier.h" /* enum dossier_status */
#include "domain/receipt.h"

/* Longest dossier code: "000.00.16.H43-261128-0001" is 25 bytes. */
#define LOOKUP_CODE_LEN 25

/* True when code has the national shape (Circular 01/2018 art. 19):
 * `^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}-[0-9]{6}-[0-9]{4}$`. */
bool lookup_code_valid(const char *code);

/* Who is asking: the signed-in account, and for officers the
 * agency they act for (NULL otherwise). */
struct lookup_viewer {
	const char *account_id;
	const char *agency_code;
};

/* code with ASCII letters upper-cased, as codes are printed (people type
 * them in lower case too); in a. */
char *lookup_code_upper(arena *a, const char *code);

/* One step of the public timeline. */
struct lookup_event {
	const char *at;	    /* "YYYY-MM-DD HH:MM:SS" */
	const char *action; /* the stored action name ("submitted", ...) */
	int status;	    /* the status the step led to */
};

struct lookup_result {
	const char *code;
	int status;
	const char *procedure_code, *procedure_name;
	const char *agency_code, *agency_name;
	const char *received_at, *due_at; /* NULL when not set */
	const char *applicant_masked;	  /* "Nguyễn V** A*" */
	struct lookup_event *events;
	int nevents;
	bool viewer_entitled; /* the viewer may download the receipt */
	/* The hash of the latest audit entry about "dossier:<code>" (the
	 * verification code, mã kiểm chứng), "" when there is none. */
	const char *audit_hash;
};

/*
 * The public view of the dossier with this code. MC_INVALID when code is
 * not shaped like one; MC_NOT_FOUND when there is no such dossier (or it
 * is a draft). viewer (may be NULL) only sets out->viewer_entitled.
 */
mc_status lookup_dossier(db *d, arena *a, const char *code, const struct lookup_viewer *viewer,
			 struct lookup_result *out);

/*
 * Fills the receipt of the dossier with this code for viewer: the applicant
 * (dossier.account_id) or an officer of the handling agency. Anyone else,
 * a draft, a malformed or unknown code: MC_NOT_FOUND (existence is not
 * revealed). MC_CONFLICT when the dossier has no appointment date yet.
 * public_url is the portal's base for the QR ("https://host", no slash).
 * Everything lives in a.
 */
mc_status lookup_receipt(db *d, arena *a, const char *code, const struct lookup_viewer *viewer,
			 const char *public_url, struct receipt *out);

/* The status in words in language l ("Đang xử lý"); the number as text
 * when it is not a national status code. From the catalogue keys
 * lookup.status.N. */
const char *lookup_status_name(enum lang l, int status);

/* A timeline step in words: the catalogue's lookup.action.<action> when it
 * names the action, else the name of the status the step led to. */
const char *lookup_action_name(enum lang l, const struct lookup_event *e);

/*
 * Lookups allowed per client address: LOOKUP_LIMIT in LOOKUP_WINDOW
 * seconds, so that codes (agency, day, a 4-digit number) cannot be
 * enumerated. Returns true and counts the lookup, or false with
 * *retry_after seconds until the address may look up again.
 */
#define LOOKUP_LIMIT  30
#define LOOKUP_WINDOW 300
bool lookup_allowed(const char *client_addr, unsigned *retry_after);

#endif
