"""The redactor masks every form of a secret, and short secrets only as whole words."""

from __future__ import annotations

from framework.host.redact import MASK, Redactor


def test_a_long_secret_is_masked_in_every_form_even_inside_other_text() -> None:
    redactor = Redactor()
    redactor.add('s3cr3t"tok=en')
    text = 'raw s3cr3t"tok=en url token=s3cr3t%22tok%3Den json "s3cr3t\\"tok=en" glued Xs3cr3t"tok=enX'
    scrubbed = redactor.scrub(text)
    assert "s3cr3t" not in scrubbed
    assert scrubbed.count(MASK) == 4


def test_a_short_secret_is_masked_only_where_it_stands_as_a_word() -> None:
    redactor = Redactor()
    redactor.add("y")
    scrubbed = redactor.scrub('{"severity": "error", "token": "y"} token=y&retry y.')
    assert scrubbed == f'{{"severity": "error", "token": "{MASK}"}} token={MASK}&retry {MASK}.'


def test_a_basic_credential_is_masked_in_its_base64_form() -> None:
    redactor = Redactor()
    redactor.add_basic_auth("SERVICE-1", "token-value-123")
    assert redactor.scrub("Authorization: Basic U0VSVklDRS0xOnRva2VuLXZhbHVlLTEyMw==") == f"Authorization: Basic {MASK}"
