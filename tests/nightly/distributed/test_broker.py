"""Broker URLs and the reachability check (no broker needed: a closed port)."""

import pytest

from tests.support.services import free_port
from verifier.errors import EXIT_BAD_INPUT, EXIT_COULD_NOT_VERIFY
from verifier.nightly.distributed.broker import check_reachable, parse
from verifier.nightly.distributed.errors import BrokerUnavailable, BrokerURLError


@pytest.mark.parametrize(
    ("url", "kind"),
    [("amqp://guest:guest@127.0.0.1:5672//", "rabbitmq"), ("amqps://mq.example/vhost", "rabbitmq"),
     ("redis://127.0.0.1:6379/0", "redis"), ("rediss://:secret@redis.example:6380/1", "redis")],
)
def test_known_schemes(url: str, kind: str) -> None:
    assert parse(url).kind == kind


@pytest.mark.parametrize("url", ["http://127.0.0.1:5672", "127.0.0.1:5672", "redis://", "amqp://host:notaport//", "sqs://queue"])
def test_other_urls_are_usage_errors(url: str) -> None:
    with pytest.raises(BrokerURLError) as caught:
        parse(url)
    assert caught.value.exit_code == EXIT_BAD_INPUT and "\n" not in str(caught.value)


def test_password_is_never_shown() -> None:
    assert parse("amqp://user:s3cret@host:5672//").shown == "amqp://user:***@host:5672//"


def test_unreachable_broker_is_one_line_and_exit_3() -> None:
    with pytest.raises(BrokerUnavailable) as caught:
        check_reachable(parse(f"redis://127.0.0.1:{free_port()}/0"))
    assert caught.value.exit_code == EXIT_COULD_NOT_VERIFY
    assert str(caught.value).startswith("cannot reach the broker at redis://127.0.0.1:")
