"""botocore's S3 upload encodings, for the differential tests of iam-edge/s3.

stdin: {"kind": "post", "accessKeyId", "secretAccessKey", "sessionToken"?, "amzDate", "region",
        "bucket", "key", "fields", "conditions", "expiresIn"}
   or  {"kind": "chunked", "algorithm": "CRC32" | "SHA256", "data": base64, "amzDate"}
stdout: for post, botocore's {"url", "fields"}; for chunked, the PutObject request botocore sends
        for a stream of unknown length ({"headers", "body": base64}).
"""
import base64
import datetime
import json
import sys
from unittest import mock

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config

job = json.load(sys.stdin)
when = datetime.datetime.strptime(job['amzDate'], '%Y%m%dT%H%M%SZ')
session = botocore.session.get_session()
with mock.patch('botocore.auth.get_current_datetime', return_value=when), mock.patch('botocore.signers.get_current_datetime', return_value=when):
    if job['kind'] == 'post':
        client = session.create_client(
            's3', region_name=job['region'], aws_access_key_id=job['accessKeyId'],
            aws_secret_access_key=job['secretAccessKey'], aws_session_token=job.get('sessionToken'),
            config=Config(signature_version='s3v4'),
        )
        out = client.generate_presigned_post(job['bucket'], job['key'], Fields=job['fields'], Conditions=job['conditions'], ExpiresIn=job['expiresIn'])
        json.dump(out, sys.stdout)
    else:
        client = session.create_client(
            's3', region_name='us-east-1', endpoint_url='https://s3.amazonaws.com', aws_access_key_id='AKIDEXAMPLE',
            aws_secret_access_key='secret', config=Config(request_checksum_calculation='when_supported'),
        )
        data = base64.b64decode(job['data'])

        class Unseekable:
            """A stream of unknown length: botocore sends it aws-chunked with a checksum trailer."""
            def __init__(self):
                self.at = 0

            def read(self, size=-1):
                size = len(data) - self.at if size is None or size < 0 else size
                piece = data[self.at:self.at + size]
                self.at += len(piece)
                return piece

        class Raw:
            def stream(self, **kwargs):
                yield b''

        captured = {}

        def before_send(request, **kwargs):
            body = request.body
            captured['headers'] = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
            captured['body'] = base64.b64encode(body.read() if hasattr(body, 'read') else b''.join(body)).decode()
            return AWSResponse(request.url, 200, {}, Raw())

        client.meta.events.register('before-send.s3.PutObject', before_send)
        client.put_object(Bucket='examplebucket', Key='streamed.bin', Body=Unseekable(), ChecksumAlgorithm=job['algorithm'])
        json.dump(captured, sys.stdout)
