#!/usr/bin/env python3
"""sql2c.py IN.sql OUT.h NAME: the statements of IN.sql (without its
comments) as a NULL-terminated C array `static const char *const NAME[]`."""
import sys

src, out, name = sys.argv[1:4]
stmts, cur = [], []
for line in open(src, encoding='utf-8'):
    line = line.rstrip('\n')
    if line.lstrip().startswith('--') or not line.strip():
        continue
    cur.append(line.strip())
    if line.rstrip().endswith(';'):
        stmts.append(' '.join(cur)[:-1])
        cur = []
if cur:
    sys.exit(src + ': the last statement does not end with ;')
with open(out, 'w', encoding='utf-8') as f:
    f.write('/* generated from %s by sql/sql2c.py; do not edit */\n' % src.split('/')[-1])
    f.write('static const char *const %s[] = {\n' % name)
    for s in stmts:
        f.write('\t"%s",\n' % s.replace('\\', '\\\\').replace('"', '\\"'))
    f.write('\tNULL,\n};\n')
