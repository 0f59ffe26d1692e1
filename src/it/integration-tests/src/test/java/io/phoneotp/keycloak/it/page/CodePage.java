package io.phoneotp.keycloak.it.page;

import org.keycloak.testframework.ui.webdriver.ManagedWebDriver;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.FindBy;

/** The code page (phone-otp-code.ftl): the code from the text message or the call, resend, and the switch to the other channel. */
public class CodePage extends PhoneOtpPage {

    @FindBy(id = "code")
    private WebElement code;

    @FindBy(id = "kc-login")
    private WebElement submit;

    @FindBy(id = "phone-otp-resend")
    private WebElement resend;

    @FindBy(id = "phone-otp-resend-wait")
    private WebElement resendWait;

    @FindBy(id = "phone-otp-switch-channel")
    private WebElement switchChannel;

    @FindBy(id = "phone-otp-another-number")
    private WebElement anotherNumber;

    public CodePage(ManagedWebDriver driver) {
        super(driver);
    }

    @Override
    protected By marker() {
        return By.id("phone-otp-form");
    }

    @Override
    public String getExpectedPageId() {
        return "login-phone-otp-code";
    }

    public void submitCode(String value) {
        type(code, value);
        submit.click();
    }

    public WebElement codeField() {
        return code;
    }

    /** "Send a new code" (or "Call me again"), pressed even while the countdown keeps it disabled. */
    public void resend() {
        pressEvenIfDisabled("phone-otp-resend");
    }

    /** Presses the resend button as a user can: only when the page has enabled it. */
    public void clickResend() {
        resend.click();
    }

    public boolean resendEnabled() {
        return resend.isEnabled();
    }

    /** Whether the page shows the wait before a new code may be asked for. */
    public boolean resendWaitShown() {
        return present(By.id("phone-otp-resend-wait")) && resendWait.isDisplayed();
    }

    /** The wait the server gave the page, in seconds: its countdown starts there. */
    public int resendWaitSeconds() {
        return Integer.parseInt(resendWait.getAttribute("data-seconds"));
    }

    /** "Call me instead" / "Send a text message instead", pressed even while the countdown keeps it disabled. */
    public void switchChannel() {
        pressEvenIfDisabled("phone-otp-switch-channel");
    }

    public boolean offersChannelSwitch() {
        return present(By.id("phone-otp-switch-channel"));
    }

    public String channelSwitchLabel() {
        return switchChannel.getText().trim();
    }

    /** Whether the page claims that a code was sent (or a call placed). */
    public boolean saysCodeWasSent() {
        return present(By.id("phone-otp-sent-to"));
    }

    public boolean offersAnotherNumber() {
        return present(By.id("phone-otp-another-number"));
    }

    public void useAnotherNumber() {
        anotherNumber.click();
    }

    /** Where the countdown script is loaded from. */
    public String countdownScriptUrl() {
        return driver.findElement(By.xpath("//script[contains(@src,'phone-otp-countdown.js')]")).getAttribute("src");
    }
}
