/* pdf_pages.c — a PDF's pages drawn in one thread and written in another
 * (see pdf_pages.h). */
#define _GNU_SOURCE   /* pthread_setname_np */
#include "pdf_pages.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Pages drawn but not yet written, at most: the drawing waits for the
 * writer beyond that, so a long document never holds more than a few
 * pages of recordings. */
#define PAGES_AHEAD 2

enum op_kind { OP_PAGE, OP_LINK, OP_OUTLINE };

struct op {
	enum op_kind kind;
	cairo_surface_t *rec;     /* OP_PAGE */
	char *s;                  /* OP_LINK: attributes; OP_OUTLINE: title */
	char *link;               /* OP_OUTLINE */
	int parent;               /* OP_OUTLINE: our id of the parent */
	cairo_pdf_outline_flags_t flags;
	struct op *next;
};

struct pdf_pages {
	cairo_surface_t *surf;
	cairo_t *cr;              /* on surf: the writer's alone */
	cairo_rectangle_t page;
	pthread_t th;
	bool threaded;
	pthread_mutex_t mu;
	pthread_cond_t cv;        /* an op queued, a page written, or done */
	struct op *head, **tail;
	int pages;                /* OP_PAGE queued and not yet written */
	bool done;                /* nothing more will be queued */
	/* outline ids: ours are 1, 2, ... in the order of
	 * pdf_pages_outline(); ids[k - 1] is cairo's for our k (the writer's) */
	int *ids;
	size_t nids, capids;
	int next_id;              /* the caller's */
	struct op *links, **links_tail; /* the writer's, for its next page */
	cairo_status_t status;    /* the writer's: its first error */
};

static void
op_free(struct op *o)
{
	if (o->rec != NULL)
		cairo_surface_destroy(o->rec);
	free(o->s);
	free(o->link);
	free(o);
}

/* One step on the PDF surface, the writer's; consumes o. */
static void
op_run(struct pdf_pages *pp, struct op *o)
{
	switch (o->kind) {
	case OP_PAGE:
		cairo_set_source_surface(pp->cr, o->rec, 0, 0);
		cairo_paint(pp->cr);
		/* the recording goes with its page, not with the next */
		cairo_set_source_rgb(pp->cr, 0, 0, 0);
		/* the links after the paint: cairo (1.16) drops a link area
		 * tagged on a page that has nothing drawn yet */
		while (pp->links != NULL) {
			struct op *l = pp->links;

			pp->links = l->next;
			cairo_tag_begin(pp->cr, CAIRO_TAG_LINK, l->s);
			cairo_tag_end(pp->cr, CAIRO_TAG_LINK);
			op_free(l);
		}
		pp->links_tail = &pp->links;
		cairo_show_page(pp->cr);
		break;
	case OP_LINK:   /* kept for the page's end */
		*pp->links_tail = o;
		o->next = NULL;
		pp->links_tail = &o->next;
		return;
	case OP_OUTLINE: {
		int parent = o->parent > 0 && (size_t)o->parent <= pp->nids ?
		    pp->ids[o->parent - 1] : CAIRO_PDF_OUTLINE_ROOT;
		int id = cairo_pdf_surface_add_outline(pp->surf, parent, o->s,
		    o->link, o->flags);

		if (pp->nids == pp->capids) {
			size_t cap = pp->capids ? 2 * pp->capids : 16;
			int *ids = realloc(pp->ids, cap * sizeof(*ids));

			if (ids == NULL) {
				pp->status = CAIRO_STATUS_NO_MEMORY;
				break;
			}
			pp->ids = ids;
			pp->capids = cap;
		}
		pp->ids[pp->nids++] = id;
		break;
	}
	}
	if (pp->status == CAIRO_STATUS_SUCCESS)
		pp->status = cairo_status(pp->cr);
	op_free(o);
}

static void *
writer(void *arg)
{
	struct pdf_pages *pp = arg;

	pthread_mutex_lock(&pp->mu);
	for (;;) {
		struct op *o;
		bool page;

		while (pp->head == NULL && !pp->done)
			pthread_cond_wait(&pp->cv, &pp->mu);
		if (pp->head == NULL)
			break;
		o = pp->head;
		pp->head = o->next;
		if (pp->head == NULL)
			pp->tail = &pp->head;
		pthread_mutex_unlock(&pp->mu);
		page = o->kind == OP_PAGE;
		op_run(pp, o);
		pthread_mutex_lock(&pp->mu);
		if (page) {
			pp->pages--;
			pthread_cond_broadcast(&pp->cv);
		}
	}
	pthread_mutex_unlock(&pp->mu);
	return NULL;
}

/* Queues o, or runs it at once without a writer. */
static void
push(struct pdf_pages *pp, struct op *o)
{
	if (!pp->threaded) {
		op_run(pp, o);
		return;
	}
	pthread_mutex_lock(&pp->mu);
	if (o->kind == OP_PAGE) {
		while (pp->pages >= PAGES_AHEAD)
			pthread_cond_wait(&pp->cv, &pp->mu);
		pp->pages++;
	}
	o->next = NULL;
	*pp->tail = o;
	pp->tail = &o->next;
	pthread_cond_broadcast(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
}

struct pdf_pages *
pdf_pages_start(cairo_surface_t *surf, double w, double h)
{
	struct pdf_pages *pp = calloc(1, sizeof(*pp));

	if (pp == NULL)
		return NULL;
	pp->surf = surf;
	pp->cr = cairo_create(surf);
	pp->page = (cairo_rectangle_t){ 0, 0, w, h };
	pp->tail = &pp->head;
	pp->links_tail = &pp->links;
	if (cairo_status(pp->cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(pp->cr);
		free(pp);
		return NULL;
	}
	if (pthread_mutex_init(&pp->mu, NULL) != 0)
		return pp;
	if (pthread_cond_init(&pp->cv, NULL) != 0) {
		pthread_mutex_destroy(&pp->mu);
		return pp;
	}
	pp->threaded = pthread_create(&pp->th, NULL, writer, pp) == 0;
	if (pp->threaded) {
		pthread_setname_np(pp->th, "talot-pdf-write");
	} else {
		pthread_cond_destroy(&pp->cv);
		pthread_mutex_destroy(&pp->mu);
	}
	return pp;
}

cairo_t *
pdf_pages_recording(double w, double h)
{
	cairo_rectangle_t ext = { 0, 0, w, h };
	cairo_surface_t *rec = cairo_recording_surface_create(
	    CAIRO_CONTENT_COLOR_ALPHA, &ext);
	cairo_t *cr = cairo_create(rec);

	cairo_surface_destroy(rec);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(cr);
		return NULL;
	}
	return cr;
}

cairo_t *
pdf_pages_begin(struct pdf_pages *pp)
{
	return pdf_pages_recording(pp->page.width, pp->page.height);
}

cairo_status_t
pdf_pages_end(struct pdf_pages *pp, cairo_t *cr)
{
	cairo_status_t st = cairo_status(cr);
	struct op *o;

	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(cairo_get_target(cr));
	o = st == CAIRO_STATUS_SUCCESS ? calloc(1, sizeof(*o)) : NULL;
	if (o == NULL) {
		cairo_destroy(cr);
		return st != CAIRO_STATUS_SUCCESS ? st : CAIRO_STATUS_NO_MEMORY;
	}
	o->kind = OP_PAGE;
	o->rec = cairo_surface_reference(cairo_get_target(cr));
	cairo_destroy(cr);
	push(pp, o);
	return CAIRO_STATUS_SUCCESS;
}

bool
pdf_pages_link(struct pdf_pages *pp, const char *attrs)
{
	struct op *o = calloc(1, sizeof(*o));

	if (o == NULL || (o->s = strdup(attrs)) == NULL) {
		free(o);
		return false;
	}
	o->kind = OP_LINK;
	push(pp, o);
	return true;
}

int
pdf_pages_outline(struct pdf_pages *pp, int parent, const char *title,
    const char *link, cairo_pdf_outline_flags_t flags)
{
	struct op *o = calloc(1, sizeof(*o));

	if (o == NULL || (o->s = strdup(title)) == NULL ||
	    (o->link = strdup(link)) == NULL) {
		if (o != NULL)
			free(o->s);
		free(o);
		return -1;
	}
	o->kind = OP_OUTLINE;
	o->parent = parent;
	o->flags = flags;
	push(pp, o);
	return ++pp->next_id;
}

cairo_status_t
pdf_pages_finish(struct pdf_pages *pp)
{
	cairo_status_t st;

	if (pp == NULL)
		return CAIRO_STATUS_SUCCESS;
	if (pp->threaded) {
		pthread_mutex_lock(&pp->mu);
		pp->done = true;
		pthread_cond_broadcast(&pp->cv);
		pthread_mutex_unlock(&pp->mu);
		pthread_join(pp->th, NULL);
		pthread_cond_destroy(&pp->cv);
		pthread_mutex_destroy(&pp->mu);
	}
	st = pp->status;
	while (pp->links != NULL) {
		struct op *l = pp->links;

		pp->links = l->next;
		op_free(l);
	}
	cairo_destroy(pp->cr);
	free(pp->ids);
	free(pp);
	return st;
}
