# Prints {"iam": {Operation: skeleton JSON text}, "sts": {...}} as the installed AWS CLI's
# --generate-cli-skeleton writes them (botocore's ArgumentGenerator, json.dumps with indent 4 and
# the AWS CLI's encoder). The generator picks an enum value at random; here it takes the first,
# as iam-edge does, so the texts compare exactly.
import json
import random
import sys

import botocore.session
from awscli.utils import json_encoder
from botocore.utils import ArgumentGenerator

random.choice = lambda seq: seq[0]
session = botocore.session.get_session()
out = {}
for service in ("iam", "sts"):
    model = session.get_service_model(service)
    out[service] = {}
    for name in model.operation_names:
        shape = model.operation_model(name).input_shape
        skeleton = {} if shape is None else ArgumentGenerator().generate_skeleton(shape)
        out[service][name] = json.dumps(skeleton, indent=4, default=json_encoder)
json.dump(out, sys.stdout)
