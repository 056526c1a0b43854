/*
 * test_openapi.c - docs/openapi.yaml against the route table (routes.c):
 * every /api/v1 route is described under paths with its method, and every
 * path and method the YAML describes is a route. The YAML is read by its
 * layout (paths at two spaces, methods at four), which the Redocly lint step
 * of scripts/test.sh keeps honest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app.h"

#define MAX_OPS 256

struct op {
	char method[8]; /* upper case */
	char path[160]; /* "/api/v1/dossiers/{code}" */
};

static int load_yaml(const char *file, struct op *ops, int max)
{
	FILE *fp = fopen(file, "r");
	if (!fp)
		return -1;
	static const char *const methods[] = {"get", "put", "post", "delete", "patch"};
	char line[1024], path[160] = "";
	bool in_paths = false;
	int n = 0;
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\r\n")] = 0;
		if (line[0] && line[0] != ' ' && line[0] != '#') {
			in_paths = strcmp(line, "paths:") == 0;
			continue;
		}
		if (!in_paths)
			continue;
		if (strncmp(line, "  /", 3) == 0) {
			size_t len = strcspn(line + 2, ":");
			if (len >= sizeof(path))
				len = sizeof(path) - 1;
			memcpy(path, line + 2, len);
			path[len] = 0;
			continue;
		}
		if (strncmp(line, "    ", 4) != 0 || line[4] == ' ' || !path[0])
			continue;
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
			size_t ml = strlen(methods[m]);
			if (strncmp(line + 4, methods[m], ml) == 0 && line[4 + ml] == ':' &&
			    n < max) {
				for (size_t k = 0; k <= ml; k++)
					ops[n].method[k] =
						(char)toupper((unsigned char)methods[m][k]);
				snprintf(ops[n].path, sizeof(ops[n].path), "%s", path);
				n++;
			}
		}
	}
	fclose(fp);
	return n;
}

static bool described(const struct op *ops, int n, const char *method, const char *path)
{
	for (int i = 0; i < n; i++)
		if (strcmp(ops[i].method, method) == 0 && strcmp(ops[i].path, path) == 0)
			return true;
	return false;
}

static bool routed(const char *method, const char *path)
{
	for (size_t i = 0; i < motcua_nroutes; i++)
		if (strcmp(motcua_routes[i].method, method) == 0 &&
		    strcmp(motcua_routes[i].pattern, path) == 0)
			return true;
	return false;
}

/* The reader itself: a sample with a nested path-like key and a method-like
 * property deeper down, which must not count. */
static void test_reader(void **state)
{
	(void)state;
	char file[] = "/tmp/motcua-openapi-XXXXXX";
	int fd = mkstemp(file);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs("openapi: 3.1.0\npaths:\n  /api/v1/a:\n    get:\n      responses:\n"
	      "        get: x\n    post:\n      summary: y\n  /api/v1/b/{id}:\n"
	      "    parameters: []\n    delete:\n      summary: z\ncomponents:\n"
	      "  /api/v1/c:\n    get:\n",
	      fp);
	fclose(fp);
	struct op ops[8];
	int n = load_yaml(file, ops, 8);
	remove(file);
	assert_int_equal(n, 3);
	assert_true(described(ops, n, "GET", "/api/v1/a"));
	assert_true(described(ops, n, "POST", "/api/v1/a"));
	assert_true(described(ops, n, "DELETE", "/api/v1/b/{id}"));
	assert_false(described(ops, n, "GET", "/api/v1/c"));
}

static void test_every_route_described(void **state)
{
	(void)state;
	static struct op ops[MAX_OPS];
	int n = load_yaml("docs/openapi.yaml", ops, MAX_OPS);
	assert_true(n > 0);
	int missing = 0, apis = 0;
	for (size_t i = 0; i < motcua_nroutes; i++) {
		const struct route *rt = &motcua_routes[i];
		if (strncmp(rt->pattern, "/api/v1/", 8) != 0)
			continue;
		apis++;
		if (!described(ops, n, rt->method, rt->pattern)) {
			fprintf(stderr, "# %s %s is not in docs/openapi.yaml\n", rt->method,
				rt->pattern);
			missing++;
		}
	}
	assert_true(apis > 0);
	assert_int_equal(missing, 0);
}

static void test_every_description_routed(void **state)
{
	(void)state;
	static struct op ops[MAX_OPS];
	int n = load_yaml("docs/openapi.yaml", ops, MAX_OPS);
	assert_true(n > 0 && n < MAX_OPS);
	int extra = 0;
	for (int i = 0; i < n; i++)
		if (!routed(ops[i].method, ops[i].path)) {
			fprintf(stderr, "# %s %s is described but has no route\n", ops[i].method,
				ops[i].path);
			extra++;
		}
	assert_int_equal(extra, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_every_route_described),
		cmocka_unit_test(test_every_description_routed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
