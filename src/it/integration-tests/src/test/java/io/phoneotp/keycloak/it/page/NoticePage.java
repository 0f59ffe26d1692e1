package io.phoneotp.keycloak.it.page;

import org.keycloak.testframework.ui.webdriver.ManagedWebDriver;
import org.openqa.selenium.By;

/** A short explanation with the ways on (phone-otp-notice.ftl): before "use another phone number", and why a number cannot be changed now. */
public class NoticePage extends PhoneOtpPage {

    public NoticePage(ManagedWebDriver driver) {
        super(driver);
    }

    @Override
    protected By marker() {
        return By.id("phone-otp-notice");
    }

    @Override
    public String getExpectedPageId() {
        return "login-phone-otp-notice";
    }

    /** The explanation itself. */
    public String notice() {
        return driver.findElement(By.id("phone-otp-notice")).getText();
    }

    public void continueOn() {
        driver.findElement(By.id("phone-otp-continue")).click();
    }

    public void signInAgain() {
        driver.findElement(By.id("phone-otp-sign-in-again")).click();
    }
}
