"""Signs S3 requests with botocore's S3SigV4Auth at a fixed time, for the S3 differential test.

stdin: {"accessKeyId", "secretAccessKey", "amzDate": "YYYYMMDDTHHMMSSZ", "requests": [{"method", "url"}]}
stdout: a JSON list of Authorization header values.
"""
import datetime
import json
import sys
from unittest import mock

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

job = json.load(sys.stdin)
when = datetime.datetime.strptime(job['amzDate'], '%Y%m%dT%H%M%SZ')
out = []
with mock.patch('botocore.auth.get_current_datetime', return_value=when):
    for r in job['requests']:
        req = AWSRequest(method=r['method'], url=r['url'], data=b'')
        S3SigV4Auth(Credentials(job['accessKeyId'], job['secretAccessKey']), 's3', 'us-east-1').add_auth(req)
        out.append(req.headers['Authorization'])
json.dump(out, sys.stdout)
