#!/usr/bin/python3
"""Writes the Unicode character-name table the Python string-literal decoder uses for \\N{...}
escapes (.NET has no character-name database). Run with the Python whose Unicode version you
want to match:  /usr/bin/python3 tools/make-unicode-names.py
Output: src/TorchHub.Core/Hubconf/Python/UnicodeNames.txt.gz, lines "HEX;NAME", plus
"RANGE;PREFIX;START;END" lines for names made of a prefix and the code point (CJK, Tangut, ...).
Hangul syllable names are computed by the decoder (Unicode's algorithm)."""
import gzip, os, unicodedata

PREFIXES = ('CJK UNIFIED IDEOGRAPH-', 'CJK COMPATIBILITY IDEOGRAPH-', 'TANGUT IDEOGRAPH-',
            'KHITAN SMALL SCRIPT CHARACTER-', 'NUSHU CHARACTER-')
lines, ranges = [], {}
for cp in range(0x110000):
    try:
        name = unicodedata.name(chr(cp))
    except ValueError:
        continue
    if name.startswith('HANGUL SYLLABLE '):
        continue
    prefix = next((p for p in PREFIXES if name.startswith(p)), None)
    if prefix:
        r = ranges.setdefault(prefix, [])
        if r and r[-1][1] == cp - 1:
            r[-1][1] = cp
        else:
            r.append([cp, cp])
        continue
    lines.append('%X;%s' % (cp, name))
for prefix, rs in ranges.items():
    for start, end in rs:
        lines.append('RANGE;%s;%X;%X' % (prefix, start, end))
out = os.path.join(os.path.dirname(__file__), '..', 'src', 'TorchHub.Core', 'Hubconf', 'Python', 'UnicodeNames.txt.gz')
with gzip.GzipFile(out, 'wb', mtime=0) as f:
    f.write(('# Unicode %s names from Python unicodedata\n' % unicodedata.unidata_version).encode())
    f.write('\n'.join(lines).encode() + b'\n')
