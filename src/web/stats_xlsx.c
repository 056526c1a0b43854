/*
 * stats_xlsx.c - /thong-ke.xlsx: the statistics of web_stats_load laid out
 * the way a Vietnamese province's monthly report on handling administrative
 * procedures looks (báo cáo tình hình, kết quả giải quyết thủ tục hành
 * chính), written with libxlsxwriter.
 *
 * Sheet "Báo cáo": the issuing body (Ủy ban nhân dân + site_name) and the
 * national motto side by side, the place and date, the title with the
 * period; a table whose header spans three rows with merged cells (STT,
 * unit, received for handling (nhận giải quyết): total = carried over from
 * the previous period (kỳ trước chuyển qua) + newly received online / in
 * person / by post, handled: total /
 * early / on time / late, in progress: within time / overdue, withdrawn,
 * refused, online rate, digitisation rate, online payment rate), a row of
 * column numbers (1)..(18), then the units grouped by level (sở/ngành,
 * cấp huyện, cấp xã...), each group under a Roman-numbered bold subtotal
 * row, and the province total in bold. Borders on every cell of the table,
 * column widths, A4 landscape, the header rows repeated on every printed
 * page, fitted to the page width, page numbers in the footer.
 *
 * Sheet "Chỉ số 766": each unit's Decision 766 points per group, total,
 * index and grade, then the province's.
 *
 * The workbook is written into DIR/tmp (swept at start-up like every other
 * temporary file), libxlsxwriter's own temporary files too, then read into
 * the reply and removed.
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "app.h"
#include "core/log.h"
#include "domain/stats.h"
#include "web/web.h"

#define NCOLS	 18
#define HEAD_ROW 7 /* first of the three header rows */

struct formats {
	lxw_format *body, *motto, *motto2, *title, *sub, *head, *colno, *no, *text, *count, *rate,
		*group_text, *group_count, *group_rate, *total_text, *total_count, *total_rate;
};

static lxw_format *fmt(lxw_workbook *wb, bool bold, bool border, const char *num)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_font_name(f, "Times New Roman");
	format_set_font_size(f, 12);
	if (bold)
		format_set_bold(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	if (num)
		format_set_num_format(f, num);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	return f;
}

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	f->body = fmt(wb, true, false, NULL);
	format_set_align(f->body, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->body);
	f->motto = fmt(wb, true, false, NULL);
	format_set_align(f->motto, LXW_ALIGN_CENTER);
	f->motto2 = fmt(wb, true, false, NULL);
	format_set_align(f->motto2, LXW_ALIGN_CENTER);
	format_set_underline(f->motto2, LXW_UNDERLINE_SINGLE);
	f->title = fmt(wb, true, false, NULL);
	format_set_font_size(f->title, 14);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	f->sub = fmt(wb, false, false, NULL);
	format_set_italic(f->sub);
	format_set_align(f->sub, LXW_ALIGN_CENTER);
	f->head = fmt(wb, true, true, NULL);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->head);
	format_set_bg_color(f->head, 0xDDEBF7);
	f->colno = fmt(wb, false, true, NULL);
	format_set_italic(f->colno);
	format_set_align(f->colno, LXW_ALIGN_CENTER);
	f->no = fmt(wb, false, true, NULL);
	format_set_align(f->no, LXW_ALIGN_CENTER);
	f->text = fmt(wb, false, true, NULL);
	format_set_text_wrap(f->text);
	f->count = fmt(wb, false, true, "#,##0");
	f->rate = fmt(wb, false, true, "0.00");
	f->group_text = fmt(wb, true, true, NULL);
	format_set_text_wrap(f->group_text);
	f->group_count = fmt(wb, true, true, "#,##0");
	f->group_rate = fmt(wb, true, true, "0.00");
	f->total_text = fmt(wb, true, true, NULL);
	format_set_bg_color(f->total_text, 0xF2F2F2);
	f->total_count = fmt(wb, true, true, "#,##0");
	format_set_bg_color(f->total_count, 0xF2F2F2);
	f->total_rate = fmt(wb, true, true, "0.00");
	format_set_bg_color(f->total_rate, 0xF2F2F2);
}

/* ---- the figures of a row ---- */

/* Counts of a unit, a group or the province; rates from the counts. */
struct row {
	int64_t carried, received, online, desk, post, finished, early, on_time, late, open_ok,
		open_overdue, withdrawn, refused, digitised, fee_due, paid_online;
};

static void row_add(struct row *t, const struct stats_figures *x)
{
	t->carried += x->carried;
	t->received += x->received;
	t->online += x->recv_online;
	t->desk += x->recv_desk;
	t->post += x->recv_post;
	t->finished += x->finished;
	t->early += x->early;
	t->on_time += x->on_time;
	t->late += x->late;
	t->open_ok += x->open_ok;
	t->open_overdue += x->open_overdue;
	t->withdrawn += x->withdrawn;
	t->refused += x->refused;
	t->digitised += x->digitised;
	t->fee_due += x->fee_due;
	t->paid_online += x->paid_online;
}

/* part / whole in percent, -1 without a whole (the cell stays blank). */
static double ratio(int64_t part, int64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : -1;
}

/* Writes the 16 figures of a row from column 2 (C). */
static void write_figures(lxw_worksheet *ws, lxw_row_t y, const struct row *t, lxw_format *cnt,
			  lxw_format *rt)
{
	const int64_t c[13] = {t->carried + t->received,
			       t->carried,
			       t->online,
			       t->desk,
			       t->post,
			       t->finished,
			       t->early,
			       t->on_time,
			       t->late,
			       t->open_ok,
			       t->open_overdue,
			       t->withdrawn,
			       t->refused};
	for (int i = 0; i < 13; i++)
		worksheet_write_number(ws, y, (lxw_col_t)(2 + i), (double)c[i], cnt);
	const double r[3] = {ratio(t->online, t->received), ratio(t->digitised, t->received),
			     ratio(t->paid_online, t->fee_due)};
	for (int i = 0; i < 3; i++) {
		if (r[i] < 0)
			worksheet_write_blank(ws, y, (lxw_col_t)(15 + i), rt);
		else
			worksheet_write_number(ws, y, (lxw_col_t)(15 + i), r[i], rt);
	}
}

/* ---- the report sheet ---- */

/* "<what>: từ ngày dd/mm/yyyy đến ngày dd/mm/yyyy" of the report's period. */
static const char *period_text(arena *a, const char *what, const struct stats_report *rep)
{
	const char *from = rep->filter.from, *to = rep->filter.to;
	return arena_printf(a, "%s: từ ngày %.2s/%.2s/%.4s đến ngày %.2s/%.2s/%.4s", what, from + 8,
			    from + 5, from, to + 8, to + 5, to);
}

/* The issuing body and the motto, the place and date, the title. */
static void report_head(lxw_worksheet *ws, const struct formats *f, const char *site,
			const struct stats_report *rep, arena *a)
{
	char *upper = g_utf8_strup(site, -1);
	worksheet_merge_range(ws, 0, 0, 0, 4, arena_printf(a, "ỦY BAN NHÂN DÂN %s", upper),
			      f->body);
	g_free(upper);
	worksheet_merge_range(ws, 1, 0, 1, 4, "Số:        /BC-UBND", f->sub);
	worksheet_merge_range(ws, 0, 7, 0, NCOLS - 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			      f->motto);
	worksheet_merge_range(ws, 1, 7, 1, NCOLS - 1, "Độc lập - Tự do - Hạnh phúc", f->motto2);
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	const char *place =
		strncmp(site, "Tỉnh ", strlen("Tỉnh ")) == 0 ? site + strlen("Tỉnh ") : site;
	worksheet_merge_range(ws, 2, 7, 2, NCOLS - 1,
			      arena_printf(a, "%s, ngày %02d tháng %02d năm %04d", place,
					   tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900),
			      f->sub);
	worksheet_merge_range(ws, 4, 0, 4, NCOLS - 1,
			      "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", f->title);
	worksheet_merge_range(ws, 5, 0, 5, NCOLS - 1, period_text(a, "Kỳ báo cáo", rep), f->sub);
}

/* The three header rows with merged cells, then the column numbers. */
static void report_columns(lxw_worksheet *ws, const struct formats *f, arena *a)
{
	const lxw_row_t h = HEAD_ROW;
	static const struct {
		int r0, c0, r1, c1;
		const char *text;
	} cells[] = {
		{0, 0, 2, 0, "STT"},
		{0, 1, 2, 1, "Đơn vị"},
		{0, 2, 0, 6, "Số hồ sơ nhận giải quyết"},
		{1, 2, 2, 2, "Tổng số"},
		{1, 3, 2, 3, "Số kỳ trước chuyển qua"},
		{1, 4, 1, 6, "Số mới tiếp nhận"},
		{2, 4, 2, 4, "Trực tuyến"},
		{2, 5, 2, 5, "Trực tiếp"},
		{2, 6, 2, 6, "Qua bưu chính công ích"},
		{0, 7, 0, 10, "Số hồ sơ đã giải quyết"},
		{1, 7, 2, 7, "Tổng số"},
		{1, 8, 1, 10, "Trong đó"},
		{2, 8, 2, 8, "Trước hạn"},
		{2, 9, 2, 9, "Đúng hạn"},
		{2, 10, 2, 10, "Quá hạn"},
		{0, 11, 0, 12, "Số hồ sơ đang giải quyết"},
		{1, 11, 2, 11, "Trong hạn"},
		{1, 12, 2, 12, "Quá hạn"},
		{0, 13, 2, 13, "Số hồ sơ rút"},
		{0, 14, 2, 14, "Số hồ sơ từ chối"},
		{0, 15, 2, 15, "Tỷ lệ hồ sơ trực tuyến (%)"},
		{0, 16, 2, 16, "Tỷ lệ số hóa hồ sơ (%)"},
		{0, 17, 2, 17, "Tỷ lệ thanh toán trực tuyến (%)"},
	};
	for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
		lxw_row_t r0 = h + (lxw_row_t)cells[i].r0, r1 = h + (lxw_row_t)cells[i].r1;
		lxw_col_t c0 = (lxw_col_t)cells[i].c0, c1 = (lxw_col_t)cells[i].c1;
		if (r0 == r1 && c0 == c1)
			worksheet_write_string(ws, r0, c0, cells[i].text, f->head);
		else
			worksheet_merge_range(ws, r0, c0, r1, c1, cells[i].text, f->head);
	}
	worksheet_set_row(ws, h, 32, NULL);
	worksheet_set_row(ws, h + 1, 20, NULL);
	worksheet_set_row(ws, h + 2, 66, NULL);
	for (int c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, h + 3, (lxw_col_t)c, arena_printf(a, "(%d)", c + 1),
				       f->colno);
	worksheet_set_column(ws, 0, 0, 6, NULL);
	worksheet_set_column(ws, 1, 1, 36, NULL);
	worksheet_set_column(ws, 2, 14, 11, NULL);
	worksheet_set_column(ws, 15, 17, 12, NULL);
}

/* The levels in the order a provincial report lists them. */
static const struct {
	const char *level, *name;
} levels[] = {
	{"province", "Cấp tỉnh"},
	{"department", "Sở, ban, ngành"},
	{"district", "Ủy ban nhân dân cấp huyện"},
	{"commune", "Ủy ban nhân dân cấp xã"},
	{"unit", "Đơn vị khác"},
};
#define NLEVELS ((int)(sizeof levels / sizeof *levels))

static int level_of(const char *level)
{
	for (int i = 0; i < NLEVELS; i++)
		if (level && strcmp(level, levels[i].level) == 0)
			return i;
	return NLEVELS - 1;
}

static const char *roman(int n)
{
	static const char *const r[] = {"I", "II", "III", "IV", "V", "VI"};
	return n >= 1 && n <= 6 ? r[n - 1] : "";
}

static void report_sheet(lxw_workbook *wb, const struct formats *f, const char *site,
			 const struct stats_report *rep, arena *a)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Báo cáo");
	report_head(ws, f, site, rep, a);
	report_columns(ws, f, a);
	lxw_row_t y = HEAD_ROW + 4;
	struct row total = {0};
	int ngroup = 0;
	for (int g = 0; g < NLEVELS; g++) {
		struct row sub = {0};
		int k = 0;
		for (int i = 0; i < rep->nunits; i++)
			if (level_of(rep->units[i].level) == g) {
				row_add(&sub, &rep->units[i].fig);
				k++;
			}
		if (!k)
			continue;
		worksheet_write_string(ws, y, 0, roman(++ngroup), f->group_text);
		worksheet_write_string(ws, y, 1, levels[g].name, f->group_text);
		write_figures(ws, y++, &sub, f->group_count, f->group_rate);
		int n = 0;
		for (int i = 0; i < rep->nunits; i++) {
			const struct stats_unit *u = &rep->units[i];
			if (level_of(u->level) != g)
				continue;
			struct row one = {0};
			row_add(&one, &u->fig);
			worksheet_write_number(ws, y, 0, ++n, f->no);
			worksheet_write_string(ws, y, 1, u->name ? u->name : u->code, f->text);
			write_figures(ws, y++, &one, f->count, f->rate);
		}
	}
	/* The province: the selection's own figures (stats_query's total). */
	row_add(&total, &rep->total);
	worksheet_write_blank(ws, y, 0, f->total_text);
	worksheet_write_string(ws, y, 1, "TỔNG CỘNG TOÀN TỈNH", f->total_text);
	write_figures(ws, y, &total, f->total_count, f->total_rate);
	worksheet_merge_range(
		ws, y + 2, 0, y + 2, NCOLS - 1,
		"Tỷ lệ (%) tính trên số hồ sơ của kỳ; ô trống: không có hồ sơ để tính.", f->sub);

	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
	worksheet_repeat_rows(ws, HEAD_ROW, HEAD_ROW + 3);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_footer(ws, "&CTrang &P/&N");
	worksheet_freeze_panes(ws, HEAD_ROW + 4, 2);
}

/* ---- the 766 sheet ---- */

static void index_row(lxw_worksheet *ws, lxw_row_t y, const struct stats_score *s, lxw_format *rt,
		      lxw_format *tx)
{
	for (int g = 0; g < STATS_NGROUPS; g++) {
		if (s->has[g])
			worksheet_write_number(ws, y, (lxw_col_t)(2 + g), s->points[g], rt);
		else
			worksheet_write_blank(ws, y, (lxw_col_t)(2 + g), rt);
	}
	lxw_col_t c = 2 + STATS_NGROUPS;
	if (s->grade) {
		worksheet_write_number(ws, y, c, s->total, rt);
		worksheet_write_number(ws, y, c + 1, s->index, rt);
	} else {
		worksheet_write_blank(ws, y, c, rt);
		worksheet_write_blank(ws, y, c + 1, rt);
	}
	static const struct {
		const char *key, *vi;
	} grades[] = {
		{"stats.grade.excellent", "Xuất sắc"}, {"stats.grade.good", "Tốt"},
		{"stats.grade.fair", "Khá"},	       {"stats.grade.average", "Trung bình"},
		{"stats.grade.weak", "Yếu"},
	};
	const char *g = "";
	for (size_t i = 0; s->grade && i < sizeof grades / sizeof *grades; i++)
		if (strcmp(s->grade, grades[i].key) == 0)
			g = grades[i].vi;
	worksheet_write_string(ws, y, c + 2, g, tx);
}

static void index_sheet(lxw_workbook *wb, const struct formats *f, const struct stats_report *rep,
			arena *a)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Chỉ số 766");
	worksheet_merge_range(
		ws, 0, 0, 0, 10,
		"ĐIỂM ĐÁNH GIÁ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH 766/QĐ-TTg)",
		f->title);
	worksheet_merge_range(ws, 1, 0, 1, 10, period_text(a, "Kỳ đánh giá", rep), f->sub);
	static const char *const heads[] = {
		"STT",
		"Đơn vị",
		"Công khai, minh bạch (18)",
		"Tiến độ, kết quả giải quyết (20)",
		"Dịch vụ trực tuyến (12)",
		"Số hóa hồ sơ (22)",
		"Thanh toán trực tuyến (10)",
		"Mức độ hài lòng (18)",
		"Tổng điểm",
		"Chỉ số (%)",
		"Xếp loại",
	};
	for (int c = 0; c < 11; c++)
		worksheet_write_string(ws, 3, (lxw_col_t)c, heads[c], f->head);
	worksheet_set_row(ws, 3, 48, NULL);
	worksheet_set_column(ws, 0, 0, 6, NULL);
	worksheet_set_column(ws, 1, 1, 36, NULL);
	worksheet_set_column(ws, 2, 10, 13, NULL);
	lxw_row_t y = 4;
	for (int i = 0; i < rep->nunits; i++, y++) {
		const struct stats_unit *u = &rep->units[i];
		worksheet_write_number(ws, y, 0, i + 1, f->no);
		worksheet_write_string(ws, y, 1, u->name ? u->name : u->code, f->text);
		index_row(ws, y, &u->score, f->rate, f->text);
	}
	worksheet_write_blank(ws, y, 0, f->total_text);
	worksheet_write_string(ws, y, 1, "TOÀN TỈNH", f->total_text);
	index_row(ws, y, &rep->score, f->total_rate, f->total_text);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_repeat_rows(ws, 3, 3);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_footer(ws, "&CTrang &P/&N");
}

/* ---- the reply ---- */

static mc_status xlsx_build(http_req *r, const struct stats_report *rep, const char *path,
			    char *tmpdir)
{
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = tmpdir};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb)
		return MC_INTERNAL;
	struct formats f;
	make_formats(wb, &f);
	struct app *app = http_app(r);
	report_sheet(wb, &f, app->cfg.site_name, rep, r->a);
	index_sheet(wb, &f, rep, r->a);
	lxw_doc_properties props = {.title = "Báo cáo tình hình, kết quả giải quyết TTHC",
				    .author = app->cfg.site_name};
	workbook_set_properties(wb, &props);
	return workbook_close(wb) == LXW_NO_ERROR ? MC_OK : MC_INTERNAL;
}

void web_stats_xlsx(http_req *r)
{
	struct stats_report rep;
	if (!web_stats_load(r, &rep))
		return;
	struct app *app = http_app(r);
	char *dir = arena_printf(r->a, "%s/tmp", app->cfg.data_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		log_error("stats: %s: %s", dir, strerror(errno));
		http_reply_status(r, MC_INTERNAL);
		return;
	}
	char *path = arena_printf(r->a, "%s/motcua-xlsx-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		http_reply_status(r, MC_INTERNAL);
		return;
	}
	close(fd);
	mc_status st = xlsx_build(r, &rep, path, dir);
	FILE *fp = st == MC_OK ? fopen(path, "rb") : NULL;
	buf *o = &r->out;
	buf_reset(o);
	if (fp) {
		char chunk[65536];
		size_t k;
		while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_append(o, chunk, k);
		fclose(fp);
	}
	unlink(path);
	if (!fp) {
		log_error("stats: the workbook could not be written");
		http_reply_status(r, MC_INTERNAL);
		return;
	}
	http_add_header(r, "Content-Disposition", "attachment; filename=\"thong-ke.xlsx\"");
	http_reply_out(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}
