"""Signs requests with botocore's SigV4a signers (CrtSigV4AsymAuth, CrtSigV4AsymQueryAuth: the AWS
Common Runtime's C implementation) at a fixed time, for the SigV4a differential test.

stdin: {"accessKeyId", "secretAccessKey", "sessionToken"?, "amzDate": "YYYYMMDDTHHMMSSZ",
        "requests": [{"method", "url", "headers": [[name, value]], "body", "service", "regionSet", "form": "header"|"query"}]}
stdout: a JSON list of {"url", "headers": [[name, value]]} as signed.
Needs awscrt: pip's, or Debian's python3-awscrt (found under /usr/lib/python3/dist-packages).
"""
import datetime
import json
import sys
from unittest import mock

try:
    import awscrt.auth  # noqa: F401
except ImportError:
    sys.path.append('/usr/lib/python3/dist-packages')
    import awscrt.auth  # noqa: F401

from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.crt.auth import CrtSigV4AsymAuth, CrtSigV4AsymQueryAuth

job = json.load(sys.stdin)
when = datetime.datetime.strptime(job['amzDate'], '%Y%m%dT%H%M%SZ').replace(tzinfo=datetime.timezone.utc)
credentials = Credentials(job['accessKeyId'], job['secretAccessKey'], job.get('sessionToken'))
out = []
with mock.patch('botocore.crt.auth.get_current_datetime', return_value=when):
    for r in job['requests']:
        req = AWSRequest(method=r['method'], url=r['url'], headers=dict(r['headers']), data=r['body'].encode())
        signer = CrtSigV4AsymQueryAuth if r['form'] == 'query' else CrtSigV4AsymAuth
        signer(credentials, r['service'], r['regionSet']).add_auth(req)
        out.append({'url': req.url, 'headers': [[k, v] for k, v in req.headers.items()]})
json.dump(out, sys.stdout)
