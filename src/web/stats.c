/*
 * stats.c - public statistics (thống kê): the dashboard /thong-ke with its
 * filters, charts drawn as server-side SVG (role="img", <title>, <desc>,
 * the same numbers in a table beside each), the ranking of units by the
 * Decision 766 index, and the exports /thong-ke.csv (UTF-8 with a BOM for
 * Excel) and /thong-ke.xlsx (stats_xlsx.c, laid out like the province's
 * monthly report).
 * Every reply is built from one stats_query (src/domain/stats.h).
 *
 * Query parameters (all optional, the same on the page, the exports and
 * GET /api/v1/stats): period (2026, 2026-Q3, 2026-11) or from and to
 * (YYYY-MM-DD), agency, field, procedure, level.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/format.h"
#include "core/html.h"
#include "core/log.h"
#include "domain/agency.h"
#include "domain/catalogue.h"
#include "domain/stats.h"
#include "web/web.h"

static const char *query_of(http_req *r, const char *name)
{
	const char *v = http_query(r, name);
	return v && *v && strlen(v) <= 64 ? v : (v && *v ? "\x01" : NULL); /* too long: invalid */
}

/* The report of the request's filters; MC_INVALID with *why an i18n key. */
static mc_status stats_load(http_req *r, struct stats_report *rep, const char **why)
{
	struct stats_filter f = {
		.agency = query_of(r, "agency"),
		.field = query_of(r, "field"),
		.procedure = query_of(r, "procedure"),
		.level = query_of(r, "level"),
	};
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char today[11];
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	mc_status st = stats_filter_parse(r->a, query_of(r, "period"), query_of(r, "from"),
					  query_of(r, "to"), today, &f, why);
	if (st != MC_OK)
		return st;
	struct app *app = http_app(r);
	return stats_query(app->db, r->a, &f, rep);
}

bool web_stats_load(http_req *r, struct stats_report *rep)
{
	const char *why = NULL;
	mc_status st = stats_load(r, rep, &why);
	if (st == MC_INVALID)
		http_reply_error(r, 400, http_msg(r, why));
	else if (st != MC_OK)
		http_reply_status(r, st);
	return st == MC_OK;
}

/* "54,55 %" / "54.55 %", or the "no data" text. */
static const char *pct(http_req *r, double v)
{
	if (v < 0)
		return http_msg(r, "stats.no_data");
	char *s = arena_printf(r->a, "%.2f %%", v);
	if (r->lang == LANG_VI)
		for (char *p = s; *p; p++)
			if (*p == '.')
				*p = ',';
	return s;
}

static const char *num(http_req *r, int64_t v)
{
	return format_thousands(r->a, v);
}

static void esc(buf *o, const char *s)
{
	html_escape(o, s, strlen(s));
}

/* Received per month: bars (online part darker), labelled axes. */
static const char *chart_months(http_req *r, const struct stats_report *rep)
{
	buf o;
	buf_init(&o, 1u << 20);
	int64_t max = 1;
	for (int i = 0; i < rep->nmonths; i++)
		if (rep->months[i].received > max)
			max = rep->months[i].received;
	const int w = 640, h = 240, left = 50, bottom = 30, top = 10;
	int n = rep->nmonths ? rep->nmonths : 1;
	double slot = (double)(w - left - 10) / n;
	buf_printf(&o,
		   "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\""
		   " aria-labelledby=\"chart-months-title chart-months-desc\">"
		   "<title id=\"chart-months-title\">",
		   w, h);
	esc(&o, http_msg(r, "stats.chart.months"));
	buf_puts(&o, "</title><desc id=\"chart-months-desc\">");
	for (int i = 0; i < rep->nmonths; i++) {
		const char *args[3] = {rep->months[i].month, num(r, rep->months[i].received),
				       num(r, rep->months[i].recv_online)};
		esc(&o, i18n_format(r->a, r->lang, "stats.chart.month_desc", 3, args));
		buf_puts(&o, " ");
	}
	buf_puts(&o, "</desc>");
	buf_printf(&o,
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>"
		   "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%lld</text>"
		   "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>",
		   left, h - bottom, w - 10, h - bottom, left - 4, top + 10, (long long)max,
		   left - 4, h - bottom);
	for (int i = 0; i < rep->nmonths; i++) {
		const struct stats_month *m = &rep->months[i];
		double x = left + slot * i + slot * 0.15, bw = slot * 0.7;
		double hh = (double)(h - bottom - top) * (double)m->received / (double)max;
		double ho = (double)(h - bottom - top) * (double)m->recv_online / (double)max;
		buf_printf(&o,
			   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
			   " fill=\"#9bb8d3\"/><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
			   " height=\"%.1f\" fill=\"#1f4e79\"/>"
			   "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
			   "text-anchor=\"middle\">%.2s/%.4s"
			   "</text>",
			   x, h - bottom - hh, bw, hh, x, h - bottom - ho, bw, ho, x + bw / 2,
			   h - bottom + 14, m->month + 5, m->month);
	}
	buf_puts(&o, "</svg>");
	const char *s = arena_strdup(r->a, buf_str(&o));
	buf_release(&o);
	return s;
}

#define RANK_CHART_MAX 30

/* The 766 index per unit, horizontal bars on a 0-100 scale. */
static const char *chart_rank(http_req *r, const struct stats_report *rep)
{
	buf o;
	buf_init(&o, 1u << 20);
	int n = rep->nunits < RANK_CHART_MAX ? rep->nunits : RANK_CHART_MAX;
	const int w = 640, row = 22, left = 250;
	int h = row * (n ? n : 1) + 20;
	buf_printf(&o,
		   "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\""
		   " aria-labelledby=\"chart-rank-title chart-rank-desc\">"
		   "<title id=\"chart-rank-title\">",
		   w, h);
	esc(&o, http_msg(r, "stats.chart.rank"));
	buf_puts(&o, "</title><desc id=\"chart-rank-desc\">");
	for (int i = 0; i < n; i++) {
		const struct stats_unit *u = &rep->units[i];
		buf_printf(&o, "%d. ", i + 1);
		esc(&o, u->name ? u->name : u->code);
		buf_printf(&o, ": %s. ", u->score.grade ? pct(r, u->score.index) : "-");
	}
	buf_puts(&o, "</desc>");
	for (int i = 0; i < n; i++) {
		const struct stats_unit *u = &rep->units[i];
		double bw = (double)(w - left - 60) * (u->score.grade ? u->score.index : 0) / 100.0;
		buf_printf(&o, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">",
			   left - 6, 15 + row * i);
		esc(&o, u->name ? u->name : u->code);
		buf_printf(&o,
			   "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\""
			   " fill=\"#1f4e79\"/><text x=\"%.1f\" y=\"%d\" font-size=\"11\">%.2f"
			   "</text>",
			   left, 4 + row * i, bw, row - 6, left + bw + 4, 15 + row * i,
			   u->score.grade ? u->score.index : 0.0);
	}
	buf_puts(&o, "</svg>");
	const char *s = arena_strdup(r->a, buf_str(&o));
	buf_release(&o);
	return s;
}

static void option(json_t *list, const char *value, const char *label, const char *selected)
{
	json_array_append_new(list,
			      json_pack("{s:s,s:s,s:b}", "value", value, "label", label, "selected",
					selected && strcmp(selected, value) == 0));
}

/* The filter form's lists: units, fields, levels. */
static json_t *filter_ctx(http_req *r, const struct stats_filter *f)
{
	struct app *app = http_app(r);
	json_t *agencies = json_array(), *fields = json_array(), *levels = json_array();
	struct agency_filter af = {.current_only = false};
	struct agency *list;
	int n;
	if (agency_list(app->db, r->a, &af, &list, &n) == MC_OK)
		for (int i = 0; i < n; i++)
			option(agencies, list[i].code, list[i].name, f->agency);
	struct field_summary *fs;
	if (catalogue_fields(app->db, r->a, &fs, &n) == MC_OK)
		for (int i = 0; i < n; i++)
			option(fields, fs[i].code,
			       r->lang == LANG_VI ? fs[i].name_vi : fs[i].name_en, f->field);
	static const char *const lv[] = {"province", "department", "district", "commune", "unit"};
	for (size_t i = 0; i < sizeof(lv) / sizeof(lv[0]); i++)
		option(levels, lv[i], http_msg(r, arena_printf(r->a, "agency.group.%s", lv[i])),
		       f->level);
	return json_pack("{s:o,s:o,s:o}", "agencies", agencies, "fields", fields, "levels", levels);
}

/* The query string of the current filter, for the export links. */
static const char *filter_query(http_req *r)
{
	static const char *const names[] = {"period", "from",	   "to",   "agency",
					    "field",  "procedure", "level"};
	buf o;
	buf_init(&o, 4096);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = http_query(r, names[i]);
		if (!v || !*v)
			continue;
		buf_printf(&o, "%s%s=", o.len ? "&" : "?", names[i]);
		url_escape(&o, v, strlen(v));
	}
	const char *s = arena_strdup(r->a, o.len ? buf_str(&o) : "");
	buf_release(&o);
	return s;
}

static json_t *figures_rows(http_req *r, const struct stats_figures *x)
{
	json_t *rows = json_array();
	const struct {
		const char *key;
		int64_t v;
	} c[] = {
		{"stats.fig.to_handle", x->carried + x->received},
		{"stats.fig.carried", x->carried},
		{"stats.fig.received", x->received},
		{"stats.fig.recv_online", x->recv_online},
		{"stats.fig.recv_desk", x->recv_desk},
		{"stats.fig.recv_post", x->recv_post},
		{"stats.fig.finished", x->finished},
		{"stats.fig.early", x->early},
		{"stats.fig.on_time", x->on_time},
		{"stats.fig.late", x->late},
		{"stats.fig.open_ok", x->open_ok},
		{"stats.fig.open_overdue", x->open_overdue},
		{"stats.fig.returned", x->returned},
		{"stats.fig.refused", x->refused},
		{"stats.fig.withdrawn", x->withdrawn},
		{"stats.fig.stopped", x->stopped},
		{"stats.fig.digitised", x->digitised},
		{"stats.fig.supplemented", x->supplemented},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		json_array_append_new(rows, json_pack("{s:s,s:s}", "label", http_msg(r, c[i].key),
						      "value", num(r, c[i].v)));
	const struct {
		const char *key;
		double v;
	} q[] = {
		{"stats.rate.online", x->online_rate},
		{"stats.rate.on_time", x->on_time_rate},
		{"stats.rate.digitisation", x->digitisation_rate},
		{"stats.rate.payment", x->payment_rate},
		{"stats.rate.satisfaction", x->satisfaction_rate},
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		json_array_append_new(rows, json_pack("{s:s,s:s}", "label", http_msg(r, q[i].key),
						      "value", pct(r, q[i].v)));
	return rows;
}

static const char *dmy(arena *a, const char *day)
{
	return arena_printf(a, "%.2s/%.2s/%.4s", day + 8, day + 5, day);
}

void web_stats(http_req *r)
{
	struct stats_report rep;
	const char *why = NULL;
	mc_status st = stats_load(r, &rep, &why);
	if (st == MC_INVALID) {
		struct stats_filter empty = {0};
		json_t *ctx = json_pack("{s:s,s:o}", "error", http_msg(r, why), "filter",
					filter_ctx(r, &empty));
		page_render(r, 400, "stats", ctx);
		return;
	}
	if (st != MC_OK) {
		http_reply_status(r, st);
		return;
	}
	json_t *units = json_array(), *months = json_array();
	for (int i = 0; i < rep.nunits; i++) {
		const struct stats_unit *u = &rep.units[i];
		json_t *targets = json_array();
		for (int k = 0; k < u->ntargets; k++) {
			const struct stats_target *t = &u->targets[k];
			json_array_append_new(
				targets, json_pack("{s:s,s:s,s:s,s:b}", "metric",
						   http_msg(r, arena_printf(r->a, "stats.metric.%s",
									    t->metric)),
						   "value", pct(r, t->value), "actual",
						   pct(r, t->actual), "met", t->met));
		}
		json_array_append_new(
			units,
			json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "rank", i + 1,
				  "name", u->name ? u->name : u->code, "carried",
				  num(r, u->fig.carried), "received", num(r, u->fig.received),
				  "on_time", pct(r, u->fig.on_time_rate), "online",
				  pct(r, u->fig.online_rate), "digitised",
				  pct(r, u->fig.digitisation_rate), "index",
				  u->score.grade ? arena_printf(r->a, "%.2f", u->score.index) : "-",
				  "grade", u->score.grade ? http_msg(r, u->score.grade) : "-",
				  "targets", targets));
	}
	for (int i = 0; i < rep.nmonths; i++)
		json_array_append_new(
			months, json_pack("{s:s,s:s,s:s,s:s}", "month",
					  arena_printf(r->a, "%.2s/%.4s", rep.months[i].month + 5,
						       rep.months[i].month),
					  "received", num(r, rep.months[i].received), "online",
					  num(r, rep.months[i].recv_online), "finished",
					  num(r, rep.months[i].finished)));
	const char *args[2] = {dmy(r->a, rep.filter.from), dmy(r->a, rep.filter.to)};
	const char *q = filter_query(r);
	json_t *ctx = json_pack("{s:s,s:s?,s:o,s:o,s:o,s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:s}", "range",
				i18n_format(r->a, r->lang, "stats.range", 2, args), "as_of",
				rep.as_of ? format_datetime_vn(r->a, rep.as_of) : NULL, "figures",
				figures_rows(r, &rep.total), "units", units, "months", months,
				"chart_months", chart_months(r, &rep), "chart_rank",
				chart_rank(r, &rep), "filter", filter_ctx(r, &rep.filter), "period",
				http_query(r, "period") ? http_query(r, "period") : "", "from",
				http_query(r, "from") ? http_query(r, "from") : "", "to",
				http_query(r, "to") ? http_query(r, "to") : "", "csv_url",
				arena_printf(r->a, "/thong-ke.csv%s", q), "xlsx_url",
				arena_printf(r->a, "/thong-ke.xlsx%s", q));
	page_render(r, 200, "stats", ctx);
}

/* ---- exports ---- */

/* Column headings (i18n keys) and values of one export row. */
#define NCOLS 23
#define NVALS (NCOLS - 3)
#define NNUMS 16 /* counts, then rates */
static const char *const col_keys[NCOLS] = {
	"stats.col.rank",	   "stats.col.code",	  "stats.col.name",
	"stats.fig.carried",	   "stats.fig.received",  "stats.fig.recv_online",
	"stats.fig.recv_desk",	   "stats.fig.recv_post", "stats.fig.digitised",
	"stats.fig.finished",	   "stats.fig.early",	  "stats.fig.on_time",
	"stats.fig.late",	   "stats.fig.open_ok",	  "stats.fig.open_overdue",
	"stats.fig.returned",	   "stats.fig.refused",	  "stats.fig.withdrawn",
	"stats.fig.stopped",	   "stats.rate.online",	  "stats.rate.on_time",
	"stats.rate.digitisation", "stats.col.index",
};

/* Numbers of a row: counts, then rates (-1: no data). */
static void row_values(const struct stats_figures *x, const struct stats_score *s, double v[NVALS])
{
	const int64_t c[NNUMS] = {x->carried,	x->received,  x->recv_online, x->recv_desk,
				  x->recv_post, x->digitised, x->finished,    x->early,
				  x->on_time,	x->late,      x->open_ok,     x->open_overdue,
				  x->returned,	x->refused,   x->withdrawn,   x->stopped};
	for (int i = 0; i < NNUMS; i++)
		v[i] = (double)c[i];
	v[NNUMS] = x->online_rate;
	v[NNUMS + 1] = x->on_time_rate;
	v[NNUMS + 2] = x->digitisation_rate;
	v[NNUMS + 3] = s->grade ? s->index : -1;
}

static void csv_field(buf *o, const char *s)
{
	buf_putc(o, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(o, '"');
		buf_putc(o, *s);
	}
	buf_putc(o, '"');
}

static void csv_row(buf *o, const char *rank, const char *code, const char *name,
		    const double v[NVALS])
{
	csv_field(o, rank);
	buf_putc(o, ',');
	csv_field(o, code);
	buf_putc(o, ',');
	csv_field(o, name);
	for (int i = 0; i < NVALS; i++) {
		if (v[i] < 0)
			buf_puts(o, ",");
		else if (i < NNUMS)
			buf_printf(o, ",%lld", (long long)v[i]);
		else
			buf_printf(o, ",%.2f", v[i]);
	}
	buf_puts(o, "\r\n");
}

void web_stats_csv(http_req *r)
{
	struct stats_report rep;
	if (!web_stats_load(r, &rep))
		return;
	buf *o = &r->out;
	buf_reset(o);
	buf_puts(o, "\xEF\xBB\xBF"); /* BOM: Excel reads UTF-8 */
	for (int i = 0; i < NCOLS; i++) {
		if (i)
			buf_putc(o, ',');
		csv_field(o, http_msg(r, col_keys[i]));
	}
	buf_puts(o, "\r\n");
	double v[NVALS];
	for (int i = 0; i < rep.nunits; i++) {
		const struct stats_unit *u = &rep.units[i];
		row_values(&u->fig, &u->score, v);
		csv_row(o, arena_printf(r->a, "%d", i + 1), u->code, u->name ? u->name : "", v);
	}
	row_values(&rep.total, &rep.score, v);
	csv_row(o, "", "", http_msg(r, "stats.col.total"), v);
	http_add_header(r, "Content-Disposition", "attachment; filename=\"thong-ke.csv\"");
	http_reply_out(r, 200, "text/csv; charset=utf-8");
}
