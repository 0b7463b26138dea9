/* style.c — default appearance shared by all charts. */
#include <string.h>

#include "chart_internal.h"

void
chart_style_defaults(struct chart_style *st)
{
	memset(st, 0, sizeof *st);
	st->pango = NULL;
	st->font_family = "BIZ UDPGothic";
	st->font_size = 7.5;
	st->language = "ja";
	st->text_color = (struct chart_rgb){ 0.2, 0.2, 0.2 };
	st->axis_color = (struct chart_rgb){ 0.35, 0.35, 0.35 };
	st->grid_color = (struct chart_rgb){ 0.85, 0.85, 0.85 };
	st->line_width = 0.6;
	st->empty_text = "データなし";
}
