/*
 * static.c - the files under static/, compiled into the binary and served
 * with their MIME type, a strong ETag and Cache-Control. Nothing is read
 * from disk, so no request path can reach a file outside static/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assets.h"
#include "web/web.h"

struct etag {
	const struct asset *a;
	char tag[24];
};

static struct etag *etags;
static size_t netags;

static const struct {
	const char *ext, *type;
} mime[] = {
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".ico", "image/x-icon"},
	{".txt", "text/plain; charset=utf-8"},
	{".woff2", "font/woff2"},
	{".webmanifest", "application/manifest+json"},
	{".html", "text/html; charset=utf-8"},
	{".json", "application/json; charset=utf-8"},
	{".pdf", "application/pdf"},
};

static const char *mime_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof(mime) / sizeof(mime[0]); i++)
		if (strcmp(dot, mime[i].ext) == 0)
			return mime[i].type;
	return "application/octet-stream";
}

void static_init(void)
{
	size_t n = 0;
	for (const struct asset *a = motcua_assets; a->name; a++)
		if (strncmp(a->name, "static/", 7) == 0)
			n++;
	free(etags);
	etags = calloc(n ? n : 1, sizeof(*etags));
	if (!etags)
		abort();
	netags = 0;
	for (const struct asset *a = motcua_assets; a->name; a++) {
		if (strncmp(a->name, "static/", 7) != 0)
			continue;
		uint64_t h = 14695981039346656037ull;
		for (size_t i = 0; i < a->len; i++)
			h = (h ^ (unsigned char)a->data[i]) * 1099511628211ull;
		etags[netags].a = a;
		snprintf(etags[netags].tag, sizeof(etags[netags].tag), "\"%016llx\"",
			 (unsigned long long)h);
		netags++;
	}
}

static const struct etag *find(const char *name)
{
	for (size_t i = 0; i < netags; i++)
		if (strcmp(etags[i].a->name, name) == 0)
			return &etags[i];
	return NULL;
}

void web_static(http_req *r)
{
	const char *p = r->path;
	if (strncmp(p, "/static/", 8) == 0)
		p += 8;
	else
		p += 1; /* /favicon.ico, /robots.txt */
	char name[256];
	int n = snprintf(name, sizeof(name), "static/%s", p);
	const struct etag *e = (n > 0 && (size_t)n < sizeof(name)) ? find(name) : NULL;
	if (!e) {
		http_reply_error(r, 404, http_msg(r, "error.not_found"));
		return;
	}
	http_add_header(r, "ETag", e->tag);
	http_add_header(r, "Cache-Control", "public, max-age=86400");
	const char *inm = http_header(r, "If-None-Match");
	if (inm && (strstr(inm, e->tag) || strcmp(inm, "*") == 0)) {
		http_reply_static(r, 304, mime_of(name), "", 0);
		return;
	}
	http_reply_static(r, 200, mime_of(name), e->a->data, e->a->len);
}
