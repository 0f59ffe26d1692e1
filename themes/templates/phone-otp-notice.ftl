<#-- A short explanation with the ways on: "use another phone number" before it starts, and why a
     number cannot be changed in this sign-in. -->
<#import "template.ftl" as layout>
<#import "phone-otp-commons.ftl" as phoneOtpUi>
<#assign notice = phoneOtpNotice>
<@layout.registrationLayout displayMessage=false; section>
    <#if section="header">
        ${msg(notice.title)}
    <#elseif section="form">
        <p id="phone-otp-notice" class="${properties.kcLabelClass!}" style="text-align: start">${msg(notice.text)}</p>
        <form id="phone-otp-notice-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <#if notice.continueField??>
                <input type="hidden" name="confirmed" value="true"/>
                <@phoneOtpUi.submit id="phone-otp-continue" name=notice.continueField label="doContinue"/>
            </#if>
            <div class="${properties.kcFormGroupClass!}">
                <#if notice.backField??>
                    <@phoneOtpUi.secondary id="phone-otp-back" name=notice.backField label="doBack"/>
                </#if>
                <#if notice.cancel?? && notice.cancel>
                    <@phoneOtpUi.secondary id="phone-otp-cancel" name="cancel" label="doCancel"/>
                <#elseif isAppInitiatedAction??>
                    <@phoneOtpUi.secondary id="kc-cancel" name="cancel-aia" label="doCancel"/>
                </#if>
            </div>
        </form>
        <#if notice.restart?? && notice.restart>
            <p><a id="phone-otp-sign-in-again" href="${url.loginRestartFlowUrl}" class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("phoneOtpSignInAgain")}</a></p>
        </#if>
    </#if>
</@layout.registrationLayout>
