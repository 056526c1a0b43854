/*
 * dossier_notice.h - the applicant's receipt notice (thông báo đã nộp hồ sơ)
 * for an online submission: an email and a short message saying that
 * dossier CODE for the procedure has reached the agency, with the expected
 * due date and the lookup link (texts "notify.submit.*").
 *
 * Queued inside the submission's own write (dossier_submit calls it), so a
 * submission that rolls back tells nobody and one that commits is told
 * exactly once (notify.h). A desk entry (channel 1) is told by the receipt
 * transition instead, and demo data (dossier_input.quiet) by nobody.
 */
#ifndef MOTCUA_DOSSIER_NOTICE_H
#define MOTCUA_DOSSIER_NOTICE_H

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

/* What the notice says: all known to the submission before its write, so
 * the writer does not read the new row back (a join and a JSON parse on
 * the single writer thread per submission). NULL strings read as "". */
struct dossier_notice_facts {
	const char *code;		  /* the dossier code just given */
	const char *due_at;		  /* "YYYY-MM-DD HH:MM..." or NULL */
	const char *procedure_name;	  /* procedure.name */
	const char *agency_name;	  /* agency.name */
	const char *name, *email, *phone; /* the applicant as submitted */
};

/* Inside the submission's write on c: queues the notice of the submitted
 * dossier described by f. */
mc_status dossier_notice_submitted(db_conn *c, arena *a, const struct dossier_notice_facts *f);

/* The portal origin for lookup links in notices ("https://...", no
 * trailing slash; the public_url setting), set once at start-up. */
void dossier_notice_set_origin(const char *public_url);

#endif
