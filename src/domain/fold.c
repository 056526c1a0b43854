/*
 * fold.c - search keys for Vietnamese text: utf8proc normalisation, word
 * splitting, mark stripping, and reading Telex and VNI keystrokes back into
 * syllables.
 *
 * Every text goes the same way: invalid bytes are skipped, the rest becomes
 * case-folded NFC through utf8proc, words are split on code points that are
 * neither letters, digits nor marks, and each word is folded one code point
 * at a time. Nothing here may hand utf8proc bytes it has not validated, keep
 * state between calls, or write past a bound computed from the input length.
 */
#include "domain/fold.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#define CP_D_STROKE 0x0111 /* đ; Đ case-folds to it */

/* Inputs are cut here so that every size computed below fits its type. */
#define FOLD_MAX_INPUT ((size_t)1 << 26)

/* The most bytes one code point can fold to: utf8proc_decompose_char writes
 * at most 16 code points for our options, each of at most 4 bytes. */
#define FOLD_CP_MAX 64

/* ---- code points ---- */

/* Copies the well-formed UTF-8 sequences of s[0..len) to out, which has room
 * for len bytes, skipping one byte at a time over anything else. */
static size_t keep_valid(const char *s, size_t len, char *out)
{
	size_t i = 0, n = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0 || cp < 0) {
			i++;
			continue;
		}
		memcpy(out + n, s + i, (size_t)k);
		n += (size_t)k;
		i += (size_t)k;
	}
	return n;
}

static bool is_alnum_cp(utf8proc_int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: return true;
	default: return false;
	}
}

/* Marks belong to the word they follow, so NFD text splits like NFC. */
static bool is_word_cp(utf8proc_int32_t cp)
{
	if (is_alnum_cp(cp))
		return true;
	if (cp < 0x300)
		return false;
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* Decodes the code point at s[i] of text already known to be valid. */
static size_t next_cp(const char *s, size_t n, size_t i, utf8proc_int32_t *cp)
{
	utf8proc_ssize_t k =
		utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), cp);
	if (k <= 0) {
		/* Unreachable for text from fold_nfc_lower; step on anyway. */
		*cp = ' ';
		return 1;
	}
	return (size_t)k;
}

/* Writes the folded form of one code point (at most FOLD_CP_MAX bytes). */
static size_t fold_cp(utf8proc_int32_t cp, char *out)
{
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if (!is_alnum_cp(cp))
			return 0;
		out[0] = (char)cp;
		return 1;
	}
	utf8proc_int32_t d[16];
	int boundclass = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(
		cp, d, 16, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
		&boundclass);
	if (n <= 0 || n > 16)
		return 0;
	size_t k = 0;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		utf8proc_int32_t c = d[i] == CP_D_STROKE ? 'd' : d[i];
		if (is_alnum_cp(c))
			k += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)out + k);
	}
	return k;
}

/* ---- normalisation and words ---- */

static char *empty_string(arena *a, size_t *out_len)
{
	if (out_len)
		*out_len = 0;
	return arena_zalloc(a, 1);
}

char *fold_nfc_lower(arena *a, const char *s, size_t len, size_t *out_len)
{
	if (!s)
		return empty_string(a, out_len);
	if (len > FOLD_MAX_INPUT)
		len = FOLD_MAX_INPUT;
	char *clean = arena_alloc(a, len + 1);
	size_t n = keep_valid(s, len, clean);
	const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
	/* Vietnamese seldom decomposes into more code points than it has
	 * bytes; try that first and ask utf8proc for the real size otherwise. */
	utf8proc_ssize_t cap = (utf8proc_ssize_t)n + 8;
	utf8proc_int32_t *cps = arena_alloc(a, ((size_t)cap + 1) * sizeof(*cps));
	utf8proc_ssize_t m = utf8proc_decompose((const utf8proc_uint8_t *)clean,
						(utf8proc_ssize_t)n, cps, cap, opt);
	if (m > cap) {
		cap = m;
		cps = arena_alloc(a, ((size_t)cap + 1) * sizeof(*cps));
		m = utf8proc_decompose((const utf8proc_uint8_t *)clean, (utf8proc_ssize_t)n, cps,
				       cap, opt);
	}
	if (m < 0 || m > cap)
		return empty_string(a, out_len);
	/* The buffer holds cap + 1 code points, more than the UTF-8 needs. */
	utf8proc_ssize_t bytes = utf8proc_reencode(cps, m, opt);
	if (bytes < 0)
		return empty_string(a, out_len);
	if (out_len)
		*out_len = (size_t)bytes;
	return (char *)cps;
}

/* Folds one word w[0..len) of normalised text into tok; false when nothing
 * is left (a word of marks only). */
static bool fold_word(arena *a, const char *w, size_t len, struct fold_token *tok)
{
	char small[1024];
	char *buf = small;
	size_t cap = sizeof(small);
	/* No code point folds to more than 8 times its own UTF-8 length
	 * (Hangul syllables, the worst case, triple); bound generously. */
	if (len > (sizeof(small) - FOLD_CP_MAX) / 8) {
		cap = len * 8 + FOLD_CP_MAX;
		buf = arena_alloc(a, cap);
	}
	size_t k = 0;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		i += next_cp(w, len, i, &cp);
		if (k + FOLD_CP_MAX > cap)
			break;
		k += fold_cp(cp, buf + k);
	}
	if (k == 0)
		return false;
	tok->folded = arena_strndup(a, buf, k);
	tok->folded_len = k;
	tok->exact = arena_strndup(a, w, len);
	tok->exact_len = len;
	return true;
}

size_t fold_tokens(arena *a, const char *s, size_t len, size_t max, struct fold_token **out)
{
	size_t n;
	const char *t = fold_nfc_lower(a, s, len, &n);
	/* Every word but the last is followed by a separator. */
	size_t cap = n / 2 + 1;
	if (cap > max)
		cap = max;
	struct fold_token *toks = arena_calloc(a, cap ? cap : 1, sizeof(*toks));
	size_t count = 0;
	for (size_t i = 0; i < n && count < cap;) {
		utf8proc_int32_t cp;
		size_t k = next_cp(t, n, i, &cp);
		if (!is_word_cp(cp)) {
			i += k;
			continue;
		}
		size_t start = i;
		while (i < n) {
			k = next_cp(t, n, i, &cp);
			if (!is_word_cp(cp))
				break;
			i += k;
		}
		if (fold_word(a, t + start, i - start, &toks[count]))
			count++;
	}
	*out = toks;
	return count;
}

static char *join(arena *a, const struct fold_token *toks, size_t n, bool exact)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += (exact ? toks[i].exact_len : toks[i].folded_len) + 1;
	char *out = arena_alloc(a, total + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			out[k++] = ' ';
		size_t l = exact ? toks[i].exact_len : toks[i].folded_len;
		memcpy(out + k, exact ? toks[i].exact : toks[i].folded, l);
		k += l;
	}
	out[k] = '\0';
	return out;
}

char *fold(arena *a, const char *s, size_t len)
{
	struct fold_token *toks;
	size_t n = fold_tokens(a, s, len, SIZE_MAX, &toks);
	return join(a, toks, n, false);
}

char *fold_exact(arena *a, const char *s, size_t len)
{
	struct fold_token *toks;
	size_t n = fold_tokens(a, s, len, SIZE_MAX, &toks);
	return join(a, toks, n, true);
}

/* ---- Telex and VNI ---- */

/* The longest Vietnamese syllable, "nghiêng", has 7 letters; a few more
 * leave room for typing slips without letting long words through. */
#define SYL_MAX 10

enum syl_mark { MARK_NONE, MARK_CIRCUMFLEX, MARK_BREVE, MARK_HORN, MARK_STROKE };

/* Tones in VNI digit order: 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng. */
static const utf8proc_int32_t tone_marks[6] = {0, 0x0301, 0x0300, 0x0309, 0x0303, 0x0323};

/* A syllable being typed: letters with their modifier, and one tone. */
struct syllable {
	char base[SYL_MAX];
	unsigned char mark[SYL_MAX];
	size_t n;
	int tone;      /* 0 none, else an index into tone_marks */
	bool tone_key; /* a tone key was used (only one is allowed) */
	bool keyed;    /* some key changed the letters */
};

static bool is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static bool has_vowel(const struct syllable *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (is_vowel(s->base[i]))
			return true;
	return false;
}

static bool push(struct syllable *s, char c, enum syl_mark m)
{
	if (s->n == SYL_MAX)
		return false;
	s->base[s->n] = c;
	s->mark[s->n] = (unsigned char)m;
	s->n++;
	return true;
}

/* The last run of vowels typed so far, [*from, *to). The u of "qu" and the
 * i of "gi" before another vowel belong to the consonant, so a modifier key
 * never lands on them. */
static bool last_vowels(const struct syllable *s, size_t *from, size_t *to)
{
	size_t e = s->n;
	while (e > 0 && !is_vowel(s->base[e - 1]))
		e--;
	if (e == 0)
		return false;
	size_t b = e - 1;
	while (b > 0 && is_vowel(s->base[b - 1]))
		b--;
	if (b > 0 && e - b > 1 &&
	    ((s->base[b - 1] == 'q' && s->base[b] == 'u') ||
	     (s->base[b - 1] == 'g' && s->base[b] == 'i')))
		b++;
	*from = b;
	*to = e;
	return true;
}

/* Telex w and VNI 7: "uo" takes the horn on both letters (ươ), "ua" on the
 * u (ưa); otherwise the last o or u takes it, or for Telex (breve_ok) the
 * last a takes a breve. Fails when there is nothing to change. */
static bool apply_horn(struct syllable *s, bool breve_ok)
{
	size_t b, e;
	if (!last_vowels(s, &b, &e))
		return false;
	for (size_t i = b; i + 1 < e; i++) {
		if (s->base[i] == 'u' && s->base[i + 1] == 'o') {
			s->mark[i] = s->mark[i + 1] = MARK_HORN;
			return true;
		}
		if (s->base[i] == 'u' && s->base[i + 1] == 'a' && s->mark[i] == MARK_NONE) {
			s->mark[i] = MARK_HORN;
			return true;
		}
	}
	for (size_t i = e; i-- > b;) {
		char c = s->base[i];
		enum syl_mark want;
		if (c == 'o' || c == 'u')
			want = MARK_HORN;
		else if (c == 'a' && breve_ok)
			want = MARK_BREVE;
		else
			continue;
		if (s->mark[i] == want)
			return false;
		s->mark[i] = (unsigned char)want;
		return true;
	}
	return false;
}

/* VNI 6 and 8: the last vowel of the run that can take the mark. */
static bool apply_mark(struct syllable *s, enum syl_mark m)
{
	size_t b, e;
	if (!last_vowels(s, &b, &e))
		return false;
	for (size_t i = e; i-- > b;) {
		char c = s->base[i];
		bool fits = m == MARK_BREVE ? c == 'a' : (c == 'a' || c == 'e' || c == 'o');
		if (!fits)
			continue;
		if (s->mark[i] == m)
			return false;
		s->mark[i] = (unsigned char)m;
		return true;
	}
	return false;
}

static bool set_tone(struct syllable *s, int tone)
{
	/* A second tone key is a typing mistake or a real word ("kyss"):
	 * either way, not a syllable to decode. */
	if (!has_vowel(s) || (s->tone_key && tone != 0))
		return false;
	s->tone = tone;
	s->tone_key = tone != 0;
	s->keyed = true;
	return true;
}

static bool stroke_d(struct syllable *s)
{
	if (s->n < 1 || s->base[0] != 'd' || s->mark[0] != MARK_NONE)
		return false;
	s->mark[0] = MARK_STROKE;
	s->keyed = true;
	return true;
}

static bool in_list(const char *s, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return true;
	return false;
}

/* Consonants that may open a syllable; "qu" and "gi" are handled apart. */
static const char *const initials[] = {"",   "b", "c", "ch", "d",  "g",	  "gh", "h", "k",
				       "kh", "l", "m", "n",  "ng", "ngh", "nh", "p", "ph",
				       "q",  "r", "s", "t",  "th", "tr",  "v",	"x", NULL};
static const char *const finals[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t", NULL};

/* Checks the shape consonants + 1-3 vowels + final consonants and where the
 * modifiers sit; [*vb, *ve) receives the vowel nucleus. */
static bool syllable_parse(const struct syllable *s, size_t *vb, size_t *ve)
{
	size_t i = 0;
	while (i < s->n && !is_vowel(s->base[i]))
		i++;
	if (!in_list(s->base, i, initials))
		return false;
	if (i == 1 && s->base[0] == 'q') {
		if (i + 1 >= s->n || s->base[i] != 'u' || s->mark[i] != MARK_NONE ||
		    !is_vowel(s->base[i + 1]))
			return false;
		i++;
	} else if (i == 1 && s->base[0] == 'g' && i + 1 < s->n && s->base[i] == 'i' &&
		   s->mark[i] == MARK_NONE && is_vowel(s->base[i + 1])) {
		i++;
	}
	size_t b = i;
	while (i < s->n && is_vowel(s->base[i]))
		i++;
	if (i == b || i - b > 3 || !in_list(s->base + i, s->n - i, finals))
		return false;
	for (size_t j = 0; j < s->n; j++) {
		char c = s->base[j];
		switch (s->mark[j]) {
		case MARK_NONE: break;
		case MARK_STROKE:
			if (j != 0 || b != 1)
				return false;
			break;
		case MARK_CIRCUMFLEX:
			if (j < b || j >= i || (c != 'a' && c != 'e' && c != 'o'))
				return false;
			break;
		case MARK_BREVE:
			if (j < b || j >= i || c != 'a')
				return false;
			break;
		case MARK_HORN:
			if (j < b || j >= i || (c != 'o' && c != 'u'))
				return false;
			break;
		default: return false;
		}
	}
	/* Syllables closed by a stop take only sắc or nặng. */
	char last = s->base[s->n - 1];
	if (i < s->n && (last == 'c' || last == 'h' || last == 'p' || last == 't') &&
	    s->tone != 0 && s->tone != 1 && s->tone != 5)
		return false;
	*vb = b;
	*ve = i;
	return true;
}

/* Modern orthography: the tone sits on the vowel that carries a modifier
 * (the last one, so ươ puts it on ơ); else on the last vowel of a closed
 * syllable; else on the second of "oa", "oe", "uy", the first of other
 * pairs, the middle of three. */
static size_t tone_position(const struct syllable *s, size_t vb, size_t ve)
{
	for (size_t i = ve; i-- > vb;)
		if (s->mark[i] != MARK_NONE)
			return i;
	if (ve < s->n)
		return ve - 1;
	if (ve - vb == 1)
		return vb;
	if (ve - vb == 2) {
		char x = s->base[vb], y = s->base[vb + 1];
		if ((x == 'o' && (y == 'a' || y == 'e')) || (x == 'u' && y == 'y'))
			return vb + 1;
		return vb;
	}
	return vb + 1;
}

static size_t put_cp(char *out, utf8proc_int32_t cp)
{
	return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

/* The syllable in NFC, or NULL when no key was used or it is malformed. */
static const char *syllable_render(arena *a, const struct syllable *s)
{
	size_t vb, ve;
	if (!s->keyed || !syllable_parse(s, &vb, &ve))
		return NULL;
	size_t tp = tone_position(s, vb, ve);
	static const utf8proc_int32_t mods[] = {0, 0x0302, 0x0306, 0x031B, 0};
	char buf[SYL_MAX * 8];
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->mark[i] == MARK_STROKE) {
			k += put_cp(buf + k, CP_D_STROKE);
			continue;
		}
		buf[k++] = s->base[i];
		if (mods[s->mark[i]])
			k += put_cp(buf + k, mods[s->mark[i]]);
		if (i == tp && s->tone)
			k += put_cp(buf + k, tone_marks[s->tone]);
	}
	return fold_nfc_lower(a, buf, k, NULL);
}

/* True when tok[0..len) has no vowel: a tone key must come after them. */
static bool no_vowel_in(const char *tok, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (is_vowel(tok[i]))
			return false;
	return true;
}

static int telex_tone(char c)
{
	switch (c) {
	case 's': return 1;
	case 'f': return 2;
	case 'r': return 3;
	case 'x': return 4;
	case 'j': return 5;
	case 'z': return 0;
	default: return -1;
	}
}

/* One Telex keystroke; false when the token cannot be Telex. */
static bool telex_key(struct syllable *s, const char *tok, size_t len, size_t i)
{
	char c = tok[i];
	if (c < 'a' || c > 'z')
		return false;
	if (c == 'd' && s->n == 1 && s->base[0] == 'd' && s->mark[0] == MARK_NONE)
		return stroke_d(s);
	if ((c == 'a' || c == 'e' || c == 'o') && s->n > 0 && s->base[s->n - 1] == c &&
	    s->mark[s->n - 1] == MARK_NONE) {
		s->mark[s->n - 1] = MARK_CIRCUMFLEX;
		s->keyed = true;
		return true;
	}
	if (c == 'w') {
		s->keyed = true;
		/* A bare w types ư. */
		if (!has_vowel(s))
			return push(s, 'u', MARK_HORN);
		return apply_horn(s, true);
	}
	int tone = telex_tone(c);
	/* z only clears a tone; with none to clear it is a letter. */
	if (tone >= 0 && has_vowel(s) && no_vowel_in(tok + i + 1, len - i - 1) &&
	    (tone || s->tone_key))
		return set_tone(s, tone);
	return push(s, c, MARK_NONE);
}

const char *fold_telex(arena *a, const char *tok, size_t len)
{
	struct syllable s = {0};
	if (!tok || len == 0 || len > SYL_MAX + 4)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (!telex_key(&s, tok, len, i))
			return NULL;
	return syllable_render(a, &s);
}

/* One VNI keystroke; false when the token cannot be VNI. */
static bool vni_key(struct syllable *s, char c)
{
	if (c >= 'a' && c <= 'z')
		return push(s, c, MARK_NONE);
	if (c < '0' || c > '9')
		return false;
	s->keyed = true;
	switch (c) {
	case '9': return stroke_d(s);
	case '8': return apply_mark(s, MARK_BREVE);
	case '7': return apply_horn(s, false);
	case '6': return apply_mark(s, MARK_CIRCUMFLEX);
	case '0': return s->tone_key && set_tone(s, 0);
	default: return set_tone(s, c - '0');
	}
}

const char *fold_vni(arena *a, const char *tok, size_t len)
{
	struct syllable s = {0};
	if (!tok || len == 0 || len > SYL_MAX + 4 || tok[0] < 'a' || tok[0] > 'z')
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (!vni_key(&s, tok[i]))
			return NULL;
	return syllable_render(a, &s);
}
