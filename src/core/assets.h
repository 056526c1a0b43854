/*
 * assets.h - files compiled into the binary (templates/, static/, locale/,
 * db/migrations/), so one executable is the whole deployment.
 *
 * Names are paths relative to the project root, e.g.
 * "templates/layout.mustache" or "db/migrations/0001_init.sql".
 * The table ends with an entry whose name is NULL.
 */
#ifndef MOTCUA_ASSETS_H
#define MOTCUA_ASSETS_H

#include <stddef.h>

struct asset {
	const char *name;
	const char *data; /* NUL-terminated; len excludes the NUL */
	size_t len;
};

extern const struct asset motcua_assets[];

/* The asset with this exact name, or NULL. */
const struct asset *asset_find(const char *name);

#endif
