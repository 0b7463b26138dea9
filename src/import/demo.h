/* demo.h — the sample data set behind `talot demo` (SPEC §7).
 *
 * A deterministic, invented but realistically shaped set of observation
 * counts for 2007-01 .. 2007-06 at ten sensors s01 .. s10, written in the
 * talot import format (SPEC §3).  June 2007 reproduces the figures of the
 * seed bulletin exactly: observed 4–30 June (1–3 June absent: maintenance),
 * N = 270 sensor-days, A = 293,252 accesses, S = 74,790 sources, so 1,086
 * accesses and 277 sources per sensor per day and about 4 accesses per source;
 * 135/tcp and 445/tcp on top; 1026/udp and 1027/udp about twice their May
 * level, mostly from CN; the other ports of the seed's table present.
 *
 * The other months decline gently (per sensor per day, accesses and sources).
 * Two irregularities exercise the outage and marker logic:
 *   - s07 is unobserved on 2007-03-14 and 2007-03-15 (no rows at all);
 *   - s08 is observed on 2007-01-27 without traffic: the single marker row
 *     `2007-01-27,s08,*,*,*,0,0`.
 * Every other row has accesses >= 1 and 1 <= sources <= accesses.
 *
 * Rows are sorted by day, sensor, proto (by name: icmp, tcp, udp), port
 * (numerically), country; no key appears twice.  The bytes depend on nothing
 * but this code (own PRNG with a fixed seed, integer arithmetic only, no
 * locale), so every run on every machine writes the same file.
 */
#ifndef TALOT_DEMO_H
#define TALOT_DEMO_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"

/* Writes the whole sample data set as talot CSV, header line
 * `day,sensor,proto,port,country,accesses,sources` first, to out (owned by
 * the caller, left open; the function flushes it).  One month of cells is
 * held in memory at a time (a few MB).  Returns false with e set on a write
 * error or when out of memory; out may then hold a partial data set. */
bool demo_write_csv(FILE *out, struct err *e);

#endif
