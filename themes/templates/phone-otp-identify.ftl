<#-- First step of a sign-in by phone: one field for a username, an email address or a phone number. -->
<#import "template.ftl" as layout>
<#import "phone-otp-commons.ftl" as phoneOtpUi>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('username'); section>
    <#if section="header">
        ${msg("phoneOtpIdentifyTitle")}
    <#elseif section="form">
        <form id="phone-otp-identify-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcLabelWrapperClass!}">
                    <label for="username" class="${properties.kcLabelClass!}">${msg("phoneOtpIdentifyLabel")}</label>
                </div>
                <div class="${properties.kcInputWrapperClass!}">
                    <input id="username" name="username" type="text" class="${properties.kcInputClass!}"
                           autocomplete="username" autofocus autocapitalize="none" value="${phoneOtpIdentify.value}"
                           aria-invalid="<#if messagesPerField.existsError('username')>true</#if>" />
                    <@phoneOtpUi.fieldError field="username"/>
                </div>
            </div>
            <@phoneOtpUi.submit id="kc-login" name="login" label="doContinue"/>
        </form>
    </#if>
</@layout.registrationLayout>
