<#-- The page a sign-in link opens on another device: which sign-in waits, and "Is this you signing in?"
     (for the registration action's link: "Are you adding this number?", naming the account that would get it).
     Only the answer (a POST) uses the link, so a preview or a scanner that fetches it changes nothing. -->
<#import "template.ftl" as layout>
<#import "phone-otp-commons.ftl" as phoneOtpUi>
<@layout.registrationLayout displayMessage=false; section>
    <#if section="header">
        ${msg(phoneOtpLink.registration?then("phoneOtpRegistrationLinkTitle", "phoneOtpLinkTitle"))}
    <#elseif section="form">
        <p id="phone-otp-link-sign-in" class="${properties.kcLabelClass!}" style="text-align: start"><#if phoneOtpLink.registration>${msg("phoneOtpRegistrationLinkFor", phoneOtpLink.realmName, phoneOtpLink.browser, phoneOtpLink.os, phoneOtpLink.minutesAgo?c, phoneOtpUi.ltr(phoneOtpLink.username))}<#else>${msg("phoneOtpLinkFor", phoneOtpLink.realmName, phoneOtpLink.browser, phoneOtpLink.os, phoneOtpLink.minutesAgo?c)}</#if></p>
        <form id="phone-otp-link-form" class="${properties.kcFormClass!}" action="${phoneOtpLink.action}" method="post">
            <@phoneOtpUi.submit id="phone-otp-link-confirm" name="confirm" label="phoneOtpLinkConfirm"/>
            <div class="${properties.kcFormGroupClass!}">
                <@phoneOtpUi.secondary id="phone-otp-link-deny" name="deny" label="phoneOtpLinkDeny"/>
            </div>
        </form>
    </#if>
</@layout.registrationLayout>
