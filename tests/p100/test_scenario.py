"""The p100 scenario section: API keys, the partners' own balances, the rate table."""

from __future__ import annotations

import pytest

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.scenario import ScenarioError
from tests.conftest import PROVIDERS
from tests.p100.client import P100Client
from tests.p100.test_onboarding import error


class TestOwnScenario:
    @pytest.fixture
    def config(self, tmp_path):
        scenario = tmp_path / "p100.yaml"
        scenario.write_text(
            "p100:\n  api_keys:\n"
            "    - {api_key: only-key, partner_balances: {btc: '2.5'}}\n"
            "  rates: {btc: '50000', eth: '2500'}\n")
        return Config(scenario=str(scenario))

    def test_keys_balances_and_rates_come_from_the_scenario(self, client):
        p100 = P100Client(client, "only-key")
        assert p100.partner_balances()["btc"] == "2.50000000" and p100.partner_balances()["eur"] == "0.00"
        quote = p100.get("/v1/exchange/get-rate", query_string={"currencyFrom": "btc", "currencyTo": "eth",
                                                                "amount": "1"}).get_json()
        assert quote["rate"] == "20" and quote["amountTo"] == "20.00000000"
        assert error(P100Client(client).get("/v1/user/balances/x"))[:2] == (401, "P401")  # default key unknown here


@pytest.mark.parametrize("section, problem", [
    ("api_keys: [{api_key: a}, {api_key: a}]", "unique"),
    ("api_keys: [{api_key: a, partner_balances: {xyz: '1'}}]", "xyz"),
    ("api_keys: [{api_key: a, partner_balances: {eur: '1.001'}}]", "decimals"),
    ("rates: {btc: '0'}", "rates"),
])
def test_a_wrong_section_is_refused_at_start(tmp_path, section, problem):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(f"p100:\n  {section}\n")
    with pytest.raises(ScenarioError, match=problem):
        create_app(Config(scenario=str(scenario)), PROVIDERS)
