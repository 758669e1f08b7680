"""The reader gives each declared variable its type, its default, and a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsf_config import Reader, SettingsError, Variable

DECLARED = (
    Variable("TSF_NAME", "fallback", "A text."),
    Variable("TSF_UNSET", None, "Nothing by default."),
    Variable("TSF_PORT", "5005", "A port."),
    Variable("TSF_COUNT", "8", "A count."),
    Variable("TSF_SECONDS", "30", "Seconds."),
    Variable("TSF_FLAG", "true", "A flag."),
    Variable("TSF_MODE", "public", "A choice."),
    Variable("TSF_URL", None, "A URL."),
    Variable("TSF_PATH", "var/x.db", "A path."),
)


def reader(**environ: str) -> Reader:
    return Reader(DECLARED, environ, context="TSF_CRM=hubspot")


def test_unset_or_blank_values_mean_the_declared_default() -> None:
    assert reader().text("TSF_NAME") == "fallback"
    assert reader(TSF_NAME="  ").text("TSF_NAME") == "fallback"
    assert reader(TSF_NAME=" set ").text("TSF_NAME") == "set"
    assert reader().text("TSF_UNSET") == ""


def test_an_undeclared_variable_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="TSF_OTHER"):
        reader(TSF_OTHER="x").text("TSF_OTHER")


def test_the_process_environment_is_read_when_no_mapping_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TSF_NAME", "from the process")

    assert Reader(DECLARED).text("TSF_NAME") == "from the process"


def test_a_required_value_names_who_needs_it() -> None:
    assert reader(TSF_UNSET="x").required("TSF_UNSET", "a token") == "x"
    with pytest.raises(
        SettingsError, match=r"TSF_CRM=hubspot needs TSF_UNSET \(a token\), but it is not set"
    ):
        reader().required("TSF_UNSET", "a token")


def test_urls_must_be_https_except_on_this_machine() -> None:
    assert reader(TSF_URL="https://crm.example.org/").url("TSF_URL", "x") == (
        "https://crm.example.org"
    )
    assert reader(TSF_URL="http://127.0.0.1:9/hook").url("TSF_URL", "x") == (
        "http://127.0.0.1:9/hook"
    )
    with pytest.raises(SettingsError, match="plain http is only allowed for localhost"):
        reader(TSF_URL="http://crm.example.org").url("TSF_URL", "x")
    with pytest.raises(SettingsError, match="TSF_URL must be an https:// URL"):
        reader(TSF_URL="crm.example.org").url("TSF_URL", "x")


def test_a_choice_is_read_in_lower_case_and_others_are_refused() -> None:
    assert reader(TSF_MODE="Token").choice("TSF_MODE", ("public", "token")) == "token"
    with pytest.raises(SettingsError, match="TSF_MODE must be one of public, token, not 'x'"):
        reader(TSF_MODE="x").choice("TSF_MODE", ("public", "token"))


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "a port number"), ("0", "between 1 and 65535"), ("70000", "between 1")],
)
def test_ports_are_whole_numbers_in_range(value: str, message: str) -> None:
    assert reader().port("TSF_PORT") == 5005
    with pytest.raises(SettingsError, match=f"TSF_PORT must be {message}"):
        reader(TSF_PORT=value).port("TSF_PORT")


@pytest.mark.parametrize(
    ("value", "message"), [("1.5", "must be a whole number"), ("0", "must be at least 1")]
)
def test_counts_are_whole_numbers_from_one(value: str, message: str) -> None:
    assert reader().count("TSF_COUNT") == 8
    with pytest.raises(SettingsError, match=f"TSF_COUNT {message}"):
        reader(TSF_COUNT=value).count("TSF_COUNT")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "must be a number of seconds"),
        ("0", "must be a positive number of seconds"),
        ("-1", "must be a positive number of seconds"),
        ("nan", "must be a positive number of seconds"),
        ("inf", "must be a positive number of seconds"),
    ],
)
def test_seconds_are_positive_and_finite(value: str, message: str) -> None:
    assert reader(TSF_SECONDS="0.5").seconds("TSF_SECONDS") == 0.5
    with pytest.raises(SettingsError, match=f"TSF_SECONDS {message}"):
        reader(TSF_SECONDS=value).seconds("TSF_SECONDS")


@pytest.mark.parametrize(("value", "expected"), [("yes", True), ("ON", True), ("0", False)])
def test_flags_accept_the_usual_words(value: str, expected: bool) -> None:
    assert reader(TSF_FLAG=value).flag("TSF_FLAG") is expected


def test_a_flag_that_is_neither_is_refused() -> None:
    with pytest.raises(SettingsError, match="TSF_FLAG must be true or false, not 'maybe'"):
        reader(TSF_FLAG="maybe").flag("TSF_FLAG")


def test_a_path_is_a_path() -> None:
    assert reader().path("TSF_PATH") == Path("var/x.db")
