package io.phoneotp.keycloak.it.page;

import org.keycloak.testframework.ui.webdriver.ManagedWebDriver;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.FindBy;

/** The registration action's page (phone-otp-register.ftl): first the number, then the code sent to it. */
public class RegistrationPage extends PhoneOtpPage {

    @FindBy(id = "phoneNumber")
    private WebElement phoneNumber;

    @FindBy(id = "phone-otp-send-code")
    private WebElement sendCode;

    @FindBy(id = "code")
    private WebElement code;

    @FindBy(id = "phone-otp-confirm")
    private WebElement confirm;

    public RegistrationPage(ManagedWebDriver driver) {
        super(driver);
    }

    @Override
    protected By marker() {
        return By.id("phone-otp-register-form");
    }

    @Override
    public String getExpectedPageId() {
        return "login-phone-otp-register";
    }

    public void enterNumber(String number) {
        type(phoneNumber, number);
        sendCode.click();
    }

    /** The number field as the user left it. */
    public String typedNumber() {
        return phoneNumber.getAttribute("value");
    }

    public void confirm(String value) {
        type(code, value);
        confirm.click();
    }

    /** "Call me instead" / "Send a text message instead", pressed even while the countdown keeps it disabled. */
    public void switchChannel() {
        pressEvenIfDisabled("phone-otp-switch-channel");
    }

    /** Whether the user can leave the page without registering a number. */
    public boolean offersCancel() {
        return present(By.id("kc-cancel")) || present(By.id("phone-otp-cancel"));
    }

    /** Cancels an action the application started (kc_action): the application is told. */
    public void cancelApplicationAction() {
        driver.findElement(By.id("kc-cancel")).click();
    }

    /** Cancels a registration the user chose during sign-in: the sign-in goes on without it. */
    public void cancel() {
        driver.findElement(By.id("phone-otp-cancel")).click();
    }
}
