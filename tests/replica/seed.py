"""The standby tests' records: the failover test's (tests/failover/seed.py) plus a second
client of the same jobcentre, which never writes (it shows what the standby serves a client
whose own writes need not be waited for).

    python -m tests.replica.seed N  ->  one JSON object on standard output
"""

import json
import sys

from tests.failover import seed as failover_seed


def main(count: int) -> dict:
    records = failover_seed.main(count)  # sets Django up
    from accessrules.models import Organisation
    from tests.conftest import ALL_SCOPES
    from tests.factories import ApiClientFactory, access_token_for

    jobcenter = records["jobcenter"]
    organisation = Organisation.objects.get(kode=jobcenter["code"], type=int(jobcenter["type"]))
    reader = ApiClientFactory(organisationer=[organisation])
    records["reader"] = {**jobcenter, "token": access_token_for(reader, ALL_SCOPES)}
    return records


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
