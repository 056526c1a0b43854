/* pdfcheck.c - the PDF tests' directory and tools (pdfcheck.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdfcheck.h"

static char dir[] = "/tmp/motcua-pdf.XXXXXX";

const char *pdfcheck_dir(void)
{
	return dir;
}

int pdfcheck_setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

int pdfcheck_teardown(void **state)
{
	(void)state;
	if (getenv("PDFCHECK_KEEP")) {
		printf("# kept %s\n", dir);
		return 0;
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

char *pdfcheck_save(buf *out, const char *name)
{
	assert_true(out->len > 1000);
	assert_memory_equal(out->data, "%PDF-", 5);
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(out->data, 1, out->len, f), out->len);
	assert_int_equal(fclose(f), 0);
	buf_release(out);
	return path;
}

char *pdfcheck_run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_true(len > 0 && (size_t)len < sizeof(cmd));
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	buf b = BUF_INIT(64u << 20);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		assert_int_equal(buf_append(&b, chunk, n), 0);
	int st = pclose(p);
	if (st != 0)
		fail_msg("'%s' exited with %d", cmd, st);
	size_t got;
	return buf_detach(&b, &got);
}

char *pdfcheck_qr(const char *path, const char *stem)
{
	free(pdfcheck_run("pdftoppm -r 200 -png -f 1 -l 1 '%s' '%s/%s'", path, dir, stem));
	char *png = pdfcheck_run("ls '%s' | grep '^%s.*png$'", dir, stem);
	png[strcspn(png, "\n")] = '\0';
	char *decoded = pdfcheck_run("zbarimg --raw -q '%s/%s'", dir, png);
	free(png);
	return decoded;
}
