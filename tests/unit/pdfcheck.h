/*
 * pdfcheck.h - what the PDF tests (test_receipt, test_forms) share: one
 * temporary directory per test binary for the files they render, and the
 * tools a reader would use on them (poppler-utils, zbarimg).
 *
 *	return cmocka_run_group_tests(tests, pdfcheck_setup, pdfcheck_teardown);
 *
 * Setting PDFCHECK_KEEP in the environment keeps the directory (printed as
 * a TAP comment) to look at the PDFs.
 */
#ifndef MOTCUA_TEST_PDFCHECK_H
#define MOTCUA_TEST_PDFCHECK_H

#include "core/buf.h"

/* The directory, valid between pdfcheck_setup and pdfcheck_teardown. */
const char *pdfcheck_dir(void);

/* cmocka group setup and teardown: create and remove the directory. */
int pdfcheck_setup(void **state);
int pdfcheck_teardown(void **state);

/* Checks that out holds a PDF, writes it to dir/name and releases out; the
 * path (malloc'd). Fails the test otherwise. */
char *pdfcheck_save(buf *out, const char *name);

/* Standard output of a shell command (malloc'd); fails the test when it
 * does not exit 0. Build commands only from our own temporary paths: no
 * outside text reaches the shell. */
char *pdfcheck_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What the QR code on the first page of the PDF at path says, decoded by
 * zbarimg from a 200 dpi rendering named after stem (malloc'd, ending in
 * a newline as zbarimg prints it). */
char *pdfcheck_qr(const char *path, const char *stem);

#endif
