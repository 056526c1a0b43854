/*
 * officer_update.h - changing an officer's roles and agency after creation
 * (`motcua user update`), in one write audited as perm.officer_update.
 *
 * The officer's sessions and API tokens end in the same write, so the new
 * rights apply at the next sign-in. An officer who leaves their agency, or
 * loses the specialist role, no longer works the dossiers assigned to them
 * there: every open dossier of the old agency assigned to them loses its
 * assignee and gets version + 1; one at the specialist (stage assigned)
 * goes back to the unit's queue (stage received, where the leader assigns
 * it again), its form-05 holder row closed and followed by one for the
 * unit (docs/audit.md).
 */
#ifndef MOTCUA_OFFICER_UPDATE_H
#define MOTCUA_OFFICER_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"
#include "domain/account.h"

struct officer_change {
	const char *login;	 /* the officer, by login ... */
	const char *id;		 /* ... or by account id (when login is NULL) */
	unsigned roles;		 /* new officer roles; 0: unchanged */
	const char *agency_code; /* new agency; NULL or "": unchanged */
	const char *actor;	 /* who changes it, for the audit entry; NULL: "system" */
	const char *scope;	 /* an agency admin's agency: only its officers, only to it;
				  * NULL: the system admin */
};

struct officer_change_result {
	const char *id;		 /* the officer's account id */
	unsigned roles;		 /* as they are now */
	const char *agency_code; /* as it is now (NULL: none) */
	bool changed;		 /* false: nothing to change, nothing written */
	int64_t returned;	 /* open dossiers that lost the officer as assignee */
	int64_t sessions_ended;
};

/*
 * Applies in to the officer with in->login (or in->id). MC_NOT_FOUND when
 * there is no such officer, or not in scope (another agency's, or a system
 * admin); MC_INVALID with *probs (fields "role", "agency") when a role is
 * not an officer role, the agency is unknown or out of scope, or a role but
 * sysadmin would be left without an agency.
 */
mc_status officer_update(db *d, arena *a, const struct officer_change *in,
			 struct officer_change_result *out, struct account_problem **probs);

#endif
