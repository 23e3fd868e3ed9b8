#!/usr/bin/python3
"""Validates show commands' JSON output against Schemas/ACTION.schema.json.

Input on stdin: one JSON object per line, {"action": ..., "line": ..., "document": "..."},
where document is the text `| json` printed. Every schema is itself checked against its
meta-schema first. Prints one line per failure; exits 1 if there was any.
Uses python3-jsonschema (Debian), with formats (date-time) checked.
"""
import json
import pathlib
import sys

import jsonschema

schemas = pathlib.Path(sys.argv[1]).resolve()
store = {}
for path in schemas.glob("*.schema.json"):
    schema = json.loads(path.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    store[path.as_uri()] = schema

failures = 0
for raw in sys.stdin:
    entry = json.loads(raw)
    path = schemas / (entry["action"] + ".schema.json")
    if not path.exists():
        print(f"{entry['line']!r}: no schema {path.name}")
        failures += 1
        continue
    try:
        document = json.loads(entry["document"])
    except ValueError as error:
        print(f"{entry['line']!r}: not JSON: {error}")
        failures += 1
        continue
    schema = store[path.as_uri()]
    resolver = jsonschema.RefResolver(base_uri=path.as_uri(), referrer=schema, store=store)
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver,
                                                format_checker=jsonschema.FormatChecker())
    for error in validator.iter_errors(document):
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        print(f"{entry['line']!r}: {where}: {error.message}")
        failures += 1
sys.exit(1 if failures else 0)
