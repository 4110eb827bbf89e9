"""Parses AWS Query answers with botocore, for the differential test against iam-edge's parser.

stdin: a JSON list of {"service": "iam"|"sts", "operation": name, "body": xml text}.
stdout: a JSON list of parsed outputs, normalised to compare with iam-edge's:
- timestamps as epoch milliseconds (microseconds cut, as a JavaScript Date holds them), blobs as base64, ResponseMetadata dropped;
- the two documented differences applied to botocore's side: IAM policy documents
  (policyDocumentType) percent-decoded as iam-edge decodes them, and a required list or map the
  answer leaves out read as empty (the output types promise them).
"""
import base64
import datetime
import json
import sys
from urllib.parse import unquote

import botocore.session
from botocore.parsers import QueryParser


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def normalise(shape, value):
    if shape.type_name == 'structure':
        out = {}
        for name, member in shape.members.items():
            if name in value:
                out[name] = normalise(member, value[name])
            elif name in shape.required_members and member.type_name in ('list', 'map'):
                out[name] = [] if member.type_name == 'list' else {}
        return out
    if shape.type_name == 'list':
        return [normalise(shape.member, v) for v in value]
    if shape.type_name == 'map':
        return {k: normalise(shape.value, v) for k, v in value.items()}
    if shape.type_name == 'timestamp':
        # whole milliseconds, cut as a JavaScript Date cuts microseconds
        delta = value - EPOCH
        return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
    if shape.type_name == 'blob':
        return base64.b64encode(value).decode('ascii')
    if shape.name == 'policyDocumentType' and '{' not in value and '%' in value:
        return unquote(value)
    return value


def main():
    session = botocore.session.get_session()
    models = {name: session.get_service_model(name) for name in ('iam', 'sts')}
    out = []
    for item in json.load(sys.stdin):
        op = models[item['service']].operation_model(item['operation'])
        parsed = QueryParser().parse({'body': item['body'].encode('utf-8'), 'headers': {}, 'status_code': 200}, op.output_shape)
        parsed.pop('ResponseMetadata', None)
        out.append(normalise(op.output_shape, parsed) if op.output_shape is not None else {})
    json.dump(out, sys.stdout)


main()
