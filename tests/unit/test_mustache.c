/*
 * test_mustache.c - the template engine against the official mustache spec
 * files, plus the engine's own promises: syntax errors name their line,
 * layouts work through inheritance, caps and depth limits hold.
 *
 * The spec files are read from $MUSTACHE_SPEC_DIR, or from
 * ../shared/peer/mustache-spec relative to the directory the tests run in.
 * A missing spec directory fails the spec tests; it must never pass them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/mustache.h"

#define OUT_CAP (1u << 20)

static json_t *load_spec(const char *file)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "../shared/peer/mustache-spec",
		 file);
	json_error_t e;
	json_t *spec = json_load_file(path, JSON_DECODE_ANY, &e);
	if (!spec)
		print_error("cannot load %s: %s (line %d)\n", path, e.text, e.line);
	return spec;
}

/* Prints a string with its invisible bytes shown, so a failure on
 * whitespace can be read. */
static void show(const char *label, const char *s)
{
	print_message("    %-9s \"", label);
	for (; *s; s++) {
		if (*s == '\n')
			print_message("\\n");
		else if (*s == '\r')
			print_message("\\r");
		else if (*s == '\t')
			print_message("\\t");
		else
			print_message("%c", *s);
	}
	print_message("\"\n");
}

/* Runs one case; returns 1 when it fails. */
static int run_case(const char *file, const json_t *c)
{
	const char *name = json_string_value(json_object_get(c, "name"));
	const json_t *tpl = json_object_get(c, "template");
	const char *want = json_string_value(json_object_get(c, "expected"));
	buf out = BUF_INIT(OUT_CAP);
	char err[256] = "";
	int rc = mu_render_string(json_string_value(tpl), json_string_length(tpl),
				  json_object_get(c, "partials"), json_object_get(c, "data"), &out,
				  err, sizeof(err));
	int failed = rc != 0 || !want || strcmp(buf_str(&out), want) != 0;
	if (failed) {
		print_message("FAIL %s: %s%s%s\n", file, name ? name : "?", rc ? " -- " : "",
			      rc ? err : "");
		show("template", json_string_value(tpl));
		show("expected", want ? want : "");
		show("got", buf_str(&out));
	}
	buf_release(&out);
	return failed;
}

static void run_spec(const char *file)
{
	json_t *spec = load_spec(file);
	assert_non_null(spec);
	const json_t *cases = json_object_get(spec, "tests");
	assert_true(json_is_array(cases));
	size_t n = json_array_size(cases), failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += (size_t)run_case(file, json_array_get(cases, i));
	print_message("%s: %zu/%zu passed\n", file, n - failed, n);
	json_decref(spec);
	assert_int_equal(failed, 0);
}

static void spec_comments(void **state)
{
	run_spec("comments.json");
}

static void spec_delimiters(void **state)
{
	run_spec("delimiters.json");
}

static void spec_interpolation(void **state)
{
	run_spec("interpolation.json");
}

static void spec_inverted(void **state)
{
	run_spec("inverted.json");
}

static void spec_partials(void **state)
{
	run_spec("partials.json");
}

static void spec_sections(void **state)
{
	run_spec("sections.json");
}

static void spec_inheritance(void **state)
{
	run_spec("~inheritance.json");
}

/* ---- the engine's own promises ----------------------------------------- */

static int add(mu_set *s, const char *name, const char *src, char *err, size_t errlen)
{
	return mu_set_add(s, name, src, strlen(src), err, errlen);
}

static void expect_syntax_error(const char *src, const char *want)
{
	mu_set *s = mu_set_new();
	char err[256] = "";
	int rc = add(s, "t", src, err, sizeof(err));
	if (rc != -1 || !strstr(err, want))
		print_error("template \"%s\": rc %d, err \"%s\", wanted \"%s\"\n", src, rc, err,
			    want);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, want));
	assert_false(mu_set_has(s, "t"));
	mu_set_free(s);
}

static void syntax_errors(void **state)
{
	expect_syntax_error("a\nb\n{{#list}}\nx\n", "line 3: 'list' is never closed");
	expect_syntax_error("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}",
			    "line 3: closing tag 'a' does not match 'b' opened on line 2");
	expect_syntax_error("ok\n\nhello {{name", "line 3: unclosed tag");
	expect_syntax_error("{{{name}}", "line 1: unclosed tag");
	expect_syntax_error("x\n{{/a}}", "line 2: closing tag 'a' without an opening tag");
	expect_syntax_error("{{}}", "line 1: empty tag name");
	expect_syntax_error("{{a b}}", "line 1: blank inside tag name");
	expect_syntax_error("{{a..b}}", "line 1: bad dotted name");
	expect_syntax_error("{{=<% %>}}", "line 1: set-delimiter tag must end with '='");
	expect_syntax_error("\n{{=<%=}}", "line 2: set-delimiter tag needs two delimiters");
	expect_syntax_error("{{<layout}}{{$title}}x{{/layout}}", "does not match 'title'");
}

static void nesting_limit(void **state)
{
	buf src = BUF_INIT(1 << 16);
	for (int i = 0; i < MU_MAX_NEST + 1; i++)
		buf_puts(&src, "{{#a}}");
	for (int i = 0; i < MU_MAX_NEST + 1; i++)
		buf_puts(&src, "{{/a}}");
	mu_set *s = mu_set_new();
	char err[256];
	assert_int_equal(mu_set_add(s, "deep", src.data, src.len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nested deeper than 100"));
	/* One level less is fine. */
	buf_reset(&src);
	for (int i = 0; i < MU_MAX_NEST; i++)
		buf_puts(&src, "{{#a}}");
	for (int i = 0; i < MU_MAX_NEST; i++)
		buf_puts(&src, "{{/a}}");
	assert_int_equal(mu_set_add(s, "deep", src.data, src.len, err, sizeof(err)), 0);
	buf_release(&src);
	mu_set_free(s);
}

static void layout_inheritance(void **state)
{
	mu_set *s = mu_set_new();
	char err[256];
	assert_int_equal(add(s, "layout",
			     "<html>\n"
			     "<head><title>{{$title}}Cổng dịch vụ công{{/title}}</title></head>\n"
			     "<body>\n"
			     "  {{$content}}\n"
			     "  <p>Trống</p>\n"
			     "  {{/content}}\n"
			     "</body>\n"
			     "</html>\n",
			     err, sizeof(err)),
			 0);
	assert_int_equal(add(s, "page",
			     "{{<layout}}\n"
			     "{{$title}}Hồ sơ {{code}}{{/title}}\n"
			     "{{$content}}\n"
			     "<ul>\n"
			     "{{#steps}}\n"
			     "  <li>{{.}}</li>\n"
			     "{{/steps}}\n"
			     "</ul>\n"
			     "{{/content}}\n"
			     "{{/layout}}\n",
			     err, sizeof(err)),
			 0);
	json_t *ctx =
		json_pack("{s:s, s:[s,s]}", "code", "H01<2>", "steps", "tiếp nhận", "trả kết quả");
	buf out = BUF_INIT(4096);
	assert_int_equal(mu_render(s, "page", ctx, &out, err, sizeof(err)), 0);
	assert_string_equal(buf_str(&out), "<html>\n"
					   "<head><title>Hồ sơ H01&lt;2&gt;</title></head>\n"
					   "<body>\n"
					   "  <ul>\n"
					   "    <li>tiếp nhận</li>\n"
					   "    <li>trả kết quả</li>\n"
					   "  </ul>\n"
					   "</body>\n"
					   "</html>\n");
	/* The layout alone renders its defaults. */
	buf_reset(&out);
	assert_int_equal(mu_render(s, "layout", ctx, &out, err, sizeof(err)), 0);
	assert_non_null(strstr(buf_str(&out), "<title>Cổng dịch vụ công</title>"));
	assert_non_null(strstr(buf_str(&out), "\n  <p>Trống</p>\n"));
	/* Replacing a template takes effect for the templates using it. */
	assert_int_equal(add(s, "layout", "[{{$title}}{{/title}}]", err, sizeof(err)), 0);
	buf_reset(&out);
	assert_int_equal(mu_render(s, "page", ctx, &out, err, sizeof(err)), 0);
	assert_string_equal(buf_str(&out), "[Hồ sơ H01&lt;2&gt;]");
	/* A failed add leaves the old template in place. */
	assert_int_equal(add(s, "layout", "{{$title}", err, sizeof(err)), -1);
	buf_reset(&out);
	assert_int_equal(mu_render(s, "layout", ctx, &out, err, sizeof(err)), 0);
	assert_string_equal(buf_str(&out), "[]");
	buf_release(&out);
	json_decref(ctx);
	mu_set_free(s);
}

static void unknown_template(void **state)
{
	mu_set *s = mu_set_new();
	char err[256];
	buf out = BUF_INIT(64);
	assert_int_equal(mu_render(s, "nope", NULL, &out, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown template 'nope'");
	/* A missing partial or parent is not an error (spec). */
	assert_int_equal(add(s, "t", "[{{>nope}}{{<nope}}{{/nope}}]", err, sizeof(err)), 0);
	assert_int_equal(mu_render(s, "t", NULL, &out, err, sizeof(err)), 0);
	assert_string_equal(buf_str(&out), "[]");
	buf_release(&out);
	mu_set_free(s);
}

static void output_cap(void **state)
{
	json_t *ctx =
		json_pack("{s:[i,i,i,i,i,i,i,i], s:s}", "l", 1, 2, 3, 4, 5, 6, 7, 8, "x", "<");
	char err[256];
	/* 8 * 2 * 4 = 64 bytes of escaped output fit exactly... */
	buf out = BUF_INIT(64);
	const char *src = "{{#l}}{{x}}{{x}}{{/l}}";
	assert_int_equal(mu_render_string(src, strlen(src), NULL, ctx, &out, err, sizeof(err)), 0);
	assert_int_equal(out.len, 64);
	/* ...and one more byte does not. */
	buf_release(&out);
	buf_init(&out, 63);
	assert_int_equal(mu_render_string(src, strlen(src), NULL, ctx, &out, err, sizeof(err)), -1);
	assert_true(out.overflow);
	assert_true(out.len <= 63);
	assert_string_equal(err, "output larger than 63 bytes");
	buf_release(&out);
	json_decref(ctx);
}

static void recursion_guarded(void **state)
{
	char err[256];
	buf out = BUF_INIT(OUT_CAP);
	/* A partial including itself without data to stop it. */
	json_t *partials =
		json_pack("{s:s, s:s, s:s}", "loop", "x{{>loop}}", "twice", "{{>twice}}{{>twice}}",
			  "self", "{{<self}}{{$b}}{{$b}}{{/b}}{{/b}}{{/self}}");
	const char *src = "{{>loop}}";
	assert_int_equal(mu_render_string(src, strlen(src), partials, NULL, &out, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "nested deeper than 64"));
	assert_int_equal(out.len, 64);
	/* Exponential fan-out stops at the first path too deep. */
	buf_reset(&out);
	src = "{{>twice}}";
	assert_int_equal(mu_render_string(src, strlen(src), partials, NULL, &out, err, sizeof(err)),
			 -1);
	/* A parent inheriting from itself. */
	buf_reset(&out);
	src = "{{>self}}";
	assert_int_equal(mu_render_string(src, strlen(src), partials, NULL, &out, err, sizeof(err)),
			 -1);
	/* Recursion ended by the data is fine. A leaf needs its empty list: a
	 * missing one would be found again up the context stack. */
	json_t *tree = json_loads("{\"n\":\"a\",\"kids\":[{\"n\":\"b\",\"kids\":"
				  "[{\"n\":\"c\",\"kids\":[]}]}]}",
				  0, NULL);
	json_object_set_new(partials, "node", json_string("{{n}}({{#kids}}{{>node}}{{/kids}})"));
	buf_reset(&out);
	src = "{{>node}}";
	assert_int_equal(mu_render_string(src, strlen(src), partials, tree, &out, err, sizeof(err)),
			 0);
	assert_string_equal(buf_str(&out), "a(b(c()))");
	buf_release(&out);
	json_decref(tree);
	json_decref(partials);
}

static void work_bounded(void **state)
{
	/* 10 nested loops over 10 items would visit 10^10 nodes. */
	json_t *ctx = json_pack("{s:[i,i,i,i,i,i,i,i,i,i]}", "l", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
	buf src = BUF_INIT(1024);
	for (int i = 0; i < 10; i++)
		buf_puts(&src, "{{#l}}");
	for (int i = 0; i < 10; i++)
		buf_puts(&src, "{{/l}}");
	char err[256];
	buf out = BUF_INIT(OUT_CAP);
	assert_int_equal(mu_render_string(src.data, src.len, NULL, ctx, &out, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "steps"));
	buf_release(&out);
	buf_release(&src);
	json_decref(ctx);
}

static void values(void **state)
{
	json_t *ctx = json_loads("{\"i\":-12,\"r\":0.1,\"big\":1e300,\"t\":true,\"f\":false,"
				 "\"n\":null,\"o\":{},\"a\":[],\"z\":0,\"e\":\"\",\"q\":\"'\"}",
				 0, NULL);
	assert_non_null(ctx);
	const char *src = "{{i}}|{{r}}|{{big}}|{{t}}|{{f}}|{{n}}|{{o}}|{{a}}|{{q}}|"
			  "{{#z}}0 truthy{{/z}}|{{#e}}'' truthy{{/e}}|{{^a}}[] falsy{{/a}}|"
			  "{{#o}}{} truthy{{/o}}";
	char err[256];
	buf out = BUF_INIT(1024);
	assert_int_equal(mu_render_string(src, strlen(src), NULL, ctx, &out, err, sizeof(err)), 0);
	assert_string_equal(buf_str(&out), "-12|0.1|1e+300|true|false||||&#39;|0 truthy|'' truthy|"
					   "[] falsy|{} truthy");
	buf_release(&out);
	json_decref(ctx);
}

/* Embedded NUL bytes are data like any other. */
static void binary_safe(void **state)
{
	const char src[] = "a\0{{x}}\0b";
	json_t *ctx = json_pack("{s:s#}", "x", "1\0002", (size_t)3);
	char err[256];
	buf out = BUF_INIT(64);
	assert_int_equal(mu_render_string(src, sizeof(src) - 1, NULL, ctx, &out, err, sizeof(err)),
			 0);
	assert_int_equal(out.len, 7);
	assert_memory_equal(out.data, "a\0001\0002\0b", 7);
	buf_release(&out);
	json_decref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_comments),
		cmocka_unit_test(spec_delimiters),
		cmocka_unit_test(spec_interpolation),
		cmocka_unit_test(spec_inverted),
		cmocka_unit_test(spec_partials),
		cmocka_unit_test(spec_sections),
		cmocka_unit_test(spec_inheritance),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(nesting_limit),
		cmocka_unit_test(layout_inheritance),
		cmocka_unit_test(unknown_template),
		cmocka_unit_test(output_cap),
		cmocka_unit_test(recursion_guarded),
		cmocka_unit_test(work_bounded),
		cmocka_unit_test(values),
		cmocka_unit_test(binary_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
