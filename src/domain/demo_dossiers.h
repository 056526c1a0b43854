/*
 * demo_dossiers.h - a year of demo dossiers (hồ sơ mẫu) for `motcua init
 * --demo`: the queues, timelines and statistics look like a live province
 * on the first run.
 *
 * n dossiers are spread over the past 12 months (working days by the
 * calendar, office hours) between the two demo agencies with officers
 * (demo.h's department and commune), over the procedures each carries
 * out, ~60 % online, ~35 % at the desk, ~5 % returned by post. Applicants
 * get generated Vietnamese names, valid CCCD and mobile numbers, no e-mail;
 * a handful belong to the demo citizens. The moves are quiet (bo_env.quiet):
 * no notices of long ago pile up in the outboxes.
 * Every move goes through bo_act (backoffice.h) at its past time with the
 * demo officers as actors: most are returned on time, some late, refused,
 * supplemented, stopped, withdrawn or with a financial obligation, and the
 * most recent ones are still open in every stage. The same n gives the
 * same dossiers (fixed seed; the dates follow today).
 *
 * Does nothing when submitted dossiers exist (init run again).
 * Needs demo_load and demo_accounts first. data_dir: blobs (the scanned
 * papers are one small PDF, stored once). Shows progress on a terminal.
 */
#ifndef MOTCUA_DEMO_DOSSIERS_H
#define MOTCUA_DEMO_DOSSIERS_H

#include "core/status.h"
#include "db/db.h"

#define DEMO_DOSSIERS_DEFAULT 480

struct demo_dossier_counts {
	int total, online, desk, post;
	int open, returned, late, refused, stopped, supplemented, financial;
};

mc_status demo_dossiers(db *d, const char *data_dir, int n, struct demo_dossier_counts *out,
			char *err, size_t errlen);

#endif
