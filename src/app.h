/*
 * app.h - what a running motcua holds: configuration, database, templates,
 * the HTTP server. Handlers reach it with http_app(r).
 */
#ifndef MOTCUA_APP_H
#define MOTCUA_APP_H

#include <time.h>

#include "core/config.h"
#include "core/mustache.h"
#include "db/db.h"
#include "http/server.h"

struct app {
	struct config cfg;
	db *db;
	mu_set *templates;
	http_server *srv;
	time_t started;
};

/* The route table (routes.c). */
extern const struct route motcua_routes[];
extern const size_t motcua_nroutes;

/* Loads every templates/NAME.mustache asset into a set; NULL with err set. */
mu_set *app_load_templates(char *err, size_t errlen);

#endif
