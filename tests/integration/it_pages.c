/*
 * it_pages.c - the portal's pages as a browser meets them, on a real motcua
 * with the Ninh Bình demo loaded: the home page in Vietnamese and English,
 * static files and their caching, and the whole góp ý (feedback) flow from
 * the form to the row in DIR/motcua.db, including 50 submissions at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "harness.h"

static struct it_server srv;

/* Any well-formed token passes the CSRF check when cookie and field agree. */
#define TOKEN	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define TOKEN_HDR   "Cookie: csrf=" TOKEN "\r\n"
#define OTHER_TOKEN "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static int group_setup(void **state)
{
	struct it_server_opts o = {.demo = true};
	return it_server_start(&srv, &o) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	int st = it_server_stop(&srv);
	if (st != 0)
		it_server_dump_log(&srv);
	it_server_free(&srv);
	return st == 0 ? 0 : -1;
}

/* ---- helpers ---- */

static char *nfd(const char *s)
{
	return (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);
}

static bool is_nfc(const char *s)
{
	char *n = (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
	bool same = n && strcmp(n, s) == 0;
	free(n);
	return same;
}

/* "k1=v1&k2=v2..." from NULL-terminated pairs, values url-encoded. */
static char *form_of(const char *const kv[])
{
	size_t cap = 64;
	for (int i = 0; kv[i]; i += 2)
		cap += strlen(kv[i]) + strlen(kv[i + 1]) * 3 + 2;
	char *out = malloc(cap);
	assert_non_null(out);
	size_t n = 0;
	for (int i = 0; kv[i]; i += 2) {
		char *v = it_urlencode(kv[i + 1]);
		n += (size_t)snprintf(out + n, cap - n, "%s%s=%s", i ? "&" : "", kv[i], v);
		free(v);
	}
	return out;
}

static struct http_resp get_page(const char *path, const char *headers, int want)
{
	struct http_resp r;
	assert_response(http_fetch(srv.port, "GET", path, headers, NULL, 0, &r), &r, want);
	return r;
}

static struct http_resp post_form(const char *form, const char *headers, int want)
{
	char h[1024];
	snprintf(h, sizeof(h), "Content-Type: application/x-www-form-urlencoded\r\n%s",
		 headers ? headers : "");
	struct http_resp r;
	int rc = http_fetch(srv.port, "POST", "/gop-y", h, form, strlen(form), &r);
	assert_int_equal(rc, 0);
	if (r.status != want)
		fail_msg("POST /gop-y: %d, wanted %d; body: %.300s", r.status, want, r.body);
	return r;
}

static void assert_contains(const char *body, const char *needle)
{
	if (!strstr(body, needle))
		fail_msg("page does not contain \"%s\"", needle);
}

static void assert_lacks(const char *body, const char *needle)
{
	if (strstr(body, needle))
		fail_msg("page contains \"%s\"", needle);
}

static long long count_rows(const char *sql, const char *arg)
{
	long long n = it_db_count(srv.db_path, sql, arg);
	assert_true(n >= 0);
	return n;
}

/* ---- home page and languages ---- */

static void test_home_is_vietnamese_nfc_by_default(void **state)
{
	struct http_resp r = get_page("/", NULL, 200);
	assert_non_null(strstr(http_resp_header(&r, "Content-Type"), "text/html; charset=utf-8"));
	assert_contains(r.body, "<html lang=\"vi\">");
	assert_contains(r.body, "Thủ tục theo lĩnh vực");
	assert_true(is_nfc(r.body));
	http_resp_free(&r);
}

static void test_home_in_english_from_accept_language(void **state)
{
	struct http_resp r = get_page("/", "Accept-Language: en-US,en;q=0.9\r\n", 200);
	assert_contains(r.body, "<html lang=\"en\">");
	assert_contains(r.body, "Procedures by field");
	assert_lacks(r.body, "Thủ tục theo lĩnh vực");
	http_resp_free(&r);
	/* Vietnamese preferred over English stays Vietnamese. */
	r = get_page("/", "Accept-Language: en;q=0.5, vi\r\n", 200);
	assert_contains(r.body, "<html lang=\"vi\">");
	http_resp_free(&r);
}

static void test_lang_query_switches_and_the_cookie_sticks(void **state)
{
	struct http_resp r = get_page("/?lang=en", "Accept-Language: vi\r\n", 200);
	assert_contains(r.body, "<html lang=\"en\">");
	char *lang = it_set_cookie(&r, "lang");
	assert_non_null(lang);
	assert_string_equal(lang, "en");
	free(lang);
	http_resp_free(&r);

	/* The cookie alone keeps English, on another page too, over the
	 * browser's Accept-Language. */
	r = get_page("/gop-y", "Cookie: lang=en\r\nAccept-Language: vi\r\n", 200);
	assert_contains(r.body, "<html lang=\"en\">");
	assert_contains(r.body, "Feedback about the portal");
	http_resp_free(&r);

	/* And ?lang=vi switches back. */
	r = get_page("/?lang=vi", "Cookie: lang=en\r\n", 200);
	assert_contains(r.body, "<html lang=\"vi\">");
	lang = it_set_cookie(&r, "lang");
	assert_non_null(lang);
	assert_string_equal(lang, "vi");
	free(lang);
	http_resp_free(&r);
}

static void test_home_figures_use_dots_for_thousands(void **state)
{
	/* 'init --demo' said how many procedures it loaded. */
	char *out = it_read_file(srv.init_out, NULL);
	assert_non_null(out);
	const char *p = strstr(out, "fields, ");
	assert_non_null(p);
	long procedures = strtol(p + 8, NULL, 10);
	free(out);
	assert_true(procedures >= 2100);
	char dotted[32], plain[32];
	snprintf(dotted, sizeof(dotted), "<dt>%ld.%03ld</dt>", procedures / 1000,
		 procedures % 1000);
	snprintf(plain, sizeof(plain), "<dt>%ld</dt>", procedures);
	struct http_resp r = get_page("/", NULL, 200);
	assert_contains(r.body, dotted);
	assert_lacks(r.body, plain);
	http_resp_free(&r);
}

/* ---- static files ---- */

static void test_static_files_have_their_content_types(void **state)
{
	static const struct {
		const char *path, *type;
	} files[] = {
		{"/static/portal.css", "text/css; charset=utf-8"},
		{"/static/emblem.svg", "image/svg+xml"},
		{"/favicon.ico", "image/x-icon"},
		{"/robots.txt", "text/plain; charset=utf-8"},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct http_resp r = get_page(files[i].path, NULL, 200);
		assert_string_equal(http_resp_header(&r, "Content-Type"), files[i].type);
		assert_true(r.body_len > 0);
		http_resp_free(&r);
	}
	struct http_resp r = get_page("/favicon.ico", NULL, 200);
	assert_memory_equal(r.body, "\0\0\1\0", 4); /* the ICO signature */
	http_resp_free(&r);
}

static void test_static_etag_gives_304_without_body(void **state)
{
	struct http_resp r = get_page("/static/portal.css", NULL, 200);
	const char *etag = http_resp_header(&r, "ETag");
	const char *cc = http_resp_header(&r, "Cache-Control");
	assert_non_null(etag);
	assert_true(strlen(etag) > 2 && etag[0] == '"' && etag[strlen(etag) - 1] == '"');
	assert_non_null(cc);
	assert_contains(cc, "max-age=");
	char h[128];
	snprintf(h, sizeof(h), "If-None-Match: %s\r\n", etag);
	char *tag = strdup(etag);
	http_resp_free(&r);

	http_conn c;
	assert_int_equal(http_connect(&c, srv.port), 0);
	assert_response(http_get(&c, "/static/portal.css", h, &r), &r, 304);
	assert_int_equal(r.body_len, 0);
	assert_string_equal(http_resp_header(&r, "ETag"), tag);
	http_resp_free(&r);
	/* No stray body bytes were sent: the next request on the connection
	 * parses cleanly. */
	assert_response(http_get(&c, "/static/portal.css", "If-None-Match: \"other\"\r\n", &r), &r,
			200);
	assert_true(r.body_len > 0);
	http_resp_free(&r);
	http_close(&c);
	free(tag);
}

static void test_unknown_static_file_is_404(void **state)
{
	struct http_resp r = get_page("/static/khong-co.css", NULL, 404);
	assert_contains(http_resp_header(&r, "Content-Type"), "text/html");
	http_resp_free(&r);
}

static void test_static_path_traversal_is_404(void **state)
{
	static const char *const paths[] = {
		"/static/../motcua.db",
		"/static/%2e%2e/motcua.db",
		"/static/%2e%2e%2fmotcua.db",
		"/static/..%2f..%2fdata%2fmotcua.conf",
		"/static/%2E%2E/%2E%2E/etc/passwd",
		"/static//etc/passwd",
		"/static/./portal.css/../../motcua.db",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http_resp r;
		assert_int_equal(http_fetch(srv.port, "GET", paths[i], NULL, NULL, 0, &r), 0);
		if (r.status != 404)
			fail_msg("%s: %d", paths[i], r.status);
		assert_null(memmem(r.body, r.body_len, "SQLite format", 13));
		http_resp_free(&r);
	}
}

/* ---- góp ý ---- */

static void test_feedback_form_sets_csrf_cookie_and_hidden_field(void **state)
{
	struct http_resp r = get_page("/gop-y", NULL, 200);
	char *token = it_set_cookie(&r, "csrf");
	assert_non_null(token);
	assert_int_equal(strlen(token), 64);
	const char *sc = http_resp_header(&r, "Set-Cookie");
	assert_contains(sc, "HttpOnly");
	assert_contains(sc, "SameSite=Lax");
	char field[160];
	snprintf(field, sizeof(field), "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", token);
	assert_contains(r.body, field);
	http_resp_free(&r);

	/* With the cookie, the same token comes back and no new cookie. */
	char h[128];
	snprintf(h, sizeof(h), "Cookie: csrf=%s\r\n", token);
	r = get_page("/gop-y", h, 200);
	assert_null(it_set_cookie(&r, "csrf"));
	assert_contains(r.body, field);
	http_resp_free(&r);
	free(token);
}

static const char *const valid_fields[] = {
	"name",	   "Trần Thị Bình",
	"contact", "0912 345 678",
	"subject", "Góp ý về trang tra cứu",
	"body",	   "Trang tra cứu hồ sơ tải rất lâu vào buổi sáng.",
};

static void test_feedback_without_or_with_wrong_token_is_403(void **state)
{
	const char *kv[13];
	memcpy(kv, valid_fields, sizeof(valid_fields));
	kv[8] = NULL;
	char *no_field = form_of(kv);
	kv[8] = "csrf";
	kv[9] = OTHER_TOKEN;
	kv[10] = NULL;
	char *wrong = form_of(kv);
	kv[9] = TOKEN;
	char *right_field = form_of(kv);

	struct http_resp r = post_form(no_field, NULL, 403); /* neither */
	assert_contains(r.body, "<html lang=\"vi\">");
	http_resp_free(&r);
	r = post_form(no_field, TOKEN_HDR, 403); /* cookie, no field */
	http_resp_free(&r);
	r = post_form(wrong, TOKEN_HDR, 403); /* they differ */
	http_resp_free(&r);
	r = post_form(right_field, NULL, 403); /* field, no cookie */
	http_resp_free(&r);
	r = post_form(right_field, "Cookie: csrf=short\r\n", 403); /* malformed */
	http_resp_free(&r);
	free(no_field);
	free(wrong);
	free(right_field);
	assert_int_equal(count_rows("SELECT count(*) FROM feedback WHERE subject = $1",
				    "Góp ý về trang tra cứu"),
			 0);
}

/* The field's block: from its label to its input, holding the message. */
static void assert_field_error(const char *body, const char *field, const char *message,
			       const char *kept)
{
	char label[64], msg_id[64], input_id[64];
	snprintf(label, sizeof(label), "<label for=\"f-%s\">", field);
	snprintf(msg_id, sizeof(msg_id), "<p class=\"msg\" id=\"e-%s\">", field);
	snprintf(input_id, sizeof(input_id), " id=\"f-%s\"", field);
	const char *l = strstr(body, label), *m = strstr(body, msg_id),
		   *in = strstr(body, input_id);
	if (!l || !m || !in || !(l < m && m < in))
		fail_msg("no error message between the label and the input of %s", field);
	const char *end = strstr(m, "</p>");
	assert_non_null(end);
	if (!memmem(m, (size_t)(end - m), message, strlen(message)))
		fail_msg("message for %s lacks \"%s\": %.*s", field, message, (int)(end - m), m);
	/* The field's own element is marked invalid and keeps what was typed. */
	const char *close = strchr(in, '>');
	assert_non_null(close);
	if (!memmem(in, (size_t)(close - in), "aria-invalid=\"true\"", 19))
		fail_msg("%s is not marked aria-invalid", field);
	if (!strstr(in, kept))
		fail_msg("%s does not keep \"%s\"", field, kept);
}

static void test_feedback_all_fields_invalid_is_422_with_each_error(void **state)
{
	/* Typed in NFD, as some keyboards and macOS send it: "Ư" is two code
	 * points in NFD but one in NFC, so the name is too short after
	 * normalising. */
	char *name = nfd("Ư"), *body = nfd("Chậm <b>");
	assert_true(strcmp(name, "Ư") != 0);
	const char *kv[] = {"csrf",    TOKEN, "name", name, "contact", "gọi tôi nhé",
			    "subject", "Lỗi", "body", body, NULL};
	char *form = form_of(kv);
	struct http_resp r = post_form(form, TOKEN_HDR, 422);
	free(form);
	const char *page = r.body;
	assert_contains(page, "<html lang=\"vi\">");
	assert_field_error(page, "name", "Họ và tên", "value=\"Ư\"");
	assert_field_error(page, "contact", "Email hoặc số điện thoại chưa đúng",
			   "value=\"gọi tôi nhé\"");
	assert_field_error(page, "subject", "Tiêu đề", "value=\"Lỗi\"");
	/* The textarea keeps the text, escaped and in NFC. */
	assert_field_error(page, "body", "Nội dung góp ý", ">Chậm &lt;b&gt;</textarea>");
	/* The summary lists the four problems, linked to their fields. */
	assert_int_equal(it_count(page, "<li><a href=\"#f-"), 4);
	/* Nothing came back in NFD, and the token is kept for the next try. */
	assert_lacks(page, name);
	assert_lacks(page, body);
	assert_true(is_nfc(page));
	assert_contains(page, "name=\"csrf\" value=\"" TOKEN "\"");
	http_resp_free(&r);
	free(name);
	free(body);
}

static bool ref_shaped(const char *ref)
{
	/* GY-YYMMDD-XXXXXX */
	if (strlen(ref) != 16 || strncmp(ref, "GY-", 3) != 0 || ref[9] != '-')
		return false;
	for (int i = 3; i < 9; i++)
		if (ref[i] < '0' || ref[i] > '9')
			return false;
	for (int i = 10; i < 16; i++)
		if (!strchr("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", ref[i]))
			return false;
	return true;
}

static void test_feedback_valid_is_303_then_confirmation_and_row(void **state)
{
	char *name = nfd("Nguyễn Văn Hùng");
	char subject[96];
	snprintf(subject, sizeof(subject), "Cổng chạy chậm (kiểm thử %d)", (int)getpid());
	const char *kv[] = {"csrf",    TOKEN,
			    "name",    name,
			    "contact", "hung.nguyen@example.vn",
			    "subject", subject,
			    "body",    "  Trang chủ mở rất chậm vào giờ cao điểm.  ",
			    NULL};
	char *form = form_of(kv);
	struct http_resp r = post_form(form, TOKEN_HDR, 303);
	free(form);
	free(name);
	const char *loc = http_resp_header(&r, "Location");
	assert_non_null(loc);
	assert_int_equal(strncmp(loc, "/gop-y/", 7), 0);
	char ref[32], path[64];
	snprintf(ref, sizeof(ref), "%s", loc + 7);
	snprintf(path, sizeof(path), "%s", loc);
	if (!ref_shaped(ref))
		fail_msg("reference %s is not GY-YYMMDD-XXXXXX", ref);
	http_resp_free(&r);

	/* Following the redirect shows the reference and when it came. */
	r = get_page(path, NULL, 200);
	char strong[64];
	snprintf(strong, sizeof(strong), "<strong>%s</strong>", ref);
	assert_contains(r.body, strong);
	assert_contains(r.body, subject);
	assert_lacks(r.body, "hung.nguyen@example.vn"); /* no contact on the page */
	/* dd/mm/yyyy HH:MM, the same day as the reference's YYMMDD. */
	char day[16];
	snprintf(day, sizeof(day), "<dd>%.2s/%.2s/20%.2s ", ref + 7, ref + 5, ref + 3);
	const char *d = strstr(r.body, day);
	if (!d)
		fail_msg("no date %s on the page", day);
	d += strlen(day);
	assert_true(d[0] >= '0' && d[0] <= '2' && d[1] >= '0' && d[1] <= '9' && d[2] == ':' &&
		    d[3] >= '0' && d[3] <= '5' && d[4] >= '0' && d[4] <= '9' &&
		    strncmp(d + 5, "</dd>", 5) == 0);
	http_resp_free(&r);

	/* The row is in the database, in NFC and trimmed. */
	char *row[5];
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT name, contact, subject, body, lang FROM feedback "
				   "WHERE ref = $1",
				   ref, row, 5),
			 1);
	assert_string_equal(row[0], "Nguyễn Văn Hùng");
	assert_string_equal(row[1], "hung.nguyen@example.vn");
	assert_string_equal(row[2], subject);
	assert_string_equal(row[3], "Trang chủ mở rất chậm vào giờ cao điểm.");
	assert_string_equal(row[4], "vi");
	for (int i = 0; i < 5; i++)
		free(row[i]);

	/* A reference that does not exist is a 404. */
	r = get_page("/gop-y/GY-000000-AAAAAA", NULL, 404);
	http_resp_free(&r);
}

static void test_feedback_broken_percent_encoding_is_400(void **state)
{
	static const char *const forms[] = {
		"csrf=" TOKEN "&name=%ZZ&contact=0912345678&subject=abcdef&body=abcdefghijk",
		"csrf=" TOKEN "&name=An+B&contact=0912345678&subject=abcdef&body=abcdefghij%E",
		"csrf=" TOKEN "%&name=An",
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct http_resp r = post_form(forms[i], TOKEN_HDR, 400);
		assert_contains(http_resp_header(&r, "Content-Type"), "text/html");
		http_resp_free(&r);
	}
}

static void test_feedback_non_form_content_type_is_415(void **state)
{
	static const char body[] = "{\"name\":\"An\"}";
	struct http_resp r;
	int rc = http_fetch(srv.port, "POST", "/gop-y",
			    "Content-Type: application/json\r\n" TOKEN_HDR, body, sizeof(body) - 1,
			    &r);
	assert_response(rc, &r, 415);
	assert_contains(r.body, "<html lang=\"vi\">");
	http_resp_free(&r);
}

static void test_feedback_invalid_utf8_is_an_error_on_that_field(void **state)
{
	/* A lone continuation of a two-byte sequence in the body, and an
	 * overlong "/" in the subject. */
	static const char form[] = "csrf=" TOKEN "&name=Tr%E1%BA%A7n+An&contact=0912345678"
				   "&subject=%C0%AFabcdef&body=Noi+dung+%C3%28+dai+du+muoi";
	struct http_resp r = post_form(form, TOKEN_HDR, 422);
	assert_contains(r.body, "id=\"e-subject\"");
	assert_contains(r.body, "id=\"e-body\"");
	assert_lacks(r.body, "id=\"e-name\"");
	assert_lacks(r.body, "id=\"e-contact\"");
	assert_contains(r.body, "Mục &quot;Nội dung góp ý&quot; chứa ký tự không hợp lệ.");
	assert_contains(r.body, "value=\"Trần An\"");
	assert_true(is_nfc(r.body));
	http_resp_free(&r);
}

/* ---- 50 at once ---- */

#define NPARALLEL 50

struct poster {
	pthread_t t;
	int i;
	int status; /* HTTP status, or negative harness error */
	char ref[32];
};

static void *post_one(void *arg)
{
	struct poster *p = arg;
	char subject[64], form[512];
	snprintf(subject, sizeof(subject), "Song song %d số %d", (int)getpid(), p->i);
	char *enc = it_urlencode(subject);
	snprintf(form, sizeof(form),
		 "csrf=" TOKEN "&name=Ph%%E1%%BA%%A1m+Minh&contact=0987654321&subject=%s"
		 "&body=G%%C3%%B3p+%%C3%%BD+g%%E1%%BB%%ADi+c%%C3%%B9ng+l%%C3%%BAc",
		 enc);
	free(enc);
	struct http_resp r;
	int rc = http_fetch(srv.port, "POST", "/gop-y",
			    "Content-Type: application/x-www-form-urlencoded\r\n" TOKEN_HDR, form,
			    strlen(form), &r);
	p->status = rc == 0 ? r.status : rc;
	if (rc == 0) {
		const char *loc = http_resp_header(&r, "Location");
		if (loc && strlen(loc) > 7)
			snprintf(p->ref, sizeof(p->ref), "%s", loc + 7);
		http_resp_free(&r);
	}
	return NULL;
}

static void test_50_concurrent_feedback_posts_are_all_stored(void **state)
{
	struct http_resp r = get_page("/metrics", NULL, 200);
	double writes0 = 0;
	assert_true(it_metric(r.body, "motcua_db_writes_total", &writes0));
	http_resp_free(&r);

	static struct poster p[NPARALLEL];
	for (int i = 0; i < NPARALLEL; i++) {
		p[i] = (struct poster){.i = i};
		assert_int_equal(pthread_create(&p[i].t, NULL, post_one, &p[i]), 0);
	}
	for (int i = 0; i < NPARALLEL; i++)
		pthread_join(p[i].t, NULL);
	for (int i = 0; i < NPARALLEL; i++) {
		if (p[i].status != 303)
			fail_msg("poster %d got %d", i, p[i].status);
		assert_true(ref_shaped(p[i].ref));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(p[i].ref, p[j].ref);
	}
	char like[64];
	snprintf(like, sizeof(like), "Song song %d số %%", (int)getpid());
	assert_int_equal(count_rows("SELECT count(*) FROM feedback WHERE subject LIKE $1", like),
			 NPARALLEL);

	r = get_page("/metrics", NULL, 200);
	double writes, commits;
	assert_true(it_metric(r.body, "motcua_db_writes_total", &writes));
	assert_true(it_metric(r.body, "motcua_db_commits_total", &commits));
	assert_true(writes >= NPARALLEL);
	assert_true(writes - writes0 >= NPARALLEL);
	it_note("%d posts: %.0f writes in %.0f commits since start", NPARALLEL, writes, commits);
	http_resp_free(&r);
}

/* ---- the catalogue: first searches at once, and the agencies API ---- */

#define FIRST_SEARCHES 32

static void *first_search(void *arg)
{
	struct http_resp r;
	int *status = arg;
	*status =
		http_fetch(srv.port, "GET", "/thu-tuc?q=dang+ky+khai+sinh", NULL, NULL, 0, &r) == 0
			? r.status
			: -1;
	if (*status != -1)
		http_resp_free(&r);
	return NULL;
}

/* Runs first: the index does not exist yet, and every one of these asks for
 * it at once; one builds it, the others wait, all get the page. */
static void test_first_searches_arriving_together_all_answered(void **state)
{
	pthread_t t[FIRST_SEARCHES];
	int status[FIRST_SEARCHES];
	for (int i = 0; i < FIRST_SEARCHES; i++)
		assert_int_equal(pthread_create(&t[i], NULL, first_search, &status[i]), 0);
	for (int i = 0; i < FIRST_SEARCHES; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(status[i], 200);
	}
	struct http_resp r = get_page("/thu-tuc?q=dang+ky+khai+sinh", NULL, 200);
	/* Đăng ký khai sinh, 1.001193, first. */
	const char *first = strstr(r.body, "<li><a href=\"/thu-tuc/");
	assert_non_null(first);
	assert_non_null(strstr(first, "1.001193"));
	assert_true(strstr(first, "1.001193") < strstr(first + 10, "<li>"));
	http_resp_free(&r);
}

static void test_agencies_api_filters_on_both_backends(void **state)
{
	struct http_resp r;
	assert_int_equal(
		http_fetch(srv.port, "GET", "/api/v1/agencies?level=commune", NULL, NULL, 0, &r),
		0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"count\":129"));
	http_resp_free(&r);
	assert_int_equal(http_fetch(srv.port, "GET", "/api/v1/agencies?parent=ubnd-37&current=0",
				    NULL, NULL, 0, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"count\":144"));
	http_resp_free(&r);
	assert_int_equal(
		http_fetch(srv.port, "GET", "/api/v1/agencies?level=galaxy", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 400);
	http_resp_free(&r);
	r = get_page("/co-quan/so-tu-phap", NULL, 200);
	assert_non_null(strstr(r.body, "Sở Tư pháp"));
	http_resp_free(&r);
}

static void test_field_pages_list_procedures_by_level_and_agencies(void **state)
{
	struct http_resp r = get_page("/linh-vuc", NULL, 200);
	assert_non_null(strstr(r.body, "href=\"/linh-vuc/ho-tich\""));
	http_resp_free(&r);
	r = get_page("/linh-vuc/ho-tich", NULL, 200);
	assert_non_null(strstr(r.body, "<h1>Hộ tịch</h1>"));
	/* Đăng ký khai sinh is a commune-level procedure of this field. */
	const char *commune = strstr(r.body, "Cấp xã");
	assert_non_null(commune);
	assert_non_null(strstr(commune, "href=\"/thu-tuc/1.001193\""));
	assert_non_null(strstr(r.body, "href=\"/co-quan/"));
	http_resp_free(&r);
	r = get_page("/linh-vuc/khong-co-linh-vuc-nay", NULL, 404);
	http_resp_free(&r);
	/* The procedure page links its field's page. */
	r = get_page("/thu-tuc/1.001193", NULL, 200);
	assert_non_null(strstr(r.body, "href=\"/linh-vuc/ho-tich\""));
	http_resp_free(&r);
}

int main(void)
{
	it_bin();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_searches_arriving_together_all_answered),
		cmocka_unit_test(test_agencies_api_filters_on_both_backends),
		cmocka_unit_test(test_field_pages_list_procedures_by_level_and_agencies),
		cmocka_unit_test(test_home_is_vietnamese_nfc_by_default),
		cmocka_unit_test(test_home_in_english_from_accept_language),
		cmocka_unit_test(test_lang_query_switches_and_the_cookie_sticks),
		cmocka_unit_test(test_home_figures_use_dots_for_thousands),
		cmocka_unit_test(test_static_files_have_their_content_types),
		cmocka_unit_test(test_static_etag_gives_304_without_body),
		cmocka_unit_test(test_unknown_static_file_is_404),
		cmocka_unit_test(test_static_path_traversal_is_404),
		cmocka_unit_test(test_feedback_form_sets_csrf_cookie_and_hidden_field),
		cmocka_unit_test(test_feedback_without_or_with_wrong_token_is_403),
		cmocka_unit_test(test_feedback_all_fields_invalid_is_422_with_each_error),
		cmocka_unit_test(test_feedback_valid_is_303_then_confirmation_and_row),
		cmocka_unit_test(test_feedback_broken_percent_encoding_is_400),
		cmocka_unit_test(test_feedback_non_form_content_type_is_415),
		cmocka_unit_test(test_feedback_invalid_utf8_is_an_error_on_that_field),
		cmocka_unit_test(test_50_concurrent_feedback_posts_are_all_stored),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
