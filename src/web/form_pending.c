/*
 * form_pending.c - a stand-in for form_pdf (src/domain/forms.h) until
 * src/domain/forms.c (branch wt-forms) is merged: form 05 answers 503.
 * DELETE THIS FILE when forms.c arrives (the link then fails with a
 * duplicate form_pdf, on purpose, so that it cannot be forgotten).
 */
#include <stdio.h>

#include "domain/forms.h"

mc_status form_pdf(const struct form_data *f, buf *out, char *err, size_t errlen)
{
	(void)f;
	(void)out;
	snprintf(err, errlen, "form_pdf is not built in yet (src/domain/forms.c)");
	return MC_BUSY;
}
