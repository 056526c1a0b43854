/*
 * home.c - the portal's home page (trang chủ): search box, lookup-by-code box,
 * the fields of procedures, and the portal's figures.
 *
 * The page is the same for every anonymous visitor in a language, so the
 * rendered bytes are kept per language for a few seconds: the I/O thread
 * answers from memory, and only a cold or stale page goes to a worker to
 * read the database and render. A stale page is still served while one
 * worker renders the next (at most one refresh at a time).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/format.h"
#include "core/log.h"
#include "domain/catalogue.h"
#include "web/web.h"

#define HOME_TTL_US	(5 * 1000000LL)
#define HOME_TOP_FIELDS 12

static struct {
	pthread_mutex_t mu;
	char *html[LANG_COUNT];
	size_t len[LANG_COUNT];
	int64_t built_us[LANG_COUNT];
	bool refreshing[LANG_COUNT];
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static json_t *home_context(http_req *r, struct app *app, mc_status *rc)
{
	struct field_summary *fields;
	int n;
	int64_t procedures = 0, agencies = 0;
	*rc = catalogue_fields(app->db, r->a, &fields, &n);
	if (*rc == MC_OK)
		*rc = catalogue_totals(app->db, r->a, &procedures, &agencies);
	if (*rc != MC_OK)
		return NULL;
	/* The fields with most procedures first, the rest behind a
	 * disclosure, so a phone does not scroll through a hundred links. */
	json_t *list = json_array(), *more = json_array();
	for (int i = 0; i < n; i++) {
		const char *name = r->lang == LANG_EN && fields[i].name_en && *fields[i].name_en
					   ? fields[i].name_en
					   : fields[i].name_vi;
		json_array_append_new(i < HOME_TOP_FIELDS ? list : more,
				      json_pack("{s:s,s:s,s:s}", "code", fields[i].code, "name",
						name, "count_fmt",
						format_thousands(r->a, fields[i].procedures)));
	}
	char count[24];
	snprintf(count, sizeof(count), "%d", n > HOME_TOP_FIELDS ? n - HOME_TOP_FIELDS : 0);
	const char *args[1] = {count};
	return json_pack("{s:o,s:o,s:b,s:b,s:s,s:s,s:s}", "fields", list, "more_fields", more,
			 "has_fields", n > 0, "has_more", n > HOME_TOP_FIELDS, "more_label",
			 i18n_format(r->a, r->lang, "home.fields_more", 1, args), "procedures_fmt",
			 format_thousands(r->a, procedures), "agencies_fmt",
			 format_thousands(r->a, agencies));
}

static void home_build(http_req *r)
{
	struct app *app = http_app(r);
	mc_status rc;
	json_t *ctx = home_context(r, app, &rc);
	enum lang l = r->lang;
	if (!ctx || page_render_to(r, "home", ctx) < 0) {
		pthread_mutex_lock(&cache.mu);
		cache.refreshing[l] = false;
		bool have = cache.html[l] != NULL;
		pthread_mutex_unlock(&cache.mu);
		if (have && r->status == 0) {
			/* Keep serving the last good page while the database is away. */
			pthread_mutex_lock(&cache.mu);
			http_reply(r, 200, "text/html; charset=utf-8", cache.html[l], cache.len[l]);
			pthread_mutex_unlock(&cache.mu);
			return;
		}
		http_reply_status(r, ctx ? MC_INTERNAL : rc);
		return;
	}
	char *copy = malloc(r->out.len + 1);
	if (!copy)
		abort();
	memcpy(copy, r->out.data, r->out.len + 1);
	pthread_mutex_lock(&cache.mu);
	free(cache.html[l]);
	cache.html[l] = copy;
	cache.len[l] = r->out.len;
	cache.built_us[l] = mono_us();
	cache.refreshing[l] = false;
	pthread_mutex_unlock(&cache.mu);
	http_reply_out(r, 200, "text/html; charset=utf-8");
}

void web_home(http_req *r)
{
	enum lang l = r->lang;
	pthread_mutex_lock(&cache.mu);
	bool fresh = cache.html[l] && mono_us() - cache.built_us[l] < HOME_TTL_US;
	if (cache.html[l] && (fresh || cache.refreshing[l])) {
		http_reply(r, 200, "text/html; charset=utf-8", cache.html[l], cache.len[l]);
		pthread_mutex_unlock(&cache.mu);
		return;
	}
	cache.refreshing[l] = true;
	pthread_mutex_unlock(&cache.mu);
	http_defer(r, home_build);
}
