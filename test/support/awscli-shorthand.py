# Parses each shorthand string of a JSON list (stdin) with the installed AWS CLI's parser and
# prints, per string, {"ok": value} or {"error": true}: the reference for the shorthand differential.
import json
import sys

from awscli.shorthand import ShorthandParseError, ShorthandParser

out = []
for text in json.load(sys.stdin):
    try:
        out.append({"ok": ShorthandParser().parse(text)})
    except ShorthandParseError:
        out.append({"error": True})
json.dump(out, sys.stdout)
