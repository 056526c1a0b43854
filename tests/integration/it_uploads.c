/*
 * it_uploads.c - uploads against a real motcua, through POST
 * /api/v1/uploads/check (the endpoint that reports what the portal makes of
 * files; the dossier routes take files the same way):
 *   - a real PDF, PNG, JPEG and DOCX are accepted with their type, size and
 *     SHA-256; a ".pdf" that is really HTML is refused as upload.type, a
 *     zero-byte file as upload.empty; "../" and control characters are
 *     taken out of the name;
 *   - a file over 20 MiB gets 413 naming the file; a request announced over
 *     100 MiB gets 413 at once, and one that streams past 100 MiB (chunked)
 *     gets 413 naming the file being received;
 *   - a client that disconnects half-way leaves nothing in DIR/tmp and the
 *     server keeps serving. libmicrohttpd 0.9.75 (epoll, edge-triggered)
 *     can miss a close that arrives together with the last bytes, and then
 *     notices it only when connection_timeout expires: the server here runs
 *     with connection_timeout = 5 and the test allows for that;
 *   - nobody signed in: 401; not multipart: 415; a browser session without
 *     the CSRF field: 403;
 *   - a large (or chunked) upload without credentials, with a token nobody
 *     holds or with an expired session gets 401 as soon as its headers are
 *     in, before any of the body is sent; a session without the route's
 *     role gets 403 the same way.
 * After every request DIR/tmp is empty again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <time.h>

#include "core/buf.h"
#include "harness.h"

static struct it_server srv;
static char api_token[65], web_token[65];
static char auth[128];

#define B	 "it-b0undary"
#define CT_MULTI "Content-Type: multipart/form-data; boundary=" B "\r\n"
#define PATH	 "/api/v1/uploads/check"

static void random_token(char out[65])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, 65, raw, sizeof(raw));
}

static void hash_hex(const void *p, size_t n, char out[65])
{
	unsigned char d[32];
	crypto_hash_sha256(d, p, n);
	sodium_bin2hex(out, 65, d, 32);
}

static int add_session(const char *token, const char *kind, const char *csrf)
{
	char h[65], sql[1024];
	hash_hex(token, 64, h);
	long long now = (long long)time(NULL);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO session (token_hash, account_id, kind, csrf, created_at, last_seen,"
		 " expires_at) VALUES ('%s', 'it-upl-1', '%s', '%s', %lld, %lld, %lld)",
		 h, kind, csrf, now, now, now + 3600);
	return it_db_exec(srv.db_path, sql);
}

static int group_setup(void **state)
{
	struct it_server_opts o = {.conf = "connection_timeout = 5\n"};
	if (sodium_init() < 0 || it_server_start(&srv, &o) != 0)
		return -1;
	random_token(api_token);
	random_token(web_token);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", api_token);
	if (it_db_exec(srv.db_path,
		       "INSERT INTO account (id, login, kind, roles, full_name, password_hash,"
		       " created_at) VALUES ('it-upl-1', 'it-upl-1', 'citizen', 1,"
		       " 'Nguyễn Văn An', 'x', '2026-01-01 08:00:00')") != 0 ||
	    add_session(api_token, "api", "") != 0 ||
	    add_session(web_token, "web",
			"0000000000000000000000000000000000000000000000000000000000000000") != 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	int st = it_server_stop(&srv);
	if (st != 0)
		it_server_dump_log(&srv);
	it_server_free(&srv);
	return st == 0 ? 0 : -1;
}

/* Files in DIR/tmp now. */
static int tmp_files(void)
{
	char dir[PATH_MAX + 16];
	snprintf(dir, sizeof(dir), "%s/tmp", srv.data);
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	return n;
}

/* DIR/tmp empties once the request has completed (just after the reply,
 * or once the server has noticed that the client left). */
static bool tmp_empty_soon(void)
{
	for (int i = 0; i < 1200; i++) {
		if (tmp_files() == 0)
			return true;
		usleep(25000);
	}
	return false;
}

static void part_text(buf *b, const char *name, const char *value)
{
	buf_printf(b, "--" B "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", name,
		   value);
}

static void part_file_head(buf *b, const char *field, const char *filename, const char *ctype)
{
	buf_printf(b,
		   "--" B "\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
		   "Content-Type: %s\r\n\r\n",
		   field, filename, ctype);
}

static void part_file(buf *b, const char *field, const char *filename, const void *p, size_t n)
{
	part_file_head(b, field, filename, "application/pdf");
	buf_append(b, p, n);
	buf_puts(b, "\r\n");
}

/* A minimal DOCX (a zip with the parts Word needs to see) in memory. */
static size_t make_docx(unsigned char *out, size_t cap)
{
	struct archive *ar = archive_write_new();
	size_t used = 0;
	archive_write_set_format_zip(ar);
	archive_write_open_memory(ar, out, cap, &used);
	static const char *const names[] = {"[Content_Types].xml", "_rels/.rels",
					    "word/document.xml"};
	static const char xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document/>";
	for (size_t i = 0; i < 3; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_size(e, sizeof(xml) - 1);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_write_header(ar, e);
		archive_write_data(ar, xml, sizeof(xml) - 1);
		archive_entry_free(e);
	}
	archive_write_close(ar);
	archive_write_free(ar);
	return used;
}

static json_t *find_field(json_t *files, const char *field)
{
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f)
	{
		if (strcmp(json_string_value(json_object_get(f, "field")), field) == 0)
			return f;
	}
	fail_msg("no file for field %s", field);
	return NULL;
}

static void assert_file(json_t *files, const char *field, const char *name, const char *mime,
			const char *error, const void *bytes, size_t n)
{
	json_t *f = find_field(files, field);
	assert_string_equal(json_string_value(json_object_get(f, "name")), name);
	assert_string_equal(json_string_value(json_object_get(f, "mime")), mime);
	assert_int_equal(json_integer_value(json_object_get(f, "size")), n);
	char h[65];
	hash_hex(bytes, n, h);
	assert_string_equal(json_string_value(json_object_get(f, "sha256")), h);
	json_t *e = json_object_get(f, "error");
	if (error)
		assert_string_equal(json_string_value(e), error);
	else
		assert_true(json_is_null(e));
}

static void test_real_files(void **state)
{
	static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n";
	static const unsigned char png[] = {0x89, 'P', 'N',  'G',  '\r', '\n', 0x1a, '\n', 0,
					    0,	  0,   13,   'I',  'H',	 'D',  'R',  0,	   0,
					    0,	  1,   0,    0,	   0,	 1,    8,    6,	   0,
					    0,	  0,   0x1f, 0x15, 0xc4, 0x89, 0,    0,	   0,
					    0,	  'I', 'E',  'N',  'D',	 0xae, 0x42, 0x60, 0x82};
	static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0,	   0x10, 'J', 'F',
					     'I',  'F',	 0,    1,    1,	   0,	 0,   1,
					     0,	   1,	 0,    0,    0xff, 0xd9};
	static const char html[] = "<!DOCTYPE html><html><body>not a pdf</body></html>\n";
	static unsigned char docx[8192];
	size_t docx_n = make_docx(docx, sizeof(docx));
	assert_true(docx_n > 0);

	buf body;
	buf_init(&body, 1 << 24);
	part_text(&body, "procedure", "1.001193");
	part_file(&body, "doc_0", "Tờ khai.pdf", pdf, sizeof(pdf) - 1);
	part_file(&body, "doc_1", "ảnh.png", png, sizeof(png));
	part_file(&body, "doc_2", "chân dung.jpg", jpeg, sizeof(jpeg));
	part_file(&body, "doc_3", "đơn.docx", docx, docx_n);
	part_file(&body, "doc_4", "hoa don.pdf", html, sizeof(html) - 1);
	part_file(&body, "doc_5", "trống.pdf", "", 0);
	part_file(&body, "doc_6", "../../etc/pa\x01ss\x7fwd:.pdf", pdf, sizeof(pdf) - 1);
	buf_puts(&body, "--" B "--\r\n");

	char headers[512];
	snprintf(headers, sizeof(headers), "%s" CT_MULTI, auth);
	struct http_resp r;
	int rc = http_fetch(srv.port, "POST", PATH, headers, body.data, body.len, &r);
	assert_response(rc, &r, 200);
	assert_null(it_security_problem(&r));
	json_t *doc = json_loads(r.body, 0, NULL);
	assert_non_null(doc);
	json_t *files = json_object_get(doc, "files");
	assert_int_equal(json_array_size(files), 7);
	assert_file(files, "doc_0", "Tờ khai.pdf", "application/pdf", NULL, pdf, sizeof(pdf) - 1);
	assert_file(files, "doc_1", "ảnh.png", "image/png", NULL, png, sizeof(png));
	assert_file(files, "doc_2", "chân dung.jpg", "image/jpeg", NULL, jpeg, sizeof(jpeg));
	assert_file(files, "doc_3", "đơn.docx",
		    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", NULL,
		    docx, docx_n);
	assert_file(files, "doc_4", "hoa don.pdf", "text/html", "upload.type", html,
		    sizeof(html) - 1);
	assert_file(files, "doc_5", "trống.pdf",
		    json_string_value(json_object_get(find_field(files, "doc_5"), "mime")),
		    "upload.empty", "", 0);
	assert_file(files, "doc_6", "passwd.pdf", "application/pdf", NULL, pdf, sizeof(pdf) - 1);
	/* The message for the refused file is in the request's language. */
	assert_non_null(
		strstr(json_string_value(json_object_get(find_field(files, "doc_4"), "message")),
		       "không được chấp nhận"));
	json_decref(doc);
	http_resp_free(&r);
	buf_release(&body);
	assert_true(tmp_empty_soon());
}

/* Sends a body of one file of n zero bytes as field doc_0 named name. */
static int send_big_file(const char *name, size_t n, struct http_resp *r)
{
	buf head;
	buf_init(&head, 4096);
	part_file_head(&head, "doc_0", name, "application/pdf");
	const char tail[] = "\r\n--" B "--\r\n";
	size_t total = head.len + n + sizeof(tail) - 1;
	http_conn c;
	if (http_connect(&c, srv.port) < 0)
		return -1;
	char req[1024];
	snprintf(req, sizeof(req),
		 "POST " PATH " HTTP/1.1\r\nHost: 127.0.0.1\r\n%s" CT_MULTI
		 "Content-Length: %zu\r\n\r\n",
		 auth, total);
	int rc = http_send_str(&c, req);
	rc = rc ? rc : http_send(&c, head.data, head.len);
	static char zeros[1 << 20];
	for (size_t sent = 0; rc == 0 && sent < n; sent += sizeof(zeros))
		rc = http_send(&c, zeros, n - sent < sizeof(zeros) ? n - sent : sizeof(zeros));
	rc = rc ? rc : http_send(&c, tail, sizeof(tail) - 1);
	rc = rc ? rc : http_read(&c, r, IT_TIMEOUT_MS * 3);
	http_close(&c);
	buf_release(&head);
	return rc;
}

static void test_file_over_20m(void **state)
{
	struct http_resp r;
	int rc = send_big_file("abc.pdf", (20u << 20) + 1, &r);
	assert_response(rc, &r, 413);
	assert_non_null(strstr(r.body, "Tệp \\\"abc.pdf\\\" vượt quá 20 MB"));
	http_resp_free(&r);
	assert_true(tmp_empty_soon());

	/* Exactly 20 MiB is allowed (and then refused by type, being zeros). */
	rc = send_big_file("vừa.pdf", 20u << 20, &r);
	assert_response(rc, &r, 200);
	assert_non_null(strstr(r.body, "upload.type"));
	http_resp_free(&r);
	assert_true(tmp_empty_soon());
}

static void test_request_over_100m(void **state)
{
	/* Announced: refused before any byte of the body is read. */
	char headers[512];
	snprintf(headers, sizeof(headers), "%s" CT_MULTI "Content-Length: %llu\r\n", auth,
		 (unsigned long long)(100u << 20) + 1);
	http_conn c;
	assert_int_equal(http_connect(&c, srv.port), 0);
	char req[1024];
	snprintf(req, sizeof(req), "POST " PATH " HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", headers);
	assert_int_equal(http_send_str(&c, req), 0);
	struct http_resp r;
	int rc = http_read(&c, &r, IT_TIMEOUT_MS);
	assert_response(rc, &r, 413);
	assert_non_null(strstr(r.body, "vượt quá 100 MB"));
	http_resp_free(&r);
	http_close(&c);

	/* Streamed (chunked, no length): six files of 18 MiB; the sixth passes
	 * 100 MiB and is named. */
	assert_int_equal(http_connect(&c, srv.port), 0);
	snprintf(req, sizeof(req),
		 "POST " PATH " HTTP/1.1\r\nHost: 127.0.0.1\r\n%s" CT_MULTI
		 "Transfer-Encoding: chunked\r\n\r\n",
		 auth);
	assert_int_equal(http_send_str(&c, req), 0);
	static char zeros[1 << 20];
	char line[64];
	rc = 0;
	for (int i = 0; rc == 0 && i < 6; i++) {
		buf head;
		buf_init(&head, 4096);
		char name[32];
		snprintf(name, sizeof(name), "tệp-%d.pdf", i + 1);
		part_file_head(&head, "doc", name, "application/pdf");
		snprintf(line, sizeof(line), "%zx\r\n", head.len);
		rc = http_send_str(&c, line);
		rc = rc ? rc : http_send(&c, head.data, head.len);
		rc = rc ? rc : http_send_str(&c, "\r\n");
		for (int m = 0; rc == 0 && m < 18; m++) {
			snprintf(line, sizeof(line), "%zx\r\n", sizeof(zeros));
			rc = http_send_str(&c, line);
			rc = rc ? rc : http_send(&c, zeros, sizeof(zeros));
			rc = rc ? rc : http_send_str(&c, "\r\n");
		}
		/* the CRLF that comes before the next delimiter */
		rc = rc ? rc : http_send_str(&c, "2\r\n\r\n\r\n");
		buf_release(&head);
	}
	snprintf(line, sizeof(line), "%zx\r\n", strlen("--" B "--\r\n"));
	rc = rc ? rc : http_send_str(&c, line);
	rc = rc ? rc : http_send_str(&c, "--" B "--\r\n\r\n0\r\n\r\n");
	assert_int_equal(rc, 0);
	rc = http_read(&c, &r, IT_TIMEOUT_MS * 3);
	assert_response(rc, &r, 413);
	assert_non_null(strstr(r.body, "100 MB"));
	assert_non_null(strstr(r.body, "tệp-6.pdf"));
	http_resp_free(&r);
	http_close(&c);
	assert_true(tmp_empty_soon());
}

static void test_disconnect_half_way(void **state)
{
	buf head;
	buf_init(&head, 4096);
	part_file_head(&head, "doc_0", "nửa.pdf", "application/pdf");
	http_conn c;
	assert_int_equal(http_connect(&c, srv.port), 0);
	char req[1024];
	snprintf(req, sizeof(req),
		 "POST " PATH " HTTP/1.1\r\nHost: 127.0.0.1\r\n%s" CT_MULTI
		 "Content-Length: %u\r\n\r\n",
		 auth, 10u << 20);
	assert_int_equal(http_send_str(&c, req), 0);
	assert_int_equal(http_send(&c, head.data, head.len), 0);
	static char bytes[1 << 20];
	memcpy(bytes, "%PDF-1.4\n", 9);
	assert_int_equal(http_send(&c, bytes, sizeof(bytes)), 0);
	/* The temporary file exists while the body arrives ... */
	bool seen = false;
	for (int i = 0; i < 400 && !seen; i++) {
		seen = tmp_files() == 1;
		if (!seen)
			usleep(25000);
	}
	assert_true(seen);
	/* ... and is gone once the client has left. */
	http_close(&c);
	assert_true(tmp_empty_soon());
	struct http_resp r;
	assert_response(http_fetch(srv.port, "GET", "/healthz", NULL, NULL, 0, &r), &r, 200);
	http_resp_free(&r);
	buf_release(&head);
}

static void test_refusals(void **state)
{
	const char body[] = "--" B "\r\nContent-Disposition: form-data; name=\"doc_0\"; "
			    "filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n--" B "--\r\n";
	struct http_resp r;
	/* Nobody signed in. */
	assert_response(http_fetch(srv.port, "POST", PATH, CT_MULTI, body, sizeof(body) - 1, &r),
			&r, 401);
	http_resp_free(&r);
	/* Not multipart. */
	char headers[512];
	snprintf(headers, sizeof(headers), "%sContent-Type: application/x-www-form-urlencoded\r\n",
		 auth);
	assert_response(http_fetch(srv.port, "POST", PATH, headers, "a=1", 3, &r), &r, 415);
	http_resp_free(&r);
	/* Multipart cut short. */
	snprintf(headers, sizeof(headers), "%s" CT_MULTI, auth);
	assert_response(http_fetch(srv.port, "POST", PATH, headers, body, sizeof(body) - 10, &r),
			&r, 400);
	http_resp_free(&r);
	/* A browser session must send the CSRF field; with it, it passes. */
	snprintf(headers, sizeof(headers), "Cookie: mc_session=%s; csrf=%064d\r\n" CT_MULTI,
		 web_token, 0);
	assert_response(http_fetch(srv.port, "POST", PATH, headers, body, sizeof(body) - 1, &r), &r,
			403);
	http_resp_free(&r);
	buf b;
	buf_init(&b, 4096);
	part_text(&b, "csrf", "0000000000000000000000000000000000000000000000000000000000000000");
	buf_append(&b, body, sizeof(body) - 1);
	assert_response(http_fetch(srv.port, "POST", PATH, headers, b.data, b.len, &r), &r, 200);
	assert_non_null(strstr(r.body, "\"count\":1"));
	http_resp_free(&r);
	buf_release(&b);
	assert_true(tmp_empty_soon());
}

/* Sends only the headers of an upload announced with extra (a length or
 * chunked) and reads the reply, which must come before any body. */
static void expect_refused_unread(const char *credentials, const char *extra, int status)
{
	http_conn c;
	assert_int_equal(http_connect(&c, srv.port), 0);
	char req[1024];
	snprintf(req, sizeof(req),
		 "POST " PATH " HTTP/1.1\r\nHost: 127.0.0.1\r\n%s" CT_MULTI "%s\r\n", credentials,
		 extra);
	assert_int_equal(http_send_str(&c, req), 0);
	struct http_resp r;
	int rc = http_read(&c, &r, IT_TIMEOUT_MS);
	assert_response(rc, &r, status);
	http_resp_free(&r);
	http_close(&c);
	assert_int_equal(tmp_files(), 0);
}

static void test_refused_before_body(void **state)
{
	char other[65], expired[65], officer[65], h[256];
	random_token(other);
	random_token(expired);
	random_token(officer);
	char hash[65], sql[1024];
	hash_hex(expired, 64, hash);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO session (token_hash, account_id, kind, csrf, created_at, last_seen,"
		 " expires_at) VALUES ('%s', 'it-upl-1', 'api', '', 1000, 1000, 2000)",
		 hash);
	assert_int_equal(it_db_exec(srv.db_path, sql), 0);
	/* An account that holds none of the route's roles (an officer whose
	 * roles were all taken away). */
	assert_int_equal(it_db_exec(srv.db_path,
				    "INSERT INTO account (id, login, kind, roles, full_name,"
				    " password_hash, created_at) VALUES ('it-upl-2', 'it-upl-2',"
				    " 'officer', 0, 'Trần Thị Bình', 'x', '2026-01-01 08:00:00')"),
			 0);
	hash_hex(officer, 64, hash);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO session (token_hash, account_id, kind, csrf, created_at, last_seen,"
		 " expires_at) VALUES ('%s', 'it-upl-2', 'api', '', %lld, %lld, %lld)",
		 hash, (long long)time(NULL), (long long)time(NULL), (long long)time(NULL) + 3600);
	assert_int_equal(it_db_exec(srv.db_path, sql), 0);

	const char *bodies[] = {"Content-Length: 52428800\r\n", "Transfer-Encoding: chunked\r\n"};
	for (int i = 0; i < 2; i++) {
		expect_refused_unread("", bodies[i], 401);
		snprintf(h, sizeof(h), "Authorization: Bearer %s\r\n", other);
		expect_refused_unread(h, bodies[i], 401);
		snprintf(h, sizeof(h), "Authorization: Bearer %s\r\n", expired);
		expect_refused_unread(h, bodies[i], 401);
		snprintf(h, sizeof(h), "Cookie: mc_session=%s\r\n", other);
		expect_refused_unread(h, bodies[i], 401);
		snprintf(h, sizeof(h), "Authorization: Bearer %s\r\n", officer);
		expect_refused_unread(h, bodies[i], 403);
	}
	/* The server still serves the rightful sender. */
	const char body[] = "--" B "\r\nContent-Disposition: form-data; name=\"doc_0\"; "
			    "filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n--" B "--\r\n";
	char headers[512];
	snprintf(headers, sizeof(headers), "%s" CT_MULTI, auth);
	struct http_resp r;
	assert_response(http_fetch(srv.port, "POST", PATH, headers, body, sizeof(body) - 1, &r), &r,
			200);
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_files),
		cmocka_unit_test(test_file_over_20m),
		cmocka_unit_test(test_request_over_100m),
		cmocka_unit_test(test_disconnect_half_way),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_refused_before_body),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
