/*
 * uploads.c - POST /api/v1/uploads/check: a client sends the files it is
 * about to attach to a dossier and learns, before submitting, what the
 * portal makes of each one (safe name, size, SHA-256, type by content, and
 * why it would be refused). Nothing is kept: the temporary files are
 * removed when the request completes.
 */
#include "api/api.h"
#include "http/csrf.h"
#include "http/upload.h"

void api_uploads_check(http_req *r)
{
	/* A browser session proves the form came from our pages; a bearer
	 * token is not sent by browsers on their own. */
	if (r->user && !r->user->api && !csrf_check(r))
		return;
	json_t *files = json_array();
	size_t n = 0;
	for (const struct upload_file *f = http_upload_files(r); f; f = f->next, n++) {
		json_array_append_new(
			files, json_pack("{s:s,s:s,s:I,s:s,s:s,s:s?,s:s?}", "field", f->field,
					 "name", f->name, "size", (json_int_t)f->size, "sha256",
					 f->sha256, "mime", f->mime, "error", f->error, "message",
					 f->error ? http_msg(r, f->error) : NULL));
	}
	json_t *doc = json_pack("{s:o,s:I}", "files", files, "count", (json_int_t)n);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}
