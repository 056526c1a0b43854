/*
 * test_buf.c - the bounded buffer (core/buf.h) and the output escapers built
 * on it (core/html.h): the cap holds to the byte, a refused append leaves
 * the contents alone and sets the overflow flag, the contents stay
 * NUL-terminated, detach/release/reset do what they promise, and every
 * escaper handles its special characters and passes UTF-8 through.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/html.h"

static void assert_terminated(const buf *b)
{
	if (b->data)
		assert_int_equal(b->data[b->len], '\0');
	assert_int_equal(strlen(buf_str(b)) <= b->len, 1);
}

static void test_empty(void **state)
{
	(void)state;
	buf b = BUF_INIT(100);
	assert_null(b.data);
	assert_non_null(buf_str(&b));
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_false(b.overflow);
	buf_release(&b);

	buf c;
	buf_init(&c, 7);
	assert_int_equal(c.max, 7);
	assert_int_equal(c.len, 0);
	assert_null(c.data);
	assert_false(c.overflow);
}

static void test_cap_exact(void **state)
{
	(void)state;
	char src[300];
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)('a' + i % 26);

	/* Exactly max bytes in one append: accepted. */
	buf b = BUF_INIT(300);
	assert_int_equal(buf_append(&b, src, 300), 0);
	assert_int_equal(b.len, 300);
	assert_memory_equal(b.data, src, 300);
	assert_terminated(&b);
	assert_false(b.overflow);
	/* One byte more: refused, nothing changed. */
	assert_int_equal(buf_putc(&b, 'X'), -1);
	assert_true(b.overflow);
	assert_int_equal(b.len, 300);
	assert_memory_equal(b.data, src, 300);
	assert_terminated(&b);
	assert_int_equal(buf_append(&b, "", 0), 0); /* nothing more still fits */
	buf_release(&b);

	/* max + 1 in one append on an empty buffer: refused, still empty. */
	buf c = BUF_INIT(299);
	assert_int_equal(buf_append(&c, src, 300), -1);
	assert_true(c.overflow);
	assert_int_equal(c.len, 0);
	assert_string_equal(buf_str(&c), "");
	buf_release(&c);

	/* Reaching the cap piece by piece, across growth steps. */
	buf d = BUF_INIT(1000);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_putc(&d, (char)('0' + i % 10)), 0);
	assert_int_equal(d.len, 1000);
	assert_false(d.overflow);
	assert_true(d.alloc >= 1001);
	assert_int_equal(buf_puts(&d, "z"), -1);
	assert_int_equal(d.len, 1000);
	assert_int_equal(d.data[999], '9');
	assert_terminated(&d);
	buf_release(&d);
}

static void test_overflow_is_sticky(void **state)
{
	(void)state;
	buf b = BUF_INIT(10);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_puts(&b, "abc"), -1); /* 11 > 10 */
	assert_string_equal(buf_str(&b), "12345678");
	assert_true(b.overflow);
	/* A smaller piece still fits, and the flag remembers the refusal. */
	assert_int_equal(buf_puts(&b, "ab"), 0);
	assert_string_equal(buf_str(&b), "12345678ab");
	assert_true(b.overflow);
	buf_release(&b);
	assert_false(b.overflow);
}

static void test_zero_cap(void **state)
{
	(void)state;
	buf b = BUF_INIT(0);
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(buf_putc(&b, 'a'), -1);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_true(b.overflow);
	buf_release(&b);
}

static void test_huge_append_refused(void **state)
{
	(void)state;
	/* A length near SIZE_MAX must not wrap the size check. */
	buf b = BUF_INIT(64);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 2), -1);
	assert_string_equal(buf_str(&b), "abc");
	assert_true(b.overflow);
	buf_release(&b);
}

static void test_embedded_nul(void **state)
{
	(void)state;
	buf b = BUF_INIT(16);
	assert_int_equal(buf_append(&b, "a\0b", 3), 0);
	assert_int_equal(buf_putc(&b, '\0'), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "a\0b\0", 5);
	buf_release(&b);
}

static void test_printf(void **state)
{
	(void)state;
	buf b = BUF_INIT(1u << 20);
	assert_int_equal(buf_printf(&b, "%s=%d;", "số", -12), 0);
	assert_string_equal(buf_str(&b), "số=-12;");
	/* Larger than any internal scratch space. */
	assert_int_equal(buf_printf(&b, "[%*s]", 5000, "x"), 0);
	assert_int_equal(b.len, strlen("số=-12;") + 5002);
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len - 2], 'x');
	assert_int_equal(b.data[b.len - 3], ' ');
	assert_terminated(&b);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, strlen("số=-12;") + 5002);
	buf_release(&b);

	/* Large printf that ends exactly at the cap, then one byte more. */
	buf c = BUF_INIT(4000);
	assert_int_equal(buf_puts(&c, "ab"), 0);
	assert_int_equal(buf_printf(&c, "%*d", 3998, 5), 0);
	assert_int_equal(c.len, 4000);
	assert_int_equal(c.data[3999], '5');
	assert_terminated(&c);
	buf_release(&c);

	buf d = BUF_INIT(4000);
	assert_int_equal(buf_puts(&d, "ab"), 0);
	assert_int_equal(buf_printf(&d, "%*d", 3999, 5), -1);
	assert_true(d.overflow);
	assert_string_equal(buf_str(&d), "ab");
	/* A small printf that does not fit either. */
	buf e = BUF_INIT(5);
	assert_int_equal(buf_printf(&e, "%d", 123456), -1);
	assert_string_equal(buf_str(&e), "");
	assert_int_equal(buf_printf(&e, "%d", 12345), 0);
	assert_string_equal(buf_str(&e), "12345");
	buf_release(&d);
	buf_release(&e);
}

static void test_detach(void **state)
{
	(void)state;
	buf b = BUF_INIT(100);
	assert_int_equal(buf_puts(&b, "hồ sơ"), 0);
	size_t len = 0;
	char *p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, strlen("hồ sơ"));
	assert_string_equal(p, "hồ sơ");
	free(p);
	/* The buffer is empty and usable, with the same cap. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "again"), 0);
	assert_string_equal(buf_str(&b), "again");
	char big[101];
	memset(big, 'x', sizeof(big));
	assert_int_equal(buf_append(&b, big, 96), -1);
	buf_release(&b);

	/* Detaching a buffer that never held anything: "" on the heap. */
	buf e = BUF_INIT(10);
	len = 99;
	char *q = buf_detach(&e, &len);
	assert_non_null(q);
	assert_int_equal(len, 0);
	assert_string_equal(q, "");
	free(q);
	/* len may be NULL. */
	assert_int_equal(buf_puts(&e, "x"), 0);
	q = buf_detach(&e, NULL);
	assert_string_equal(q, "x");
	free(q);
}

static void test_release_and_reset(void **state)
{
	(void)state;
	buf b = BUF_INIT(8);
	assert_int_equal(buf_puts(&b, "12345"), 0);
	assert_int_equal(buf_puts(&b, "6789"), -1);
	char *mem = b.data;
	size_t alloc = b.alloc;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_false(b.overflow);
	assert_ptr_equal(b.data, mem); /* memory kept */
	assert_int_equal(b.alloc, alloc);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "12345678"), 0); /* the full cap again */
	assert_int_equal(buf_putc(&b, '9'), -1);
	assert_string_equal(buf_str(&b), "12345678");

	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	assert_false(b.overflow);
	assert_int_equal(b.max, 8);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "abcdefgh"), 0);
	assert_int_equal(buf_putc(&b, 'i'), -1);
	buf_release(&b);
	buf_release(&b); /* twice is harmless */

	buf never = BUF_INIT(8);
	buf_reset(&never); /* reset before any append */
	assert_string_equal(buf_str(&never), "");
	buf_release(&never);
}

/* ---- escaping ---- */

static const char *esc(buf *b, int (*fn)(buf *, const char *, size_t), const char *s, size_t n)
{
	buf_reset(b);
	assert_int_equal(fn(b, s, n), 0);
	return buf_str(b);
}

static void test_html_escape(void **state)
{
	(void)state;
	buf b = BUF_INIT(4096);
	const char *in = "<a href=\"x\" title='y'>Tom & Jerry</a>";
	assert_string_equal(
		esc(&b, html_escape, in, strlen(in)),
		"&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
	assert_string_equal(esc(&b, html_escape, "&&", 2), "&amp;&amp;");
	assert_string_equal(esc(&b, html_escape, "&amp;", 5), "&amp;amp;"); /* no double guess */
	assert_string_equal(esc(&b, html_escape, "", 0), "");
	const char *vi = "Thủ tục hành chính — Đăng ký khai sinh";
	assert_string_equal(esc(&b, html_escape, vi, strlen(vi)), vi);
	/* Only n bytes are read. */
	assert_string_equal(esc(&b, html_escape, "ab<cd", 3), "ab&lt;");
	/* Bytes after an embedded NUL are escaped too. */
	buf_reset(&b);
	assert_int_equal(html_escape(&b, "a\0<", 3), 0);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "a\0&lt;", 6);

	/* A cap too small for the escaped text is reported. */
	buf small = BUF_INIT(4);
	assert_int_equal(html_escape(&small, "<<", 2), -1);
	assert_true(small.overflow);
	buf_release(&small);
	buf_release(&b);
}

static void test_url_escape(void **state)
{
	(void)state;
	buf b = BUF_INIT(4096);
	const char *unreserved = "AZaz09-_.~";
	assert_string_equal(esc(&b, url_escape, unreserved, strlen(unreserved)), unreserved);
	const char *in = "a b&c=d/e?f#g%h+i";
	assert_string_equal(esc(&b, url_escape, in, strlen(in)),
			    "a%20b%26c%3Dd%2Fe%3Ff%23g%25h%2Bi");
	/* UTF-8 is percent-encoded byte by byte, upper-case hex. */
	assert_string_equal(esc(&b, url_escape, "đ", strlen("đ")), "%C4%91");
	assert_string_equal(esc(&b, url_escape, "\x01\x7f\xff", 3), "%01%7F%FF");
	assert_string_equal(esc(&b, url_escape, "\0", 1), "%00");
	assert_string_equal(esc(&b, url_escape, "", 0), "");

	buf small = BUF_INIT(5);
	assert_int_equal(url_escape(&small, "  ", 2), -1);
	assert_true(small.overflow);
	buf_release(&small);
	buf_release(&b);
}

static void test_json_escape(void **state)
{
	(void)state;
	buf b = BUF_INIT(4096);
	const char *in = "say \"hi\"\\ now\n\r\t";
	assert_string_equal(esc(&b, json_escape, in, strlen(in)),
			    "say \\\"hi\\\"\\\\ now\\n\\r\\t");
	assert_string_equal(esc(&b, json_escape, "\x01\x1f\b\f", 4),
			    "\\u0001\\u001f\\u0008\\u000c");
	assert_string_equal(esc(&b, json_escape, "\0", 1), "\\u0000");
	/* '/' and DEL need no escape; UTF-8 passes through unchanged. */
	assert_string_equal(esc(&b, json_escape, "a/b\x7f", 4), "a/b\x7f");
	const char *vi = "Nguyễn Văn A — Ủy ban nhân dân";
	assert_string_equal(esc(&b, json_escape, vi, strlen(vi)), vi);
	assert_string_equal(esc(&b, json_escape, "<script>", 8), "<script>");

	buf small = BUF_INIT(3);
	assert_int_equal(json_escape(&small, "\x01", 1), -1);
	assert_true(small.overflow);
	buf_release(&small);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_cap_exact),
		cmocka_unit_test(test_overflow_is_sticky),
		cmocka_unit_test(test_zero_cap),
		cmocka_unit_test(test_huge_append_refused),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_release_and_reset),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_url_escape),
		cmocka_unit_test(test_json_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
