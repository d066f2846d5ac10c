"""The recipe's templates (config/deploy/patroni/, config/deploy/pgbackrest/) render to what
the failover test and the drill run: durability first by default, no secret in a file, and a
missing or inconsistent value refused."""

import pytest
import yaml

from config.deploy.patroni import render as patroni
from config.deploy.pgbackrest import render as pgbackrest

NODE = {
    "PGHA_NAME": "pg1",
    "PGHA_HOST": "10.0.0.31",
    "PGHA_NETWORK": "10.0.0.0/24",
    "PGHA_ETCD_HOSTS": "10.0.0.21:2379,10.0.0.22:2379,10.0.0.23:2379",
}


def test_a_node_is_strictly_synchronous_by_default_with_no_password_in_the_file():
    config = yaml.safe_load(patroni.render("patroni", NODE))
    dcs = config["bootstrap"]["dcs"]
    assert (dcs["synchronous_mode"], dcs["synchronous_mode_strict"]) == (True, True)
    assert dcs["synchronous_node_count"] == 1 and dcs["maximum_lag_on_failover"] == 0
    assert (dcs["ttl"], dcs["loop_wait"], dcs["retry_timeout"]) == (30, 10, 10)
    assert dcs["postgresql"]["parameters"]["synchronous_commit"] == "on"
    assert dcs["postgresql"]["parameters"]["archive_mode"] == "off"
    assert config["etcd3"]["hosts"] == NODE["PGHA_ETCD_HOSTS"]
    assert config["postgresql"]["connect_address"] == "10.0.0.31:5432"
    assert "host all all 10.0.0.0/24 scram-sha-256" in config["postgresql"]["pg_hba"]
    users = config["postgresql"]["authentication"]
    assert all("password" not in user for user in users.values())  # PATRONI_*_PASSWORD


def test_archiving_to_pgbackrest_and_availability_first_on_request():
    config = yaml.safe_load(
        patroni.render(
            "patroni",
            {**NODE, "PGHA_PGBACKREST_STANZA": "borgerindsats", "PGHA_SYNCHRONOUS_STRICT": "false"},
        )
    )
    parameters = config["bootstrap"]["dcs"]["postgresql"]["parameters"]
    assert parameters["archive_mode"] == "on"
    assert parameters["archive_command"] == "pgbackrest --stanza=borgerindsats archive-push %p"
    assert config["bootstrap"]["dcs"]["synchronous_mode_strict"] is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"PGHA_NAME": ""}, "PGHA_NAME is required"),
        ({"PGHA_NETWORK": "everywhere"}, "expected a CIDR"),
        ({"PGHA_TTL": "10", "PGHA_LOOP_WAIT": "5", "PGHA_RETRY_TIMEOUT": "5"}, "must not exceed"),
        ({"PGHA_SYNCHRONOUS_STRICT": "maybe"}, "true or false"),
        ({"PGHA_ETCD_HOSTS": "etcd1"}, "HOST:PORT"),
    ],
)
def test_a_bad_value_is_refused(change, message):
    with pytest.raises(patroni.RenderError, match=message):
        patroni.render("patroni", {**NODE, **change})


def test_an_etcd_member_of_three():
    members = ",".join(f"etcd{i}=http://10.0.0.2{i}:2380" for i in (1, 2, 3))
    config = yaml.safe_load(
        patroni.render(
            "etcd",
            {"ETCD_NAME": "etcd1", "ETCD_HOST": "10.0.0.21", "ETCD_INITIAL_CLUSTER": members},
        )
    )
    assert config["initial-cluster"] == members
    assert config["listen-client-urls"].startswith("http://10.0.0.21:2379")
    assert config["initial-cluster-state"] == "new"


def test_pgbackrest_encrypts_its_repository_and_names_the_stanza():
    text = pgbackrest.render({"stanza": "borgerindsats", "pg_path": "/srv/pg"})
    assert "repo1-cipher-type=aes-256-cbc" in text and "cipher-pass" not in text
    assert "[borgerindsats]\npg1-path=/srv/pg\n" in text
