/*
 * test_router.c - the route matcher (http/router.h) over a small table shaped
 * like src/routes.c: literal routes, {param} capture with values pointing
 * into the path, the "/static/" wildcard, 405 with the Allow list, HEAD
 * answered by GET routes, and the paths that must not match (trailing
 * slashes, empty segments, too many parameters).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/router.h"

static void h_home(struct http_req *r)
{
	(void)r;
}

static void h_list(struct http_req *r)
{
	(void)r;
}

static void h_new(struct http_req *r)
{
	(void)r;
}

static void h_proc(struct http_req *r)
{
	(void)r;
}

static void h_proc_post(struct http_req *r)
{
	(void)r;
}

static void h_two(struct http_req *r)
{
	(void)r;
}

static void h_static(struct http_req *r)
{
	(void)r;
}

static void h_feedback(struct http_req *r)
{
	(void)r;
}

static void h_feedback_post(struct http_req *r)
{
	(void)r;
}

static void h_delete(struct http_req *r)
{
	(void)r;
}

static const struct route table[] = {
	{"GET", "/", h_home, ROLE_PUBLIC, RT_INLINE, 0},			       /* 0 */
	{"GET", "/thu-tuc", h_list, ROLE_PUBLIC, RT_WORKER, 0},			       /* 1 */
	{"GET", "/thu-tuc/moi", h_new, ROLE_DESK, RT_WORKER, 0},		       /* 2 */
	{"GET", "/thu-tuc/{code}", h_proc, ROLE_PUBLIC, RT_WORKER, 0},		       /* 3 */
	{"POST", "/thu-tuc/{code}", h_proc_post, ROLE_DESK, RT_WORKER, 0},	       /* 4 */
	{"GET", "/co-quan/{agency}/thu-tuc/{code}", h_two, ROLE_PUBLIC, RT_WORKER, 0}, /* 5 */
	{"GET", "/static/*", h_static, ROLE_PUBLIC, RT_INLINE, 0},		       /* 6 */
	{"GET", "/gop-y", h_feedback, ROLE_PUBLIC, RT_INLINE, 0},		       /* 7 */
	{"POST", "/gop-y", h_feedback_post, ROLE_PUBLIC, RT_WORKER, 4096},	       /* 8 */
	{"DELETE", "/api/ho-so/{id}", h_delete, ROLE_SYSADMIN, RT_WORKER, 0},	       /* 9 */
};
#define NROUTES (sizeof(table) / sizeof(table[0]))

static struct route_match match(const char *method, const char *path)
{
	struct route_match m;
	memset(&m, 0x5a, sizeof(m)); /* router_match must set every field it promises */
	router_match(table, NROUTES, method, path, &m);
	return m;
}

static void assert_matches(const char *method, const char *path, int index)
{
	struct route_match m = match(method, path);
	if (m.route != &table[index])
		print_error("%s %s: wanted route %d, got %d\n", method, path, index, m.index);
	assert_ptr_equal(m.route, &table[index]);
	assert_int_equal(m.index, index);
	assert_true(m.path_found);
}

static void assert_not_found(const char *method, const char *path)
{
	struct route_match m = match(method, path);
	if (m.route || m.path_found)
		print_error("%s %s: wanted 404, got route %d path_found %d\n", method, path,
			    m.index, m.path_found);
	assert_null(m.route);
	assert_false(m.path_found);
	assert_int_equal(m.index, -1);
}

/* The name of parameter i: names point at the pattern text after '{'. */
static void assert_param(const struct route_match *m, int i, const char *name, const char *value)
{
	assert_true(i < m->nparams);
	size_t nl = strlen(name);
	assert_memory_equal(m->names[i], name, nl);
	assert_int_equal(m->names[i][nl], '}');
	assert_int_equal(m->lens[i], strlen(value));
	assert_memory_equal(m->values[i], value, m->lens[i]);
}

static void test_literal(void **state)
{
	(void)state;
	assert_matches("GET", "/", 0);
	struct route_match m = match("GET", "/");
	assert_int_equal(m.nparams, 0);
	assert_matches("GET", "/thu-tuc", 1);
	assert_matches("GET", "/gop-y", 7);
	assert_matches("POST", "/gop-y", 8);
	/* A literal listed before a parameter route wins over it. */
	assert_matches("GET", "/thu-tuc/moi", 2);
	m = match("GET", "/thu-tuc/moi");
	assert_int_equal(m.nparams, 0);
	assert_not_found("GET", "/nope");
	assert_not_found("GET", "");
	assert_not_found("GET", "/thu-tu");
	assert_not_found("GET", "/thu-tucx");
	assert_not_found("GET", "/gop-yy");
	assert_not_found("GET", "/Gop-y"); /* case matters */
}

static void test_params(void **state)
{
	(void)state;
	const char *path = "/thu-tuc/1.001193";
	struct route_match m = match("GET", path);
	assert_ptr_equal(m.route, &table[3]);
	assert_int_equal(m.nparams, 1);
	assert_param(&m, 0, "code", "1.001193");
	assert_ptr_equal(m.values[0], path + strlen("/thu-tuc/")); /* points into path */

	m = match("POST", path);
	assert_ptr_equal(m.route, &table[4]);
	assert_param(&m, 0, "code", "1.001193");

	const char *two = "/co-quan/UBND-NB/thu-tuc/đăng-ký";
	m = match("GET", two);
	assert_ptr_equal(m.route, &table[5]);
	assert_int_equal(m.nparams, 2);
	assert_param(&m, 0, "agency", "UBND-NB");
	assert_param(&m, 1, "code", "đăng-ký");
	assert_ptr_equal(m.values[0], two + strlen("/co-quan/"));

	/* A one-character value. */
	m = match("DELETE", "/api/ho-so/7");
	assert_ptr_equal(m.route, &table[9]);
	assert_param(&m, 0, "id", "7");
}

static void test_no_match_on_slashes(void **state)
{
	(void)state;
	/* Trailing slash differences never match. */
	assert_not_found("GET", "/thu-tuc/");
	assert_not_found("GET", "/thu-tuc/abc/");
	assert_not_found("GET", "/gop-y/");
	assert_not_found("GET", "//");
	/* A parameter matches one non-empty segment, never an empty one and
	 * never two segments. */
	assert_not_found("GET", "/co-quan//thu-tuc/x");
	assert_not_found("GET", "/co-quan/a/thu-tuc/");
	assert_not_found("GET", "/thu-tuc/a/b");
	assert_not_found("GET", "/co-quan/a/b/thu-tuc/x");
	assert_not_found("DELETE", "/api/ho-so/");
}

static void test_wildcard(void **state)
{
	(void)state;
	assert_matches("GET", "/static/site.css", 6);
	assert_matches("GET", "/static/css/print/site.css", 6);
	assert_matches("GET", "/static/a//b/", 6);
	assert_matches("HEAD", "/static/logo.svg", 6);
	struct route_match m = match("GET", "/static/site.css");
	assert_int_equal(m.nparams, 0);
	assert_not_found("GET", "/static");
	assert_not_found("GET", "/staticx/a");
	assert_not_found("GET", "/stat");
	m = match("POST", "/static/site.css");
	assert_null(m.route);
	assert_true(m.path_found);
	assert_string_equal(m.allow, "GET");
}

static void test_method_not_allowed(void **state)
{
	(void)state;
	struct route_match m = match("POST", "/");
	assert_null(m.route);
	assert_true(m.path_found);
	assert_int_equal(m.index, -1);
	assert_string_equal(m.allow, "GET");

	m = match("PUT", "/gop-y");
	assert_null(m.route);
	assert_true(m.path_found);
	assert_string_equal(m.allow, "GET, POST");

	m = match("DELETE", "/thu-tuc/abc");
	assert_null(m.route);
	assert_true(m.path_found);
	assert_string_equal(m.allow, "GET, POST");

	/* "/thu-tuc/moi" is both the literal GET and the {code} GET/POST. */
	m = match("PATCH", "/thu-tuc/moi");
	assert_null(m.route);
	assert_string_equal(m.allow, "GET, POST");

	m = match("GET", "/api/ho-so/9");
	assert_null(m.route);
	assert_true(m.path_found);
	assert_string_equal(m.allow, "DELETE");

	/* A found route reports the other methods of its path too. */
	m = match("POST", "/gop-y");
	assert_ptr_equal(m.route, &table[8]);
	assert_string_equal(m.allow, "GET, POST");

	/* No Allow list for a path nobody serves. */
	m = match("PUT", "/nope");
	assert_false(m.path_found);
	assert_string_equal(m.allow, "");
}

static void test_head(void **state)
{
	(void)state;
	assert_matches("HEAD", "/", 0);
	assert_matches("HEAD", "/gop-y", 7);
	struct route_match m = match("HEAD", "/thu-tuc/abc");
	assert_ptr_equal(m.route, &table[3]);
	assert_param(&m, 0, "code", "abc");
	/* HEAD on a path with no GET route is a 405, not a 404. */
	m = match("HEAD", "/api/ho-so/1");
	assert_null(m.route);
	assert_true(m.path_found);
	assert_string_equal(m.allow, "DELETE");
	/* Method names are exact. */
	m = match("get", "/");
	assert_null(m.route);
	assert_true(m.path_found);
}

static void test_params_of_the_matching_route(void **state)
{
	(void)state;
	/* The first route to match the path has another method and other
	 * parameter names; the parameters reported are the GET route's. */
	static const struct route t[] = {
		{"POST", "/x/{first}", h_proc_post, ROLE_PUBLIC, 0, 0},
		{"GET", "/x/{second}", h_proc, ROLE_PUBLIC, 0, 0},
	};
	struct route_match m;
	router_match(t, 2, "GET", "/x/42", &m);
	assert_ptr_equal(m.route, &t[1]);
	assert_int_equal(m.index, 1);
	assert_int_equal(m.nparams, 1);
	assert_param(&m, 0, "second", "42");
	assert_string_equal(m.allow, "POST, GET");

	/* An empty table finds nothing. */
	router_match(t, 0, "GET", "/x/42", &m);
	assert_null(m.route);
	assert_false(m.path_found);
	assert_int_equal(m.index, -1);
}

static void test_param_limit(void **state)
{
	(void)state;
	/* Exactly ROUTER_MAX_PARAMS parameters: every one captured. */
	static const struct route eight[] = {
		{"GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", h_two, ROLE_PUBLIC, 0, 0},
	};
	assert_int_equal(ROUTER_MAX_PARAMS, 8);
	struct route_match m;
	router_match(eight, 1, "GET", "/1/2/3/4/5/6/7/88", &m);
	assert_ptr_equal(m.route, &eight[0]);
	assert_int_equal(m.nparams, 8);
	assert_param(&m, 0, "a", "1");
	assert_param(&m, 7, "h", "88");

	/* One more than fits: no match, and nothing written past the arrays. */
	static const struct route nine[] = {
		{"GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", h_two, ROLE_PUBLIC, 0, 0},
	};
	struct {
		struct route_match m;
		unsigned char guard[64];
	} g;
	memset(g.guard, 0xee, sizeof(g.guard));
	router_match(nine, 1, "GET", "/1/2/3/4/5/6/7/8/9", &g.m);
	assert_null(g.m.route);
	assert_false(g.m.path_found);
	assert_true(g.m.nparams <= ROUTER_MAX_PARAMS);
	for (size_t i = 0; i < sizeof(g.guard); i++)
		assert_int_equal(g.guard[i], 0xee);
}

static void test_long_allow_list(void **state)
{
	(void)state;
	/* More methods than the Allow buffer holds: truncated, still a C
	 * string, never an overflow. */
	static const char *const methods[] = {"GET",	  "POST",    "PUT",    "DELETE",
					      "PATCH",	  "OPTIONS", "TRACE",  "CONNECT",
					      "PROPFIND", "MKCOL",   "UNLOCK", "PROPPATCH"};
	enum { N = sizeof(methods) / sizeof(methods[0]) };
	struct route t[N];
	for (int i = 0; i < N; i++)
		t[i] = (struct route){methods[i], "/r", h_home, ROLE_PUBLIC, 0, 0};
	struct route_match m;
	router_match(t, N, "LOCK", "/r", &m);
	assert_null(m.route);
	assert_true(m.path_found);
	assert_true(strlen(m.allow) < sizeof(m.allow));
	assert_int_equal(strncmp(m.allow, "GET, POST, PUT, DELETE", 22), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_no_match_on_slashes),
		cmocka_unit_test(test_wildcard),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_params_of_the_matching_route),
		cmocka_unit_test(test_param_limit),
		cmocka_unit_test(test_long_allow_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
