/*
 * page.c - the one way pages are rendered: the shared layout data every
 * template can use, plus the page's own context.
 *
 * Layout data: t (the message catalogue of the request's language), lang,
 * is_en, site_name, year, path, the URL that switches language, and me
 * (name, csrf) when someone is signed in with a browser session.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/log.h"
#include "http/csrf.h"
#include "web/web.h"

static json_t *layout_data(http_req *r, json_t *ctx)
{
	struct app *app = http_app(r);
	if (!ctx)
		ctx = json_object();
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	json_object_set(ctx, "t", i18n_table(r->lang));
	json_object_set_new(ctx, "lang", json_string(lang_code(r->lang)));
	json_object_set_new(ctx, "is_en", json_boolean(r->lang == LANG_EN));
	json_object_set_new(ctx, "site_name", json_string(app->cfg.site_name));
	json_object_set_new(ctx, "year", json_integer(tm.tm_year + 1900));
	json_object_set_new(ctx, "path", json_string(r->path));
	/* A relative "?lang=en" keeps the reader on the same page. */
	json_object_set_new(ctx, "switch_lang_url",
			    json_string(r->lang == LANG_VI ? "?lang=en" : "?lang=vi"));
	if (r->user && !r->user->api)
		json_object_set_new(ctx, "me",
				    json_pack("{s:s,s:s,s:b}", "name", r->user->name, "csrf",
					      csrf_token(r), "officer",
					      (r->user->roles &
					       (ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER)) != 0));
	return ctx;
}

int page_render_to(http_req *r, const char *name, json_t *ctx)
{
	struct app *app = http_app(r);
	ctx = layout_data(r, ctx);
	char err[256];
	buf_reset(&r->out);
	int rc = mu_render(app->templates, name, ctx, &r->out, err, sizeof(err));
	json_decref(ctx);
	if (rc < 0)
		log_error("template %s: %s", name, err);
	return rc;
}

void page_render(http_req *r, int status, const char *name, json_t *ctx)
{
	if (page_render_to(r, name, ctx) < 0) {
		static const char msg[] = "Lỗi hệ thống. / Internal error.";
		http_reply(r, 500, "text/plain; charset=utf-8", msg, sizeof(msg) - 1);
		return;
	}
	http_reply_out(r, status, "text/html; charset=utf-8");
}

void page_error(http_req *r, int status, const char *message)
{
	char key[32];
	snprintf(key, sizeof(key), "http.%d", status);
	const char *title = i18n_get(r->lang, key);
	json_t *ctx = json_pack("{s:i,s:s,s:s}", "status", status, "title",
				strcmp(title, key) == 0 ? i18n_get(r->lang, "http.other") : title,
				"message", message);
	page_render(r, status, "error", ctx);
}
