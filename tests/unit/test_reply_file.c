/*
 * test_reply_file.c - the server end of uploads and downloads, in process:
 * an http_server over a route table of this test's own (never the real
 * one) answers with http_reply_file (the bytes of the file, an attachment
 * named in RFC 6266 form, nosniff, the descriptor closed afterwards, HEAD
 * without a body) and http_reply_attachment (the same from memory) and takes an RT_UPLOAD body (files typed by content
 * before the handler runs, text fields through http_form_text, temporary
 * files gone once the request completes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/i18n.h"
#include "http/server.h"
#include "http/upload.h"

static char dir[PATH_MAX];
static char file_path[PATH_MAX + 16];
static const char file_bytes[] = "%PDF-1.4\nbytes of a stored file\n%%EOF\n";
static http_server *srv;

static void h_download(http_req *r)
{
	int fd = open(file_path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	http_reply_file(r, fd, sizeof(file_bytes) - 1, "application/pdf", "Giấy khai sinh.pdf");
}

static void h_download_mem(http_req *r)
{
	http_reply_attachment(r, file_bytes, sizeof(file_bytes) - 1, "application/pdf",
			      "kết quả.pdf");
}

static void h_upload(http_req *r)
{
	const char *note;
	if (!http_form_text(r, "note", 1, 100, &note, NULL))
		return;
	buf *o = &r->out;
	buf_printf(o, "note=%s\n", note);
	/* The bytes are there for the handler: a small file in memory (its
	 * first bytes checked), a larger one in its temporary file. */
	for (const struct upload_file *f = http_upload_files(r); f; f = f->next)
		buf_printf(o, "%s %s %llu %s %s %s exists=%d\n", f->field, f->name,
			   (unsigned long long)f->size, f->sha256, f->mime,
			   f->error ? f->error : "-",
			   f->path ? access(f->path, F_OK) == 0
				   : f->data && f->size >= 5 && memcmp(f->data, "%PDF-", 5) == 0);
	http_reply_out(r, 200, "text/plain; charset=utf-8");
}

static const struct route routes[] = {
	{"GET", "/download", h_download, ROLE_PUBLIC, RT_WORKER, 0},
	{"POST", "/upload", h_upload, ROLE_PUBLIC, RT_WORKER | RT_UPLOAD, 0},
	{"GET", "/download-mem", h_download_mem, ROLE_PUBLIC, RT_WORKER, 0},
};

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static int group_setup(void **state)
{
	char err[512];
	snprintf(dir, sizeof(dir), "/tmp/test_reply_file.XXXXXX");
	if (!mkdtemp(dir) || i18n_init(err, sizeof(err)) < 0)
		return -1;
	snprintf(file_path, sizeof(file_path), "%s/stored", dir);
	FILE *fp = fopen(file_path, "wb");
	fwrite(file_bytes, 1, sizeof(file_bytes) - 1, fp);
	fclose(fp);
	struct config cfg;
	config_defaults(&cfg, dir);
	cfg.listen_port = 0;
	cfg.workers = 1;
	cfg.io_threads = 1;
	snprintf(cfg.access_log, sizeof(cfg.access_log), "off");
	srv = http_server_start(&cfg, routes, sizeof(routes) / sizeof(routes[0]), NULL, err,
				sizeof(err));
	if (!srv)
		fprintf(stderr, "test_reply_file: %s\n", err);
	return srv ? 0 : -1;
}

static int group_teardown(void **state)
{
	http_server_stop(srv, 5);
	char p[PATH_MAX + 16];
	unlink(file_path);
	snprintf(p, sizeof(p), "%s/tmp", dir);
	rmdir(p);
	rmdir(dir);
	return 0;
}

/* Sends req on a new connection (Connection: close) and returns everything
 * the server answered (malloc'd). */
static char *exchange(const char *req, size_t len, size_t *outlen)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(http_server_port(srv))};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	for (size_t sent = 0; sent < len;) {
		ssize_t w = write(fd, req + sent, len - sent);
		assert_true(w > 0);
		sent += (size_t)w;
	}
	buf in;
	buf_init(&in, 1 << 20);
	char chunk[4096];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(&in, chunk, (size_t)n);
	close(fd);
	return buf_detach(&in, outlen);
}

static void test_download(void **state)
{
	int before = open_fds();
	const char req[] = "GET /download HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	size_t len;
	char *resp = exchange(req, sizeof(req) - 1, &len);
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	assert_non_null(strstr(resp, "Content-Type: application/pdf\r\n"));
	assert_non_null(strstr(resp, "X-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strstr(resp,
			       "Content-Disposition: attachment; filename=\"Gi_y khai sinh.pdf\"; "
			       "filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf\r\n"));
	char cl[64];
	snprintf(cl, sizeof(cl), "Content-Length: %zu\r\n", sizeof(file_bytes) - 1);
	assert_non_null(strstr(resp, cl));
	const char *body = strstr(resp, "\r\n\r\n") + 4;
	assert_int_equal(len - (size_t)(body - resp), sizeof(file_bytes) - 1);
	assert_memory_equal(body, file_bytes, sizeof(file_bytes) - 1);
	free(resp);

	const char head[] = "HEAD /download HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	resp = exchange(head, sizeof(head) - 1, &len);
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	assert_int_equal(strlen(strstr(resp, "\r\n\r\n")), 4); /* headers only */
	free(resp);
	/* The server closed the file (after completion: allow it a moment). */
	for (int i = 0; i < 200 && open_fds() > before; i++)
		usleep(10000);
	assert_int_equal(open_fds(), before);

	/* Bytes from memory (a blob from PostgreSQL) go out the same way. */
	const char mem[] = "GET /download-mem HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	resp = exchange(mem, sizeof(mem) - 1, &len);
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	assert_non_null(strstr(resp, "Content-Disposition: attachment; filename=\"k_t qu_.pdf\"; "
				     "filename*=UTF-8''k%E1%BA%BFt%20qu%E1%BA%A3.pdf\r\n"));
	body = strstr(resp, "\r\n\r\n") + 4;
	assert_memory_equal(body, file_bytes, sizeof(file_bytes) - 1);
	free(resp);
}

static int tmp_count(void)
{
	char p[PATH_MAX + 16];
	snprintf(p, sizeof(p), "%s/tmp", dir);
	DIR *d = opendir(p);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_upload(void **state)
{
	const char body[] = "--zz\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nHồ sơ\r\n"
			    "--zz\r\nContent-Disposition: form-data; name=\"doc_0\"; "
			    "filename=\"C:\\\\x\\\\đơn.pdf\"\r\nContent-Type: image/png\r\n\r\n"
			    "%PDF-1.4\n%%EOF\n\r\n--zz--\r\n";
	char req[2048];
	int n = snprintf(req, sizeof(req),
			 "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			 "Content-Type: multipart/form-data; boundary=zz\r\n"
			 "Content-Length: %zu\r\n\r\n%s",
			 sizeof(body) - 1, body);
	size_t len;
	char *resp = exchange(req, (size_t)n, &len);
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	assert_non_null(strstr(resp, "note=Hồ sơ\n"));
	/* The declared image/png is ignored; the file was there for the handler. */
	assert_non_null(strstr(resp, "doc_0 đơn.pdf 15 "));
	assert_non_null(strstr(resp, " application/pdf - exists=1\n"));
	free(resp);
	for (int i = 0; i < 200 && tmp_count() > 0; i++)
		usleep(10000);
	assert_int_equal(tmp_count(), 0);

	/* Not multipart on an upload route: 415. */
	const char bad[] = "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			   "Content-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc";
	resp = exchange(bad, sizeof(bad) - 1, &len);
	assert_non_null(strstr(resp, "HTTP/1.1 415"));
	free(resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_download),
		cmocka_unit_test(test_upload),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
