/* clickhouse.c — the ClickHouse back-end of store.h (not yet written). */
#include <stdlib.h>

#include "store_backend.h"

struct store *
ch_store_open(const char *path, enum store_mode mode, struct err *e)
{
	(void)mode;
	err_set(e, "%s: ClickHouse stores are not supported yet", path);
	return NULL;
}

void 
ch_store_close(struct store *s)
{
	(void)s;
}

bool 
ch_store_publish(struct store *s, struct err *e)
{
	(void)s;
	(void)e;
	return false;
}

const char *
ch_store_path(const struct store *s)
{
	(void)s;
	return NULL;
}

struct store_import *
ch_store_import_begin(struct store *s, struct err *e)
{
	(void)s;
	(void)e;
	return NULL;
}

int 
ch_store_import_row(struct store_import *im, const struct csv_row *r, struct err *e)
{
	(void)im;
	(void)r;
	(void)e;
	return -1;
}

bool 
ch_store_import_commit(struct store_import *im, struct import_summary *sum, struct err *e)
{
	(void)im;
	(void)sum;
	(void)e;
	return false;
}

void 
ch_store_import_destroy(struct store_import *im)
{
	(void)im;
}

bool 
ch_store_months(struct store *s, struct store_month_info **out, size_t *n, struct err *e)
{
	(void)s;
	(void)out;
	(void)n;
	(void)e;
	return false;
}

bool 
ch_store_snapshot_begin(struct store *s, struct err *e)
{
	(void)s;
	(void)e;
	return false;
}

void 
ch_store_snapshot_end(struct store *s)
{
	(void)s;
}

bool 
ch_store_month_data(struct store *s, month_t m, struct month_data *d, struct err *e)
{
	(void)s;
	(void)m;
	(void)d;
	(void)e;
	return false;
}

bool 
ch_store_month_input(struct store *s, month_t m, struct month_input *in, struct err *e)
{
	(void)s;
	(void)m;
	(void)in;
	(void)e;
	return false;
}

bool 
ch_store_month_read(struct store *s, month_t m, const struct key *pins, size_t npins, struct month_input *in, struct err *e)
{
	(void)s;
	(void)m;
	(void)pins;
	(void)npins;
	(void)in;
	(void)e;
	return false;
}

bool 
ch_store_color_months(struct store *s, struct color_month **out, size_t *n, struct err *e)
{
	(void)s;
	(void)out;
	(void)n;
	(void)e;
	return false;
}

bool 
ch_store_month_sensors(struct store *s, month_t m, struct sensor_name **out, size_t *n, struct err *e)
{
	(void)s;
	(void)m;
	(void)out;
	(void)n;
	(void)e;
	return false;
}

bool 
ch_store_port_day_country(struct store *s, struct key port, month_t from, month_t to, struct port_day_country **rows, size_t *n, struct err *e)
{
	(void)s;
	(void)port;
	(void)from;
	(void)to;
	(void)rows;
	(void)n;
	(void)e;
	return false;
}

int 
ch_store_check(struct store *s, struct store_check *out, struct err *e)
{
	(void)s;
	(void)out;
	(void)e;
	return -1;
}
