/*
 * fuzz_mustache.c - libFuzzer target for the template engine.
 *
 * The input is a template; if it holds a NUL byte, what follows the first
 * one becomes the partial "fz" as well, so partial-side parsing and
 * indentation get fuzzed too. It renders against a fixed context (nested
 * objects, lists, every JSON type) and fixed partials, one of them recursive
 * through the data, one recursive forever, and a layout with blocks. The
 * output cap is 1 MiB. Any result is fine; only crashes, sanitizer reports,
 * leaks and hangs are bugs. The target must never keep state between inputs
 * other than the fixed context and partials.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char context_json[] =
	"{\"name\":\"<b>T\\u00ean</b> & 'x'\",\"n\":42,\"neg\":-7,\"r\":1.21,\"t\":true,"
	"\"f\":false,\"z\":null,\"e\":[],\"s\":\"\",\"l\":[1,\"two\",{\"name\":\"three\"}],"
	"\"o\":{\"a\":{\"b\":{\"c\":\"deep\"}},\"l\":[[1,2],[3]],\"name\":\"inner\"},"
	"\"tree\":{\"name\":\"root\",\"kids\":[{\"name\":\"k1\",\"kids\":[{\"name\":\"k2\","
	"\"kids\":[]}]},{\"name\":\"k3\",\"kids\":[]}]},\"kids\":[],\"nl\":\"a\\nb\\n\"}";

static const char partials_json[] =
	"{\"p\":\"  <p>{{name}}</p>\\n{{#l}}\\n  - {{.}}\\n{{/l}}\\n\","
	"\"node\":\"{{name}}<{{#kids}}{{>node}}{{/kids}}>\","
	"\"layout\":\"<h1>{{$title}}T{{/title}}</h1>\\n  {{$body}}\\n  default\\n  {{/body}}\\n\","
	"\"sub\":\"{{<layout}}\\n{{$title}}S{{/title}}\\n{{/layout}}\\n\","
	"\"self\":\"x{{>self}}\","
	"\"calls\":\"  {{>fz}}\\n{{<fz}}{{$a}}A{{/a}}{{/fz}}\"}";

static json_t *context, *partials;

static void setup(void)
{
	json_error_t e;
	context = json_loads(context_json, 0, &e);
	partials = json_loads(partials_json, 0, &e);
	if (!context || !partials)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!context)
		setup();
	const char *src = (const char *)data;
	size_t len = size;
	const char *nul = memchr(src, '\0', size);
	if (nul) {
		len = (size_t)(nul - src);
		json_object_set_new(partials, "fz", json_stringn_nocheck(nul + 1, size - len - 1));
	}
	buf out = BUF_INIT(1u << 20);
	char err[256];
	mu_render_string(src, len, partials, context, &out, err, sizeof(err));
	buf_release(&out);
	json_object_del(partials, "fz");
	return 0;
}
