"""OAI-PMH arguments and resumption tokens (pure codec)."""

from __future__ import annotations

import datetime as dt

import pytest

from polka.interop.oai import OaiError, encode_token, parse_request

KEY = b"k" * 32
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def request(**params: str):
    return parse_request({k: [v] for k, v in params.items()}, key=KEY, now=NOW)


def test_until_with_day_granularity_covers_the_whole_day():
    parsed = request(verb="ListRecords", metadataPrefix="oai_dc", until="2026-11-30")
    assert parsed.before == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    seconds = request(verb="ListRecords", metadataPrefix="oai_dc", until="2026-11-30T10:00:00Z")
    assert seconds.before == dt.datetime(2026, 11, 30, 10, 0, 1, tzinfo=dt.UTC)


def test_a_token_resumes_the_same_list_after_the_last_record_sent():
    first = request(verb="ListRecords", metadataPrefix="marcxml", set="branch:central")
    token = encode_token(key=KEY, request=first, after_id=41, cursor=20, now=NOW)
    resumed = request(verb="ListRecords", resumptionToken=token)
    assert (resumed.metadata_prefix, resumed.set_spec) == ("marcxml", "branch:central")
    assert (resumed.after_id, resumed.cursor) == (41, 20)


@pytest.mark.parametrize("age", [dt.timedelta(hours=25), -dt.timedelta(minutes=5)])
def test_an_expired_or_future_token_is_refused(age):
    first = request(verb="ListRecords", metadataPrefix="oai_dc")
    token = encode_token(key=KEY, request=first, after_id=1, cursor=1, now=NOW - age)
    with pytest.raises(OaiError) as raised:
        request(verb="ListRecords", resumptionToken=token)
    assert raised.value.code == "badResumptionToken"


def test_a_token_signed_with_another_key_is_refused():
    first = request(verb="ListRecords", metadataPrefix="oai_dc")
    token = encode_token(key=b"other", request=first, after_id=1, cursor=1, now=NOW)
    with pytest.raises(OaiError):
        request(verb="ListRecords", resumptionToken=token)


def test_repeated_arguments_and_tokens_with_other_arguments_are_bad_arguments():
    with pytest.raises(OaiError) as repeated:
        parse_request({"verb": ["Identify"], "x": ["1", "2"]}, key=KEY, now=NOW)
    assert repeated.value.code == "badArgument"
    with pytest.raises(OaiError) as mixed:
        request(verb="ListRecords", resumptionToken="t", metadataPrefix="oai_dc")
    assert mixed.value.code == "badArgument"
