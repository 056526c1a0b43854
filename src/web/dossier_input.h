/*
 * dossier_input.h - reads the dossier form (hồ sơ) of a request, for both
 * the portal's form page and POST /api/v1/dossiers: the text fields and the
 * uploaded files named doc_<slot>. It decides nothing about the dossier
 * itself (src/domain/dossier.c does): it only turns HTTP into a
 * struct dossier_input, and domain problems into field errors.
 */
#ifndef MOTCUA_WEB_DOSSIER_INPUT_H
#define MOTCUA_WEB_DOSSIER_INPUT_H

#include <stdbool.h>

#include "domain/dossier.h"
#include "http/request.h"

/*
 * Fills *in from the request's form fields and files; the signed-in
 * account is the applicant. Problems with single values (too long, a file
 * of a refused type) are appended to *errs. Returns false when the request
 * was already answered (a body that is not a form at all).
 */
bool dossier_input_read(http_req *r, struct dossier_input *in, struct field_error **errs);

/* Appends the domain's problems, translated, to *errs, leaving out fields
 * that already have one. */
void dossier_input_problems(http_req *r, const struct dossier_problem *p,
			    struct field_error **errs);

/* Sends the bytes of a dossier's file as an attachment (Content-
 * Disposition with its name). */
void dossier_file_send(http_req *r, const struct dossier_file *f);

/*
 * dossiers.c: the dossier form page of procedure p filled with *in; files
 * already kept by the draft (may be NULL) are listed in their slots. desk:
 * a desk officer enters an in-person dossier (posts to /can-bo/tiep-nhan,
 * no draft, the officer's own agency).
 */
void dossier_form_render(http_req *r, int status, const struct procedure_rec *p,
			 const struct dossier_input *in, const struct dossier *draft,
			 const struct field_error *errs, bool saved, bool desk);

#endif
