# For each case on stdin (JSON list of {config, credentials, env, profile}), what botocore resolves:
# the credential method, the access key id (for sources read without a network call) and the region.
# Errors are reported by their class name. Used by test/integration/config-botocore.test.ts.
import json, os, sys, tempfile
import botocore.session
from botocore.credentials import RefreshableCredentials

cases = json.load(sys.stdin)
out = []
for case in cases:
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, 'config'); cred = os.path.join(d, 'credentials')
        open(cfg, 'w').write(case['config']); open(cred, 'w').write(case['credentials'])
        env = {'AWS_CONFIG_FILE': cfg, 'AWS_SHARED_CREDENTIALS_FILE': cred, 'AWS_EC2_METADATA_DISABLED': 'true', 'HOME': d}
        env.update(case['env'])
        saved = dict(os.environ)
        os.environ.clear(); os.environ.update(env)
        try:
            s = botocore.session.Session()
            if case.get('profile') is not None:
                s.set_config_variable('profile', case['profile'])
            c = s.get_credentials()
            region = s.get_config_variable('region')
            if c is None:
                out.append({'method': None, 'region': region})
            else:
                deferred = c.method in ('assume-role', 'assume-role-with-web-identity', 'sso')
                out.append({'method': c.method, 'accessKeyId': None if deferred else c.access_key, 'region': region})
        except Exception as e:
            out.append({'error': type(e).__name__})
        finally:
            os.environ.clear(); os.environ.update(saved)
json.dump(out, sys.stdout)
