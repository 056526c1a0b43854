/*
 * agency.h - agencies (cơ quan): the province People's Committee, its
 * departments, boards and sectors (sở, ban, ngành), district and commune
 * People's Committees, as a tree that changes when units merge.
 */
#ifndef MOTCUA_AGENCY_H
#define MOTCUA_AGENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

struct agency {
	const char *code;	/* motcua's key, e.g. "so-tu-phap", "ubnd-13285" */
	const char *identifier; /* national identifier code (mã định danh), or NULL */
	const char *kind;	/* ubnd, so, ban, nganh, van-phong, unit */
	const char *level;	/* province, department, district, commune, unit */
	const char *parent_code;
	const char *name;
	const char *address, *phone, *email, *website;
	const char *valid_from, *valid_to; /* "YYYY-MM-DD" or NULL */
	const char *successor_code;
	int64_t procedures;    /* procedures it carries out */
	const char *merged_at; /* when `agencies merge` merged it into successor_code,
				* "YYYY-MM-DD HH:MM:SS", or NULL (agency_merge.h) */
};

struct agency_filter {
	const char *level;  /* NULL: any */
	const char *parent; /* NULL: any */
	bool current_only;  /* leave out agencies whose valid_to has passed and merged ones */
};

/* Agencies matching f, ordered by level (province first) then name. */
mc_status agency_list(db *d, arena *a, const struct agency_filter *f, struct agency **out, int *n);

/* One agency by code. MC_NOT_FOUND when there is none (or code is not a
 * valid agency code). */
mc_status agency_get(db *d, arena *a, const char *code, struct agency *out);

/* True when code looks like an agency code (so it can go into a URL). */
bool agency_code_valid(const char *code);

#endif
