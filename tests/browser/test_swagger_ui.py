"""Swagger UI in a real browser (issue 15): the docs load from the app's own static files, and
Authorize takes a bearer token as well as client credentials."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WAIT = 20


def test_swagger_ui_authorizes_with_a_bearer_token_or_client_credentials(browser, server):
    browser.get(server.url("/api/docs/"))
    wait = WebDriverWait(browser, WAIT)
    authorize = wait.until(
        expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, "button.authorize"))
    )
    operations = browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-operation-id, .opblock")
    assert operations, "no operation rendered"
    authorize.click()
    dialog = wait.until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, ".auth-container"))
    )
    text = browser.find_element(By.CSS_SELECTOR, ".modal-ux").text
    assert "bearer" in text and "(http, Bearer)" in text, text
    assert "oauth2" in text and "clientCredentials" in text, text
    assert dialog.is_displayed()
    # the bearer field takes a token, as an integrator pastes it
    field = browser.find_element(By.CSS_SELECTOR, ".auth-container input[type=text]")
    field.send_keys("et-token")
    assert field.get_attribute("value") == "et-token"
