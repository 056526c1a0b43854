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

/* Inside the submission's write on c: queues the notice of the submitted
 * dossier id (its code, procedure, agency, due date and the applicant's
 * contact as submitted). MC_NOT_FOUND when there is no such dossier. */
mc_status dossier_notice_submitted(db_conn *c, arena *a, const char *id);

/* The portal origin for lookup links in notices ("https://...", no
 * trailing slash; the public_url setting), set once at start-up. */
void dossier_notice_set_origin(const char *public_url);

#endif
