package io.phoneotp.keycloak.it.page;

import org.keycloak.testframework.ui.page.AbstractPage;
import org.keycloak.testframework.ui.webdriver.ManagedWebDriver;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/** What the pages of this extension have in common: each is known by its own form. */
public abstract class PhoneOtpPage extends AbstractPage {

    protected PhoneOtpPage(ManagedWebDriver driver) {
        super(driver);
    }

    /** The element only this page has. */
    protected abstract By marker();

    /** Whether the browser shows this page now (without waiting: the tests drive HtmlUnit, which loads pages synchronously). */
    public boolean isCurrent() {
        return present(marker());
    }

    /** The page's text, as the user reads it. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    protected boolean present(By locator) {
        return !driver.driver().findElements(locator).isEmpty();
    }

    protected static void type(WebElement field, String value) {
        field.clear();
        field.sendKeys(value);
    }

    /**
     * Presses a button even while the page's countdown keeps it disabled: what the server does
     * with the request is what the tests check.
     */
    protected void pressEvenIfDisabled(String id) {
        ((JavascriptExecutor) driver.driver()).executeScript("document.getElementById(arguments[0]).disabled = false;", id);
        driver.findElement(By.id(id)).click();
    }
}
