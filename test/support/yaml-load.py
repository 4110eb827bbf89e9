# Loads each YAML text of a JSON list (stdin) with PyYAML's safe loader (YAML 1.1, as most readers
# of AWS CLI output use) and prints the values as a JSON list; dates would fail to serialise, so a
# timestamp left unquoted is caught.
import json
import sys

import yaml

json.dump([yaml.safe_load(text) for text in json.load(sys.stdin)], sys.stdout)
