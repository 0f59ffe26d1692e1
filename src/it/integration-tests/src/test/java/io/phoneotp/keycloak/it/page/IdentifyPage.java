package io.phoneotp.keycloak.it.page;

import org.keycloak.testframework.ui.webdriver.ManagedWebDriver;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.FindBy;

/** The first step of a sign-in by phone (phone-otp-identify.ftl): a username, an email address or a phone number. */
public class IdentifyPage extends PhoneOtpPage {

    @FindBy(id = "username")
    private WebElement identifier;

    @FindBy(id = "kc-login")
    private WebElement submit;

    public IdentifyPage(ManagedWebDriver driver) {
        super(driver);
    }

    @Override
    protected By marker() {
        return By.id("phone-otp-identify-form");
    }

    @Override
    public String getExpectedPageId() {
        return "login-phone-otp-identify";
    }

    public void identify(String value) {
        type(identifier, value);
        submit.click();
    }
}
