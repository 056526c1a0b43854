/* dossier_input.c - form fields and doc_<slot> files into a dossier_input. */
#include "web/dossier_input.h"

#include <string.h>

#include "app.h"
#include "domain/blob.h"
#include "http/upload.h"

/* A text field; absent or blank is NULL. Over-long or damaged text is a
 * field error. */
static const char *field(http_req *r, const char *name, size_t maxlen, struct field_error **errs)
{
	const char *v = NULL;
	if (!http_form_text(r, name, 0, maxlen, &v, errs))
		return NULL;
	return v && *v ? v : NULL;
}

/* "doc_12" -> 12; -1 for any other name. */
static int slot_of(const char *name)
{
	if (strncmp(name, "doc_", 4) != 0 || !name[4] || strlen(name) > 7)
		return -1;
	int n = 0;
	for (const char *p = name + 4; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
	}
	return n < DOSSIER_MAX_SLOTS ? n : -1;
}

static void read_files(http_req *r, struct dossier_input *in, struct field_error **errs)
{
	int n = 0;
	for (const struct upload_file *f = http_upload_files(r); f; f = f->next)
		n++;
	struct dossier_upload *list = arena_calloc(r->a, (size_t)n + 1, sizeof(*list));
	int k = 0;
	for (const struct upload_file *f = http_upload_files(r); f; f = f->next) {
		/* A browser sends an empty part for a file input left empty: no
		 * file for that slot (a required one is reported missing). */
		if (f->size == 0)
			continue;
		int slot = slot_of(f->field);
		if (slot < 0) {
			http_field_error(r, errs, f->field, http_msg(r, "dossier.error.slot"));
			continue;
		}
		if (f->error) {
			http_field_error(r, errs, f->field, http_msg(r, f->error));
			continue;
		}
		/* A second part for the same slot replaces the first. */
		int at = k;
		for (int i = 0; i < k; i++)
			if (list[i].slot == slot)
				at = i;
		list[at] = (struct dossier_upload){slot, f->name, f->sha256, f->mime, f->size, f};
		if (at == k)
			k++;
	}
	in->uploads = list;
	in->nuploads = k;
}

bool dossier_input_read(http_req *r, struct dossier_input *in, struct field_error **errs)
{
	memset(in, 0, sizeof(*in));
	in->account_id = r->user->account_id;
	in->business = strcmp(r->user->kind, "business") == 0;
	in->procedure_code = field(r, "procedure", 16, errs);
	if (r->status)
		return false;
	in->draft_id = field(r, "draft_id", 32, errs);
	in->agency_code = field(r, "agency", 64, errs);
	in->applicant.name = field(r, "name", DOSSIER_NAME_MAX, errs);
	in->applicant.id_number = field(r, "id_number", 20, errs);
	in->applicant.tax_code = field(r, "tax_code", 20, errs);
	in->applicant.birth_date = field(r, "birth_date", 10, errs);
	in->applicant.phone = field(r, "phone", 20, errs);
	in->applicant.email = field(r, "email", 254, errs);
	in->applicant.address = field(r, "address", DOSSIER_ADDRESS_MAX, errs);
	in->return_method = field(r, "return_method", 10, errs);
	in->return_address = field(r, "return_address", DOSSIER_ADDRESS_MAX, errs);
	in->notes = field(r, "notes", DOSSIER_NOTES_MAX, errs);
	read_files(r, in, errs);
	return !r->status;
}

/* The label of a form field, so that a message read in the summary at the
 * top of the page (or by a program) says where the problem is. NULL for
 * document slots, whose messages name the document themselves. */
static const char *label_of(http_req *r, const char *field)
{
	static const char *const known[] = {
		"name",	   "id_number", "tax_code",	 "birth_date",	   "phone", "email",
		"address", "agency",	"return_method", "return_address", "notes"};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(field, known[i]) == 0)
			return http_msg(r, arena_printf(r->a, "dossier.%s", known[i]));
	return NULL;
}

void dossier_input_problems(http_req *r, const struct dossier_problem *p, struct field_error **errs)
{
	for (; p; p = p->next) {
		const char *args[1] = {p->arg ? p->arg : ""};
		const char *msg = i18n_lookup(r->lang, p->key)
					  ? i18n_format(r->a, r->lang, p->key, 1, args)
					  : http_msg(r, "dossier.error.invalid");
		bool seen = false; /* one problem per field: the reader's came first */
		for (const struct field_error *e = *errs; e && !seen; e = e->next)
			seen = strcmp(e->field, p->field) == 0;
		if (seen)
			continue;
		const char *label = label_of(r, p->field);
		if (label)
			msg = arena_printf(r->a, "%s: %s", label, msg);
		http_field_error(r, errs, p->field, msg);
	}
}

void dossier_file_send(http_req *r, const struct dossier_file *f)
{
	struct app *app = http_app(r);
	struct blob_content b;
	mc_status rc = blob_read(app->db, r->a, app->cfg.data_dir, f->blob_hash, &b);
	if (rc != MC_OK) {
		http_reply_status(r, rc == MC_INVALID ? MC_INTERNAL : rc);
		return;
	}
	/* The type decided from the content at upload, never the client's. */
	const char *type = f->mime && *f->mime ? f->mime : "application/octet-stream";
	if (b.fd >= 0) {
		http_reply_file(r, b.fd, b.size, type, f->name);
		return;
	}
	http_add_header(r, "Content-Disposition", http_content_disposition(r->a, f->name));
	http_reply(r, 200, type, b.data, (size_t)b.size);
}
