/*
 * demo.h - the Ninh Bình demo data loaded by `motcua init --demo`: the
 * fields and procedure names of the national catalogue carried out at
 * province or commune level, and the province's People's Committees after
 * the 2025 reorganisation. Files are the TSV files in data/demo/, compiled in.
 */
#ifndef MOTCUA_DEMO_H
#define MOTCUA_DEMO_H

#include <stddef.h>

#include "core/status.h"
#include "db/db.h"

struct demo_counts {
	int fields, procedures, agencies;
	int assigned; /* procedure-agency pairs */
};

/* The two shapes of the province: as the portal went live, and the merged
 * two-level province since 2025-07-01 (the current one, the default). */
#define DEMO_SHAPE_2020 "2020-01-01"
#define DEMO_SHAPE_2025 "2025-07-01"

/* Loads everything in one transaction: all of it or nothing. Loading twice
 * changes nothing (rows are matched by their codes). */
mc_status demo_load(db *d, const char *shape, struct demo_counts *counts, char *err, size_t errlen);

/*
 * Demo accounts with fresh random passwords, listed in DIR/demo-accounts.tsv
 * (mode 0600; one "login<TAB>password<TAB>role<TAB>agency code" line per
 * account, no header): two citizens, one business, a desk officer, a
 * specialist and a leader for the Department of Justice and for a commune,
 * an agency admin and the system admin. Run again, it gives the same
 * accounts new passwords. *count gets the number of accounts.
 */
mc_status demo_accounts(db *d, const char *dir, int *count, char *err, size_t errlen);

#endif
